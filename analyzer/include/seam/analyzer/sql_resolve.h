// The whole-store SQL pass, run after every TU has been analysed:
//
//   sinks := built-in database APIs + seam.yaml extra sinks
//   fixpoint over sink_params: a function forwarding its parameter to a sink is a sink
//   sql_candidates at sinks that look like SQL => sql_statements
//   CREATE statements + --schema                => SchemaCatalog, db_objects
//   each statement, prepared under the authorizer => table_access
//
// The derived tables (sql_statements, table_access, db_objects) are deleted
// and rebuilt in one transaction, so the pass is idempotent and correct after
// incremental runs and shard merges.
#pragma once

#include <string>
#include <vector>

#include "llvm/Support/Error.h"

struct sqlite3;

namespace seam::analyzer {

/// A function (or method, or constructor) whose argument `arg_index` is SQL
/// text. `qualified_name` matches symbols' qualified_name exactly, e.g.
/// "sqlite3_exec", "Db::query", "QSqlQuery::QSqlQuery".
struct SinkSpec {
  std::string qualified_name;
  unsigned arg_index = 0;
};

struct SqlOptions {
  std::vector<SinkSpec> extra_sinks;  ///< from seam.yaml (sql.sinks)
  std::string schema_path;            ///< --schema: a .sql file or a SQLite database; empty = none
};

/// Counts from one pass, for logs and benchmarks.
struct SqlResolveStats {
  size_t sinks = 0;            ///< (function, arg) sinks after the fixpoint
  size_t statements = 0;       ///< sql_statements rows written
  size_t complete = 0;         ///< of which fully reconstructed
  size_t parsed_by_sqlite = 0; ///< of which prepared by SQLite
  size_t tokenized = 0;        ///< of which fell back to the tokenizer
  size_t accesses = 0;         ///< table_access rows written
  size_t db_objects = 0;       ///< db_objects rows written
};

/// The built-in sinks (SQLite, libpq, MySQL, ODBC, Qt). libpqxx methods are
/// matched by name on pqxx classes inside resolveSql, not listed here.
const std::vector<SinkSpec>& builtinSqlSinks();

/// Runs the pass on an open fact store. On error nothing is changed (the
/// transaction is rolled back). A schema_path that cannot be read is an error.
llvm::Expected<SqlResolveStats> resolveSql(sqlite3* store, const SqlOptions& options);

}  // namespace seam::analyzer
