#include "seam/analyzer/module_mapper.h"

#include <array>

namespace seam::analyzer {
namespace {

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

std::string_view parentDir(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view(".") : path.substr(0, slash);
}

/// First `depth` components of a relative directory (0 = all).
std::string cutDepth(std::string_view dir, unsigned depth) {
  if (depth == 0) return std::string(dir);
  size_t pos = 0;
  for (unsigned i = 0; i < depth; ++i) {
    pos = dir.find('/', pos);
    if (pos == std::string_view::npos) return std::string(dir);
    ++pos;
  }
  return std::string(dir.substr(0, pos - 1));
}

}  // namespace

std::string externalModuleName(std::string_view path) {
  // System include trees: the standard library and libc are one module each;
  // anything else is named by its first component below the include root
  // (boost, sqlite3, nlohmann, httplib, ...).
  static constexpr std::array<std::string_view, 3> kRoots = {"/usr/include/", "/usr/local/include/",
                                                             "/usr/lib/"};
  if (path.find("/include/c++/") != std::string_view::npos ||
      path.find("/lib/clang/") != std::string_view::npos) {
    return "external:std";
  }
  for (std::string_view root : kRoots) {
    if (!startsWith(path, root)) continue;
    std::string_view rest = path.substr(root.size());
    size_t slash = rest.find('/');
    std::string_view first = slash == std::string_view::npos ? rest : rest.substr(0, slash);
    if (first == "x86_64-linux-gnu" || first == "aarch64-linux-gnu" || first == "bits" ||
        first == "sys" || first == "linux" || first == "asm-generic" || first == "gnu") {
      return "external:libc";
    }
    if (slash == std::string_view::npos) {
      // A header directly in the include root: sqlite3.h => sqlite3; C headers => libc.
      size_t dot = first.find('.');
      std::string_view stem = first.substr(0, dot);
      static constexpr std::array<std::string_view, 24> kLibc = {
          "stdio", "stdlib", "string", "strings", "stdint", "stddef", "errno", "assert",
          "ctype", "math", "time", "signal", "unistd", "fcntl", "pthread", "locale",
          "wchar", "limits", "setjmp", "stdarg", "features", "sched", "inttypes", "alloca"};
      for (std::string_view c : kLibc) {
        if (stem == c) return "external:libc";
      }
      return "external:" + std::string(stem);
    }
    return "external:" + std::string(first);
  }
  // Outside any known include root: name it by its parent directory.
  std::string_view dir = parentDir(path);
  size_t slash = dir.rfind('/');
  std::string_view last = slash == std::string_view::npos ? dir : dir.substr(slash + 1);
  return "external:" + std::string(last.empty() ? "root" : last);
}

ModuleMapper::ModuleMapper(std::string root, const AnalyzerConfig& config)
    : root_(std::move(root)), config_(config) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
  // Regexes were validated by parseConfig; an invalid one here is a bug.
  for (const ModuleRule& rule : config_.rules) rule_regexes_.emplace_back(rule.match);
  for (const std::string& ex : config_.exclude) exclude_regexes_.emplace_back(ex);
}

FileModule ModuleMapper::map(std::string_view abs) const {
  FileModule out;
  bool inside = root_ == "/" ? startsWith(abs, "/")
                             : startsWith(abs, root_) && abs.size() > root_.size() &&
                                   abs[root_.size()] == '/';
  if (!inside) {
    out.path = std::string(abs);
    out.module = externalModuleName(abs);
    out.external = true;
    return out;
  }
  out.path = std::string(abs.substr(root_ == "/" ? 1 : root_.size() + 1));
  for (const std::regex& ex : exclude_regexes_) {
    if (std::regex_search(out.path, ex)) {
      out.module = externalModuleName(abs);
      out.external = true;
      return out;
    }
  }
  for (size_t i = 0; i < rule_regexes_.size(); ++i) {
    if (std::regex_search(out.path, rule_regexes_[i])) {
      out.module = config_.rules[i].module;
      return out;
    }
  }
  std::string_view dir = parentDir(out.path);
  if (!config_.roots.empty()) {
    for (const std::string& r : config_.roots) {
      if (dir == r) {
        out.module = r;
        return out;
      }
      if (startsWith(dir, r) && dir.size() > r.size() && dir[r.size()] == '/') {
        std::string_view below = dir.substr(r.size() + 1);
        out.module = r + "/" + cutDepth(below, config_.depth == 0 ? 1 : config_.depth);
        return out;
      }
    }
  }
  out.module = cutDepth(dir, config_.depth);
  return out;
}

std::string ModuleMapper::moduleForNamespace(std::string_view ns) const {
  if (ns.empty()) return "(global)";
  unsigned depth = config_.namespace_depth == 0 ? UINT32_MAX : config_.namespace_depth;
  size_t pos = 0;
  for (unsigned i = 0; i < depth; ++i) {
    pos = ns.find("::", pos);
    if (pos == std::string_view::npos) return std::string(ns);
    pos += 2;
  }
  return std::string(ns.substr(0, pos - 2));
}

}  // namespace seam::analyzer
