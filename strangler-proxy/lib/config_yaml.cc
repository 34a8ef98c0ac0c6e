// YAML -> ProxyConfig, and the quick-start flags -> ProxyConfig.
// See config_yaml.h; the key reference is docs/strangler-config.md.
#include "strangler/config_yaml.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <map>
#include <set>
#include <sstream>

namespace strangler {
namespace {

constexpr std::size_t kMaxErrors = 20;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Parses a non-negative decimal with an optional fraction into a value
// scaled by 10^decimals, exactly (no floating point): "12.5" with 2 -> 1250.
bool parseFixed(std::string_view text, int decimals, std::uint64_t& out) {
  if (text.empty()) return false;
  std::uint64_t whole = 0, frac = 0;
  std::size_t dot = text.find('.');
  std::string_view w = text.substr(0, dot);
  std::string_view f = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (w.empty() || w.size() > 12) return false;
  if (dot != std::string_view::npos && (f.empty() || f.size() > static_cast<std::size_t>(decimals)))
    return false;
  for (char c : w) {
    if (c < '0' || c > '9') return false;
    whole = whole * 10 + static_cast<std::uint64_t>(c - '0');
  }
  for (int i = 0; i < decimals; ++i) {
    frac *= 10;
    if (static_cast<std::size_t>(i) < f.size()) {
      char c = f[static_cast<std::size_t>(i)];
      if (c < '0' || c > '9') return false;
      frac += static_cast<std::uint64_t>(c - '0');
    }
  }
  std::uint64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  out = whole * scale + frac;
  return true;
}

// A mapping's entries in file order, with the line of each key.
struct Entry {
  std::string key;
  YAML::Node value;
  int line = 0;  // 1-based
};

class Loader {
 public:
  explicit Loader(std::string_view filename) : filename_(filename) {}

  Expected<ProxyConfig> load(const YAML::Node& root);

 private:
  // ---- diagnostics ----
  void error(int line, const std::string& path, const std::string& what) {
    if (errors_.size() >= kMaxErrors) return;
    std::string msg = filename_;
    if (line > 0) msg += ":" + std::to_string(line);
    msg += ": ";
    if (!path.empty()) msg += path + ": ";
    msg += what;
    errors_.emplace_back(line > 0 ? line : INT32_MAX, std::move(msg));
  }
  void error(const Entry& e, const std::string& path, const std::string& what) {
    error(e.line, path, what);
  }
  static int lineOf(const YAML::Node& n) { return n.Mark().line >= 0 ? n.Mark().line + 1 : 0; }
  // The line of `path`, or of its nearest recorded ancestor.
  int lineFor(std::string path) const {
    while (!path.empty()) {
      if (auto it = lines_.find(path); it != lines_.end()) return it->second;
      std::size_t cut = path.find_last_of(".[");
      if (cut == std::string::npos) break;
      path.resize(cut);
    }
    return 0;
  }

  // ---- structure ----
  // Entries of a mapping; reports a non-mapping, unknown and duplicate keys.
  std::vector<Entry> fields(const YAML::Node& n, int line, const std::string& path,
                            std::initializer_list<std::string_view> allowed) {
    std::vector<Entry> out;
    if (!n.IsMap()) {
      if (!n.IsNull()) error(line, path, "expected a mapping");
      return out;
    }
    std::set<std::string> seen;
    for (const auto& kv : n) {
      Entry e;
      e.line = lineOf(kv.first);
      if (!kv.first.IsScalar()) {
        error(e.line, path, "keys must be plain names");
        continue;
      }
      e.key = kv.first.Scalar();
      e.value = kv.second;
      std::string child = path.empty() ? e.key : path + "." + e.key;
      if (std::find(allowed.begin(), allowed.end(), e.key) == allowed.end()) {
        std::string list;
        for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        error(e, child, "unknown key (expected one of: " + list + ")");
        continue;
      }
      if (!seen.insert(e.key).second) {
        error(e, child, "duplicate key");
        continue;
      }
      lines_[child] = e.line;
      out.push_back(std::move(e));
    }
    return out;
  }

  bool scalar(const Entry& e, const std::string& path, std::string& out) {
    if (!e.value.IsScalar()) {
      error(e, path, "expected a single value");
      return false;
    }
    out = e.value.Scalar();
    return true;
  }
  void string(const Entry& e, const std::string& path, std::string& out) {
    std::string s;
    if (scalar(e, path, s)) out = s;
  }
  void boolean(const Entry& e, const std::string& path, bool& out) {
    std::string s;
    if (!scalar(e, path, s)) return;
    if (s == "true") out = true;
    else if (s == "false") out = false;
    else error(e, path, "expected true or false, got '" + s + "'");
  }
  template <typename Int>
  void count(const Entry& e, const std::string& path, Int& out, std::uint64_t max) {
    std::string s;
    if (!scalar(e, path, s)) return;
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v > max) {
      error(e, path, "expected a whole number 0.." + std::to_string(max) + ", got '" + s + "'");
      return;
    }
    out = static_cast<Int>(v);
  }
  void duration(const Entry& e, const std::string& path, Millis& out) {
    std::string s;
    if (!scalar(e, path, s)) return;
    Millis v;
    if (!parseDuration(s, v) || v.count() == 0) {
      error(e, path, "expected a positive duration like 250ms, 5s, 2m; got '" + s + "'");
      return;
    }
    out = v;
  }
  template <typename Int>
  void size(const Entry& e, const std::string& path, Int& out) {
    std::string s;
    if (!scalar(e, path, s)) return;
    std::uint64_t v = 0;
    if (!parseSize(s, v) || v == 0) {
      error(e, path, "expected a positive size like 16384, 16KiB, 8MiB; got '" + s + "'");
      return;
    }
    out = static_cast<Int>(v);
  }
  void percent(const Entry& e, const std::string& path, std::uint32_t& bp) {
    std::string s;
    if (!scalar(e, path, s)) return;
    if (!parsePercent(s, bp)) error(e, path, "must be 0..100% (at most 2 decimals), got '" + s + "'");
  }
  std::vector<std::string> stringList(const Entry& e, const std::string& path) {
    std::vector<std::string> out;
    if (e.value.IsScalar()) {
      out.push_back(e.value.Scalar());
    } else if (e.value.IsSequence()) {
      for (std::size_t i = 0; i < e.value.size(); ++i) {
        if (!e.value[i].IsScalar()) {
          error(lineOf(e.value[i]), path + "[" + std::to_string(i) + "]", "expected a value");
          continue;
        }
        out.push_back(e.value[i].Scalar());
      }
    } else {
      error(e, path, "expected a list");
    }
    return out;
  }

  // ---- sections ----
  void listener(const Entry& e, ListenerConfig& l);
  void admin(const Entry& e, AdminConfig& a);
  void upstream(const YAML::Node& n, const std::string& path, UpstreamConfig& u);
  void route(const YAML::Node& n, const std::string& path, RouteConfig& r);
  void match(const Entry& e, const std::string& path, RouteMatch& m);
  void sticky(const Entry& e, const std::string& path, StickyConfig& out);
  void methods(const Entry& e, const std::string& path, std::vector<std::string>& out);
  void shadow(const Entry& e, const std::string& path, ShadowConfig& out);
  void analysis(const Entry& e, const std::string& path, AnalysisConfig& out);
  template <typename Cond>
  void conditions(const Entry& e, const std::string& path, std::vector<Cond>& out);

  std::string filename_;
  std::vector<std::pair<int, std::string>> errors_;  // (line, message)
  std::map<std::string, int> lines_;  // field path -> line, for validate()'s errors
};

Expected<ProxyConfig> Loader::load(const YAML::Node& root) {
  ProxyConfig c;
  c.admin.address.clear();  // no admin section = no admin listener
  if (!root.IsMap()) {
    error(lineOf(root), "", root.IsNull() ? "empty config" : "expected a mapping at the top level");
    return Status::error(errors_.front().second);
  }
  for (const Entry& e : fields(root, 0, "",
                               {"version", "listener", "admin", "state_file", "access_log",
                                "legacy", "upstreams", "routes"})) {
    if (e.key == "version") {
      std::string v;
      if (scalar(e, "version", v) && v != "1") error(e, "version", "only version 1 is known");
    } else if (e.key == "listener") {
      listener(e, c.listener);
    } else if (e.key == "admin") {
      admin(e, c.admin);
    } else if (e.key == "state_file") {
      string(e, "state_file", c.state_path);
    } else if (e.key == "access_log") {
      string(e, "access_log", c.access_log);
    } else if (e.key == "legacy") {
      string(e, "legacy", c.legacy);
    } else if (e.key == "upstreams" || e.key == "routes") {
      if (!e.value.IsSequence()) {
        error(e, e.key, "expected a list");
        continue;
      }
      for (std::size_t i = 0; i < e.value.size(); ++i) {
        std::string path = e.key + "[" + std::to_string(i) + "]";
        lines_[path] = lineOf(e.value[i]);
        if (e.key == "upstreams") {
          c.upstreams.emplace_back();
          upstream(e.value[i], path, c.upstreams.back());
        } else {
          c.routes.emplace_back();
          route(e.value[i], path, c.routes.back());
        }
      }
    }
  }

  // Cross-field rules live in validate() (shared with the data plane); its
  // messages start with the field path, which we map back to a line.
  if (errors_.empty()) {
    for (const std::string& problem : validate(c)) {
      std::size_t colon = problem.find(": ");
      std::string path = colon == std::string::npos ? std::string() : problem.substr(0, colon);
      std::string what = colon == std::string::npos ? problem : problem.substr(colon + 2);
      error(lineFor(path), path, what);
    }
  }
  if (!errors_.empty()) {
    // In file order, whatever order the checks ran in.
    std::stable_sort(errors_.begin(), errors_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string all;
    for (const auto& e : errors_) all += (all.empty() ? "" : "\n") + e.second;
    return Status::error(std::move(all));
  }
  return c;
}

void Loader::listener(const Entry& section, ListenerConfig& l) {
  for (const Entry& e : fields(section.value, section.line, "listener",
                               {"address", "workers", "max_connections", "limits", "timeouts"})) {
    const std::string p = "listener." + e.key;
    if (e.key == "address") string(e, p, l.address);
    else if (e.key == "workers") count(e, p, l.workers, 256);
    else if (e.key == "max_connections") count(e, p, l.max_connections, 10'000'000);
    else if (e.key == "limits") {
      for (const Entry& x : fields(e.value, e.line, p, {"header_bytes", "body_bytes"})) {
        if (x.key == "header_bytes") size(x, p + ".header_bytes", l.limits.header_bytes);
        else size(x, p + ".body_bytes", l.limits.body_bytes);
      }
    } else if (e.key == "timeouts") {
      for (const Entry& x :
           fields(e.value, e.line, p, {"header", "body", "idle", "connect", "request", "drain"})) {
        const std::string q = p + "." + x.key;
        if (x.key == "header") duration(x, q, l.timeouts.header);
        else if (x.key == "body") duration(x, q, l.timeouts.body);
        else if (x.key == "idle") duration(x, q, l.timeouts.idle);
        else if (x.key == "connect") duration(x, q, l.timeouts.connect);
        else if (x.key == "drain") duration(x, q, l.timeouts.drain);
        else duration(x, q, l.timeouts.request);
      }
    }
  }
}

void Loader::admin(const Entry& section, AdminConfig& a) {
  a.address = "127.0.0.1:9901";  // the section is present: admin on, default address
  int token_sources = 0;
  for (const Entry& e : fields(section.value, section.line, "admin",
                               {"address", "token", "token_env", "token_file"})) {
    const std::string p = "admin." + e.key;
    if (e.key == "address") {
      string(e, p, a.address);
    } else if (e.key == "token") {
      ++token_sources;
      string(e, p, a.token);
    } else if (e.key == "token_env") {
      ++token_sources;
      std::string var;
      if (!scalar(e, p, var)) continue;
      const char* v = std::getenv(var.c_str());
      if (v == nullptr || *v == '\0') error(e, p, "environment variable " + var + " is not set");
      else a.token = v;
    } else if (e.key == "token_file") {
      ++token_sources;
      std::string file;
      if (!scalar(e, p, file)) continue;
      std::ifstream in(file, std::ios::binary);
      std::string token((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      token = std::string(trim(token));
      if (!in && !in.eof()) error(e, p, "cannot read " + file);
      else if (token.empty()) error(e, p, file + " is empty or unreadable");
      else a.token = token;
    }
  }
  if (token_sources > 1) error(section, "admin", "give only one of token, token_env, token_file");
}

void Loader::upstream(const YAML::Node& n, const std::string& path, UpstreamConfig& u) {
  for (const Entry& e : fields(n, lineOf(n), path,
                               {"name", "endpoints", "url", "health", "outlier",
                                "circuit_breaker", "pool"})) {
    const std::string p = path + "." + e.key;
    if (e.key == "name") {
      string(e, p, u.name);
    } else if (e.key == "endpoints" || e.key == "url") {
      std::vector<std::string> list = stringList(e, p);
      for (std::size_t i = 0; i < list.size(); ++i) {
        auto ep = endpointFromUrl(list[i]);
        std::string where = e.value.IsSequence() ? p + "[" + std::to_string(i) + "]" : p;
        lines_[where] = e.value.IsSequence() ? lineOf(e.value[i]) : e.line;
        if (!ep) error(lines_[where], where, ep.error());
        else u.endpoints.push_back(*ep);
      }
    } else if (e.key == "health") {
      for (const Entry& x : fields(e.value, e.line, p,
                                   {"path", "interval", "timeout", "unhealthy_threshold",
                                    "healthy_threshold"})) {
        const std::string q = p + "." + x.key;
        if (x.key == "path") string(x, q, u.health.path);
        else if (x.key == "interval") duration(x, q, u.health.interval);
        else if (x.key == "timeout") duration(x, q, u.health.timeout);
        else if (x.key == "unhealthy_threshold") count(x, q, u.health.unhealthy_threshold, 1000);
        else count(x, q, u.health.healthy_threshold, 1000);
      }
    } else if (e.key == "outlier") {
      for (const Entry& x :
           fields(e.value, e.line, p, {"consecutive_5xx", "consecutive_errors", "ejection_time"})) {
        const std::string q = p + "." + x.key;
        if (x.key == "consecutive_5xx") count(x, q, u.outlier.consecutive_5xx, 1000);
        else if (x.key == "consecutive_errors") count(x, q, u.outlier.consecutive_errors, 1000);
        else duration(x, q, u.outlier.ejection_time);
      }
    } else if (e.key == "circuit_breaker") {
      for (const Entry& x : fields(e.value, e.line, p,
                                   {"max_connections", "max_pending", "max_requests"})) {
        const std::string q = p + "." + x.key;
        if (x.key == "max_connections") count(x, q, u.circuit_breaker.max_connections, 1'000'000);
        else if (x.key == "max_pending") count(x, q, u.circuit_breaker.max_pending, 1'000'000);
        else count(x, q, u.circuit_breaker.max_requests, 1'000'000);
      }
    } else if (e.key == "pool") {
      for (const Entry& x : fields(e.value, e.line, p, {"max_idle_per_endpoint"}))
        count(x, p + "." + x.key, u.pool.max_idle_per_endpoint, 100'000);
    }
  }
  if (n.IsMap() && !n["name"]) error(lineOf(n), path + ".name", "required");
}

void Loader::route(const YAML::Node& n, const std::string& path, RouteConfig& r) {
  bool weight_in_state = false, weight_given = false;
  int weight_line = 0;
  for (const Entry& e : fields(n, lineOf(n), path,
                               {"name", "match", "service", "state", "weight", "sticky",
                                "fallback", "retry_budget", "shadow", "analysis"})) {
    const std::string p = path + "." + e.key;
    if (e.key == "name") {
      string(e, p, r.name);
    } else if (e.key == "match") {
      match(e, p, r.match);
    } else if (e.key == "service") {
      string(e, p, r.service);
    } else if (e.key == "state") {
      // "legacy" | "shadow" | "canary" | "canary 25%" | "migrated" | "retired"
      std::string s;
      if (!scalar(e, p, s)) continue;
      std::string_view text = trim(s);
      std::size_t sp = text.find_first_of(" \t");
      std::string_view name = text.substr(0, sp);
      std::string_view rest = sp == std::string_view::npos ? std::string_view() : trim(text.substr(sp));
      if (!parseRouteState(name, r.state)) {
        error(e, p, "expected legacy, shadow, canary N%, migrated or retired; got '" + s + "'");
      } else if (!rest.empty()) {
        if (r.state != RouteState::kCanary) {
          error(e, p, "only canary takes a weight ('canary 25%')");
        } else if (!parsePercent(rest, r.weight)) {
          error(e, path + ".weight", "must be 0..100% (at most 2 decimals), got '" +
                                         std::string(rest) + "'");
        } else {
          weight_in_state = true;
          weight_line = e.line;
        }
      }
    } else if (e.key == "weight") {
      weight_given = true;
      weight_line = e.line;
      percent(e, p, r.weight);
    } else if (e.key == "sticky") {
      sticky(e, p, r.sticky);
    } else if (e.key == "shadow") {
      shadow(e, p, r.shadow);
    } else if (e.key == "analysis") {
      analysis(e, p, r.analysis);
    } else if (e.key == "fallback") {
      if (e.value.IsScalar() && e.value.Scalar() == "none") {
        r.fallback = FallbackConfig{false, false, false};
        continue;
      }
      for (const Entry& x :
           fields(e.value, e.line, p, {"on_connect_error", "on_timeout", "on_5xx"})) {
        const std::string q = p + "." + x.key;
        if (x.key == "on_connect_error") boolean(x, q, r.fallback.on_connect_error);
        else if (x.key == "on_timeout") boolean(x, q, r.fallback.on_timeout);
        else boolean(x, q, r.fallback.on_5xx);
      }
    } else if (e.key == "retry_budget") {
      for (const Entry& x : fields(e.value, e.line, p, {"ratio", "min_per_second"})) {
        const std::string q = p + "." + x.key;
        if (x.key == "ratio") {
          std::uint32_t bp = 0;
          percent(x, q, bp);
          r.retry_budget.ratio = bp / 10000.0;
        } else {
          count(x, q, r.retry_budget.min_per_second, 100'000);
        }
      }
    }
  }
  if (weight_in_state && weight_given)
    error(weight_line, path + ".weight", "given twice (in state and in weight)");
  if (n.IsMap() && !n["name"]) error(lineOf(n), path + ".name", "required");
  if (n.IsMap() && !n["match"]) error(lineOf(n), path + ".match", "required");
}

// "client_ip" | "header:X-User" | "cookie:session" | {by: cookie, name: session}
void Loader::sticky(const Entry& e, const std::string& p, StickyConfig& out) {
  if (e.value.IsScalar()) {
    std::string s = e.value.Scalar();
    std::size_t colon = s.find(':');
    std::string by = s.substr(0, colon);
    if (colon != std::string::npos) out.name = s.substr(colon + 1);
    if (!parseStickyBy(by, out.by))
      error(e, p, "expected none, client_ip, header:NAME or cookie:NAME; got '" + s + "'");
  } else {
    for (const Entry& x : fields(e.value, e.line, p, {"by", "name"})) {
      std::string v;
      if (!scalar(x, p + "." + x.key, v)) continue;
      if (x.key == "name") out.name = v;
      else if (!parseStickyBy(v, out.by))
        error(x, p + ".by", "expected none, client_ip, header or cookie; got '" + v + "'");
    }
  }
}

// Method names are case-sensitive (RFC 9110): "get" is not GET.
void Loader::methods(const Entry& e, const std::string& p, std::vector<std::string>& out) {
  for (std::string& method : stringList(e, p)) {
    std::string upper = method;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (upper != method) {
      error(e, p, "methods are case-sensitive: '" + method + "' (did you mean " + upper + "?)");
      continue;
    }
    out.push_back(method);
  }
}

// routes[].shadow: sampling, queue and comparison rules (docs/strangler-config.md).
void Loader::shadow(const Entry& section, const std::string& path, ShadowConfig& out) {
  for (const Entry& e : fields(section.value, section.line, path,
                               {"percent", "sticky", "methods", "queue", "timeout", "max_body", "compare",
                                "keep_diffs"})) {
    const std::string p = path + "." + e.key;
    if (e.key == "percent") {
      percent(e, p, out.percent);
    } else if (e.key == "sticky") {
      sticky(e, p, out.sticky);
    } else if (e.key == "methods") {
      methods(e, p, out.methods);
    } else if (e.key == "queue") {
      count(e, p, out.queue, 1'000'000);
    } else if (e.key == "timeout") {
      duration(e, p, out.timeout);
    } else if (e.key == "max_body") {
      size(e, p, out.max_body);
    } else if (e.key == "keep_diffs") {
      count(e, p, out.keep_diffs, 10'000);
    } else if (e.key == "compare") {
      ShadowCompareConfig& c = out.compare;
      for (const Entry& x : fields(e.value, e.line, p,
                                   {"status", "headers", "body", "ignore_json_paths", "ignore_patterns",
                                    "noise_detection"})) {
        const std::string q = p + "." + x.key;
        if (x.key == "status") boolean(x, q, c.status);
        else if (x.key == "body") boolean(x, q, c.body);
        else if (x.key == "noise_detection") boolean(x, q, c.noise_detection);
        else if (x.key == "headers") c.headers = stringList(x, q);
        else if (x.key == "ignore_json_paths") c.ignore_json_paths = stringList(x, q);
        else c.ignore_patterns = stringList(x, q);
      }
    }
  }
}

// routes[].analysis: thresholds over a sliding window, optional auto advance.
void Loader::analysis(const Entry& section, const std::string& path, AnalysisConfig& out) {
  out.enabled = true;
  for (const Entry& e : fields(section.value, section.line, path,
                               {"window", "min_requests", "max_error_rate", "max_mismatch_rate",
                                "max_p99_ratio", "auto_advance", "steps"})) {
    const std::string p = path + "." + e.key;
    if (e.key == "window") {
      duration(e, p, out.window);
    } else if (e.key == "min_requests") {
      count(e, p, out.min_requests, 1'000'000'000);
    } else if (e.key == "max_error_rate") {
      percent(e, p, out.max_error_rate);
    } else if (e.key == "max_mismatch_rate") {
      percent(e, p, out.max_mismatch_rate);
    } else if (e.key == "max_p99_ratio") {
      std::string s;
      if (!scalar(e, p, s)) continue;
      std::uint64_t hundredths = 0;
      if (!parseFixed(trim(s), 2, hundredths) || hundredths == 0)
        error(e, p, "expected a ratio > 0 like 2 or 1.5 (at most 2 decimals), got '" + s + "'");
      else
        out.max_p99_ratio = static_cast<double>(hundredths) / 100.0;
    } else if (e.key == "auto_advance") {
      boolean(e, p, out.auto_advance);
    } else if (e.key == "steps") {
      out.steps.clear();
      for (const std::string& text : stringList(e, p)) {
        RolloutStep step;
        if (!parseRolloutStep(text, step))
          error(e, p, "expected shadow, canary N% (0 < N < 100) or migrated; got '" + text + "'");
        else
          out.steps.push_back(step);
      }
    }
  }
  if (out.steps.empty()) out.steps = defaultRolloutSteps();
}

void Loader::match(const Entry& section, const std::string& path, RouteMatch& m) {
  int kinds = 0;
  for (const Entry& e : fields(section.value, section.line, path,
                               {"prefix", "exact", "pattern", "methods", "headers", "query"})) {
    const std::string p = path + "." + e.key;
    if (e.key == "prefix" || e.key == "exact" || e.key == "pattern") {
      ++kinds;
      parsePathKind(e.key, m.path_kind);
      string(e, p, m.path);
      lines_[path + ".path"] = e.line;  // validate() reports "match.path"
    } else if (e.key == "methods") {
      for (std::string& method : stringList(e, p)) {
        std::string upper = method;
        std::transform(upper.begin(), upper.end(), upper.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        if (upper != method) {
          error(e, p, "methods are case-sensitive: '" + method + "' (did you mean " + upper + "?)");
          continue;
        }
        m.methods.push_back(method);
      }
    } else if (e.key == "headers") {
      conditions(e, p, m.headers);
    } else if (e.key == "query") {
      conditions(e, p, m.query);
    }
  }
  if (kinds == 0) error(section, path, "one of prefix, exact or pattern is required");
  if (kinds > 1) error(section, path, "give only one of prefix, exact or pattern");
}

// {Name: value, Other: ""} -- an empty or null value means "present".
template <typename Cond>
void Loader::conditions(const Entry& e, const std::string& path, std::vector<Cond>& out) {
  if (!e.value.IsMap()) {
    error(e, path, "expected a mapping of name: value");
    return;
  }
  for (const auto& kv : e.value) {
    Cond c;
    if (!kv.first.IsScalar() || !(kv.second.IsScalar() || kv.second.IsNull())) {
      error(lineOf(kv.first), path, "expected name: value");
      continue;
    }
    c.name = kv.first.Scalar();
    if (kv.second.IsScalar()) c.value = kv.second.Scalar();
    out.push_back(std::move(c));
  }
}

std::string slug(std::string_view prefix) {
  std::string out;
  for (char c : prefix) {
    if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(c));
    else if (!out.empty() && out.back() != '-') out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "root" : out;
}

}  // namespace

bool parseDuration(std::string_view text, Millis& out) {
  text = trim(text);
  std::size_t unit = text.find_first_not_of("0123456789.");
  if (unit == 0 || unit == std::string_view::npos) return false;
  std::string_view number = text.substr(0, unit), suffix = text.substr(unit);
  std::uint64_t scaled = 0;  // value * 1000, exact
  if (!parseFixed(number, 3, scaled)) return false;
  std::uint64_t per;  // milliseconds per unit
  if (suffix == "ms") per = 1;
  else if (suffix == "s") per = 1000;
  else if (suffix == "m") per = 60'000;
  else if (suffix == "h") per = 3'600'000;
  else return false;
  std::uint64_t micro_ms = scaled * per;  // thousandths of a millisecond
  if (micro_ms % 1000 != 0 || micro_ms / 1000 > (1ull << 40)) return false;
  out = Millis(static_cast<Millis::rep>(micro_ms / 1000));
  return true;
}

bool parseSize(std::string_view text, std::uint64_t& out) {
  text = trim(text);
  std::size_t unit = text.find_first_not_of("0123456789");
  std::string_view number = text.substr(0, unit);
  std::string_view suffix = unit == std::string_view::npos ? std::string_view() : trim(text.substr(unit));
  if (number.empty() || number.size() > 15) return false;
  std::uint64_t v = 0;
  std::from_chars(number.data(), number.data() + number.size(), v);
  std::uint64_t mult;
  if (suffix.empty() || suffix == "B") mult = 1;
  else if (suffix == "k" || suffix == "K" || suffix == "KB" || suffix == "KiB") mult = 1ull << 10;
  else if (suffix == "M" || suffix == "MB" || suffix == "MiB") mult = 1ull << 20;
  else if (suffix == "G" || suffix == "GB" || suffix == "GiB") mult = 1ull << 30;
  else return false;
  if (v > (1ull << 50) / mult) return false;
  out = v * mult;
  return true;
}

bool parsePercent(std::string_view text, std::uint32_t& basis_points) {
  text = trim(text);
  if (!text.empty() && text.back() == '%') text = trim(text.substr(0, text.size() - 1));
  std::uint64_t bp = 0;
  if (!parseFixed(text, 2, bp) || bp > 10000) return false;
  basis_points = static_cast<std::uint32_t>(bp);
  return true;
}

Expected<std::string> endpointFromUrl(std::string_view url) {
  std::string_view rest = trim(url);
  bool had_scheme = false;
  if (rest.substr(0, 8) == "https://")
    return Status::error("'" + std::string(url) + "': https upstreams are not supported");
  if (rest.substr(0, 7) == "http://") {
    rest.remove_prefix(7);
    had_scheme = true;
  } else if (rest.find("://") != std::string_view::npos) {
    return Status::error("'" + std::string(url) + "': only http:// URLs are supported");
  }
  std::size_t slash = rest.find('/');
  if (slash != std::string_view::npos) {
    if (rest.substr(slash) != "/")
      return Status::error("'" + std::string(url) +
                           "': a path is not allowed (the proxy does not rewrite paths)");
    rest = rest.substr(0, slash);
  }
  if (rest.find('@') != std::string_view::npos)
    return Status::error("'" + std::string(url) + "': credentials in URLs are not supported");
  std::string hostport(rest);
  std::string host;
  std::uint16_t port = 0;
  if (!splitHostPort(hostport, host, port)) {
    // "http://host" without a port means 80; a bare "host" is ambiguous.
    bool has_port = !hostport.empty() && hostport.back() != ']' &&
                    hostport.find(':') != std::string::npos;
    if (had_scheme && !has_port && !hostport.empty()) hostport += ":80";
    if (!splitHostPort(hostport, host, port))
      return Status::error("'" + std::string(url) + "': expected http://host:port or host:port");
  }
  if (port == 0) return Status::error("'" + std::string(url) + "': port 0 is not a valid upstream");
  return hostport;
}

Expected<ProxyConfig> parseConfigYaml(std::string_view yaml, std::string_view filename) {
  if (yaml.size() > kMaxConfigBytes)
    return Status::error(std::string(filename) + ": larger than " +
                         std::to_string(kMaxConfigBytes >> 20) + " MiB; not a config file?");
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return Status::error(std::string(filename) + ":" + std::to_string(e.mark.line + 1) +
                         ": YAML syntax: " + e.msg);
  }
  try {
    return Loader(filename).load(root);
  } catch (const YAML::Exception& e) {  // e.g. alias trickery; never crash on input
    return Status::error(std::string(filename) + ":" + std::to_string(e.mark.line + 1) + ": " +
                         e.msg);
  }
}

Expected<ProxyConfig> loadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::error(path + ": cannot open");
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxConfigBytes) break;
  }
  if (in.bad()) return Status::error(path + ": read error");
  return parseConfigYaml(text, path);
}

Expected<ProxyConfig> configFromQuickStart(const QuickStartOptions& o) {
  ProxyConfig c;
  c.listener.address = o.listen;
  c.admin.address = o.admin;
  c.admin.token = o.token;
  c.state_path = o.state_file;
  c.access_log = o.access_log;
  if (o.legacy.empty()) return Status::error("--legacy: required (the monolith's URL)");
  auto legacy = endpointFromUrl(o.legacy);
  if (!legacy) return Status::error("--legacy: " + legacy.error());
  c.legacy = "legacy";
  c.upstreams.push_back(UpstreamConfig{});
  c.upstreams.back().name = "legacy";
  c.upstreams.back().endpoints = {*legacy};

  std::set<std::string> names = {"legacy"};
  for (const std::string& spec : o.routes) {
    std::size_t eq = spec.find('=');
    if (eq == std::string::npos || eq == 0)
      return Status::error("--route " + spec + ": expected PREFIX=URL");
    std::string prefix = spec.substr(0, eq);
    if (prefix.front() != '/') return Status::error("--route " + spec + ": prefix must start with '/'");
    auto ep = endpointFromUrl(spec.substr(eq + 1));
    if (!ep) return Status::error("--route " + spec + ": " + ep.error());
    std::string name = slug(prefix);
    for (int n = 2; names.count(name); ++n) name = slug(prefix) + "-" + std::to_string(n);
    names.insert(name);
    UpstreamConfig u;
    u.name = name;
    u.endpoints = {*ep};
    c.upstreams.push_back(std::move(u));
    RouteConfig r;
    r.name = name;
    r.match.path_kind = PathKind::kPrefix;
    r.match.path = prefix;
    r.state = RouteState::kMigrated;
    r.weight = 10000;
    r.service = name;
    c.routes.push_back(std::move(r));
  }
  std::vector<std::string> problems = validate(c);
  if (!problems.empty()) {
    std::string all;
    for (const std::string& p : problems) all += (all.empty() ? "" : "\n") + p;
    return Status::error(std::move(all));
  }
  return c;
}

}  // namespace strangler
