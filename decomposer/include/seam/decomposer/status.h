// Errors as values for the decomposer library (leveldb's Status, abseil's
// StatusOr). Library code never throws on bad input and never exits; the CLI
// turns an error into `seam <cmd>: <message>` and an exit code.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace seam::decomposer {

/// Why an operation failed. The CLI maps each code to an exit code.
enum class ErrorCode {
  kBadInput,     ///< unreadable, malformed or foreign input (db, graph, yaml, json)
  kBadArgument,  ///< nonsense option values: weights, resolution, constraint names
  kConflict,     ///< constraints that cannot all hold (pin + apart, N > nodes)
  kIo,           ///< cannot write an output file
};

struct Error {
  ErrorCode code = ErrorCode::kBadInput;
  std::string message;  ///< one line, names the offending input
};

inline Error badInput(std::string m) { return {ErrorCode::kBadInput, std::move(m)}; }
inline Error badArgument(std::string m) { return {ErrorCode::kBadArgument, std::move(m)}; }
inline Error conflict(std::string m) { return {ErrorCode::kConflict, std::move(m)}; }
inline Error ioError(std::string m) { return {ErrorCode::kIo, std::move(m)}; }

/// A value or an Error. Check with ok() (or operator bool) before value().
template <typename T>
class Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Expected(Error error) : v_(std::move(error)) {}      // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return std::get<0>(v_); }
  const T& operator*() const& { return std::get<0>(v_); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

/// Success or an Error, for operations without a result.
class Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  static Status Ok() { return {}; }
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace seam::decomposer
