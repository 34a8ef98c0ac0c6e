// The ctl client: cpp-httplib for the calls, nlohmann-json for the bodies.
// See ctl.h.
#include "strangler/ctl.h"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iomanip>
#include <sstream>

#include "strangler/config_yaml.h"

namespace strangler {
namespace {

using nlohmann::json;

constexpr const char* kPrefix = "strangler-proxy ctl: ";

// Maps an HTTP status to a CtlExit and prints the server's error, if any.
int failFromReply(const AdminReply& r, std::ostream& err) {
  std::string message;
  json j = json::parse(r.body, nullptr, false);
  if (!j.is_discarded() && j.is_object() && j.contains("error") && j["error"].is_string())
    message = j["error"].get<std::string>();
  else
    message = r.body.substr(0, 200);
  err << kPrefix << "admin API answered " << r.status << ": " << message << "\n";
  if (r.status == 401) return kCtlUnauthorized;
  if (r.status >= 500) return kCtlUnavailable;
  return kCtlRefused;
}

std::string percentText(std::uint64_t bp) {
  char buf[32];
  if (bp % 100 == 0) std::snprintf(buf, sizeof buf, "%llu%%", static_cast<unsigned long long>(bp / 100));
  else std::snprintf(buf, sizeof buf, "%.2f%%", static_cast<double>(bp) / 100.0);
  return buf;
}

// Left-aligned columns sized to their widest cell.
void printTable(const std::vector<std::vector<std::string>>& rows, std::ostream& out) {
  std::vector<std::size_t> width;
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], row[i].size());
    }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    out << line << "\n";
  }
}

std::string str(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}
std::uint64_t num(const json& j, const char* key) {
  return j.contains(key) && j[key].is_number_unsigned() ? j[key].get<std::uint64_t>() : 0;
}

std::string rolloutText(const json& r) {
  std::string state = str(r, "state");
  if (state == "canary") state += " " + percentText(num(r, "weight_bp"));
  return state;
}

/// "120/3" (shadow matches / mismatches) for a route that mirrored, else "-".
std::string shadowText(const json& r) {
  if (!r.contains("shadow") || !r["shadow"].is_object()) return "-";
  const json& s = r["shadow"];
  std::uint64_t ok = num(s, "match") + num(s, "noise"), diff = num(s, "mismatch");
  if (ok + diff + num(s, "error") + num(s, "dropped") == 0) return "-";
  return std::to_string(ok) + "/" + std::to_string(diff);
}

void printRoutes(const json& j, std::ostream& out) {
  std::vector<std::vector<std::string>> rows = {
      {"ROUTE", "STATE", "SERVICE", "MATCH", "REQUESTS", "TO-SERVICE", "FALLBACKS", "ERRORS", "SHADOW OK/DIFF"}};
  for (const json& r : j.value("routes", json::array())) {
    std::string match;
    if (r.contains("match")) {
      const json& m = r["match"];
      match = str(m, "kind") + " " + str(m, "path");
      if (m.contains("methods")) {
        std::string methods;
        for (const json& x : m["methods"]) methods += (methods.empty() ? "" : ",") + x.get<std::string>();
        match += " [" + methods + "]";
      }
    }
    rows.push_back({str(r, "name"), rolloutText(r), str(r, "service").empty() ? "-" : str(r, "service"),
                    match, std::to_string(num(r, "requests")),
                    std::to_string(num(r, "service_requests")), std::to_string(num(r, "fallbacks")),
                    std::to_string(num(r, "errors")), shadowText(r)});
  }
  printTable(rows, out);
}

/// `ctl route NAME`: shadow results and the last analysis event in full.
void printShadowDetail(const json& r, std::ostream& out) {
  if (r.contains("shadow") && r["shadow"].is_object()) {
    const json& s = r["shadow"];
    std::uint64_t total = num(s, "match") + num(s, "mismatch") + num(s, "noise") + num(s, "error") + num(s, "dropped");
    if (total != 0)
      out << "\nshadow: " << num(s, "match") << " match, " << num(s, "mismatch") << " mismatch, " << num(s, "noise")
          << " noise, " << num(s, "error") << " error, " << num(s, "dropped") << " dropped\n";
  }
  if (r.contains("analysis") && r["analysis"].is_object() && r["analysis"].value("enabled", false)) {
    const json& a = r["analysis"];
    out << "analysis: " << (a.value("failing", false) ? "FAILING" : "ok") << ", " << num(a, "rollbacks")
        << " rollbacks, " << num(a, "advances") << " advances";
    if (!str(a, "last_event").empty()) out << "; last: " << str(a, "last_event");
    out << "\n";
  }
}

std::string utcText(std::int64_t at_ms) {
  std::time_t secs = static_cast<std::time_t>(at_ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
  return when;
}

/// `ctl diffs ROUTE`: each stored mismatch as its request line and a table
/// of differences (full messages with --json).
void printDiffs(const json& j, std::ostream& out) {
  const json diffs = j.value("diffs", json::array());
  if (diffs.empty()) {
    out << "no stored mismatches for route " << str(j, "route") << "\n";
    return;
  }
  bool first = true;
  for (const json& d : diffs) {
    if (!first) out << "\n";
    first = false;
    std::string request = str(d, "request");
    std::string line = request.substr(0, request.find("\r\n"));
    out << "#" << d.value("id", std::int64_t{0}) << "  " << utcText(d.value("at_ms", std::int64_t{0})) << " UTC  "
        << line << "  (request id " << str(d, "request_id") << ")\n";
    std::vector<std::vector<std::string>> rows = {{"  WHERE", "LEGACY", "SERVICE"}};
    for (const json& x : d.value("differences", json::array()))
      rows.push_back({"  " + str(x, "where"), str(x, "legacy"), str(x, "service")});
    printTable(rows, out);
  }
}

void printHistory(const json& events, std::ostream& out) {
  std::vector<std::vector<std::string>> rows = {{"WHEN (UTC)", "ROUTE", "FROM", "TO", "BY", "REASON"}};
  for (const json& e : events) {
    std::time_t secs = static_cast<std::time_t>(e.value("at_ms", std::int64_t{0}) / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char when[32];
    std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    auto side = [&](const char* state, const char* weight) {
      std::string s = str(e, state);
      if (s.empty()) return std::string("-");
      if (s == "canary") s += " " + percentText(num(e, weight));
      return s;
    };
    rows.push_back({when, str(e, "route"), side("old_state", "old_weight_bp"),
                    side("new_state", "new_weight_bp"), str(e, "actor"), str(e, "reason")});
  }
  printTable(rows, out);
}

void printUpstreams(const json& j, std::ostream& out) {
  std::vector<std::vector<std::string>> rows = {
      {"UPSTREAM", "ENDPOINT", "HEALTHY", "EJECTED", "DRAINING", "CIRCUIT", "CONNECTIONS"}};
  for (const json& u : j.value("upstreams", json::array())) {
    for (const json& e : u.value("endpoints", json::array())) {
      rows.push_back({str(u, "name"), str(e, "address"), e.value("healthy", false) ? "yes" : "NO",
                      e.value("ejected", false) ? "YES" : "no", u.value("draining", false) ? "YES" : "no",
                      u.value("circuit_open", false) ? "OPEN" : "closed",
                      // Per upstream (all its endpoints): open / circuit_breaker.max_connections.
                      std::to_string(u.value("open_connections", std::int64_t{0})) + "/" +
                          std::to_string(u.value("max_connections", std::uint64_t{0}))});
    }
  }
  printTable(rows, out);
}

int usage(std::ostream& err, const std::string& what) {
  err << kPrefix << what << "\n";
  return kCtlUsage;
}

}  // namespace

std::string encodePathSegment(const std::string& segment) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : segment) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Expected<AdminReply> callAdmin(const CtlOptions& options, const std::string& method,
                               const std::string& path, const std::string& body) {
  // Accept "host:port" as well as "http://host:port".
  std::string base = options.admin;
  if (base.find("://") == std::string::npos) base = "http://" + base;
  if (base.rfind("http://", 0) != 0)
    return Status::error("--admin " + options.admin + ": only http:// is supported");
  while (base.size() > 7 && base.back() == '/') base.pop_back();
  auto endpoint = endpointFromUrl(base);
  if (!endpoint) return Status::error("--admin " + endpoint.error());

  httplib::Client client("http://" + *endpoint);
  auto secs = options.timeout.count() / 1000;
  auto usecs = (options.timeout.count() % 1000) * 1000;
  client.set_connection_timeout(secs, usecs);
  client.set_read_timeout(secs, usecs);
  client.set_write_timeout(secs, usecs);
  client.set_keep_alive(false);

  httplib::Request req;
  req.method = method;
  req.path = path;
  if (!options.token.empty()) req.headers.emplace("Authorization", "Bearer " + options.token);
  req.headers.emplace("Accept", "application/json");
  if (!body.empty()) {
    req.headers.emplace("Content-Type", "application/json");
    req.body = body;
  }
  auto res = client.send(req);
  if (!res)
    return Status::error("cannot reach the admin API at " + *endpoint + ": " +
                         httplib::to_string(res.error()));
  AdminReply reply;
  reply.status = res->status;
  reply.content_type = res->get_header_value("Content-Type");
  reply.body = res->body;
  return reply;
}

int runCtl(const CtlOptions& options, const CtlCommand& command, std::ostream& out,
           std::ostream& err) {
  const std::vector<std::string>& a = command.args;
  if (a.empty()) return usage(err, "missing command (routes, route, set, drain, upstreams, reload, history, diffs, metrics)");
  const std::string& verb = a[0];
  auto arity = [&](std::size_t min, std::size_t max, const char* synopsis) {
    if (a.size() - 1 >= min && a.size() - 1 <= max) return true;
    usage(err, std::string("usage: ctl ") + synopsis);
    return false;
  };

  std::string method = "GET", path, body;
  if (verb == "routes") {
    if (!arity(0, 0, "routes")) return kCtlUsage;
    path = "/routes";
  } else if (verb == "route") {
    if (!arity(1, 1, "route NAME")) return kCtlUsage;
    path = "/routes/" + encodePathSegment(a[1]);
  } else if (verb == "set") {
    if (!arity(2, 3, "set ROUTE STATE [WEIGHT%]  (e.g. set catalog canary 25)")) return kCtlUsage;
    json j{{"state", a[2]}};
    if (a.size() == 4) {
      std::uint32_t bp;
      if (!parsePercent(a[3], bp)) return usage(err, "weight '" + a[3] + "': expected 0..100 (percent)");
      j["weight"] = percentText(bp);
    }
    if (!command.reason.empty()) j["reason"] = command.reason;
    method = "PUT";
    path = "/routes/" + encodePathSegment(a[1]);
    body = j.dump();
  } else if (verb == "drain") {
    if (!arity(1, 1, "drain UPSTREAM [--undo]")) return kCtlUsage;
    method = command.undo ? "DELETE" : "POST";
    path = "/upstreams/" + encodePathSegment(a[1]) + "/drain";
  } else if (verb == "upstreams") {
    if (!arity(0, 0, "upstreams")) return kCtlUsage;
    path = "/upstreams";
  } else if (verb == "reload") {
    if (!arity(0, 0, "reload")) return kCtlUsage;
    method = "POST";
    path = "/reload";
  } else if (verb == "history") {
    if (!arity(0, 1, "history [ROUTE]")) return kCtlUsage;
    path = "/history?limit=50";
    if (a.size() == 2) path += "&route=" + encodePathSegment(a[1]);
  } else if (verb == "diffs") {
    if (!arity(1, 1, "diffs ROUTE [--limit N]")) return kCtlUsage;
    if (command.limit < 0 || command.limit > 10000) return usage(err, "--limit must be 1..10000");
    path = "/routes/" + encodePathSegment(a[1]) + "/diffs?limit=" + std::to_string(command.limit ? command.limit : 10);
  } else if (verb == "metrics") {
    if (!arity(0, 0, "metrics")) return kCtlUsage;
    path = "/metrics";
  } else {
    return usage(err, "unknown command '" + verb + "'");
  }

  auto reply = callAdmin(options, method, path, body);
  if (!reply) {
    err << kPrefix << reply.error() << "\n";
    return kCtlUnavailable;
  }
  if (reply->status < 200 || reply->status > 299) return failFromReply(*reply, err);
  if (options.json || verb == "metrics") {
    out << reply->body;
    return kCtlOk;
  }
  json j = json::parse(reply->body, nullptr, false);
  if (j.is_discarded()) {
    err << kPrefix << "admin API answered with something that is not JSON\n";
    return kCtlUnavailable;
  }
  if (verb == "routes") {
    printRoutes(j, out);
  } else if (verb == "route" || verb == "set") {
    printRoutes(json{{"routes", json::array({j})}}, out);
    if (verb == "route") printShadowDetail(j, out);
    if (verb == "route" && j.contains("history") && !j["history"].empty()) {
      out << "\n";
      printHistory(j["history"], out);
    }
  } else if (verb == "drain") {
    out << "upstream " << str(j, "upstream")
        << (j.value("draining", false) ? " draining: its routes now go to legacy\n"
                                        : " back in service\n");
  } else if (verb == "upstreams") {
    printUpstreams(j, out);
  } else if (verb == "reload") {
    out << "configuration reloaded\n";
  } else if (verb == "history") {
    printHistory(j.value("events", json::array()), out);
  } else if (verb == "diffs") {
    printDiffs(j, out);
  }
  return kCtlOk;
}

}  // namespace strangler
