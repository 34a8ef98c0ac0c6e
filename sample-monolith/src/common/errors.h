// Application errors shared by every module.
//
// Business code throws AppError with a kind; the HTTP layer (common/http.cc)
// maps the kind to a status code and a JSON body {"error": "..."}. Anything
// else that escapes a handler (DbError, std::exception) becomes a 500. Because
// every multi-table write runs under a Transaction guard, throwing from the
// middle of a write rolls it back: there is no half-written order.
#pragma once

#include <stdexcept>
#include <string>

namespace bookstore {

enum class ErrorKind {
  kBadRequest,       // 400: malformed JSON, not an object, bad query string
  kPaymentRequired,  // 402: the gateway declined the card
  kNotFound,         // 404: unknown id
  kConflict,         // 409: insufficient stock, invalid status transition, duplicate
  kUnprocessable,    // 422: well-formed but invalid field values
};

class AppError : public std::runtime_error {
 public:
  AppError(ErrorKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}

  ErrorKind kind() const { return kind_; }

  static AppError badRequest(const std::string& m) { return {ErrorKind::kBadRequest, m}; }
  static AppError notFound(const std::string& m) { return {ErrorKind::kNotFound, m}; }
  static AppError conflict(const std::string& m) { return {ErrorKind::kConflict, m}; }
  static AppError invalid(const std::string& m) { return {ErrorKind::kUnprocessable, m}; }
  static AppError declined(const std::string& m) { return {ErrorKind::kPaymentRequired, m}; }

 private:
  ErrorKind kind_;
};

}  // namespace bookstore
