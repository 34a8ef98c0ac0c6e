// Route compilation and matching; the ordering rule is documented in
// route_table.h and docs/strangler-config.md.
#include "strangler/route_table.h"

#include <algorithm>
#include <tuple>

namespace strangler {
namespace {

std::vector<std::string> splitSegments(std::string_view path, int& literals) {
  std::vector<std::string> segments;
  literals = 0;
  std::size_t pos = 1;
  while (pos <= path.size()) {
    std::size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    std::string_view seg = path.substr(pos, end - pos);
    if (!seg.empty() && seg.front() == '{') {
      segments.emplace_back();
    } else {
      segments.emplace_back(seg);
      ++literals;
    }
    pos = end + 1;
  }
  return segments;
}

bool matchPattern(const Route& route, std::string_view path) {
  std::size_t pos = 1;
  for (const std::string& seg : route.segments) {
    if (pos > path.size()) return false;
    std::size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    std::string_view actual = path.substr(pos, end - pos);
    if (seg.empty()) {
      if (actual.empty()) return false;  // a parameter needs a value
    } else if (actual != seg) {
      return false;
    }
    pos = end + 1;
  }
  return pos > path.size();  // no segments left over
}

bool matchPrefix(std::string_view prefix, std::string_view path) {
  if (path.substr(0, prefix.size()) != prefix) return false;
  if (path.size() == prefix.size() || prefix.back() == '/') return true;
  return path[prefix.size()] == '/';
}

int conditionCount(const RouteMatch& m) {
  return (m.methods.empty() ? 0 : 1) + static_cast<int>(m.headers.size() + m.query.size());
}

int kindRank(PathKind kind) {
  switch (kind) {
    case PathKind::kExact: return 3;
    case PathKind::kPattern: return 2;
    case PathKind::kPrefix: return 1;
  }
  return 0;
}

}  // namespace

std::string_view findQueryParam(std::string_view query, std::string_view name, bool& found) {
  found = false;
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    std::size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      found = true;
      return eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

std::string_view findCookie(std::string_view header, std::string_view name, bool& found) {
  found = false;
  while (!header.empty()) {
    std::size_t semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      found = true;
      std::string_view value = pair.substr(eq + 1);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      return value;
    }
    if (semi == std::string_view::npos) break;
    header.remove_prefix(semi + 1);
  }
  return {};
}

bool hasDotSegments(std::string_view path) {
  std::size_t pos = 0;
  while (pos < path.size()) {
    std::size_t end = path.find('/', pos + 1);
    if (end == std::string_view::npos) end = path.size();
    std::string_view seg = path.substr(pos + 1, end - pos - 1);
    if (seg == "." || seg == "..") return true;
    pos = end;
  }
  return false;
}

Expected<std::shared_ptr<const RouteTable>> RouteTable::build(
    const ProxyConfig& config, const std::map<std::string, RouteRollout>& rollouts,
    const std::map<std::string, int, std::less<>>& upstream_index,
    std::map<std::string, std::shared_ptr<RouteCounters>, std::less<>>& counters,
    MetricsRecorder* metrics) {
  auto table = std::make_shared<RouteTable>();
  std::vector<std::size_t> order;
  for (const RouteConfig& rc : config.routes) {
    Route route;
    route.config = rc;
    if (auto it = rollouts.find(rc.name); it != rollouts.end()) {
      route.config.state = it->second.state;
      route.config.weight = std::min<std::uint32_t>(it->second.weight, 10000);
    }
    if (!rc.service.empty()) {
      auto up = upstream_index.find(rc.service);
      if (up == upstream_index.end())
        return Status::error("route '" + rc.name + "': unknown upstream '" + rc.service + "'");
      route.service = up->second;
    } else if (route.config.state != RouteState::kLegacy && route.config.state != RouteState::kShadow) {
      return Status::error("route '" + rc.name + "': state " + std::string(toString(route.config.state)) +
                           " needs a service");
    }
    if (rc.match.path_kind == PathKind::kPattern) route.segments = splitSegments(rc.match.path, route.literal_segments);
    auto& slot = counters[rc.name];
    if (!slot) slot = std::make_shared<RouteCounters>();
    route.counters = slot;
    route.metrics_id = metrics ? metrics->routeId(rc.name) : 0;
    table->routes_.push_back(std::move(route));
  }
  std::stable_sort(table->routes_.begin(), table->routes_.end(), [](const Route& a, const Route& b) {
    const RouteMatch& ma = a.config.match;
    const RouteMatch& mb = b.config.match;
    auto key = [](const Route& r, const RouteMatch& m) {
      int lit = m.path_kind == PathKind::kPattern ? r.literal_segments : 0;
      int segs = m.path_kind == PathKind::kPattern ? static_cast<int>(r.segments.size()) : 0;
      int len = m.path_kind == PathKind::kPrefix ? static_cast<int>(m.path.size()) : 0;
      return std::make_tuple(kindRank(m.path_kind), lit, segs, len, conditionCount(m));
    };
    return key(a, ma) > key(b, mb);
  });
  return std::shared_ptr<const RouteTable>(std::move(table));
}

const Route* RouteTable::match(const RequestView& request) const {
  for (const Route& route : routes_) {
    const RouteMatch& m = route.config.match;
    bool path_ok = false;
    switch (m.path_kind) {
      case PathKind::kExact: path_ok = request.path == m.path; break;
      case PathKind::kPrefix: path_ok = matchPrefix(m.path, request.path); break;
      case PathKind::kPattern: path_ok = matchPattern(route, request.path); break;
    }
    if (!path_ok) continue;
    if (!m.methods.empty() &&
        std::find(m.methods.begin(), m.methods.end(), request.method) == m.methods.end())
      continue;
    bool ok = true;
    for (const HeaderMatch& h : m.headers) {
      const http::Header* found = request.head ? request.head->find(h.name) : nullptr;
      if (!found || (!h.value.empty() && found->value != h.value)) {
        ok = false;
        break;
      }
    }
    for (std::size_t i = 0; ok && i < m.query.size(); ++i) {
      bool found = false;
      std::string_view value = findQueryParam(request.query, m.query[i].name, found);
      if (!found || (!m.query[i].value.empty() && value != m.query[i].value)) ok = false;
    }
    if (ok) return &route;
  }
  return nullptr;
}

const Route* RouteTable::find(std::string_view name) const {
  for (const Route& route : routes_)
    if (route.config.name == name) return &route;
  return nullptr;
}

}  // namespace strangler
