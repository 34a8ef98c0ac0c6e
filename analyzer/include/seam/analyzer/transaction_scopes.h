// The whole-store transaction pass, run after resolveSql on every analyze
// and merge (documented in docs/fact-store.md#transactions):
//
//   transaction_sites (raw, per origin)  + sql_statements / table_access
//   => guard classes: constructor reaches BEGIN/SAVEPOINT (<= 2 calls) or seam.yaml
//   => scopes per function: guards, BEGIN..COMMIT, SAVEPOINT..RELEASE,
//      with certainty (exact | unbalanced | cross_function | nested) and a note
//   => groups: call sites inside the scope, then the call closure over edges
//      => transaction_calls, transaction_access (table, op, depth)
//   => transaction_routes: routes whose handler reaches the entry function
//
// Everything read is derived or raw per-origin data, so the result depends on
// the store's facts only, never on TU order: shard merges and incremental runs
// equal a full run. The four output tables are deleted and rebuilt in one
// transaction (rolled back on error).
#pragma once

#include <cstddef>

#include "llvm/Support/Error.h"

struct sqlite3;

namespace seam::analyzer {

struct TransactionStats {
  size_t transactions = 0;
  size_t exact = 0;       ///< of which certainty = exact
  size_t accesses = 0;    ///< transaction_access rows
  size_t calls = 0;       ///< transaction_calls rows
};

llvm::Expected<TransactionStats> computeTransactions(sqlite3* store);

}  // namespace seam::analyzer
