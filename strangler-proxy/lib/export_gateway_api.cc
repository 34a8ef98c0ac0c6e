// Gateway API HTTPRoute export. See export.h.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>

#include "strangler/export.h"

namespace strangler {
namespace {

// Sort key mirroring the proxy's "most specific wins" (route_table.h), so a
// reader sees the rules in the order the proxy would try them. Gateway API
// implementations apply their own precedence, which agrees on the main
// points (exact > longest prefix > more conditions).
struct Specificity {
  int kind;  // 2 exact, 1 pattern, 0 prefix
  std::size_t literal_segments, segments, prefix_length, conditions;
};

Specificity specificity(const RouteConfig& r) {
  Specificity s{};
  const RouteMatch& m = r.match;
  s.kind = m.path_kind == PathKind::kExact ? 2 : m.path_kind == PathKind::kPattern ? 1 : 0;
  if (m.path_kind == PathKind::kPattern) {
    std::size_t pos = 1;
    while (pos <= m.path.size()) {
      std::size_t end = m.path.find('/', pos);
      if (end == std::string::npos) end = m.path.size();
      ++s.segments;
      if (m.path.compare(pos, 1, "{") != 0) ++s.literal_segments;
      pos = end + 1;
    }
  }
  s.prefix_length = m.path.size();
  s.conditions = (m.methods.empty() ? 0 : 1) + m.headers.size() + m.query.size();
  return s;
}

bool moreSpecific(const Specificity& a, const Specificity& b) {
  if (a.kind != b.kind) return a.kind > b.kind;
  if (a.kind == 1) {
    if (a.literal_segments != b.literal_segments) return a.literal_segments > b.literal_segments;
    if (a.segments != b.segments) return a.segments > b.segments;
  }
  if (a.kind == 0 && a.prefix_length != b.prefix_length) return a.prefix_length > b.prefix_length;
  return a.conditions > b.conditions;
}

std::string portOf(const UpstreamConfig& u) {
  std::string host;
  std::uint16_t port = 0;
  if (!u.endpoints.empty() && splitHostPort(u.endpoints.front(), host, port))
    return std::to_string(port);
  return "80";
}

void emitBackend(YAML::Emitter& y, const UpstreamConfig& u, std::uint32_t weight) {
  y << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value << u.name
    << YAML::Key << "port" << YAML::Value << portOf(u) << YAML::Key << "weight" << YAML::Value
    << weight << YAML::EndMap;
}

void emitMatch(YAML::Emitter& y, const RouteMatch& m, const std::string* method) {
  y << YAML::BeginMap;
  y << YAML::Key << "path" << YAML::Value << YAML::BeginMap;
  switch (m.path_kind) {
    case PathKind::kExact:
      y << YAML::Key << "type" << YAML::Value << "Exact" << YAML::Key << "value" << YAML::Value << m.path;
      break;
    case PathKind::kPrefix:
      y << YAML::Key << "type" << YAML::Value << "PathPrefix" << YAML::Key << "value" << YAML::Value
        << m.path;
      break;
    case PathKind::kPattern:
      y << YAML::Key << "type" << YAML::Value << "RegularExpression" << YAML::Key << "value"
        << YAML::Value << patternToRegex(m.path);
      break;
  }
  y << YAML::EndMap;
  if (method) y << YAML::Key << "method" << YAML::Value << *method;
  auto conditions = [&](const char* key, const auto& list) {
    if (list.empty()) return;
    y << YAML::Key << key << YAML::Value << YAML::BeginSeq;
    for (const auto& c : list) {
      // Present-only conditions become a regex matching any value.
      bool present_only = c.value.empty();
      y << YAML::Flow << YAML::BeginMap << YAML::Key << "type" << YAML::Value
        << (present_only ? "RegularExpression" : "Exact") << YAML::Key << "name" << YAML::Value
        << c.name << YAML::Key << "value" << YAML::Value << (present_only ? ".*" : c.value)
        << YAML::EndMap;
    }
    y << YAML::EndSeq;
  };
  conditions("headers", m.headers);
  conditions("queryParams", m.query);
  y << YAML::EndMap;
}

}  // namespace

std::string patternToRegex(const std::string& pattern) {
  std::string out = "^";
  std::size_t pos = 0;
  while (pos < pattern.size()) {
    if (pattern[pos] == '{') {
      std::size_t close = pattern.find('}', pos);
      if (close == std::string::npos) close = pattern.size() - 1;
      out += "[^/]+";
      pos = close + 1;
      continue;
    }
    char c = pattern[pos++];
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out + "$";
}

Expected<ExportResult> exportGatewayApi(const ProxyConfig& config,
                                        const std::map<std::string, RouteRollout>& rollouts,
                                        const GatewayApiOptions& options) {
  if (auto problems = validate(config); !problems.empty())
    return Status::error("invalid config: " + problems.front());
  auto upstream = [&](const std::string& name) -> const UpstreamConfig& {
    return *std::find_if(config.upstreams.begin(), config.upstreams.end(),
                         [&](const UpstreamConfig& u) { return u.name == name; });
  };
  const UpstreamConfig& legacy = upstream(config.legacy);

  std::vector<RouteConfig> routes = config.routes;
  for (RouteConfig& r : routes) {
    if (auto it = rollouts.find(r.name); it != rollouts.end()) {
      r.state = it->second.state;
      r.weight = it->second.weight;
    }
  }
  std::stable_sort(routes.begin(), routes.end(), [](const RouteConfig& a, const RouteConfig& b) {
    return moreSpecific(specificity(a), specificity(b));
  });

  ExportResult result;
  YAML::Emitter y;
  y << YAML::Comment("Generated by strangler-proxy export --format gateway-api; edit strangler.yaml instead.");
  y << YAML::BeginMap;
  y << YAML::Key << "apiVersion" << YAML::Value << "gateway.networking.k8s.io/v1";
  y << YAML::Key << "kind" << YAML::Value << "HTTPRoute";
  y << YAML::Key << "metadata" << YAML::Value << YAML::BeginMap << YAML::Key << "name"
    << YAML::Value << options.name;
  if (!options.namespace_.empty()) y << YAML::Key << "namespace" << YAML::Value << options.namespace_;
  y << YAML::EndMap;
  y << YAML::Key << "spec" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "parentRefs" << YAML::Value << YAML::BeginSeq << YAML::Flow << YAML::BeginMap
    << YAML::Key << "name" << YAML::Value << options.gateway << YAML::EndMap << YAML::EndSeq;
  y << YAML::Key << "rules" << YAML::Value << YAML::BeginSeq;

  for (const RouteConfig& r : routes) {
    std::uint32_t to_service = 0;
    switch (r.state) {
      case RouteState::kLegacy:
      case RouteState::kShadow: to_service = 0; break;
      case RouteState::kCanary: to_service = r.weight; break;
      case RouteState::kMigrated:
      case RouteState::kRetired: to_service = 10000; break;
    }
    std::string comment = "route " + r.name + ": " + std::string(toString(r.state));
    if (r.state == RouteState::kCanary) {
      char percent[16];
      std::snprintf(percent, sizeof percent, " %g%%", r.weight / 100.0);
      comment += percent;
    }
    y << YAML::BeginMap << YAML::Comment(comment);
    y << YAML::Key << "matches" << YAML::Value << YAML::BeginSeq;
    if (r.match.methods.empty()) {
      emitMatch(y, r.match, nullptr);
    } else {
      for (const std::string& m : r.match.methods) emitMatch(y, r.match, &m);  // one per method
    }
    y << YAML::EndSeq;
    y << YAML::Key << "backendRefs" << YAML::Value << YAML::BeginSeq;
    if (to_service > 0) emitBackend(y, upstream(r.service), to_service);
    if (to_service < 10000) emitBackend(y, legacy, 10000 - to_service);
    y << YAML::EndSeq;
    y << YAML::EndMap;

    if (r.state == RouteState::kCanary && r.sticky.by != StickyBy::kNone && to_service > 0 &&
        to_service < 10000)
      result.notes.push_back("route " + r.name + ": sticky split by " +
                             std::string(toString(r.sticky.by)) +
                             " has no Gateway API standard; the split is per request");
    if ((r.state == RouteState::kCanary || r.state == RouteState::kMigrated) &&
        (r.fallback.on_connect_error || r.fallback.on_timeout || r.fallback.on_5xx))
      result.notes.push_back("route " + r.name +
                             ": fallback to legacy on service failure has no Gateway API standard");
    if (r.match.path_kind == PathKind::kPattern)
      result.notes.push_back("route " + r.name +
                             ": pattern exported as RegularExpression (implementation-specific support)");
    if (r.state == RouteState::kShadow)
      result.notes.push_back("route " + r.name +
                             ": shadow is not exported (no response comparison in Gateway API); the route goes to legacy only");
    if (r.match.path_kind == PathKind::kPrefix && r.match.path.size() > 1 && r.match.path.back() == '/')
      result.notes.push_back("route " + r.name + ": Gateway API ignores the trailing '/' of prefix " +
                             r.match.path + " (it also matches " +
                             r.match.path.substr(0, r.match.path.size() - 1) + ")");
  }

  // Everything else goes to legacy, as in the proxy.
  y << YAML::BeginMap << YAML::Comment("unmatched traffic: legacy") << YAML::Key << "matches" << YAML::Value << YAML::BeginSeq << YAML::Flow
    << YAML::BeginMap << YAML::Key << "path" << YAML::Value << YAML::BeginMap << YAML::Key << "type"
    << YAML::Value << "PathPrefix" << YAML::Key << "value" << YAML::Value << "/" << YAML::EndMap
    << YAML::EndMap << YAML::EndSeq;
  y << YAML::Key << "backendRefs" << YAML::Value << YAML::BeginSeq;
  emitBackend(y, legacy, 1);
  y << YAML::EndSeq << YAML::EndMap;

  y << YAML::EndSeq << YAML::EndMap << YAML::EndMap;
  if (!y.good()) return Status::error("export: " + y.GetLastError());
  result.text = std::string(y.c_str()) + "\n";
  return result;
}

}  // namespace strangler
