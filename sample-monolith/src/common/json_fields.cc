#include "common/json_fields.h"

#include "common/errors.h"

namespace bookstore {
namespace {

std::string describe(const char* key, const char* expectation) {
  return std::string("field '") + key + "' " + expectation;
}

}  // namespace

std::optional<std::string> optionalString(const Json& body, const char* key, size_t max_length) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw AppError::invalid(describe(key, "must be a string"));
  std::string value = it->get<std::string>();
  size_t first = value.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) throw AppError::invalid(describe(key, "must not be blank"));
  value = value.substr(first, value.find_last_not_of(" \t\r\n") - first + 1);
  if (value.size() > max_length) {
    throw AppError::invalid(describe(key, "is too long") + " (max " + std::to_string(max_length) + ")");
  }
  return value;
}

std::string requireString(const Json& body, const char* key, size_t max_length) {
  auto value = optionalString(body, key, max_length);
  if (!value) throw AppError::invalid(describe(key, "is required"));
  return *value;
}

std::optional<int64_t> optionalInt(const Json& body, const char* key, int64_t lo, int64_t hi) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer()) throw AppError::invalid(describe(key, "must be an integer"));
  // Unsigned values above INT64_MAX do not fit; reject them rather than wrap.
  if (it->is_number_unsigned() && it->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    throw AppError::invalid(describe(key, "is out of range"));
  }
  int64_t value = it->get<int64_t>();
  if (value < lo || value > hi) {
    throw AppError::invalid(describe(key, "must be between ") + std::to_string(lo) + " and " +
                            std::to_string(hi));
  }
  return value;
}

int64_t requireInt(const Json& body, const char* key, int64_t lo, int64_t hi) {
  auto value = optionalInt(body, key, lo, hi);
  if (!value) throw AppError::invalid(describe(key, "is required"));
  return *value;
}

std::optional<bool> optionalBool(const Json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) throw AppError::invalid(describe(key, "must be true or false"));
  return it->get<bool>();
}

const Json& requireObjectArray(const Json& body, const char* key, size_t max_items) {
  auto it = body.find(key);
  if (it == body.end()) throw AppError::invalid(describe(key, "is required"));
  if (!it->is_array() || it->empty()) throw AppError::invalid(describe(key, "must be a non-empty array"));
  if (it->size() > max_items) {
    throw AppError::invalid(describe(key, "has too many entries") + " (max " + std::to_string(max_items) + ")");
  }
  for (const auto& item : *it) {
    if (!item.is_object()) throw AppError::invalid(describe(key, "must contain objects"));
  }
  return *it;
}

bool looksLikeEmail(const std::string& text) {
  size_t at = text.find('@');
  if (at == std::string::npos || at == 0 || text.find('@', at + 1) != std::string::npos) return false;
  size_t dot = text.find('.', at);
  return dot != std::string::npos && dot > at + 1 && dot + 1 < text.size() &&
         text.find_first_of(" \t\r\n<>") == std::string::npos;
}

}  // namespace bookstore
