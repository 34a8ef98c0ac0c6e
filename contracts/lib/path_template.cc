#include "seam/contracts/path_template.h"

#include <cctype>

namespace seam::contracts {
namespace {

bool hasRegexMeta(const std::string& s) {
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\') {
      ++i;  // an escaped character is a literal (checked by the caller)
      continue;
    }
    if (c == '*' || c == '+' || c == '?' || c == '[' || c == ']' || c == '|' || c == '(' || c == ')' || c == '^' ||
        c == '$' || c == '.') {
      return true;
    }
  }
  return false;
}

std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    out += s[i];
  }
  return out;
}

/// The JSON type a capture group's regex matches.
std::string groupType(const std::string& inner) {
  if (inner == "\\d+" || inner == "[0-9]+" || inner == "\\d*" || inner == "[0-9]*") return "integer";
  if (inner == "-?\\d+" || inner == "-?[0-9]+") return "integer";
  return "string";
}

}  // namespace

PathTemplate toPathTemplate(const std::string& raw) {
  PathTemplate t;
  std::string pattern = raw;
  if (!pattern.empty() && pattern.front() == '^') pattern.erase(0, 1);
  if (!pattern.empty() && pattern.back() == '$' && (pattern.size() < 2 || pattern[pattern.size() - 2] != '\\'))
    pattern.pop_back();
  if (pattern.empty() || pattern[0] != '/') {
    pattern = "/" + pattern;
    t.exact = false;
  }
  auto nextName = [&](const std::string& preferred) {
    std::string base = preferred.empty() ? "id" : preferred;
    std::string name = base;
    for (int n = 2;; ++n) {
      bool taken = false;
      for (const PathParameter& p : t.parameters) taken = taken || p.name == name;
      if (!taken) return name;
      name = base + std::to_string(n);
    }
  };
  size_t pos = 0;
  std::string out;
  int unnamed = 0;
  while (pos < pattern.size()) {
    size_t slash = pattern.find('/', pos + 1);
    // A regex group may contain '/' only in exotic patterns: such a segment is inexact anyway.
    std::string seg = pattern.substr(pos + 1, slash == std::string::npos ? std::string::npos : slash - pos - 1);
    pos = slash == std::string::npos ? pattern.size() : slash;
    out += '/';
    if (seg.size() > 1 && seg[0] == ':') {  // Express / httplib path parameter
      std::string name = nextName(seg.substr(1));
      t.parameters.push_back({name, "string", seg});
      out += "{" + name + "}";
    } else if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
      std::string name = nextName(seg.substr(1, seg.size() - 2));
      t.parameters.push_back({name, "string", seg});
      out += "{" + name + "}";
    } else if (seg.size() > 2 && seg.front() == '<' && seg.back() == '>') {  // Crow
      std::string kind = seg.substr(1, seg.size() - 2);
      std::string type = kind == "int" || kind == "uint" ? "integer" : kind == "double" ? "number" : "string";
      if (kind == "path") t.exact = false;
      std::string name = nextName("id");
      t.parameters.push_back({name, type, seg});
      out += "{" + name + "}";
    } else if (seg.size() > 2 && seg.front() == '(' && seg.back() == ')' &&
               seg.find('(', 1) == std::string::npos) {
      std::string inner = seg.substr(1, seg.size() - 2);
      if (inner.find('/') != std::string::npos || inner == ".*" || inner == ".+") t.exact = false;
      std::string name = nextName("id");
      t.parameters.push_back({name, groupType(inner), seg});
      out += "{" + name + "}";
    } else if (hasRegexMeta(seg)) {
      std::string name = "p" + std::to_string(++unnamed);
      t.parameters.push_back({nextName(name), "string", seg});
      out += "{" + t.parameters.back().name + "}";
      t.exact = false;
    } else {
      out += unescape(seg);
    }
  }
  if (out.empty()) out = "/";
  t.path = out;
  return t;
}

}  // namespace seam::contracts
