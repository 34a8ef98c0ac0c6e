// Stable cross-TU symbol identity: a 63-bit hash of the Clang USR, as clangd's
// index does. Positive so it fits SQLite's INTEGER PRIMARY KEY.
#pragma once

#include <cstdint>
#include <string_view>

#include "llvm/Support/xxhash.h"

namespace seam::analyzer {

inline int64_t symbolIdFromUsr(std::string_view usr) {
  uint64_t h = llvm::xxHash64(llvm::StringRef(usr.data(), usr.size()));
  return static_cast<int64_t>(h & 0x7fffffffffffffffULL);
}

}  // namespace seam::analyzer
