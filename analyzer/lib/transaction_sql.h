// Transaction-control SQL: which statements open, end or nest a transaction.
//
// A pure function over text, shared by the collector (string literals at
// call sites) and the store pass (sql_statements.text). The grammar is
// SQLite's, plus START TRANSACTION / COMMIT WORK (PostgreSQL, MySQL), and is
// strict: every token after the verb must be one the grammar allows, so
// "Begin processing" or "END of report" are not statements.
#pragma once

#include <string>
#include <string_view>

namespace seam::analyzer {

enum class TxVerb { kNone, kBegin, kCommit, kRollback, kSavepoint, kRelease, kRollbackTo };

struct TxStatement {
  TxVerb verb = TxVerb::kNone;
  std::string name;  ///< savepoint name (SAVEPOINT, RELEASE, ROLLBACK TO); may be a prefix
};

/// Classifies one statement. `prefix` = the text is only the start of the
/// statement (a literal followed by a runtime part, "SAVEPOINT sp" + n): the
/// last token may then be incomplete and a missing savepoint name is allowed.
TxStatement classifyTransactionSql(std::string_view text, bool prefix = false);

/// "begin", "commit", ... as stored in transaction_sites.kind; "" for kNone.
const char* toString(TxVerb verb);

/// Begin/savepoint open a scope; commit/rollback/release end one.
inline bool opensScope(TxVerb v) { return v == TxVerb::kBegin || v == TxVerb::kSavepoint; }
inline bool endsScope(TxVerb v) { return v == TxVerb::kCommit || v == TxVerb::kRollback || v == TxVerb::kRelease; }

}  // namespace seam::analyzer
