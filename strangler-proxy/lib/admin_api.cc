// AdminApi: bearer auth, request routing and JSON bodies. See admin_api.h.
#include "strangler/admin_api.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "strangler/config_yaml.h"
#include "strangler/metrics.h"
#include "strangler/state_store.h"

namespace strangler {
namespace {

using nlohmann::json;

AdminResponse jsonResponse(int status, const json& body) {
  AdminResponse r;
  r.status = status;
  // error_handler::replace: a name with invalid UTF-8 must not throw here.
  r.body = body.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
  return r;
}

AdminResponse errorResponse(int status, std::string_view message) {
  return jsonResponse(status, json{{"error", std::string(message)}});
}

json matchJson(const RouteMatch& m) {
  json j{{"kind", std::string(toString(m.path_kind))}, {"path", m.path}};
  if (!m.methods.empty()) j["methods"] = m.methods;
  if (!m.headers.empty()) {
    json h = json::object();
    for (const HeaderMatch& x : m.headers) h[x.name] = x.value;
    j["headers"] = h;
  }
  if (!m.query.empty()) {
    json q = json::object();
    for (const QueryMatch& x : m.query) q[x.name] = x.value;
    j["query"] = q;
  }
  return j;
}

json routeJson(const RouteStatus& r) {
  return json{{"name", r.name},
              {"match", matchJson(r.match)},
              {"state", std::string(toString(r.state))},
              {"weight_percent", r.weight / 100.0},
              {"weight_bp", r.weight},
              {"service", r.service},
              {"requests", r.requests},
              {"service_requests", r.service_requests},
              {"fallbacks", r.fallbacks},
              {"errors", r.errors},
              {"shadow", json{{"match", r.shadow.match},
                              {"mismatch", r.shadow.mismatch},
                              {"noise", r.shadow.noise},
                              {"error", r.shadow.error},
                              {"dropped", r.shadow.dropped}}},
              {"analysis", json{{"enabled", r.analysis.enabled},
                                {"failing", r.analysis.failing},
                                {"rollbacks", r.analysis.rollbacks},
                                {"advances", r.analysis.advances},
                                {"failings", r.analysis.failings},
                                {"last_event", r.analysis.last_event}}}};
}

json diffJson(const ShadowDiffRecord& d) {
  json list = json::array();
  for (const Difference& x : d.differences)
    list.push_back(json{{"where", x.where}, {"legacy", x.legacy}, {"service", x.service}});
  return json{{"id", d.id},           {"route", d.route},     {"at_ms", d.at_ms},
              {"request_id", d.request_id}, {"request", d.request}, {"legacy", d.legacy},
              {"service", d.service}, {"differences", list}};
}

json eventJson(const RouteStateEvent& e) {
  return json{{"id", e.id},
              {"route", e.route},
              {"old_state", e.old_state},
              {"old_weight_bp", e.old_weight_bp},
              {"new_state", e.new_state},
              {"new_weight_bp", e.new_weight_bp},
              {"at_ms", e.at_ms},
              {"reason", e.reason},
              {"actor", e.actor}};
}

// Splits "a/b/c" (no leading slash) into decoded segments.
bool splitPath(std::string_view path, std::vector<std::string>& out) {
  while (!path.empty()) {
    std::size_t slash = path.find('/');
    std::string seg;
    if (!percentDecodeSegment(path.substr(0, slash), seg)) return false;
    out.push_back(std::move(seg));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return true;
}

// Value of `key` in "a=1&b=2" (no decoding beyond %XX), or "" when absent.
std::string queryParam(std::string_view query, std::string_view key) {
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    std::size_t eq = pair.find('=');
    if (pair.substr(0, eq) == key && eq != std::string_view::npos) {
      std::string out;
      if (percentDecodeSegment(pair.substr(eq + 1), out)) return out;
      return {};
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

// A weight in the body: 25, 12.5 or "25%". Basis points out.
bool weightFromJson(const json& w, std::uint32_t& bp) {
  if (w.is_string()) return parsePercent(w.get<std::string>(), bp);
  if (!w.is_number()) return false;
  double percent = w.get<double>();
  if (!(percent >= 0 && percent <= 100)) return false;
  double scaled = percent * 100;
  double rounded = std::round(scaled);
  if (std::fabs(scaled - rounded) > 1e-6) return false;  // finer than 0.01%
  bp = static_cast<std::uint32_t>(rounded);
  return true;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool percentDecodeSegment(std::string_view in, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = hexValue(in[i + 1]), lo = hexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      c = static_cast<char>(hi * 16 + lo);
      if (c == '/' || c == '\0') return false;
      i += 2;
    }
    out += c;
  }
  return true;
}

bool bearerTokenMatches(std::string_view authorization, std::string_view expected) {
  if (expected.empty()) return false;
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() < kScheme.size()) return false;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    char c = authorization[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kScheme[i]) return false;
  }
  std::string_view given = authorization.substr(kScheme.size());
  while (!given.empty() && given.front() == ' ') given.remove_prefix(1);
  while (!given.empty() && (given.back() == ' ' || given.back() == '\t')) given.remove_suffix(1);
  // Constant time in the position of the first difference: always walk the
  // expected token, fold every difference (and the length) into one value.
  volatile unsigned char diff = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    unsigned char g = i < given.size() ? static_cast<unsigned char>(given[i]) : 0;
    diff = static_cast<unsigned char>(diff | (g ^ static_cast<unsigned char>(expected[i])));
  }
  return diff == 0;
}

AdminResponse AdminApi::handle(const AdminRequest& request) {
  std::string_view target = request.target;
  std::size_t q = target.find('?');
  std::string_view path = target.substr(0, q);
  std::string_view query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);

  // Liveness needs no secret: probes should not carry the admin token.
  if (path == "/healthz") {
    if (request.method != "GET" && request.method != "HEAD")
      return errorResponse(405, "use GET");
    return jsonResponse(200, json{{"status", "ok"}});
  }
  if (!bearerTokenMatches(request.authorization, options_.token))
    return errorResponse(401, "missing or wrong bearer token (Authorization: Bearer <token>)");
  if (options_.control == nullptr) return errorResponse(503, "proxy not running");
  try {
    return routeDispatch(request, path, query);
  } catch (const std::exception& e) {  // a bug, never bad input: keep the admin alive
    return errorResponse(500, std::string("internal error: ") + e.what());
  }
}

AdminResponse AdminApi::routeDispatch(const AdminRequest& request, std::string_view path,
                                      std::string_view query) {
  if (path.empty() || path.front() != '/') return errorResponse(404, "not found");
  std::vector<std::string> seg;
  if (!splitPath(path.substr(1), seg)) return errorResponse(400, "malformed path");
  const std::string& m = request.method;
  auto only = [&](std::initializer_list<std::string_view> allowed) {
    return std::find(allowed.begin(), allowed.end(), m) != allowed.end();
  };

  if (seg.size() == 1 && seg[0] == "routes") {
    return only({"GET"}) ? listRoutes() : errorResponse(405, "use GET");
  }
  if (seg.size() == 2 && seg[0] == "routes") {
    if (only({"GET"})) return getRoute(seg[1]);
    if (only({"PUT", "POST"})) return setRoute(seg[1], request.body);
    return errorResponse(405, "use GET, PUT or POST");
  }
  if (seg.size() == 3 && seg[0] == "routes" && seg[2] == "diffs") {
    return only({"GET"}) ? diffs(seg[1], query) : errorResponse(405, "use GET");
  }
  if (seg.size() == 1 && seg[0] == "upstreams") {
    return only({"GET"}) ? listUpstreams() : errorResponse(405, "use GET");
  }
  if (seg.size() == 3 && seg[0] == "upstreams" && seg[2] == "drain") {
    if (only({"POST", "PUT", "DELETE"})) return drain(seg[1], m, request.body);
    return errorResponse(405, "use POST or DELETE");
  }
  if (seg.size() == 1 && seg[0] == "reload") {
    return only({"POST"}) ? reload() : errorResponse(405, "use POST");
  }
  if (seg.size() == 1 && seg[0] == "history") {
    return only({"GET"}) ? history(query) : errorResponse(405, "use GET");
  }
  if (seg.size() == 1 && seg[0] == "metrics") {
    return only({"GET"}) ? metrics() : errorResponse(405, "use GET");
  }
  return errorResponse(404, "not found: " + std::string(path));
}

AdminResponse AdminApi::listRoutes() {
  json routes = json::array();
  for (const RouteStatus& r : options_.control->routes()) routes.push_back(routeJson(r));
  return jsonResponse(200, json{{"routes", routes}});
}

AdminResponse AdminApi::getRoute(std::string_view name) {
  for (const RouteStatus& r : options_.control->routes()) {
    if (r.name != name) continue;
    json j = routeJson(r);
    if (options_.state_store) {
      auto events = options_.state_store->history(name, 10);
      if (events) {
        json h = json::array();
        for (const RouteStateEvent& e : *events) h.push_back(eventJson(e));
        j["history"] = h;
      }
    }
    return jsonResponse(200, j);
  }
  return errorResponse(404, "unknown route '" + std::string(name) + "'");
}

AdminResponse AdminApi::setRoute(std::string_view name, const std::string& body) {
  const std::vector<RouteStatus> routes = options_.control->routes();
  auto current = std::find_if(routes.begin(), routes.end(),
                              [&](const RouteStatus& r) { return r.name == name; });
  if (current == routes.end()) return errorResponse(404, "unknown route '" + std::string(name) + "'");

  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object())
    return errorResponse(400, "body must be a JSON object like {\"state\": \"canary\", \"weight\": 25}");
  for (const auto& item : j.items()) {
    if (item.key() != "state" && item.key() != "weight" && item.key() != "reason")
      return errorResponse(400, "unknown field '" + item.key() + "' (expected state, weight, reason)");
  }
  if (!j.contains("state") || !j["state"].is_string())
    return errorResponse(400, "\"state\" is required: legacy, shadow, canary, migrated or retired");
  std::string reason;
  if (j.contains("reason")) {
    if (!j["reason"].is_string()) return errorResponse(400, "\"reason\" must be a string");
    reason = j["reason"].get<std::string>();
    if (reason.size() > 1024) return errorResponse(400, "\"reason\" longer than 1024 bytes");
  }

  // "canary 25%" is accepted as in the YAML config.
  std::string state_text = j["state"].get<std::string>();
  std::string weight_text;
  if (std::size_t sp = state_text.find(' '); sp != std::string::npos) {
    weight_text = state_text.substr(sp + 1);
    state_text.resize(sp);
  }
  RouteRollout rollout;
  if (!parseRouteState(state_text, rollout.state))
    return errorResponse(400, "unknown state '" + state_text +
                                  "' (expected legacy, shadow, canary, migrated or retired)");
  bool has_weight = j.contains("weight") || !weight_text.empty();
  if (j.contains("weight") && !weight_text.empty())
    return errorResponse(400, "weight given twice (in state and in weight)");
  if (has_weight) {
    if (rollout.state != RouteState::kCanary)
      return errorResponse(400, "only state canary takes a weight");
    bool ok = weight_text.empty() ? weightFromJson(j["weight"], rollout.weight)
                                  : parsePercent(weight_text, rollout.weight);
    if (!ok) return errorResponse(400, "weight must be 0..100% (at most 2 decimals)");
  } else if (rollout.state == RouteState::kCanary) {
    if (current->state != RouteState::kCanary)
      return errorResponse(400, "canary needs a weight, e.g. {\"state\": \"canary\", \"weight\": 5}");
    rollout.weight = current->weight;  // keep the canary's current share
  } else if (rollout.state == RouteState::kMigrated || rollout.state == RouteState::kRetired) {
    rollout.weight = 10000;
  }

  Status s;
  {
    StateStore::Annotation note(reason, "admin-api");
    s = options_.control->setRouteRollout(name, rollout);
  }
  if (!s) return errorResponse(409, s.message());
  return getRoute(name);
}

AdminResponse AdminApi::listUpstreams() {
  json ups = json::array();
  for (const UpstreamStatus& u : options_.control->upstreams()) {
    json eps = json::array();
    for (const EndpointStatus& e : u.endpoints)
      eps.push_back(json{{"address", e.address}, {"healthy", e.healthy}, {"ejected", e.ejected}});
    ups.push_back(json{{"name", u.name},
                       {"draining", u.draining},
                       {"circuit_open", u.circuit_open},
                       {"open_connections", u.open_connections},
                       {"max_connections", u.max_connections},
                       {"connection_overflows", u.connection_overflows},
                       {"endpoints", eps}});
  }
  return jsonResponse(200, json{{"upstreams", ups}});
}

AdminResponse AdminApi::drain(std::string_view name, const std::string& method,
                              const std::string& body) {
  bool on = method != "DELETE";
  if (on && !body.empty()) {
    json j = json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || (j.contains("drain") && !j["drain"].is_boolean()))
      return errorResponse(400, "body must be {\"drain\": true} or {\"drain\": false}");
    if (j.contains("drain")) on = j["drain"].get<bool>();
  }
  const auto ups = options_.control->upstreams();
  if (std::none_of(ups.begin(), ups.end(), [&](const UpstreamStatus& u) { return u.name == name; }))
    return errorResponse(404, "unknown upstream '" + std::string(name) + "'");
  if (Status s = options_.control->drainUpstream(name, on); !s) return errorResponse(409, s.message());
  return jsonResponse(200, json{{"upstream", std::string(name)}, {"draining", on}});
}

AdminResponse AdminApi::reload() {
  if (Status s = options_.control->reload(); !s) return errorResponse(422, s.message());
  return jsonResponse(200, json{{"reloaded", true}});
}

AdminResponse AdminApi::history(std::string_view query) {
  if (options_.state_store == nullptr)
    return errorResponse(404, "no state file configured (state_file in the config)");
  int limit = 100;
  if (std::string l = queryParam(query, "limit"); !l.empty()) {
    auto [p, ec] = std::from_chars(l.data(), l.data() + l.size(), limit);
    if (ec != std::errc() || p != l.data() + l.size() || limit <= 0 || limit > 10000)
      return errorResponse(400, "limit must be 1..10000");
  }
  auto events = options_.state_store->history(queryParam(query, "route"), limit);
  if (!events) return errorResponse(500, events.error());
  json h = json::array();
  for (const RouteStateEvent& e : *events) h.push_back(eventJson(e));
  return jsonResponse(200, json{{"events", h}});
}

AdminResponse AdminApi::diffs(std::string_view name, std::string_view query) {
  auto routes = options_.control->routes();
  if (std::none_of(routes.begin(), routes.end(), [&](const RouteStatus& r) { return r.name == name; }))
    return errorResponse(404, "unknown route '" + std::string(name) + "'");
  if (options_.state_store == nullptr)
    return errorResponse(404, "no state file configured (state_file in the config)");
  int limit = 20;
  if (std::string l = queryParam(query, "limit"); !l.empty()) {
    auto [p, ec] = std::from_chars(l.data(), l.data() + l.size(), limit);
    if (ec != std::errc() || p != l.data() + l.size() || limit <= 0 || limit > 10000)
      return errorResponse(400, "limit must be 1..10000");
  }
  auto stored = options_.state_store->shadowDiffs(name, limit);
  if (!stored) return errorResponse(500, stored.error());
  json list = json::array();
  for (const ShadowDiffRecord& d : *stored) list.push_back(diffJson(d));
  return jsonResponse(200, json{{"route", std::string(name)}, {"diffs", list}});
}

AdminResponse AdminApi::metrics() {
  AdminResponse r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body.reserve(16 * 1024);
  if (options_.metrics) options_.metrics->renderPrometheus(r.body);
  renderControlGauges(options_.control->routes(), options_.control->upstreams(), r.body);
  return r;
}

}  // namespace strangler
