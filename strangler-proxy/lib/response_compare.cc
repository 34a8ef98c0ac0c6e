// Structural comparison of a legacy and a service response. See
// response_compare.h for the rules; nlohmann-json parses the bodies (it stays
// private to this file: no public header includes it).
#include "strangler/response_compare.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "strangler/http_parser.h"

namespace strangler {
namespace {

using Json = nlohmann::json;
constexpr std::string_view kAbsent = "(absent)";
constexpr std::string_view kPlaceholder = "<ignored>";

std::string shorten(std::string_view text) {
  if (text.size() <= ResponseComparer::kShownValueBytes) return std::string(text);
  std::string out(text.substr(0, ResponseComparer::kShownValueBytes));
  out += "...";
  return out;
}

std::string shown(const Json& v) { return shorten(v.dump(-1, ' ', false, Json::error_handler_t::replace)); }

bool looksJson(const CapturedResponse& r) {
  bool found = false;
  std::string type = r.header("content-type", found);
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return found && (type.find("application/json") != std::string::npos || type.find("+json") != std::string::npos);
}

bool isNumber(const Json& v) { return v.is_number(); }

bool numbersEqual(const Json& a, const Json& b) {
  if (a.is_number_integer() && b.is_number_integer()) {
    // Both integral: compare exactly, minding signed/unsigned.
    if (a.is_number_unsigned() && b.is_number_unsigned()) return a.get<std::uint64_t>() == b.get<std::uint64_t>();
    if (!a.is_number_unsigned() && !b.is_number_unsigned()) return a.get<std::int64_t>() == b.get<std::int64_t>();
    const Json& u = a.is_number_unsigned() ? a : b;
    const Json& s = a.is_number_unsigned() ? b : a;
    std::int64_t sv = s.get<std::int64_t>();
    return sv >= 0 && static_cast<std::uint64_t>(sv) == u.get<std::uint64_t>();
  }
  double x = a.get<double>(), y = b.get<double>();
  if (x == y) return true;
  double scale = std::max(std::fabs(x), std::fabs(y));
  return std::fabs(x - y) <= 1e-9 * scale;
}

/// Walks two JSON trees in step, keeping the concrete path both as text (for
/// reports) and as steps (for ignore-path matching).
class JsonWalker {
 public:
  JsonWalker(const ResponseComparer& comparer, const std::vector<JsonPath>& ignore,
             std::vector<Difference>& out)
      : comparer_(comparer), ignore_(ignore), out_(out) {}

  void walk(const Json& a, const Json& b) {
    if (full() || ignored()) return;
    if (isNumber(a) && isNumber(b)) {
      if (!numbersEqual(a, b)) report(shown(a), shown(b));
      return;
    }
    if (a.type() != b.type()) {
      report(shown(a), shown(b));
      return;
    }
    switch (a.type()) {
      case Json::value_t::object: {
        std::set<std::string> keys;
        for (auto it = a.begin(); it != a.end(); ++it) keys.insert(it.key());
        for (auto it = b.begin(); it != b.end(); ++it) keys.insert(it.key());
        for (const std::string& key : keys) {
          push(key);
          auto ia = a.find(key);
          auto ib = b.find(key);
          if (ia == a.end() || ib == b.end()) {
            if (!ignored())
              report(ia == a.end() ? std::string(kAbsent) : shown(*ia), ib == b.end() ? std::string(kAbsent) : shown(*ib));
          } else {
            walk(*ia, *ib);
          }
          pop();
        }
        return;
      }
      case Json::value_t::array: {
        std::size_t common = std::min(a.size(), b.size());
        for (std::size_t i = 0; i < common; ++i) {
          push(i);
          walk(a[i], b[i]);
          pop();
        }
        if (a.size() != b.size()) {
          // The extra elements are reported one by one (each may be ignored).
          for (std::size_t i = common; i < std::max(a.size(), b.size()); ++i) {
            push(i);
            if (!ignored())
              report(i < a.size() ? shown(a[i]) : std::string(kAbsent), i < b.size() ? shown(b[i]) : std::string(kAbsent));
            pop();
            if (full()) break;
          }
        }
        return;
      }
      case Json::value_t::string: {
        const std::string& x = a.get_ref<const std::string&>();
        const std::string& y = b.get_ref<const std::string&>();
        if (x != y && comparer_.mask(x) != comparer_.mask(y)) report(shown(a), shown(b));
        return;
      }
      default:
        if (a != b) report(shown(a), shown(b));
        return;
    }
  }

 private:
  bool full() const { return out_.size() >= ResponseComparer::kMaxDifferences; }

  void push(const std::string& key) {
    JsonPathStep s;
    s.kind = JsonPathStep::Kind::kKey;
    s.key = key;
    steps_.push_back(std::move(s));
    bool simple = !key.empty() && std::all_of(key.begin(), key.end(), [](unsigned char c) {
      return std::isalnum(c) || c == '_' || c == '-';
    });
    lengths_.push_back(text_.size());
    if (simple) {
      text_ += '.';
      text_ += key;
    } else {
      text_ += "['";
      text_ += key;
      text_ += "']";
    }
  }
  void push(std::size_t index) {
    JsonPathStep s;
    s.kind = JsonPathStep::Kind::kIndex;
    s.index = index;
    steps_.push_back(std::move(s));
    lengths_.push_back(text_.size());
    text_ += '[';
    text_ += std::to_string(index);
    text_ += ']';
  }
  void pop() {
    steps_.pop_back();
    text_.resize(lengths_.back());
    lengths_.pop_back();
  }

  /// True when an ignore path matches the current path exactly (its subtree
  /// is then skipped: the walk never goes below an ignored node).
  bool ignored() const {
    for (const JsonPath& p : ignore_) {
      if (p.size() != steps_.size()) continue;
      bool all = true;
      for (std::size_t i = 0; i < p.size() && all; ++i) {
        const JsonPathStep& want = p[i];
        const JsonPathStep& have = steps_[i];
        switch (want.kind) {
          case JsonPathStep::Kind::kAny: break;
          case JsonPathStep::Kind::kAnyKey: all = have.kind == JsonPathStep::Kind::kKey; break;
          case JsonPathStep::Kind::kAnyIndex: all = have.kind == JsonPathStep::Kind::kIndex; break;
          case JsonPathStep::Kind::kKey: all = have.kind == JsonPathStep::Kind::kKey && have.key == want.key; break;
          case JsonPathStep::Kind::kIndex: all = have.kind == JsonPathStep::Kind::kIndex && have.index == want.index; break;
        }
      }
      if (all) return true;
    }
    return false;
  }

  void report(std::string legacy, std::string service) {
    if (full()) return;
    out_.push_back({text_, std::move(legacy), std::move(service)});
  }

  const ResponseComparer& comparer_;
  const std::vector<JsonPath>& ignore_;
  std::vector<Difference>& out_;
  std::vector<JsonPathStep> steps_;
  std::vector<std::size_t> lengths_;
  std::string text_ = "$";
};

/// Where two byte bodies first differ, with a little context each side.
Difference byteDifference(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  std::size_t from = i > 40 ? i - 40 : 0;
  Difference d;
  d.where = "body";
  d.legacy = "@" + std::to_string(i) + " of " + std::to_string(a.size()) + ": " + shorten(a.substr(std::min(from, a.size())));
  d.service = "@" + std::to_string(i) + " of " + std::to_string(b.size()) + ": " + shorten(b.substr(std::min(from, b.size())));
  return d;
}

}  // namespace

std::string CapturedResponse::header(std::string_view name, bool& found) const {
  std::string out;
  found = false;
  for (const auto& [n, v] : headers) {
    if (!http::equalsIgnoreCase(n, name)) continue;
    if (found) out += ", ";
    out += v;
    found = true;
  }
  return out;
}

Expected<JsonPath> parseJsonPath(std::string_view text) {
  if (text.empty() || text.front() != '$') return Status::error("must start with '$'");
  JsonPath path;
  std::size_t i = 1;
  while (i < text.size()) {
    JsonPathStep step;
    if (text[i] == '.') {
      ++i;
      if (i < text.size() && text[i] == '*') {
        step.kind = JsonPathStep::Kind::kAnyKey;
        ++i;
      } else {
        std::size_t end = i;
        while (end < text.size() && text[end] != '.' && text[end] != '[') ++end;
        if (end == i) return Status::error("empty name after '.' at " + std::to_string(i));
        step.key.assign(text.substr(i, end - i));
        i = end;
      }
    } else if (text[i] == '[') {
      std::size_t close;
      if (i + 1 < text.size() && (text[i + 1] == '\'' || text[i + 1] == '"')) {
        char quote = text[i + 1];
        std::size_t end = text.find(quote, i + 2);
        if (end == std::string_view::npos || end + 1 >= text.size() || text[end + 1] != ']')
          return Status::error("unterminated quoted name at " + std::to_string(i));
        step.key.assign(text.substr(i + 2, end - i - 2));
        close = end + 1;
      } else {
        close = text.find(']', i);
        if (close == std::string_view::npos) return Status::error("missing ']' at " + std::to_string(i));
        std::string_view inner = text.substr(i + 1, close - i - 1);
        if (inner == "*") {
          step.kind = JsonPathStep::Kind::kAny;
        } else {
          if (inner.empty() || inner.size() > 9 ||
              !std::all_of(inner.begin(), inner.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return Status::error("expected [N], [*] or ['name'] at " + std::to_string(i));
          step.kind = JsonPathStep::Kind::kIndex;
          step.index = std::stoul(std::string(inner));
        }
      }
      i = close + 1;
    } else {
      return Status::error("expected '.' or '[' at " + std::to_string(i));
    }
    path.push_back(std::move(step));
  }
  return path;
}

std::string checkJsonPath(std::string_view text) {
  auto p = parseJsonPath(text);
  return p ? std::string() : p.error();
}

std::string checkRegex(const std::string& pattern) {
  try {
    std::regex re(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return e.what();
  }
  return {};
}

Expected<std::shared_ptr<const ResponseComparer>> ResponseComparer::compile(const ShadowCompareConfig& config) {
  std::shared_ptr<ResponseComparer> c(new ResponseComparer());
  c->config_ = config;
  for (std::string& h : c->config_.headers)
    std::transform(h.begin(), h.end(), h.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  for (const std::string& p : config.ignore_json_paths) {
    auto path = parseJsonPath(p);
    if (!path) return Status::error("ignore_json_paths '" + p + "': " + path.error());
    c->ignore_paths_.push_back(std::move(*path));
  }
  for (const std::string& p : config.ignore_patterns) {
    try {
      c->patterns_.emplace_back(p, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error& e) {
      return Status::error("ignore_patterns '" + p + "': " + e.what());
    }
  }
  return std::shared_ptr<const ResponseComparer>(std::move(c));
}

std::string ResponseComparer::mask(std::string_view text) const {
  std::string out(text);
  for (const std::regex& re : patterns_) out = std::regex_replace(out, re, std::string(kPlaceholder));
  return out;
}

std::vector<Difference> ResponseComparer::compare(const CapturedResponse& legacy, const CapturedResponse& service) const {
  std::vector<Difference> out;
  if (config_.status && legacy.status != service.status)
    out.push_back({"status", std::to_string(legacy.status), std::to_string(service.status)});
  for (const std::string& name : config_.headers) {
    bool in_legacy = false, in_service = false;
    std::string a = legacy.header(name, in_legacy);
    std::string b = service.header(name, in_service);
    if (in_legacy != in_service || (a != b && mask(a) != mask(b)))
      out.push_back({"header:" + name, in_legacy ? shorten(a) : std::string(kAbsent),
                     in_service ? shorten(b) : std::string(kAbsent)});
  }
  if (!config_.body) return out;
  if (legacy.truncated || service.truncated) {
    out.push_back({"body", legacy.truncated ? "(over the capture limit)" : "(complete)",
                   service.truncated ? "(over the capture limit)" : "(complete)"});
    return out;
  }
  if (legacy.body == service.body) return out;
  if (looksJson(legacy) || looksJson(service)) {
    Json a = Json::parse(legacy.body, nullptr, false);
    Json b = Json::parse(service.body, nullptr, false);
    if (!a.is_discarded() && !b.is_discarded()) {
      JsonWalker(*this, ignore_paths_, out).walk(a, b);
      return out;
    }
  }
  std::string a = mask(legacy.body);
  std::string b = mask(service.body);
  if (a != b) out.push_back(byteDifference(a, b));
  return out;
}

std::size_t removeNoise(std::vector<Difference>& diffs, const std::vector<Difference>& legacy_vs_legacy) {
  auto covered = [&](const std::string& where) {
    for (const Difference& n : legacy_vs_legacy) {
      if (where == n.where) return true;
      if (n.where.size() < where.size() && where.compare(0, n.where.size(), n.where) == 0 &&
          (where[n.where.size()] == '.' || where[n.where.size()] == '['))
        return true;
    }
    return false;
  };
  std::size_t before = diffs.size();
  diffs.erase(std::remove_if(diffs.begin(), diffs.end(), [&](const Difference& d) { return covered(d.where); }),
              diffs.end());
  return before - diffs.size();
}

bool decodeChunked(std::string_view in, std::string& out) {
  out.clear();
  std::size_t pos = 0;
  while (true) {
    std::size_t eol = in.find("\r\n", pos);
    if (eol == std::string_view::npos) return false;
    std::string_view line = in.substr(pos, eol - pos);
    if (std::size_t semi = line.find(';'); semi != std::string_view::npos) line = line.substr(0, semi);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.empty() || line.size() > 15) return false;
    std::uint64_t size = 0;
    for (char c : line) {
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) return false;
      size = size * 16 + static_cast<std::uint64_t>(d);
    }
    pos = eol + 2;
    if (size == 0) return true;  // trailers are not compared
    if (in.size() - pos < size + 2) return false;
    out.append(in.substr(pos, size));
    pos += size;
    if (in.substr(pos, 2) != "\r\n") return false;
    pos += 2;
  }
}

}  // namespace strangler
