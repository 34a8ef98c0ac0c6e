// Comparison of two HTTP responses to the same request, for shadow
// verification: the legacy monolith's answer (what the client got) against
// the extracted service's answer.
//
//   ShadowCompareConfig --ResponseComparer::compile--> comparer (immutable)
//   comparer.compare(legacy, service) --> [Difference{where, legacy, service}]
//
// What is compared, in order: the status code; the configured headers
// (case-insensitive names, repeated fields joined with ", "); the body. A
// body is compared as JSON, structurally, when either side says
// application/json (or +json) and both sides parse; otherwise as bytes.
// Structural JSON: objects by key (order never matters), arrays by index,
// numbers by value (1 == 1.0 == 1e0; non-integers equal within 1e-9
// relative), strings and non-JSON bodies after every `ignore_patterns` match
// was replaced by a placeholder on both sides. `ignore_json_paths` prune the
// tree: a value at a matching path, and everything below it, is not compared.
//
// Differences are named by where they are: "status", "header:content-type",
// "$.items[0].price" (JSON), "body" (bytes). Values are shown short (at most
// kShownValueBytes each).
//
// Thread safety: a compiled comparer is immutable; compare() is const and may
// run on several workers at once (std::regex matching is const-safe).
#pragma once

#include <cstddef>
#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "strangler/config.h"
#include "strangler/control.h"  // Difference
#include "strangler/status.h"

namespace strangler {

/// One response, decoded: the body without transfer coding.
struct CapturedResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  ///< names lower case
  std::string body;
  bool truncated = false;  ///< body longer than the capture limit (not comparable)

  /// All values of `name` (lower case) joined with ", "; found=false if absent.
  std::string header(std::string_view name, bool& found) const;
};

/// One step of a compiled JSON path.
struct JsonPathStep {
  enum class Kind { kKey, kIndex, kAnyKey, kAnyIndex, kAny } kind = Kind::kKey;
  std::string key;
  std::size_t index = 0;
};
using JsonPath = std::vector<JsonPathStep>;

/// Parses the JSONPath subset of `ignore_json_paths`: "$" then any of
/// ".name", "['name']", "[\"name\"]", "[N]", "[*]", ".*". Error text on failure.
Expected<JsonPath> parseJsonPath(std::string_view text);
/// "" when `text` is a valid ignore path, else why not (for validate()).
std::string checkJsonPath(std::string_view text);
/// "" when `pattern` compiles as an ECMAScript regex, else why not.
std::string checkRegex(const std::string& pattern);

class ResponseComparer {
 public:
  static constexpr std::size_t kShownValueBytes = 200;
  static constexpr std::size_t kMaxDifferences = 50;

  static Expected<std::shared_ptr<const ResponseComparer>> compile(const ShadowCompareConfig& config);

  /// Every difference (at most kMaxDifferences) between the two responses.
  std::vector<Difference> compare(const CapturedResponse& legacy, const CapturedResponse& service) const;

  /// The text with every ignore pattern's match replaced by "<ignored>".
  std::string mask(std::string_view text) const;

 private:
  ResponseComparer() = default;
  ShadowCompareConfig config_;
  std::vector<JsonPath> ignore_paths_;
  std::vector<std::regex> patterns_;
};

/// Removes the differences that are noise: the same `where`, or below it
/// ("$.items" covers "$.items[3].id"), differs between two legacy responses.
/// Returns how many were removed.
std::size_t removeNoise(std::vector<Difference>& diffs, const std::vector<Difference>& legacy_vs_legacy);

/// Decodes a complete chunked body (already validated by the proxy's
/// ChunkedDecoder); false on malformed input.
bool decodeChunked(std::string_view in, std::string& out);

}  // namespace strangler
