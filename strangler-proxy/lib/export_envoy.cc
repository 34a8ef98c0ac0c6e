// Envoy export (see export.h): a v3 static bootstrap.
//
//   listener -> http_connection_manager -> route_config (routes in the
//   proxy's match order, then "/" -> legacy) -> clusters (one per upstream,
//   plus "<service>__or_legacy" aggregate clusters for fallback)
//
// Envoy is not installable on the build machine, so this output is tested for
// structure (tests/proxy/export_envoy_test.cc), not run; docs/scaling.md.
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "strangler/export.h"
#include "strangler/route_table.h"

namespace strangler {
namespace {

std::string durationText(Millis ms) {
  // Envoy's Duration in YAML: "1.5s".
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%lld.%03llds", static_cast<long long>(ms.count() / 1000),
                static_cast<long long>(ms.count() % 1000));
  return buffer;
}

std::string regexLiteral(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

void emitSocketAddress(YAML::Emitter& y, const std::string& endpoint) {
  std::string host;
  std::uint16_t port = 0;
  splitHostPort(endpoint, host, port);
  y << YAML::Key << "socket_address" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "address"
    << YAML::Value << host << YAML::Key << "port_value" << YAML::Value << port << YAML::EndMap;
}

bool isIpLiteral(const std::string& host) {
  return !host.empty() && (host.find(':') != std::string::npos ||
                           std::all_of(host.begin(), host.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; }));
}

void emitCluster(YAML::Emitter& y, const UpstreamConfig& u, const ProxyConfig& config) {
  bool all_ips = std::all_of(u.endpoints.begin(), u.endpoints.end(), [](const std::string& e) {
    std::string host;
    std::uint16_t port = 0;
    return splitHostPort(e, host, port) && isIpLiteral(host);
  });
  y << YAML::BeginMap;
  y << YAML::Key << "name" << YAML::Value << u.name;
  y << YAML::Key << "type" << YAML::Value << (all_ips ? "STATIC" : "STRICT_DNS");
  y << YAML::Key << "connect_timeout" << YAML::Value << durationText(config.listener.timeouts.connect);
  y << YAML::Key << "load_assignment" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "cluster_name" << YAML::Value << u.name;
  y << YAML::Key << "endpoints" << YAML::Value << YAML::BeginSeq << YAML::BeginMap << YAML::Key << "lb_endpoints"
    << YAML::Value << YAML::BeginSeq;
  for (const auto& e : u.endpoints) {
    y << YAML::BeginMap << YAML::Key << "endpoint" << YAML::Value << YAML::BeginMap << YAML::Key << "address"
      << YAML::Value << YAML::BeginMap;
    emitSocketAddress(y, e);
    y << YAML::EndMap << YAML::EndMap << YAML::EndMap;
  }
  y << YAML::EndSeq << YAML::EndMap << YAML::EndSeq << YAML::EndMap;
  if (u.health.enabled()) {
    y << YAML::Key << "health_checks" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
    y << YAML::Key << "timeout" << YAML::Value << durationText(u.health.timeout);
    y << YAML::Key << "interval" << YAML::Value << durationText(u.health.interval);
    y << YAML::Key << "unhealthy_threshold" << YAML::Value << u.health.unhealthy_threshold;
    y << YAML::Key << "healthy_threshold" << YAML::Value << u.health.healthy_threshold;
    y << YAML::Key << "http_health_check" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "path"
      << YAML::Value << u.health.path << YAML::EndMap;
    y << YAML::EndMap << YAML::EndSeq;
  }
  y << YAML::Key << "outlier_detection" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "consecutive_5xx" << YAML::Value << u.outlier.consecutive_5xx;
  y << YAML::Key << "consecutive_local_origin_failure" << YAML::Value << u.outlier.consecutive_errors;
  y << YAML::Key << "split_external_local_origin_errors" << YAML::Value << true;
  y << YAML::Key << "base_ejection_time" << YAML::Value << durationText(u.outlier.ejection_time);
  y << YAML::EndMap;
  y << YAML::Key << "circuit_breakers" << YAML::Value << YAML::BeginMap << YAML::Key << "thresholds" << YAML::Value
    << YAML::BeginSeq << YAML::BeginMap;
  y << YAML::Key << "max_connections" << YAML::Value << u.circuit_breaker.max_connections;
  y << YAML::Key << "max_pending_requests" << YAML::Value << u.circuit_breaker.max_pending;
  y << YAML::Key << "max_requests" << YAML::Value << u.circuit_breaker.max_requests;
  y << YAML::EndMap << YAML::EndSeq << YAML::EndMap;
  y << YAML::EndMap;
}

void emitStringMatch(YAML::Emitter& y, const std::string& name, const std::string& value, bool header) {
  y << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value << name;
  if (value.empty()) {
    y << YAML::Key << "present_match" << YAML::Value << true;
  } else {
    y << YAML::Key << "string_match" << YAML::Value << YAML::BeginMap << YAML::Key << "exact" << YAML::Value << value
      << YAML::EndMap;
  }
  (void)header;
  y << YAML::EndMap;
}

}  // namespace

Expected<ExportResult> exportEnvoy(const ProxyConfig& config, const std::map<std::string, RouteRollout>& rollouts) {
  if (auto problems = validate(config); !problems.empty()) return Status::error("invalid config: " + problems.front());
  std::map<std::string, int, std::less<>> upstream_index;
  for (size_t i = 0; i < config.upstreams.size(); ++i) upstream_index[config.upstreams[i].name] = static_cast<int>(i);
  std::map<std::string, std::shared_ptr<RouteCounters>, std::less<>> counters;
  auto table = RouteTable::build(config, rollouts, upstream_index, counters, nullptr);
  if (!table) return Status::error("route table: " + table.error());
  const auto& routes = (*table)->routes();
  ExportResult result;
  auto note = [&](const std::string& text) { result.notes.push_back(text); };

  std::string host;
  std::uint16_t port = 0;
  splitHostPort(config.listener.address, host, port);
  std::vector<std::string> aggregates;  // services that need "<service>__or_legacy"

  YAML::Emitter y;
  y << YAML::Comment("Generated by strangler-proxy export --format envoy; edit strangler.yaml instead.");
  y << YAML::BeginMap << YAML::Key << "static_resources" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "listeners" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
  y << YAML::Key << "name" << YAML::Value << "strangler";
  y << YAML::Key << "address" << YAML::Value << YAML::BeginMap;
  emitSocketAddress(y, config.listener.address);
  y << YAML::EndMap;
  y << YAML::Key << "per_connection_buffer_limit_bytes" << YAML::Value << config.listener.limits.header_bytes;
  y << YAML::Key << "filter_chains" << YAML::Value << YAML::BeginSeq << YAML::BeginMap << YAML::Key << "filters"
    << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
  y << YAML::Key << "name" << YAML::Value << "envoy.filters.network.http_connection_manager";
  y << YAML::Key << "typed_config" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "@type" << YAML::Value
    << "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";
  y << YAML::Key << "stat_prefix" << YAML::Value << "strangler";
  y << YAML::Key << "request_headers_timeout" << YAML::Value << durationText(config.listener.timeouts.header);
  y << YAML::Key << "common_http_protocol_options" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key
    << "idle_timeout" << YAML::Value << durationText(config.listener.timeouts.idle) << YAML::EndMap;
  y << YAML::Key << "http_filters" << YAML::Value << YAML::BeginSeq << YAML::BeginMap << YAML::Key << "name"
    << YAML::Value << "envoy.filters.http.router" << YAML::Key << "typed_config" << YAML::Value << YAML::BeginMap
    << YAML::Key << "@type" << YAML::Value << "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"
    << YAML::EndMap << YAML::EndMap << YAML::EndSeq;
  y << YAML::Key << "route_config" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "name" << YAML::Value << "strangler";
  y << YAML::Key << "virtual_hosts" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
  y << YAML::Key << "name" << YAML::Value << "all";
  y << YAML::Key << "domains" << YAML::Value << YAML::Flow << YAML::BeginSeq << "*" << YAML::EndSeq;
  y << YAML::Key << "routes" << YAML::Value << YAML::BeginSeq;

  for (const Route& r : routes) {
    const RouteConfig& rc = r.config;
    const RouteMatch& m = rc.match;
    y << YAML::BeginMap;
    y << YAML::Key << "name" << YAML::Value << rc.name;
    y << YAML::Key << "match" << YAML::Value << YAML::BeginMap;
    switch (m.path_kind) {
      case PathKind::kExact: y << YAML::Key << "path" << YAML::Value << m.path; break;
      case PathKind::kPrefix:
        if (m.path == "/" || m.path.back() == '/') {
          y << YAML::Key << "prefix" << YAML::Value << m.path;
        } else {
          // Segment-boundary prefix: /api/books matches /api/books and /api/books/7 only.
          y << YAML::Key << "path_separated_prefix" << YAML::Value << m.path;
        }
        break;
      case PathKind::kPattern:
        y << YAML::Key << "safe_regex" << YAML::Value << YAML::BeginMap << YAML::Key << "regex" << YAML::Value
          << patternToRegex(m.path) << YAML::EndMap;
        break;
    }
    if (!m.methods.empty() || !m.headers.empty()) {
      y << YAML::Key << "headers" << YAML::Value << YAML::BeginSeq;
      if (!m.methods.empty()) {
        std::string re = "^(";
        for (size_t i = 0; i < m.methods.size(); ++i) re += (i ? "|" : "") + regexLiteral(m.methods[i]);
        re += ")$";
        y << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value << ":method" << YAML::Key
          << "string_match" << YAML::Value << YAML::BeginMap << YAML::Key << "safe_regex" << YAML::Value
          << YAML::BeginMap << YAML::Key << "regex" << YAML::Value << re << YAML::EndMap << YAML::EndMap
          << YAML::EndMap;
      }
      for (const auto& h : m.headers) emitStringMatch(y, h.name, h.value, true);
      y << YAML::EndSeq;
    }
    if (!m.query.empty()) {
      y << YAML::Key << "query_parameters" << YAML::Value << YAML::BeginSeq;
      for (const auto& q : m.query) emitStringMatch(y, q.name, q.value, false);
      y << YAML::EndSeq;
    }
    y << YAML::EndMap;  // match

    std::uint32_t to_service = 0;
    switch (rc.state) {
      case RouteState::kLegacy:
      case RouteState::kShadow: to_service = 0; break;
      case RouteState::kCanary: to_service = rc.weight; break;
      case RouteState::kMigrated:
      case RouteState::kRetired: to_service = 10000; break;
    }
    bool fallback = !rc.service.empty() && rc.state != RouteState::kRetired && to_service > 0 &&
                    (rc.fallback.on_connect_error || rc.fallback.on_timeout || rc.fallback.on_5xx);
    std::string service_cluster = rc.service;
    if (fallback) {
      service_cluster = rc.service + "__or_legacy";
      if (std::find(aggregates.begin(), aggregates.end(), rc.service) == aggregates.end()) aggregates.push_back(rc.service);
    }
    y << YAML::Key << "route" << YAML::Value << YAML::BeginMap;
    if (to_service == 0) {
      y << YAML::Key << "cluster" << YAML::Value << config.legacy;
    } else if (to_service >= 10000) {
      y << YAML::Key << "cluster" << YAML::Value << service_cluster;
    } else {
      y << YAML::Key << "weighted_clusters" << YAML::Value << YAML::BeginMap << YAML::Key << "clusters" << YAML::Value
        << YAML::BeginSeq;
      y << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value << service_cluster << YAML::Key << "weight"
        << YAML::Value << to_service << YAML::EndMap;
      y << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value << config.legacy << YAML::Key << "weight"
        << YAML::Value << (10000 - to_service) << YAML::EndMap;
      y << YAML::EndSeq << YAML::EndMap;
      if (rc.sticky.by != StickyBy::kNone) {
        note("route " + rc.name + ": sticky split by " + std::string(toString(rc.sticky.by)) +
             ": Envoy's weighted_clusters pick per request (hash_policy only picks hosts inside a cluster)");
      }
    }
    y << YAML::Key << "timeout" << YAML::Value << durationText(config.listener.timeouts.request);
    if (fallback) {
      std::string on;
      if (rc.fallback.on_connect_error) on += "connect-failure,reset,";
      if (rc.fallback.on_timeout) on += "gateway-error,";
      if (rc.fallback.on_5xx) on += "5xx,";
      on.pop_back();
      y << YAML::Key << "retry_policy" << YAML::Value << YAML::BeginMap;
      y << YAML::Key << "retry_on" << YAML::Value << on;
      y << YAML::Key << "num_retries" << YAML::Value << 1;
      // The retry goes to the next priority of the aggregate cluster: legacy.
      y << YAML::Key << "retry_priority" << YAML::Value << YAML::BeginMap << YAML::Key << "name" << YAML::Value
        << "envoy.retry_priorities.previous_priorities" << YAML::Key << "typed_config" << YAML::Value << YAML::BeginMap
        << YAML::Key << "@type" << YAML::Value
        << "type.googleapis.com/envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig"
        << YAML::Key << "update_frequency" << YAML::Value << 1 << YAML::EndMap << YAML::EndMap;
      // Only idempotent requests fall back, as in the proxy.
      y << YAML::Key << "retriable_request_headers" << YAML::Value << YAML::BeginSeq << YAML::Flow << YAML::BeginMap
        << YAML::Key << "name" << YAML::Value << ":method" << YAML::Key << "string_match" << YAML::Value
        << YAML::BeginMap << YAML::Key << "safe_regex" << YAML::Value << YAML::BeginMap << YAML::Key << "regex"
        << YAML::Value << "^(GET|HEAD|OPTIONS|TRACE|PUT|DELETE)$" << YAML::EndMap << YAML::EndMap << YAML::EndMap
        << YAML::EndSeq;
      y << YAML::EndMap;
      note("route " + rc.name + ": the fallback retry budget is not exported (Envoy's circuit_breakers.retry_budget "
           "limits concurrent retries, not a share of requests per second; set it by hand if needed)");
    }
    if (rc.state == RouteState::kShadow && !rc.service.empty()) {
      y << YAML::Key << "request_mirror_policies" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
      y << YAML::Key << "cluster" << YAML::Value << rc.service;
      y << YAML::Key << "runtime_fraction" << YAML::Value << YAML::BeginMap << YAML::Key << "default_value" << YAML::Value
        << YAML::Flow << YAML::BeginMap << YAML::Key << "numerator" << YAML::Value << rc.shadow.percent << YAML::Key
        << "denominator" << YAML::Value << "TEN_THOUSAND" << YAML::EndMap << YAML::Key << "runtime_key" << YAML::Value
        << "strangler.shadow." + rc.name << YAML::EndMap;
      y << YAML::EndMap << YAML::EndSeq;
      note("route " + rc.name + ": shadow becomes request_mirror_policies (fire-and-forget, every method the route "
           "matches; Envoy does not compare the responses, store diffs or run the analysis policy)");
      if (rc.shadow.sticky.by != StickyBy::kNone) {
        note("route " + rc.name + ": sticky shadow sampling is per request in Envoy");
      }
    }
    y << YAML::EndMap;  // route
    y << YAML::EndMap;
    if (rc.analysis.enabled) {
      note("route " + rc.name + ": the analysis policy (automatic rollback/advance) needs strangler-proxy; "
           "Envoy serves the exported state (Flagger/Argo Rollouts can drive weights instead)");
    }
  }
  // Unmatched: legacy.
  y << YAML::BeginMap << YAML::Key << "name" << YAML::Value << "legacy-default" << YAML::Key << "match" << YAML::Value
    << YAML::Flow << YAML::BeginMap << YAML::Key << "prefix" << YAML::Value << "/" << YAML::EndMap << YAML::Key
    << "route" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "cluster" << YAML::Value << config.legacy
    << YAML::EndMap << YAML::EndMap;
  y << YAML::EndSeq;                                     // routes
  y << YAML::EndMap << YAML::EndSeq;                     // virtual host, virtual_hosts
  y << YAML::EndMap;                                     // route_config
  y << YAML::EndMap;                                     // typed_config
  y << YAML::EndMap << YAML::EndSeq << YAML::EndMap << YAML::EndSeq;  // filter, filters, chain, chains
  y << YAML::EndMap << YAML::EndSeq;                     // listener, listeners

  y << YAML::Key << "clusters" << YAML::Value << YAML::BeginSeq;
  for (const auto& u : config.upstreams) emitCluster(y, u, config);
  for (const auto& service : aggregates) {
    y << YAML::BeginMap;
    y << YAML::Key << "name" << YAML::Value << service + "__or_legacy";
    y << YAML::Key << "connect_timeout" << YAML::Value << durationText(config.listener.timeouts.connect);
    y << YAML::Key << "lb_policy" << YAML::Value << "CLUSTER_PROVIDED";
    y << YAML::Key << "cluster_type" << YAML::Value << YAML::BeginMap << YAML::Key << "name" << YAML::Value
      << "envoy.clusters.aggregate" << YAML::Key << "typed_config" << YAML::Value << YAML::BeginMap << YAML::Key
      << "@type" << YAML::Value << "type.googleapis.com/envoy.extensions.clusters.aggregate.v3.ClusterConfig"
      << YAML::Key << "clusters" << YAML::Value << YAML::Flow << YAML::BeginSeq << service << config.legacy
      << YAML::EndSeq << YAML::EndMap << YAML::EndMap;
    y << YAML::EndMap;
  }
  y << YAML::EndSeq;
  y << YAML::EndMap << YAML::EndMap;  // static_resources, root
  if (!y.good()) return Status::error("export: " + y.GetLastError());
  (void)host;
  (void)port;
  result.text = std::string(y.c_str()) + "\n";
  return result;
}

}  // namespace strangler
