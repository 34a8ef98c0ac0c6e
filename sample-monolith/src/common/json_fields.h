// Typed access to request-body fields with validation. Every getter throws
// AppError::invalid (422) naming the field when it is missing, has the wrong
// JSON type or is out of range, so handlers read like a spec of their input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace bookstore {

using Json = nlohmann::json;

std::string requireString(const Json& body, const char* key, size_t max_length = 200);
std::optional<std::string> optionalString(const Json& body, const char* key, size_t max_length = 200);
int64_t requireInt(const Json& body, const char* key, int64_t lo, int64_t hi);
std::optional<int64_t> optionalInt(const Json& body, const char* key, int64_t lo, int64_t hi);
std::optional<bool> optionalBool(const Json& body, const char* key);
/// An array of objects (e.g. order items); 1..max_items entries.
const Json& requireObjectArray(const Json& body, const char* key, size_t max_items);

/// A plausible e-mail address: one '@', something on both sides, a dot in the domain.
bool looksLikeEmail(const std::string& text);

}  // namespace bookstore
