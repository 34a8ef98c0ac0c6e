// Reads a whole input file (internal).
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "seam/reports/result.h"

namespace seam::reports::internal {

inline Result<std::string> readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path + ": cannot open"};
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Error{path + ": cannot read"};
  return ss.str();
}

}  // namespace seam::reports::internal
