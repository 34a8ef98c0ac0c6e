#include "seam/decomposer/weights.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace seam::decomposer {

const std::vector<std::string>& Weights::knownKinds() {
  static const std::vector<std::string> kinds = {
      "call",   "virtual_call", "override", "type_use", "inherit",  "include", "global_read",
      "global_write", "co_write", "read_write", "co_read", "owner_write", "owner_read", "co_change", "traffic"};
  return kinds;
}

const std::vector<std::string>& Weights::dataKinds() {
  static const std::vector<std::string> kinds = {"co_write", "read_write", "co_read", "owner_write", "owner_read"};
  return kinds;
}

Weights::Weights() {
  by_kind = {
      {"call", 1.0},      {"virtual_call", 1.0}, {"override", 0.5},     {"type_use", 0.5}, {"inherit", 2.0},
      {"include", 0.5},   {"global_read", 1.0},  {"global_write", 2.0}, {"co_write", 10.0},
      {"read_write", 3.0}, {"co_read", 1.0},      {"owner_write", 3.0},  {"owner_read", 1.0},
      {"co_change", 5.0},  {"traffic", 1.0},
  };
}

double Weights::operator[](const std::string& kind) const {
  auto it = by_kind.find(kind);
  return it == by_kind.end() ? 0.0 : it->second;
}

Weights Weights::structureOnly() const {
  Weights w = *this;
  for (const std::string& k : dataKinds()) w.by_kind[k] = 0.0;
  return w;
}

Status Weights::set(const std::string& kind, double w) {
  if (!by_kind.count(kind)) {
    std::string known;
    for (const std::string& k : knownKinds()) known += (known.empty() ? "" : ",") + k;
    return badArgument("unknown weight kind '" + kind + "' (known: " + known + ")");
  }
  if (!std::isfinite(w) || w < 0 || w > 1e6) {
    return badArgument("weight for '" + kind + "' must be a number in [0, 1e6]");
  }
  by_kind[kind] = w;
  return Status::Ok();
}

Status Weights::apply(const std::string& spec) {
  std::stringstream in(spec);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item.empty()) continue;
    size_t eq = item.find('=');
    if (eq == std::string::npos) return badArgument("weights: expected kind=value, got '" + item + "'");
    std::string kind = item.substr(0, eq), value = item.substr(eq + 1);
    errno = 0;
    char* end = nullptr;
    double w = std::strtod(value.c_str(), &end);
    if (value.empty() || end != value.c_str() + value.size() || errno == ERANGE) {
      return badArgument("weights: '" + value + "' is not a number (for '" + kind + "')");
    }
    if (Status s = set(kind, w); !s) return s;
  }
  return Status::Ok();
}

}  // namespace seam::decomposer
