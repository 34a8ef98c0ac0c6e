// seam merge: shard stores => one store equal to a single full run.
//
// Shards come from `seam analyze --shard I/N` over disjoint TU sets. File ids
// and symbol ids are hashes (of paths and USRs), so rows need no renumbering;
// a header's facts are taken from the first input that recorded them, exactly
// as a full run keeps the first TU's. Derived tables (symbols, edges, SQL
// statements, table accesses) are then rebuilt from the merged raw rows.
#pragma once

#include <string>
#include <vector>

#include "llvm/Support/Error.h"
#include "seam/analyzer/sql_resolve.h"

namespace seam::analyzer {

struct MergeSummary {
  size_t inputs = 0, tus = 0, symbols = 0, edges = 0;
};

/// Writes `output` atomically (output.tmp, then rename). Inputs are only read.
llvm::Expected<MergeSummary> mergeStores(const std::vector<std::string>& inputs, const std::string& output,
                                         const SqlOptions& sql);

}  // namespace seam::analyzer
