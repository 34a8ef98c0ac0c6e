// Validation of ProxyConfig and the enum <-> text names used by YAML, logs and
// the admin API. Validation mirrors what RouteTable::build and the server can
// run, so a config that validates always loads.
#include "strangler/config.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace strangler {
namespace {

bool isTokenChar(char c) {
  // RFC 9110 tchar.
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), isTokenChar);
}

/// A pattern is "/seg/{name}/seg": each {..} occupies a whole segment.
std::string checkPattern(std::string_view path) {
  std::set<std::string_view> names;
  std::size_t pos = 1;
  while (pos <= path.size()) {
    std::size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    std::string_view seg = path.substr(pos, end - pos);
    if (seg.find_first_of("{}") != std::string_view::npos) {
      if (seg.size() < 3 || seg.front() != '{' || seg.back() != '}' ||
          seg.substr(1, seg.size() - 2).find_first_of("{}") != std::string_view::npos)
        return "parameter must be a whole segment like {id}";
      if (!names.insert(seg.substr(1, seg.size() - 2)).second) return "duplicate parameter";
    }
    pos = end + 1;
  }
  return {};
}

}  // namespace

bool splitHostPort(std::string_view text, std::string& host, std::uint16_t& port) {
  std::size_t colon;
  if (!text.empty() && text.front() == '[') {
    std::size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return false;
    host.assign(text.substr(1, close - 1));
    colon = close + 1;
  } else {
    colon = text.rfind(':');
    if (colon == std::string_view::npos) return false;
    host.assign(text.substr(0, colon));
    if (host.find(':') != std::string::npos) return false;
  }
  std::string_view digits = text.substr(colon + 1);
  if (host.empty() || digits.empty() || digits.size() > 5) return false;
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || value > 65535) return false;
  port = static_cast<std::uint16_t>(value);
  return true;
}

std::string_view toString(RouteState state) {
  switch (state) {
    case RouteState::kLegacy: return "legacy";
    case RouteState::kShadow: return "shadow";
    case RouteState::kCanary: return "canary";
    case RouteState::kMigrated: return "migrated";
    case RouteState::kRetired: return "retired";
  }
  return "legacy";
}

bool parseRouteState(std::string_view text, RouteState& out) {
  for (RouteState s : {RouteState::kLegacy, RouteState::kShadow, RouteState::kCanary,
                       RouteState::kMigrated, RouteState::kRetired}) {
    if (text == toString(s)) {
      out = s;
      return true;
    }
  }
  return false;
}

std::string_view toString(PathKind kind) {
  switch (kind) {
    case PathKind::kExact: return "exact";
    case PathKind::kPrefix: return "prefix";
    case PathKind::kPattern: return "pattern";
  }
  return "prefix";
}

bool parsePathKind(std::string_view text, PathKind& out) {
  for (PathKind k : {PathKind::kExact, PathKind::kPrefix, PathKind::kPattern}) {
    if (text == toString(k)) {
      out = k;
      return true;
    }
  }
  return false;
}

std::string_view toString(StickyBy by) {
  switch (by) {
    case StickyBy::kNone: return "none";
    case StickyBy::kHeader: return "header";
    case StickyBy::kCookie: return "cookie";
    case StickyBy::kClientIp: return "client_ip";
  }
  return "none";
}

bool parseStickyBy(std::string_view text, StickyBy& out) {
  for (StickyBy b : {StickyBy::kNone, StickyBy::kHeader, StickyBy::kCookie, StickyBy::kClientIp}) {
    if (text == toString(b)) {
      out = b;
      return true;
    }
  }
  return false;
}

std::vector<std::string> validate(const ProxyConfig& c) {
  std::vector<std::string> errors;
  auto err = [&](std::string where, std::string what) {
    errors.push_back(std::move(where) + ": " + std::move(what));
  };
  std::string host;
  std::uint16_t port = 0;

  if (!splitHostPort(c.listener.address, host, port))
    err("listener.address", "expected host:port, got '" + c.listener.address + "'");
  if (c.listener.max_connections == 0) err("listener.max_connections", "must be > 0");
  if (c.listener.workers > 256) err("listener.workers", "must be <= 256");
  if (c.listener.limits.header_bytes < 256) err("listener.limits.header_bytes", "must be >= 256");
  if (c.listener.limits.body_bytes == 0) err("listener.limits.body_bytes", "must be > 0");
  const Timeouts& t = c.listener.timeouts;
  for (auto [name, value] : {std::pair{"header", t.header}, std::pair{"body", t.body},
                             std::pair{"idle", t.idle}, std::pair{"connect", t.connect},
                             std::pair{"request", t.request}}) {
    if (value.count() <= 0) err(std::string("listener.timeouts.") + name, "must be > 0");
  }
  if (!c.admin.address.empty()) {
    if (!splitHostPort(c.admin.address, host, port))
      err("admin.address", "expected host:port, got '" + c.admin.address + "'");
    if (c.admin.token.empty()) err("admin.token", "required when the admin listener is on");
    if (c.admin.address == c.listener.address && port != 0)
      err("admin.address", "must differ from listener.address");
  }

  std::set<std::string, std::less<>> upstream_names;
  for (std::size_t i = 0; i < c.upstreams.size(); ++i) {
    const UpstreamConfig& u = c.upstreams[i];
    std::string where = "upstreams[" + std::to_string(i) + "]";
    if (u.name.empty()) err(where + ".name", "required");
    else if (!upstream_names.insert(u.name).second) err(where + ".name", "duplicate '" + u.name + "'");
    if (u.endpoints.empty()) err(where + ".endpoints", "at least one endpoint required");
    for (std::size_t e = 0; e < u.endpoints.size(); ++e) {
      if (!splitHostPort(u.endpoints[e], host, port) || port == 0)
        err(where + ".endpoints[" + std::to_string(e) + "]",
            "expected host:port, got '" + u.endpoints[e] + "'");
    }
    if (u.health.enabled()) {
      if (u.health.path.front() != '/') err(where + ".health.path", "must start with '/'");
      if (u.health.interval.count() <= 0) err(where + ".health.interval", "must be > 0");
      if (u.health.timeout.count() <= 0) err(where + ".health.timeout", "must be > 0");
      if (u.health.unhealthy_threshold == 0) err(where + ".health.unhealthy_threshold", "must be > 0");
      if (u.health.healthy_threshold == 0) err(where + ".health.healthy_threshold", "must be > 0");
    }
    if (u.circuit_breaker.max_connections == 0 || u.circuit_breaker.max_requests == 0)
      err(where + ".circuit_breaker", "limits must be > 0");
  }
  if (!upstream_names.count(c.legacy)) err("legacy", "unknown upstream '" + c.legacy + "'");

  std::set<std::string, std::less<>> route_names;
  for (std::size_t i = 0; i < c.routes.size(); ++i) {
    const RouteConfig& r = c.routes[i];
    std::string where = "routes[" + std::to_string(i) + "]";
    if (r.name.empty()) err(where + ".name", "required");
    else if (!route_names.insert(r.name).second) err(where + ".name", "duplicate '" + r.name + "'");
    const RouteMatch& m = r.match;
    if (m.path.empty() || m.path.front() != '/') err(where + ".match.path", "must start with '/'");
    else if (m.path_kind == PathKind::kPattern) {
      if (std::string p = checkPattern(m.path); !p.empty()) err(where + ".match.path", p);
    }
    for (const std::string& method : m.methods)
      if (!isToken(method)) err(where + ".match.methods", "invalid method '" + method + "'");
    for (const HeaderMatch& h : m.headers)
      if (!isToken(h.name)) err(where + ".match.headers", "invalid header name '" + h.name + "'");
    for (const QueryMatch& q : m.query)
      if (q.name.empty()) err(where + ".match.query", "empty parameter name");
    if (r.weight > 10000) err(where + ".weight", "must be 0..10000 basis points");
    if (r.state != RouteState::kLegacy) {
      if (r.service.empty()) err(where + ".service", "required unless state is legacy");
    }
    if (!r.service.empty()) {
      if (!upstream_names.count(r.service)) err(where + ".service", "unknown upstream '" + r.service + "'");
      else if (r.service == c.legacy) err(where + ".service", "must not be the legacy upstream");
    }
    if ((r.sticky.by == StickyBy::kHeader || r.sticky.by == StickyBy::kCookie) && r.sticky.name.empty())
      err(where + ".sticky.name", "required for header/cookie stickiness");
    if (r.retry_budget.ratio < 0 || r.retry_budget.ratio > 1)
      err(where + ".retry_budget.ratio", "must be within 0..1");
  }
  return errors;
}

}  // namespace strangler
