// Hard-coded service addresses in C/C++ string literals (SEAM008).
//
// The fact store records string literals only where they are call arguments
// (sql_candidates), and a client address is often a global or a member
// initialiser, so the rule scans the source files listed in `files` itself:
//   bytes -> string literals (comments skipped, raw strings handled) -> address patterns
// The scanner is a pure function over text, so it is unit-tested directly.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace seam::smells {

struct EndpointLiteral {
  int line = 0;
  int col = 0;        // 1-based column of the opening quote
  std::string text;   // the literal's contents
  std::string kind;   // url | host:port | ip | localhost
};

/// Every string literal in `source` that names a network endpoint: a URL with
/// a scheme and host, host:port, an IPv4 address, or exactly "localhost".
/// Wildcard bind addresses (0.0.0.0, ::) and version-like dotted numbers
/// inside longer text are not endpoints.
std::vector<EndpointLiteral> scanEndpoints(std::string_view source);

/// Classifies one literal's contents; empty when it is not an endpoint.
std::string classifyEndpoint(std::string_view literal);

}  // namespace seam::smells
