// Loading a ProxyConfig: from strangler.yaml, or from the quick-start flags.
//
//   strangler.yaml --parse (yaml-cpp)--> field checks with line numbers
//                  --validate()--------> cross references (config.h)
//                  --> ProxyConfig, or every problem as "file:line: field: problem"
//
// The reference of every key is docs/strangler-config.md. Unknown keys are
// errors (a typo must not silently mean "default"). Durations need a unit
// ("250ms", "5s", "2m", "1h"); sizes take an optional unit ("16KiB", "8MiB");
// weights are percentages ("25%", 25, 12.5) stored as basis points.
//
// Not on the data plane: may allocate, may catch yaml-cpp's exceptions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "strangler/config.h"
#include "strangler/status.h"

namespace strangler {

/// Largest config file accepted (a config is a few KiB; this bounds memory).
inline constexpr std::size_t kMaxConfigBytes = 4u << 20;

/// Reads and parses `path`. Errors name the file and line:
///   "strangler.yaml:12: routes[3].weight: must be 0..100%"
/// several problems are reported one per line (at most 20).
Expected<ProxyConfig> loadConfigFile(const std::string& path);

/// Parses YAML text; `filename` only labels the error messages.
Expected<ProxyConfig> parseConfigYaml(std::string_view yaml, std::string_view filename);

/// The quick-start command line: no file, everything defaulted.
///   --listen 127.0.0.1:8080 --legacy http://127.0.0.1:9000
///   --route /api/catalog/=http://127.0.0.1:9100 ... --admin 127.0.0.1:9901
/// Each --route becomes a prefix route in state `migrated` (service first,
/// legacy as fallback) to an upstream named after the prefix.
struct QuickStartOptions {
  std::string listen = "127.0.0.1:8080";
  std::string legacy;               ///< URL or host:port, required
  std::vector<std::string> routes;  ///< "PREFIX=URL"
  std::string admin;                ///< host:port; empty = no admin listener
  std::string token;                ///< admin bearer token (e.g. from $STRANGLER_TOKEN)
  std::string state_file;           ///< optional
  std::string access_log;           ///< optional
};
Expected<ProxyConfig> configFromQuickStart(const QuickStartOptions& options);

/// "http://host:port[/]" or "host:port" -> "host:port" (port 80 when the URL
/// has none). https and paths other than "/" are refused: the proxy speaks
/// plain HTTP/1.1 to upstreams and does not rewrite paths.
Expected<std::string> endpointFromUrl(std::string_view url);

/// "250ms", "5s", "1.5s", "2m", "1h" -> milliseconds. False when malformed,
/// negative, without unit or not a whole number of milliseconds.
bool parseDuration(std::string_view text, Millis& out);

/// "16384", "16KiB", "8MiB", "1GiB" (also "k"/"KB"... as 1024 multiples).
bool parseSize(std::string_view text, std::uint64_t& out);

/// "25%", "25", "12.5", "0.01%" -> basis points (2500, 2500, 1250, 1). False
/// outside 0..100% or finer than 0.01%.
bool parsePercent(std::string_view text, std::uint32_t& basis_points);

}  // namespace strangler
