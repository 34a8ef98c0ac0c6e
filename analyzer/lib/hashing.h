// Content and command hashing for incremental analysis. Both sides of the
// comparison (the parser thread hashing SourceManager buffers, the planner
// hashing files on disk) must use exactly these functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace seam::analyzer {

/// xxHash64 of `bytes` as 16 lower-case hex digits.
std::string contentHash(std::string_view bytes);

/// Hash over (stored path, content hash) pairs, order-independent (sorted
/// first). Identifies the exact inputs a TU was analysed from.
std::string inputsHash(std::vector<std::pair<std::string, std::string>> files);

/// A 63-bit id for a string key (file paths, module names): stable across
/// runs, shards and machines, so stores merge without renumbering.
int64_t stableId(std::string_view key);

}  // namespace seam::analyzer
