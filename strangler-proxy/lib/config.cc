// Validation of ProxyConfig and the enum <-> text names used by YAML, logs and
// the admin API. Validation mirrors what RouteTable::build and the server can
// run, so a config that validates always loads.
#include "strangler/config.h"

#include "strangler/response_compare.h"

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

/// The shadow and analysis sections of one route (docs/strangler-config.md).
template <typename Err>
void validateShadow(const RouteConfig& r, const std::string& where, Err& err) {
  const ShadowConfig& s = r.shadow;
  if (s.percent > 10000) err(where + ".shadow.percent", "must be 0..100%");
  if ((s.sticky.by == StickyBy::kHeader || s.sticky.by == StickyBy::kCookie) && s.sticky.name.empty())
    err(where + ".shadow.sticky", "a header/cookie name is required");
  for (const std::string& method : s.methods)
    if (!isToken(method)) err(where + ".shadow.methods", "invalid method '" + method + "'");
  if (s.queue == 0) err(where + ".shadow.queue", "must be > 0");
  if (s.timeout.count() <= 0) err(where + ".shadow.timeout", "must be > 0");
  if (s.max_body == 0) err(where + ".shadow.max_body", "must be > 0");
  for (const std::string& h : s.compare.headers)
    if (!isToken(h)) err(where + ".shadow.compare.headers", "invalid header name '" + h + "'");
  for (const std::string& p : s.compare.ignore_json_paths)
    if (std::string why = checkJsonPath(p); !why.empty())
      err(where + ".shadow.compare.ignore_json_paths", "'" + p + "': " + why);
  for (const std::string& p : s.compare.ignore_patterns)
    if (std::string why = checkRegex(p); !why.empty())
      err(where + ".shadow.compare.ignore_patterns", "'" + p + "': " + why);

  const AnalysisConfig& a = r.analysis;
  if (!a.enabled) return;
  if (r.service.empty()) err(where + ".analysis", "needs a service");
  if (a.window.count() <= 0) err(where + ".analysis.window", "must be > 0");
  if (a.max_error_rate > 10000) err(where + ".analysis.max_error_rate", "must be 0..100%");
  if (a.max_mismatch_rate > 10000) err(where + ".analysis.max_mismatch_rate", "must be 0..100%");
  if (a.max_p99_ratio < 0) err(where + ".analysis.max_p99_ratio", "must be >= 0");
  if (a.steps.size() < 2) err(where + ".analysis.steps", "at least two steps");
  for (std::size_t i = 0; i < a.steps.size(); ++i) {
    const RolloutStep& st = a.steps[i];
    if (st.state == RouteState::kLegacy || st.state == RouteState::kRetired)
      err(where + ".analysis.steps", "legacy and retired are not rollout steps");
    if (i > 0) {
      const RolloutStep& prev = a.steps[i - 1];
      auto rank = [](const RolloutStep& x) {
        return x.state == RouteState::kShadow ? 0u : x.state == RouteState::kCanary ? 1u + x.weight : 20000u;
      };
      if (rank(st) <= rank(prev)) err(where + ".analysis.steps", "steps must move strictly forward (" +
                                                                    toString(prev) + " then " + toString(st) + ")");
    }
  }
}

}  // namespace

std::vector<RolloutStep> defaultRolloutSteps() {
  return {{RouteState::kShadow, 0},
          {RouteState::kCanary, 500},
          {RouteState::kCanary, 2500},
          {RouteState::kCanary, 5000},
          {RouteState::kMigrated, 0}};
}

std::string toString(const RolloutStep& step) {
  std::string out(toString(step.state));
  if (step.state == RouteState::kCanary) {
    out += ' ';
    out += std::to_string(step.weight / 100);
    if (std::uint32_t frac = step.weight % 100; frac != 0) {
      out += '.';
      out += static_cast<char>('0' + frac / 10);
      if (frac % 10 != 0) out += static_cast<char>('0' + frac % 10);
    }
    out += '%';
  }
  return out;
}

bool parseRolloutStep(std::string_view text, RolloutStep& out) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  std::size_t sp = text.find(' ');
  std::string_view name = text.substr(0, sp);
  std::string_view rest = sp == std::string_view::npos ? std::string_view() : text.substr(sp + 1);
  RolloutStep step;
  if (!parseRouteState(name, step.state)) return false;
  if (step.state == RouteState::kLegacy || step.state == RouteState::kRetired) return false;
  if (step.state != RouteState::kCanary) {
    if (!rest.empty()) return false;
    out = step;
    return true;
  }
  // "canary 12.5%": whole percent with up to two decimals.
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (rest.empty() || rest.back() != '%') return false;
  rest.remove_suffix(1);
  std::size_t dot = rest.find('.');
  std::string_view whole = rest.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
  if (whole.empty() || whole.size() > 3 || frac.size() > 2 || (dot != std::string_view::npos && frac.empty()))
    return false;
  std::uint32_t w = 0, f = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return false;
    w = w * 10 + static_cast<std::uint32_t>(c - '0');
  }
  for (std::size_t i = 0; i < 2; ++i) {
    f *= 10;
    if (i < frac.size()) {
      if (frac[i] < '0' || frac[i] > '9') return false;
      f += static_cast<std::uint32_t>(frac[i] - '0');
    }
  }
  step.weight = w * 100 + f;
  if (step.weight == 0 || step.weight >= 10000) return false;  // 0% is shadow, 100% is migrated
  out = step;
  return true;
}

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
    validateShadow(r, where, err);
  }
  return errors;
}

}  // namespace strangler
