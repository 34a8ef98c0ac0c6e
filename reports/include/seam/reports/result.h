// Errors as values for the reports library: a function that can fail on bad
// input returns Result<T> (or Status) carrying a one-line, user-facing message
// that the CLI prints after "seam report: ". Nothing here throws on bad input.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace seam::reports {

/// A failure: one line that says what was wrong with which input.
struct Error {
  std::string message;
};

/// Either a value or an Error. Check ok() before value().
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}      // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<T>(v_); }
  const T& value() const { return std::get<T>(v_); }
  T& operator*() { return value(); }
  T* operator->() { return &value(); }
  const std::string& error() const { return std::get<Error>(v_).message; }

 private:
  std::variant<T, Error> v_;
};

/// Success, or an Error.
class Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error.message)) {}  // NOLINT: implicit by design
  static Status Ok() { return Status(); }
  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const std::string& error() const { return *error_; }

 private:
  std::optional<std::string> error_;
};

}  // namespace seam::reports
