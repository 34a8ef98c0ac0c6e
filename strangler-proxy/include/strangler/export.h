// Exports the proxy's routing to other data planes, so a team that outgrows
// the strangler proxy (or runs on Kubernetes) keeps the same rollout:
//
//   ProxyConfig + persisted rollouts --exportGatewayApi()--> HTTPRoute YAML
//
// Kubernetes Gateway API (gateway.networking.k8s.io/v1 HTTPRoute) expresses
// path (exact, prefix, regex), method, header and query matches and weighted
// backends, i.e. every route and canary weight. It has no standard for
// sticky splits or for fallback-to-legacy on errors; those are listed in the
// returned notes and as comments in the YAML, never silently dropped.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "strangler/config.h"
#include "strangler/control.h"
#include "strangler/status.h"

namespace strangler {

struct GatewayApiOptions {
  std::string name = "strangler";  ///< metadata.name of the HTTPRoute
  std::string namespace_;          ///< metadata.namespace; empty = omitted
  std::string gateway = "gateway"; ///< parentRefs[0].name
};

struct ExportResult {
  std::string text;                ///< the manifest
  std::vector<std::string> notes;  ///< what the target cannot express, one line each
};

/// One HTTPRoute with one rule per route, most specific first, and a last
/// catch-all rule to legacy. `rollouts` (from the state file) override the
/// config's state/weight, as they do in the proxy. Backends are Kubernetes
/// Services named like the upstreams, on the port of their first endpoint.
Expected<ExportResult> exportGatewayApi(const ProxyConfig& config,
                                        const std::map<std::string, RouteRollout>& rollouts,
                                        const GatewayApiOptions& options);

/// "/api/books/{id}" -> "^/api/books/[^/]+$" (RE2/PCRE syntax; literal
/// segments escaped).
std::string patternToRegex(const std::string& pattern);

}  // namespace strangler
