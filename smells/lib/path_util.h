// Small string helpers shared by the smells library (private header).
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace seam::smells {

/// "a/./b//c/" -> {"a", "b", "c"}; views into `path`.
inline std::vector<std::string_view> pathComponents(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view c = path.substr(i, j - i);
    if (!c.empty() && c != ".") out.push_back(c);
    i = j + 1;
  }
  return out;
}

/// Last path component, or the part after the last "::" of a namespace module name.
inline std::string_view lastComponent(std::string_view name) {
  size_t colons = name.rfind("::");
  if (colons != std::string_view::npos) return name.substr(colons + 2);
  auto parts = pathComponents(name);
  return parts.empty() ? name : parts.back();
}

inline std::string toLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace seam::smells
