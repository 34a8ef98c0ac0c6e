// seam plan --step K: strangler.yaml for one extraction step (see proxy_config.h).
#include "seam/decomposer/proxy_config.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <map>
#include <set>
#include <sstream>

namespace seam::decomposer {
namespace {

bool isRead(const std::string& method) { return method == "GET" || method == "HEAD"; }

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

// Like splitPath, but a '/' inside (...) or [...] of a registered regex does
// not end a segment: "/files/([^/]+)" has two segments.
std::vector<std::string> splitRegisteredPath(const std::string& path) {
  std::vector<std::string> out(1);
  int depth = 0;
  for (size_t i = 1; i < path.size(); ++i) {
    char c = path[i];
    if (c == '\\' && i + 1 < path.size()) {
      out.back() += c;
      out.back() += path[++i];
      continue;
    }
    if (c == '(' || c == '[') ++depth;
    if ((c == ')' || c == ']') && depth > 0) --depth;
    if (c == '/' && depth == 0) {
      out.emplace_back();
      continue;
    }
    out.back() += c;
  }
  return out;
}

bool hasRegexSyntax(const std::string& segment) {
  return segment.find_first_of("()[]|*+?\\^$<>{}") != std::string::npos ||
         (!segment.empty() && segment.front() == ':');
}

// One path segment that stands for exactly one whole, non-empty segment:
// returns the parameter name ("" = not a parameter), sets *widened when the
// original constrained the segment's characters.
std::optional<std::string> segmentParameter(const std::string& s, bool* widened) {
  auto inner = [&](size_t open, size_t close) { return s.substr(open, s.size() - open - close); };
  if (s.size() >= 2 && s.front() == '{' && s.back() == '}') {  // Drogon {id}, {1}, {}
    std::string name = inner(1, 1);
    return name.empty() || std::isdigit(static_cast<unsigned char>(name[0])) ? std::string("p") : name;
  }
  if (s.size() >= 2 && s.front() == ':') return s.substr(1);  // Pistache :id
  if (s == "<string>") return std::string("p");                // Crow
  if (s == "<int>" || s == "<uint>" || s == "<double>") {
    *widened = true;
    return std::string("id");
  }
  // httplib/std::regex: a single group covering the segment, one-or-more of a
  // class that cannot contain '/'.
  if (s.size() >= 4 && s.front() == '(' && s.back() == ')' && s[s.size() - 2] == '+') {
    std::string cls = inner(1, 2);
    if (cls == "[^/]") return std::string("p");
    if (cls == "\\d" || cls == "[0-9]") {
      *widened = true;
      return std::string("id");
    }
    if (cls == "\\w" || (cls.size() >= 3 && cls.front() == '[' && cls.back() == ']' && cls[1] != '^' &&
                         cls.find('/') == std::string::npos && cls.find('\\') == std::string::npos)) {
      *widened = true;
      return std::string("p");
    }
  }
  return std::nullopt;
}

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string slugOf(const std::string& converted) {
  std::string out;
  for (const auto& seg : splitPath(converted)) {
    if (seg.empty() || seg == "api") continue;
    std::string clean;
    for (char c : seg) {
      if (std::isalnum(static_cast<unsigned char>(c))) clean += static_cast<char>(std::tolower(c));
      else if (!clean.empty() && clean.back() != '-') clean += '-';
    }
    while (!clean.empty() && clean.back() == '-') clean.pop_back();
    if (clean.empty()) continue;
    out += (out.empty() ? "" : "-") + clean;
  }
  return out.empty() ? "root" : out;
}

std::string upstreamName(const std::string& service) {
  std::string out;
  for (char c : service) out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '-';
  return out.empty() ? "service" : out;
}

bool plainHttpUrl(const std::string& url) {
  if (url.rfind("http://", 0) != 0 || url.size() <= 7) return false;
  std::string rest = url.substr(7);
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  return rest.find_first_of("/?#@ ") == std::string::npos;
}

// A route to write: one match, one method class, one state.
struct Emitted {
  std::string name;
  std::string match_kind;  // prefix | exact | pattern
  std::string path;
  std::vector<std::string> methods;  // empty = any method
  bool any_method = false;           // a registration for ANY: no method condition
  std::string service;
  std::string state;
  bool shadowed = false;
  std::vector<std::string> evidence;  // "GET /path -> handler (file:line)"
};

// The resource prefix of a registered path: its first two segments when both
// are literal ("/api/catalog"), else "".
std::string resourcePrefix(const std::string& path) {
  if (path.empty() || path[0] != '/') return "";
  auto segs = splitPath(path);
  if (segs.size() < 2 || segs[0].empty() || segs[1].empty() || hasRegexSyntax(segs[0]) || hasRegexSyntax(segs[1])) {
    return "";
  }
  return "/" + segs[0] + "/" + segs[1];
}

bool under(const std::string& path, const std::string& prefix) {
  return path == prefix || path.rfind(prefix + "/", 0) == 0 || path.rfind(prefix + "?", 0) == 0;
}

}  // namespace

PathMatch convertRoutePath(const std::string& registered) {
  PathMatch m;
  if (registered.empty() || registered[0] != '/') {
    m.reason = "not an absolute path";
    return m;
  }
  if (registered.find('?') != std::string::npos && registered.find("(") == std::string::npos) {
    m.reason = "has a query string (a client call, not a served route)";
    return m;
  }
  std::string out;
  std::set<std::string> names;
  bool any_param = false;
  for (const auto& seg : splitRegisteredPath(registered)) {
    if (!hasRegexSyntax(seg)) {
      out += "/" + seg;
      continue;
    }
    bool widened = false;
    auto param = segmentParameter(seg, &widened);
    if (!param) {
      m.reason = "segment '" + seg + "' is a regular expression that does not stand for exactly one path segment";
      return m;
    }
    std::string name = *param;
    for (int i = 2; names.count(name); ++i) name = *param + std::to_string(i);
    names.insert(name);
    out += "/{" + name + "}";
    any_param = true;
    if (widened) {
      m.widened = true;
      m.reason = "'" + seg + "' became {" + name + "}: any non-empty segment matches (the service answers 404 like the monolith)";
    }
  }
  m.kind = any_param ? PathMatch::Kind::kPattern : PathMatch::Kind::kExact;
  m.path = out;
  return m;
}

std::vector<AttributedRoute> attributedRoutes(const nlohmann::json& plan,
                                              const std::vector<AttributedRoute>& fact_routes) {
  std::vector<AttributedRoute> out;
  std::set<std::string> seen;
  if (plan.contains("services") && plan["services"].is_array()) {
    for (const auto& s : plan["services"]) {
      if (!s.is_object() || !s.contains("api") || !s["api"].is_object()) continue;
      const auto& routes = s["api"].value("routes", nlohmann::json::array());
      if (!routes.is_array()) continue;
      for (const auto& r : routes) {
        if (!r.is_object()) continue;
        AttributedRoute a{r.value("method", ""), r.value("path", ""), s.value("name", ""), r.value("handler", ""),
                          r.value("location", "")};
        if (a.handler.empty() || a.handler == "?" || a.method.empty() || a.path.empty()) continue;
        seen.insert(a.method + " " + a.path);
        out.push_back(std::move(a));
      }
    }
  }
  for (const auto& r : fact_routes) {
    if (r.handler.empty() || r.handler == "?" || seen.count(r.method + " " + r.path)) continue;
    AttributedRoute a = r;
    a.service.clear();
    seen.insert(a.method + " " + a.path);
    out.push_back(std::move(a));
  }
  return out;
}

Expected<ProxyConfig> buildProxyConfig(const std::vector<AttributedRoute>& routes, const ProxyConfigOptions& o) {
  ProxyConfig result;
  if (!plainHttpUrl(o.legacy_url)) {
    return badArgument("--legacy '" + o.legacy_url + "' must be http://HOST:PORT (no path, no https)");
  }
  std::map<std::string, std::string> urls;
  for (const auto& [name, url] : o.service_urls) {
    if (!plainHttpUrl(url)) return badArgument("--service " + name + "='" + url + "' must be http://HOST:PORT");
    urls[name] = url;
  }
  if (!urls.count(o.service)) {
    return badArgument("no URL for the step's service '" + o.service + "': pass --service " + o.service + "=URL");
  }

  // Which services' routes go in, and in which state.
  std::vector<std::pair<std::string, bool>> moving;  // service, is the current step
  for (const auto& s : o.earlier) {
    if (urls.count(s)) moving.push_back({s, false});
    else result.notes.push_back("step service '" + s + "' has no --service URL: its routes stay on legacy (left out)");
  }
  moving.push_back({o.service, true});
  for (const auto& [name, url] : urls) {
    bool used = std::any_of(moving.begin(), moving.end(), [&](const auto& m) { return m.first == name; });
    if (!used) result.notes.push_back("--service " + name + " is neither the step's service nor an earlier step's: not used");
  }

  std::vector<Emitted> emitted;
  std::set<std::string> names;
  auto uniqueName = [&](std::string base) {
    std::string name = base;
    for (int i = 2; names.count(name); ++i) name = base + "-" + std::to_string(i);
    names.insert(name);
    return name;
  };

  for (const auto& [service, current] : moving) {
    std::vector<const AttributedRoute*> own;
    for (const auto& r : routes) {
      if (r.service == service) own.push_back(&r);
    }
    if (own.empty()) {
      if (current) return badArgument("service '" + service + "' has no served routes in the fact store/plan");
      result.notes.push_back("step service '" + service + "' has no served routes");
      continue;
    }
    // Prefixes that only this service serves collapse to one prefix route.
    std::set<std::string> prefixes;
    for (const auto* r : own) {
      std::string p = resourcePrefix(r->path);
      if (p.empty()) continue;
      bool exclusive = std::all_of(routes.begin(), routes.end(),
                                   [&](const AttributedRoute& x) { return x.service == service || !under(x.path, p); });
      if (exclusive) prefixes.insert(p);
    }
    // key: match kind + path -> reads / writes
    std::map<std::pair<std::string, std::string>, std::pair<Emitted, Emitted>> groups;
    for (const auto* r : own) {
      std::string kind, path;
      std::string p = resourcePrefix(r->path);
      if (prefixes.count(p)) {
        kind = "prefix";
        path = p;
      } else {
        PathMatch m = convertRoutePath(r->path);
        if (m.kind == PathMatch::Kind::kUnsupported) {
          result.notes.push_back(r->method + " " + r->path + " (" + service + "): cannot be expressed as a proxy match (" +
                                 m.reason + "); it stays on legacy");
          continue;
        }
        if (m.widened) result.notes.push_back(r->method + " " + r->path + ": " + m.reason);
        kind = m.kind == PathMatch::Kind::kExact ? "exact" : "pattern";
        path = m.path;
      }
      auto& [reads, writes] = groups[{kind, path}];
      std::string evidence = r->method + " " + r->path + " -> " + r->handler + (r->location.empty() ? "" : " (" + r->location + ")");
      bool read = isRead(r->method) || r->method == "ANY";
      bool write = !isRead(r->method);
      if (read) {
        reads.evidence.push_back(evidence);
        if (r->method == "ANY" || r->method == "GET") {
          reads.methods = {"GET", "HEAD"};
        } else if (reads.methods.empty()) {
          reads.methods = {"HEAD"};
        }
      }
      if (write) {
        writes.evidence.push_back(evidence);
        if (r->method == "ANY") {
          writes.any_method = true;
        } else if (std::find(writes.methods.begin(), writes.methods.end(), r->method) == writes.methods.end()) {
          writes.methods.push_back(r->method);
        }
      }
    }
    for (auto& [key, pair] : groups) {
      auto& [reads, writes] = pair;
      std::string slug = slugOf(key.second);
      for (Emitted* e : {&reads, &writes}) {
        if (e->evidence.empty()) continue;
        bool is_reads = e == &reads;
        e->match_kind = key.first;
        e->path = key.second;
        e->service = service;
        e->name = uniqueName(slug + (is_reads ? "-reads" : "-writes"));
        if (e->any_method) e->methods.clear();
        std::sort(e->methods.begin(), e->methods.end());
        if (!current) {
          e->state = "migrated";
        } else if (is_reads) {
          e->state = "shadow";
          e->shadowed = true;
        } else {
          e->state = "legacy";
        }
        emitted.push_back(*e);
      }
    }
  }

  // Render. Strings that come from the fact store are always double-quoted.
  std::ostringstream y;
  y << "# strangler.yaml for extraction step " << (o.step > 0 ? std::to_string(o.step) : std::string("(unordered)"))
    << ": service '" << o.service << "'.\n"
    << "# Written by `seam plan --step`; the routes are the fact store's, attributed route -> handler ->\n"
    << "# module -> service. Reads start in shadow (served by legacy, mirrored and compared); writes stay on\n"
    << "# legacy until cutover, because the monolith owns the data while the service replicates it.\n"
    << "# Move a route with `strangler-proxy ctl set NAME canary 5%` ... `migrated` (docs/plan-format.md).\n"
    << "version: 1\n"
    << "listener: {address: " << quoted(o.listen) << "}\n";
  if (!o.admin.empty()) y << "admin: {address: " << quoted(o.admin) << ", token_env: " << quoted(o.token_env) << "}\n";
  if (!o.state_file.empty()) y << "state_file: " << quoted(o.state_file) << "\n";
  y << "legacy: legacy\n"
    << "upstreams:\n"
    << "  - {name: legacy, url: " << quoted(o.legacy_url) << "}\n";
  for (const auto& [service, current] : moving) {
    y << "  - {name: " << quoted(upstreamName(service)) << ", url: " << quoted(urls[service]) << "}\n";
  }
  y << "routes:\n";
  if (emitted.empty()) y << "  []\n";
  for (const auto& e : emitted) {
    y << "  # " << e.service << ": " << (e.state == "legacy" ? "writes, moved at cutover" : e.state) << "\n";
    for (const auto& ev : e.evidence) y << "  #   " << ev << "\n";
    y << "  - name: " << quoted(e.name) << "\n"
      << "    match: {" << e.match_kind << ": " << quoted(e.path);
    if (!e.methods.empty()) {
      y << ", methods: [";
      for (size_t i = 0; i < e.methods.size(); ++i) y << (i ? ", " : "") << e.methods[i];
      y << "]";
    }
    y << "}\n"
      << "    service: " << quoted(upstreamName(e.service)) << "\n"
      << "    state: " << e.state << "\n";
    if (e.shadowed) {
      y << "    shadow:\n"
        << "      percent: " << o.shadow_percent << "\n"
        << "      compare: {status: true, headers: [content-type]}\n"
        << "    analysis:\n"
        << "      window: " << o.window << "\n"
        << "      min_requests: " << o.min_requests << "\n"
        << "      max_error_rate: 1%\n"
        << "      max_mismatch_rate: " << o.max_mismatch_rate << "\n"
        << "      max_p99_ratio: 3.0\n"
        << "      auto_advance: " << (o.auto_advance ? "true" : "false") << "\n";
    }
    ++result.routes;
  }
  result.yaml = y.str();
  return result;
}

}  // namespace seam::decomposer
