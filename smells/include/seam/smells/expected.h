// Errors as values for the smells library: Expected<T> holds a T or an Error.
// Library code never throws on bad input; the CLI maps Error::kind to an exit
// code (docs/exit-codes.md).
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace seam::smells {

struct Error {
  enum Kind {
    kBadInput,  ///< missing/malformed file, foreign database, plan that does not match
    kUsage,     ///< options that contradict each other
  };
  Kind kind = kBadInput;
  std::string message;  ///< one line, names the offending file/entry
};

inline Error badInput(std::string message) { return {Error::kBadInput, std::move(message)}; }

template <typename T>
class Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Expected(Error error) : v_(std::move(error)) {}      // NOLINT: implicit by design
  explicit operator bool() const { return v_.index() == 0; }
  T& operator*() { return std::get<0>(v_); }
  const T& operator*() const { return std::get<0>(v_); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

/// For operations that return nothing but may fail.
struct Ok {};
using Status = Expected<Ok>;

}  // namespace seam::smells
