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

struct NginxOptions {
  unsigned worker_processes = 1;
  unsigned keepalive = 32;  ///< idle upstream connections kept per worker
};

/// A complete nginx.conf (main context, relative paths: run it with
/// `nginx -p DIR -c FILE`) routing like the proxy: a `map` computes the route
/// from method, path, header and query conditions (most specific first),
/// `split_clients` the canary side, legacy as `backup` server the fallback,
/// `mirror` the shadow copy (with a sampled percent; no comparison). Code and
/// the list of what nginx cannot express: lib/export_nginx.cc,
/// docs/scaling.md.
Expected<ExportResult> exportNginx(const ProxyConfig& config,
                                   const std::map<std::string, RouteRollout>& rollouts,
                                   const NginxOptions& options);

/// Envoy v3 static bootstrap YAML: one listener, routes most specific first
/// (prefix / path / safe_regex + :method and header/query matchers),
/// weighted_clusters for canaries, request_mirror_policies with a
/// runtime_fraction for shadow, an aggregate cluster (service, then legacy)
/// with a retry policy for fallback. Code: lib/export_envoy.cc.
Expected<ExportResult> exportEnvoy(const ProxyConfig& config,
                                   const std::map<std::string, RouteRollout>& rollouts);

}  // namespace strangler
