// Errors as values for the contracts library (leveldb's Status, abseil's
// StatusOr). Library code never throws on bad input and never exits; the CLI
// turns an Error into `seam contracts: <message>` and an exit code.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace seam::contracts {

enum class ErrorCode {
  kBadInput,  ///< missing, foreign, old or malformed fact store or plan; a plan not matching the store
  kIo,        ///< the output directory or a file in it cannot be written
};

struct Error {
  ErrorCode code = ErrorCode::kBadInput;
  std::string message;  ///< one line, names the offending input
};

inline Error badInput(std::string m) { return {ErrorCode::kBadInput, std::move(m)}; }
inline Error ioError(std::string m) { return {ErrorCode::kIo, std::move(m)}; }

/// A value or an Error. Check ok() before value().
template <typename T>
class Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Expected(Error error) : v_(std::move(error)) {}  // NOLINT
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

}  // namespace seam::contracts
