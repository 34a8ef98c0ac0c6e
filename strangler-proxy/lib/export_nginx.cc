// nginx export (see export.h). The routing becomes variables, not locations:
//
//   "$request_method $request_uri|<header>|<arg>..." --map (regexes, most
//   specific route first)--> $strangler_route
//   $strangler_route --map--> $strangler_upstream: legacy | service group |
//                             $strangler_split_N (split_clients: canary side)
//   location / { proxy_pass http://$strangler_upstream; }   (+ mirror for shadow)
//
// Why not one `location` per route: nginx picks locations by its own rules
// (exact, then longest prefix, then regexes in file order) and cannot choose
// by method or header; a map over one composite key reproduces the proxy's
// order exactly (RouteTable's), method and conditions included.
#include <algorithm>
#include <cstdio>
#include <set>
#include <sstream>

#include "strangler/export.h"
#include "strangler/route_table.h"

namespace strangler {
namespace {

// PCRE-escapes a literal; also escapes the key separator '|' and the nginx
// string's own quote and backslash are handled by quoted().
std::string regexLiteral(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// An nginx double-quoted string: backslash and quote escaped.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// The path part of a route's key regex (the key has the raw request target,
// so a query string may follow).
std::string pathRegex(const RouteMatch& m) {
  switch (m.path_kind) {
    case PathKind::kExact: return regexLiteral(m.path);
    case PathKind::kPrefix:
      if (m.path == "/") return "/[^?]*";
      if (m.path.back() == '/') return regexLiteral(m.path) + "[^?]*";
      return regexLiteral(m.path) + "(/[^?]*)?";  // segment boundary
    case PathKind::kPattern: {
      std::string out;
      size_t pos = 0;
      while (pos < m.path.size()) {
        if (m.path[pos] == '{') {
          size_t close = m.path.find('}', pos);
          if (close == std::string::npos) close = m.path.size() - 1;
          out += "[^/?]+";
          pos = close + 1;
        } else {
          out += regexLiteral(std::string(1, m.path[pos++]));
        }
      }
      return out;
    }
  }
  return "";
}

// "X-Customer-Id" -> "$http_x_customer_id"
std::string headerVariable(const std::string& name) {
  std::string out = "$http_";
  for (char c : name) out += c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string argVariable(const std::string& name) { return "$arg_" + name; }

std::string percentText(std::uint32_t basis_points) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%u.%02u%%", basis_points / 100, basis_points % 100);
  return buffer;
}

std::string seconds(Millis ms) { return std::to_string(std::max<long long>(1, (ms.count() + 999) / 1000)) + "s"; }

std::string stickyKey(const StickyConfig& s) {
  switch (s.by) {
    case StickyBy::kNone: return "$request_id";
    case StickyBy::kHeader: return headerVariable(s.name);
    case StickyBy::kCookie: return "$cookie_" + s.name;
    case StickyBy::kClientIp: return "$remote_addr";
  }
  return "$request_id";
}

bool validNginxName(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

}  // namespace

Expected<ExportResult> exportNginx(const ProxyConfig& config, const std::map<std::string, RouteRollout>& rollouts,
                                   const NginxOptions& options) {
  if (auto problems = validate(config); !problems.empty()) return Status::error("invalid config: " + problems.front());
  std::map<std::string, int, std::less<>> upstream_index;
  for (size_t i = 0; i < config.upstreams.size(); ++i) {
    if (!validNginxName(config.upstreams[i].name)) {
      return Status::error("upstream name '" + config.upstreams[i].name + "' is not a valid nginx upstream name");
    }
    upstream_index[config.upstreams[i].name] = static_cast<int>(i);
  }
  std::map<std::string, std::shared_ptr<RouteCounters>, std::less<>> counters;
  auto table = RouteTable::build(config, rollouts, upstream_index, counters, nullptr);
  if (!table) return Status::error("route table: " + table.error());
  const auto& routes = (*table)->routes();
  auto upstream = [&](const std::string& name) -> const UpstreamConfig& {
    return config.upstreams[static_cast<size_t>(upstream_index.at(name))];
  };
  const UpstreamConfig& legacy = upstream(config.legacy);

  ExportResult result;
  auto note = [&](const std::string& text) { result.notes.push_back(text); };

  // The composite key: method, raw target, then each header/query condition
  // any route uses, in a fixed order.
  std::vector<std::pair<bool, std::string>> fields;  // (is_header, name)
  for (const Route& r : routes) {
    for (const auto& h : r.config.match.headers) {
      std::string lower;
      for (char c : h.name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (std::find(fields.begin(), fields.end(), std::make_pair(true, lower)) == fields.end()) fields.push_back({true, lower});
      if (h.value.empty()) {
        note("route " + r.config.name + ": header condition " + h.name +
             " (present) is 'present and non-empty' in nginx (an empty header counts as absent)");
      }
    }
    for (const auto& q : r.config.match.query) {
      if (std::find(fields.begin(), fields.end(), std::make_pair(false, q.name)) == fields.end()) fields.push_back({false, q.name});
      if (q.value.empty()) note("route " + r.config.name + ": query condition " + q.name + " (present) needs a non-empty value in nginx");
    }
  }

  std::ostringstream u;  // upstream blocks
  std::ostringstream m;  // maps and split_clients
  std::set<std::string> fallback_groups;
  bool any_fallback = false, any_mirror = false;
  std::set<std::string> next_upstream;
  Millis shadow_timeout{0};

  auto serverLines = [&](const UpstreamConfig& up, const char* suffix) {
    std::string out;
    for (const auto& e : up.endpoints) {
      out += "    server " + e;
      if (up.outlier.consecutive_errors > 0) {
        out += " max_fails=" + std::to_string(up.outlier.consecutive_errors) + " fail_timeout=" + seconds(up.outlier.ejection_time);
      } else {
        out += " max_fails=0";
      }
      out += std::string(suffix) + ";\n";
    }
    return out;
  };
  for (const auto& up : config.upstreams) {
    u << "  upstream " << up.name << " {\n" << serverLines(up, "") << "    keepalive " << options.keepalive << ";\n  }\n";
    if (up.health.enabled()) {
      note("upstream " + up.name + ": active health checks (GET " + up.health.path +
           ") need nginx Plus or a module; open-source nginx only ejects passively (max_fails/fail_timeout)");
    }
  }

  // Route name per key; then the upstream per route.
  m << "  # Which route a request takes: the proxy's match order, first match wins.\n"
    << "  map \"$request_method $request_uri";
  for (const auto& [is_header, name] : fields) m << "|" << (is_header ? headerVariable(name) : argVariable(name));
  m << "\" $strangler_route {\n    default \"\";\n";
  for (const Route& r : routes) {
    const RouteMatch& match = r.config.match;
    std::string methods;
    for (const auto& x : match.methods) methods += (methods.empty() ? "" : "|") + regexLiteral(x);
    std::string re = "~^" + (methods.empty() ? std::string("[A-Z]+") : "(" + methods + ")") + " " + pathRegex(match) +
                     "(\\?[^|]*)?";
    for (const auto& [is_header, name] : fields) {
      std::string constraint = "[^|]*";
      if (is_header) {
        for (const auto& h : match.headers) {
          std::string lower;
          for (char c : h.name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          if (lower == name) constraint = h.value.empty() ? "[^|]+" : regexLiteral(h.value);
        }
      } else {
        for (const auto& q : match.query) {
          if (q.name == name) constraint = q.value.empty() ? "[^|]+" : regexLiteral(q.value);
        }
      }
      re += "\\|" + constraint;
    }
    re += "$";
    m << "    " << quoted(re) << " " << quoted(r.config.name) << ";\n";
  }
  m << "  }\n\n";

  std::ostringstream side;  // map $strangler_route $strangler_upstream entries
  std::ostringstream mirror_entries;
  int split_id = 0;
  for (const Route& r : routes) {
    const RouteConfig& rc = r.config;
    std::string service_group;
    if (!rc.service.empty()) {
      bool fallback = rc.state != RouteState::kRetired &&
                      (rc.fallback.on_connect_error || rc.fallback.on_timeout || rc.fallback.on_5xx);
      service_group = rc.service;
      if (fallback) {
        service_group = rc.service + "__or_legacy";
        any_fallback = true;
        if (rc.fallback.on_connect_error) next_upstream.insert("error");
        if (rc.fallback.on_timeout) next_upstream.insert("timeout");
        if (rc.fallback.on_5xx) next_upstream.insert("http_500 http_502 http_503 http_504");
        if (fallback_groups.insert(rc.service).second) {
          u << "  # " << rc.service << " with legacy as backup: the fallback of idempotent requests\n"
            << "  upstream " << service_group << " {\n" << serverLines(upstream(rc.service), "")
            << serverLines(legacy, " backup") << "    keepalive " << options.keepalive << ";\n  }\n";
        }
        if (rc.fallback.on_connect_error) {
          note("route " + rc.name + ": nginx also replays a non-idempotent request on legacy when the connection to "
               "the service was refused (the request never reached it); strangler-proxy answers 502 instead");
        }
        note("route " + rc.name + ": fallback retry budget (" + std::to_string(static_cast<int>(rc.retry_budget.ratio * 100)) +
             "% + " + std::to_string(rc.retry_budget.min_per_second) +
             "/s) has no nginx equivalent: every failed idempotent request is retried on legacy (proxy_next_upstream_tries 2)");
      }
    }
    std::string target;
    switch (rc.state) {
      case RouteState::kLegacy:
      case RouteState::kShadow: target = legacy.name; break;
      case RouteState::kMigrated:
      case RouteState::kRetired: target = service_group; break;
      case RouteState::kCanary:
        if (rc.weight == 0) {
          target = legacy.name;
        } else if (rc.weight >= 10000) {
          target = service_group;
        } else {
          std::string var = "$strangler_split_" + std::to_string(++split_id);
          m << "  # " << rc.name << ": canary " << percentText(rc.weight) << " by " << stickyKey(rc.sticky) << "\n"
            << "  split_clients " << quoted(stickyKey(rc.sticky) + "") << " " << var << " {\n"
            << "    " << percentText(rc.weight) << " " << service_group << ";\n"
            << "    * " << legacy.name << ";\n  }\n";
          target = var;
          if (rc.sticky.by != StickyBy::kNone) {
            note("route " + rc.name + ": sticky split by " + std::string(toString(rc.sticky.by)) +
                 " uses nginx's MurmurHash2, not the proxy's hash: switching engines moves some keys to the other side; "
                 "requests without the key all land on one side");
          }
        }
        break;
    }
    side << "    " << quoted(rc.name) << " " << target << ";  # " << toString(rc.state)
         << (rc.state == RouteState::kCanary ? " " + percentText(rc.weight) : std::string()) << "\n";

    if (rc.state == RouteState::kShadow) {
      any_mirror = true;
      shadow_timeout = std::max(shadow_timeout, rc.shadow.timeout);
      std::string sample = rc.service;
      if (rc.shadow.percent < 10000) {
        sample = "$strangler_shadow_" + std::to_string(++split_id);
        m << "  # " << rc.name << ": shadow " << percentText(rc.shadow.percent) << " by " << stickyKey(rc.shadow.sticky) << "\n"
          << "  split_clients " << quoted(stickyKey(rc.shadow.sticky)) << " " << sample << " {\n"
          << "    " << percentText(rc.shadow.percent) << " " << rc.service << ";\n"
          << "    * \"\";\n  }\n";
      }
      std::vector<std::string> methods = rc.shadow.methods;
      if (methods.empty()) methods = {"GET", "HEAD", "OPTIONS"};
      for (const auto& method : methods) mirror_entries << "    " << quoted(rc.name + "|" + method) << " " << sample << ";\n";
      note("route " + rc.name + ": shadow becomes nginx `mirror` (fire-and-forget copy" +
           std::string(rc.shadow.percent < 10000 ? ", sampled by split_clients" : "") +
           "): nginx does not compare responses, count mismatches, store diffs or run the analysis policy; "
           "a slow mirror also delays the next request on the same client connection");
    }
    if (rc.analysis.enabled) {
      note("route " + rc.name + ": the analysis policy (automatic rollback/advance) needs strangler-proxy; nginx serves the exported state statically");
    }
  }

  std::ostringstream y;
  y << "# Generated by strangler-proxy export --format nginx; edit strangler.yaml instead.\n"
    << "# Run: nginx -p DIR -c nginx.conf -e stderr (relative paths below are under DIR).\n"
    << "worker_processes " << options.worker_processes << ";\n"
    << "pid nginx.pid;\n"
    << "events { worker_connections " << std::max<size_t>(1024, config.listener.max_connections / std::max(1u, options.worker_processes)) << "; }\n\n"
    << "http {\n"
    << "  access_log off;\n"
    << "  client_body_temp_path tmp/client_body;\n  proxy_temp_path tmp/proxy;\n  fastcgi_temp_path tmp/fastcgi;\n"
    << "  uwsgi_temp_path tmp/uwsgi;\n  scgi_temp_path tmp/scgi;\n"
    << "  client_max_body_size " << config.listener.limits.body_bytes << ";\n"
    << "  client_header_timeout " << seconds(config.listener.timeouts.header) << ";\n"
    << "  client_body_timeout " << seconds(config.listener.timeouts.body) << ";\n"
    << "  keepalive_timeout " << seconds(config.listener.timeouts.idle) << ";\n"
    << "  large_client_header_buffers 4 " << config.listener.limits.header_bytes << ";\n"
    << "  proxy_http_version 1.1;\n"
    << "  proxy_set_header Connection \"\";\n"
    << "  proxy_set_header Host $host;\n"
    << "  proxy_buffering off;\n"
    << "  proxy_connect_timeout " << seconds(config.listener.timeouts.connect) << ";\n"
    << "  proxy_read_timeout " << seconds(config.listener.timeouts.request) << ";\n";
  if (any_fallback) {
    y << "  # Fallback to legacy (the backup server) for idempotent requests only (nginx's default).\n"
      << "  proxy_next_upstream";
    for (const auto& n : next_upstream) y << " " << n;
    y << ";\n  proxy_next_upstream_tries 2;\n";
  } else {
    y << "  proxy_next_upstream off;\n";
  }
  y << "\n" << u.str() << "\n" << m.str();
  y << "  # Where the route's request goes.\n  map $strangler_route $strangler_upstream {\n    default " << legacy.name
    << ";\n" << side.str() << "  }\n";
  if (any_mirror) {
    y << "  # Shadow copies: which service gets this request's copy (\"\" = none).\n"
      << "  map \"$strangler_route|$request_method\" $strangler_mirror {\n    default \"\";\n"
      << mirror_entries.str() << "  }\n";
  }
  y << "\n  server {\n    listen " << config.listener.address << " reuseport;\n"
    << "    location / {\n";
  if (any_mirror) y << "      mirror /_strangler_mirror;\n";
  y << "      proxy_pass http://$strangler_upstream;\n    }\n";
  if (any_mirror) {
    y << "    location = /_strangler_mirror {\n      internal;\n"
      << "      if ($strangler_mirror = \"\") { return 204; }\n"
      << "      proxy_next_upstream off;\n"
      << "      proxy_read_timeout " << seconds(shadow_timeout) << ";\n"
      << "      proxy_pass http://$strangler_mirror$request_uri;\n    }\n";
  }
  y << "  }\n}\n";
  if (!fields.empty()) {
    note("header and query values are matched inside one composite key separated by '|': a value containing '|' does not match");
  }
  note("circuit breakers and the retry budget have no open-source nginx equivalent; outlier ejection becomes max_fails/fail_timeout");
  result.text = y.str();
  return result;
}

}  // namespace strangler
