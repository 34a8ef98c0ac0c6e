// The admin API: a pure request handler, no sockets. The data plane's admin
// listener reads a request, calls AdminApi::handle and writes the response.
//
//   AdminRequest --auth (Bearer, constant time)--> route by method + path
//     GET  /healthz                      liveness (no token needed)
//     GET  /routes                       every route: match, state, weight, live figures
//     GET  /routes/{name}                one route (+ its recent history when a state store is set)
//     PUT|POST /routes/{name}            {"state": "canary", "weight": 25, "reason": "..."}
//     GET  /upstreams                    endpoints, health, ejection, drain, circuit
//     POST /upstreams/{name}/drain       {"drain": true|false} (body optional: true)
//     DELETE /upstreams/{name}/drain     undrain
//     POST /reload                       re-read the config file; invalid = refused
//     GET  /history[?route=R&limit=N]    rollout changes, newest first
//     GET  /routes/{name}/diffs[?limit=N] stored shadow mismatches, newest first
//     GET  /metrics                      Prometheus text format 0.0.4
//   --> AdminResponse (JSON, or text/plain for /metrics)
//
// Reference: docs/strangler-admin.md.
//
// Thread safety: handle() may be called from any thread; it keeps no state
// of its own besides the immutable options. ProxyControl, the registry and
// the store are thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "strangler/control.h"

namespace strangler {

class MetricsRegistry;
class StateStore;

struct AdminApiOptions {
  std::string token;                  ///< required; empty refuses every request but /healthz
  ProxyControl* control = nullptr;    ///< required; not owned
  MetricsRegistry* metrics = nullptr; ///< optional; /metrics then has only control gauges
  StateStore* state_store = nullptr;  ///< optional; enables /history and reasons
};

class AdminApi final : public AdminHandler {
 public:
  explicit AdminApi(AdminApiOptions options) : options_(std::move(options)) {}
  AdminResponse handle(const AdminRequest& request) override;

 private:
  AdminResponse routeDispatch(const AdminRequest& request, std::string_view path,
                              std::string_view query);
  AdminResponse listRoutes();
  AdminResponse getRoute(std::string_view name);
  AdminResponse setRoute(std::string_view name, const std::string& body);
  AdminResponse listUpstreams();
  AdminResponse drain(std::string_view name, const std::string& method, const std::string& body);
  AdminResponse reload();
  AdminResponse history(std::string_view query);
  AdminResponse diffs(std::string_view name, std::string_view query);
  AdminResponse metrics();

  AdminApiOptions options_;
};

/// True when `authorization` is "Bearer <token>" (scheme case-insensitive)
/// and the token equals `expected`; the comparison time does not depend on
/// where the tokens differ. An empty `expected` never matches.
bool bearerTokenMatches(std::string_view authorization, std::string_view expected);

/// Decodes %XX escapes in one path segment; false on a malformed escape or
/// a decoded '/' or NUL.
bool percentDecodeSegment(std::string_view in, std::string& out);

}  // namespace strangler
