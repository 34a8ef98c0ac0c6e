// Writes a batch's JSON field and signature facts (json_fields_callsite.h)
// into the store's json_fields and type_members tables. Both are kept per
// origin file like every raw fact, so incremental runs and shard merges stay
// exact: FactStore::clearTu deletes a file's rows with its other facts, and
// FactStore::mergeFrom copies the rows of the files a shard claims.
#pragma once

#include <cstdint>
#include <vector>

#include "llvm/Support/Error.h"
#include "seam/analyzer/facts.h"

struct sqlite3;

namespace seam::analyzer {

/// Inserts b.json_fields and b.type_members whose origin file this TU owns (`writable[file]`),
/// with `file_ids` mapping batch file indexes to store ids.
llvm::Error writeJsonFields(sqlite3* db, const FactBatch& b, const std::vector<int64_t>& file_ids,
                            const std::vector<char>& writable);

}  // namespace seam::analyzer
