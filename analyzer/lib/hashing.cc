#include "hashing.h"

#include <algorithm>

#include "llvm/Support/xxhash.h"

namespace seam::analyzer {

std::string contentHash(std::string_view bytes) {
  uint64_t h = llvm::xxHash64(llvm::StringRef(bytes.data(), bytes.size()));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[i] = kHex[h & 0xf];
  return out;
}

std::string inputsHash(std::vector<std::pair<std::string, std::string>> files) {
  std::sort(files.begin(), files.end());
  std::string joined;
  for (const auto& [path, hash] : files) {
    joined += path;
    joined += '\0';
    joined += hash;
    joined += '\n';
  }
  return contentHash(joined);
}

int64_t stableId(std::string_view key) {
  uint64_t h = llvm::xxHash64(llvm::StringRef(key.data(), key.size()));
  return static_cast<int64_t>(h & 0x7fffffffffffffffULL);
}

}  // namespace seam::analyzer
