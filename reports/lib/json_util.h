// Tolerant accessors over nlohmann::json for the optional inputs (internal).
// Inputs come from other stages whose formats may grow; unknown keys are
// ignored and a field of the wrong type reads as absent, never throws.
#pragma once

#include <initializer_list>
#include <string>

#include <nlohmann/json.hpp>

namespace seam::reports::internal {

/// The first of `keys` present in object `j`, or nullptr.
inline const nlohmann::json* field(const nlohmann::json& j, std::initializer_list<const char*> keys) {
  if (!j.is_object()) return nullptr;
  for (const char* k : keys) {
    auto it = j.find(k);
    if (it != j.end() && !it->is_null()) return &*it;
  }
  return nullptr;
}

inline std::string str(const nlohmann::json& j, std::initializer_list<const char*> keys) {
  const nlohmann::json* v = field(j, keys);
  if (!v) return {};
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number() || v->is_boolean()) return v->dump();
  if (v->is_object()) {  // SARIF-style {"text": "..."}
    const nlohmann::json* t = field(*v, {"text", "name"});
    if (t && t->is_string()) return t->get<std::string>();
  }
  return {};
}

inline double num(const nlohmann::json& j, std::initializer_list<const char*> keys, double fallback = 0) {
  const nlohmann::json* v = field(j, keys);
  return v && v->is_number() ? v->get<double>() : fallback;
}

inline int integer(const nlohmann::json& j, std::initializer_list<const char*> keys, int fallback = 0) {
  const nlohmann::json* v = field(j, keys);
  if (!v || !v->is_number()) return fallback;
  double d = v->get<double>();
  return d > 1e9 ? 1000000000 : d < -1e9 ? -1000000000 : static_cast<int>(d);
}

/// Parses `text`; on failure sets `error` and returns a discarded value.
inline nlohmann::json parse(const std::string& text, std::string& error) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) error = "not valid JSON";
  return j;
}

}  // namespace seam::reports::internal
