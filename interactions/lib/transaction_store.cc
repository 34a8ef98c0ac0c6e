// Reads the schema v2 transaction tables (analyzer/lib/schema.sql) and
// edges.discarded. Read-only (SQLITE_OPEN_READONLY), fixed query strings.
// A store without them is a schema v1 store: one clear error, no guessing.
#include <sqlite3.h>

#include <memory>

#include "seam/interactions/interactions.h"

namespace seam::interactions {
namespace {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

std::string text(sqlite3_stmt* s, int col) {
  const unsigned char* t = sqlite3_column_text(s, col);
  return t ? reinterpret_cast<const char*>(t) : std::string();
}

template <typename RowFn>
decomposer::Status query(sqlite3* db, const std::string& source, const char* sql, RowFn row) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) {
    return decomposer::badInput(source + ": " + sqlite3_errmsg(db));
  }
  std::unique_ptr<sqlite3_stmt, StmtFinalizer> stmt(raw);
  int rc;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) row(raw);
  if (rc != SQLITE_DONE) return decomposer::badInput(source + ": " + sqlite3_errmsg(db));
  return decomposer::Status::Ok();
}

}  // namespace

Expected<TransactionFacts> loadTransactionFacts(const std::string& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, DbCloser> db(raw);
  if (rc != SQLITE_OK) return decomposer::badInput(path + ": cannot open (" + sqlite3_errstr(rc) + ")");

  int tables = 0, discarded_column = 0;
  decomposer::Status s = query(db.get(), path,
                               "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                               "('transactions', 'transaction_access', 'transaction_calls', 'transaction_routes')",
                               [&](sqlite3_stmt* r) { tables = sqlite3_column_int(r, 0); });
  if (s) {
    s = query(db.get(), path, "SELECT count(*) FROM pragma_table_info('edges') WHERE name = 'discarded'",
              [&](sqlite3_stmt* r) { discarded_column = sqlite3_column_int(r, 0); });
  }
  if (!s) return s.error();
  if (tables != 4 || discarded_column != 1) {
    return decomposer::badInput(path +
                                ": fact store has no transaction scopes (schema version 1); re-run seam analyze");
  }

  TransactionFacts f;
  s = query(db.get(), path,
            "SELECT id, IFNULL(entry_symbol_id, 0), kind, IFNULL(guard, ''), IFNULL(file_id, 0), IFNULL(line, 0), "
            "IFNULL(parent_id, 0), certainty, IFNULL(note, '') FROM transactions ORDER BY id",
            [&](sqlite3_stmt* r) {
              TransactionScope t;
              t.id = sqlite3_column_int64(r, 0);
              t.entry_symbol_id = sqlite3_column_int64(r, 1);
              t.kind = text(r, 2);
              t.guard = text(r, 3);
              t.file_id = sqlite3_column_int64(r, 4);
              t.line = sqlite3_column_int64(r, 5);
              t.parent_id = sqlite3_column_int64(r, 6);
              t.certainty = text(r, 7);
              t.note = text(r, 8);
              f.scopes.push_back(std::move(t));
            });
  if (s) {
    s = query(db.get(), path,
              "SELECT transaction_id, lower(table_name), op, IFNULL(symbol_id, 0), IFNULL(statement_id, 0), depth "
              "FROM transaction_access ORDER BY transaction_id, depth, statement_id, table_name, op",
              [&](sqlite3_stmt* r) {
                f.accesses.push_back({sqlite3_column_int64(r, 0), text(r, 1), text(r, 2), sqlite3_column_int64(r, 3),
                                      sqlite3_column_int64(r, 4), sqlite3_column_int64(r, 5)});
              });
  }
  if (s) {
    s = query(db.get(), path,
              "SELECT transaction_id, caller_id, callee_id, depth, IFNULL(file_id, 0), IFNULL(line, 0) "
              "FROM transaction_calls ORDER BY transaction_id, depth, line, caller_id, callee_id",
              [&](sqlite3_stmt* r) {
                f.calls.push_back({sqlite3_column_int64(r, 0), sqlite3_column_int64(r, 1), sqlite3_column_int64(r, 2),
                                   sqlite3_column_int64(r, 3), sqlite3_column_int64(r, 4),
                                   sqlite3_column_int64(r, 5)});
              });
  }
  if (s) {
    s = query(db.get(), path, "SELECT transaction_id, route_id FROM transaction_routes ORDER BY 1, 2",
              [&](sqlite3_stmt* r) { f.routes.push_back({sqlite3_column_int64(r, 0), sqlite3_column_int64(r, 1)}); });
  }
  if (s) {
    s = query(db.get(), path,
              "SELECT src, dst, kind, discarded FROM edges WHERE discarded > 0 AND kind IN ('call', 'virtual_call')",
              [&](sqlite3_stmt* r) {
                f.discarded.emplace_back(sqlite3_column_int64(r, 0), sqlite3_column_int64(r, 1), text(r, 2),
                                         sqlite3_column_int64(r, 3));
              });
  }
  if (s) {
    s = query(db.get(), path,
              "SELECT statement_id, lower(table_name), column_name FROM table_access "
              "WHERE op = 'update' AND column_name IS NOT NULL ORDER BY statement_id, rowid",
              [&](sqlite3_stmt* r) {
                f.updated_columns.emplace_back(sqlite3_column_int64(r, 0), text(r, 1), text(r, 2));
              });
  }
  if (!s) return s.error();
  return f;
}

}  // namespace seam::interactions
