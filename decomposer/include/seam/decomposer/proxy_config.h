// From plan to proxy: the strangler-proxy configuration (strangler.yaml) for
// one extraction step.
//
//   fact store routes (method, path, handler, module) + plan (module -> service)
//     --attributedRoutes--> routes with their service
//     --buildProxyConfig(step K)--> strangler.yaml text + notes
//
// The step's service gets its routes: reads (GET/HEAD) start in `shadow` with
// a shadow block (compare status, content-type and JSON bodies) and an
// analysis policy; writes start in `legacy`, because during shadow and canary
// the monolith still owns the data (the service replicates it), so writes move
// in one step at cutover (docs/plan-format.md, "From plan to proxy").
// Services of earlier steps that have a --service URL are `migrated`.
//
// Paths: the framework's registered pattern becomes the proxy's match syntax
// (convertRoutePath). When every route under a resource prefix (/api/catalog)
// belongs to the service, one prefix route replaces the per-path ones.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "seam/decomposer/status.h"

namespace seam::decomposer {

/// One served route of the fact store and the service it belongs to ("" when
/// no service of the plan has its module: the shared kernel or composition root).
struct AttributedRoute {
  std::string method;  ///< GET, POST, ... or ANY
  std::string path;    ///< as registered (httplib regex, Crow <int>, Drogon {id}, Pistache :id)
  std::string service;
  std::string handler;   ///< qualified handler name, for the comment
  std::string location;  ///< file:line of the registration
};

/// A registered path in the proxy's match syntax (docs/strangler-config.md).
struct PathMatch {
  enum class Kind { kExact, kPattern, kUnsupported };
  Kind kind = Kind::kUnsupported;
  std::string path;   ///< "/api/books" or "/api/books/{id}"; empty when unsupported
  bool widened = false;  ///< a constrained segment ((\d+), <int>) became any segment
  std::string reason;    ///< why it is unsupported or widened
};

/// `/api/books/(\d+)` -> pattern `/api/books/{p1}` (widened), `<int>`, `{id}`,
/// `:id` -> `{...}`; a regex that does not cover exactly one whole segment
/// (`.*`, optional parts, alternations across `/`) -> kUnsupported.
PathMatch convertRoutePath(const std::string& registered);

/// The plan's services[].api.routes with their service, plus `kernel_routes`
/// (fact-store routes that no service lists) with service "". Routes without a
/// resolved handler (client calls the analyzer saw, e.g. a load generator's
/// requests) are not served routes and are left out.
std::vector<AttributedRoute> attributedRoutes(const nlohmann::json& plan,
                                              const std::vector<AttributedRoute>& fact_routes);

struct ProxyConfigOptions {
  std::string service;                 ///< the step's service
  int step = 0;                        ///< its step number (0 = not an ordered step)
  std::vector<std::string> earlier;    ///< services of steps 1..K-1, in order
  std::string legacy_url;              ///< the monolith
  std::vector<std::pair<std::string, std::string>> service_urls;  ///< NAME=URL
  std::string listen = "127.0.0.1:8080";
  std::string admin = "127.0.0.1:9901";  ///< empty = no admin listener
  std::string token_env = "STRANGLER_TOKEN";
  std::string state_file;              ///< empty = not persisted
  std::string window = "30s";          ///< analysis window
  int min_requests = 20;
  std::string max_mismatch_rate = "0%";
  bool auto_advance = false;
  std::string shadow_percent = "100%";
};

struct ProxyConfig {
  std::string yaml;
  std::vector<std::string> notes;  ///< what could not be expressed or was left out; one line each
  int routes = 0;                  ///< routes written (all states)
};

/// kBadArgument when the step's service has no URL or no routes, or a URL is
/// not plain http://host:port.
Expected<ProxyConfig> buildProxyConfig(const std::vector<AttributedRoute>& routes, const ProxyConfigOptions& options);

}  // namespace seam::decomposer
