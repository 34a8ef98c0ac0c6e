// Loads the fact store with the SQLite C API. Every query is a fixed string;
// the store is opened read-only (SQLITE_OPEN_READONLY) so a bad run can never
// corrupt it.
#include "seam/decomposer/fact_store.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <memory>

namespace seam::decomposer {
namespace {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

std::string text(sqlite3_stmt* s, int col) {
  const unsigned char* t = sqlite3_column_text(s, col);
  return t ? reinterpret_cast<const char*>(t) : std::string();
}

// Runs `sql` and calls `row(stmt)` per result row.
template <typename RowFn>
Status query(sqlite3* db, const std::string& source, const char* sql, RowFn row) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) {
    return badInput(source + ": not a Seam fact store (" + sqlite3_errmsg(db) + ")");
  }
  Stmt stmt(raw);
  int rc;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) row(raw);
  if (rc != SQLITE_DONE) return badInput(source + ": " + sqlite3_errmsg(db));
  return Status::Ok();
}

}  // namespace

const FactModule* Facts::module(int64_t id) const {
  auto it = module_index.find(id);
  return it == module_index.end() ? nullptr : &modules[it->second];
}
const FactFile* Facts::file(int64_t id) const {
  auto it = file_index.find(id);
  return it == file_index.end() ? nullptr : &files[it->second];
}
const FactSymbol* Facts::symbol(int64_t id) const {
  auto it = symbol_index.find(id);
  return it == symbol_index.end() ? nullptr : &symbols[it->second];
}
std::string Facts::location(int64_t file_id, int64_t line) const {
  const FactFile* f = file(file_id);
  if (!f) return "?";
  return line > 0 ? f->path + ":" + std::to_string(line) : f->path;
}
void Facts::reindex() {
  module_index.clear();
  file_index.clear();
  symbol_index.clear();
  for (size_t i = 0; i < modules.size(); ++i) module_index[modules[i].id] = i;
  for (size_t i = 0; i < files.size(); ++i) file_index[files[i].id] = i;
  for (size_t i = 0; i < symbols.size(); ++i) symbol_index[symbols[i].id] = i;
}

Expected<Facts> loadFactStore(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return badInput(path + ": no such fact store");
  if (!S_ISREG(st.st_mode)) return badInput(path + ": not a regular file");
  if (st.st_size == 0) return badInput(path + ": empty file, not a Seam fact store");

  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) return badInput(path + ": cannot open (" + sqlite3_errstr(rc) + ")");

  int app_id = 0, version = 0;
  if (Status s = query(db.get(), path, "PRAGMA application_id",
                       [&](sqlite3_stmt* r) { app_id = sqlite3_column_int(r, 0); });
      !s)
    return s.error();
  if (app_id != kFactStoreApplicationId) return badInput(path + ": not a Seam fact store (application_id)");
  if (Status s = query(db.get(), path, "PRAGMA user_version",
                       [&](sqlite3_stmt* r) { version = sqlite3_column_int(r, 0); });
      !s)
    return s.error();
  if (version != kFactStoreSchemaVersion) {
    return badInput(path + ": fact store schema version " + std::to_string(version) + ", this seam reads version " +
                    std::to_string(kFactStoreSchemaVersion) + " (re-run seam analyze)");
  }

  Facts f;
  f.source = path;
  Status s = query(db.get(), path, "SELECT id, name, external FROM modules ORDER BY id", [&](sqlite3_stmt* r) {
    f.modules.push_back({sqlite3_column_int64(r, 0), text(r, 1), sqlite3_column_int(r, 2) != 0});
  });
  if (s) {
    s = query(db.get(), path, "SELECT id, path, IFNULL(module_id, 0), lines, is_header FROM files ORDER BY id",
              [&](sqlite3_stmt* r) {
                f.files.push_back({sqlite3_column_int64(r, 0), text(r, 1), sqlite3_column_int64(r, 2),
                                   sqlite3_column_int64(r, 3), sqlite3_column_int(r, 4) != 0});
              });
  }
  if (s) {
    s = query(db.get(), path,
              "SELECT id, kind, name, qualified_name, IFNULL(file_id, 0), IFNULL(line, 0), IFNULL(module_id, 0), "
              "lines, is_definition FROM symbols ORDER BY id",
              [&](sqlite3_stmt* r) {
                FactSymbol sym;
                sym.id = sqlite3_column_int64(r, 0);
                sym.kind = text(r, 1);
                sym.name = text(r, 2);
                sym.qualified_name = text(r, 3);
                sym.file_id = sqlite3_column_int64(r, 4);
                sym.line = sqlite3_column_int64(r, 5);
                sym.module_id = sqlite3_column_int64(r, 6);
                sym.lines = sqlite3_column_int64(r, 7);
                sym.is_definition = sqlite3_column_int(r, 8) != 0;
                f.symbols.push_back(std::move(sym));
              });
  }
  if (s) {
    s = query(db.get(), path,
              "SELECT src, dst, kind, count, IFNULL(file_id, 0), IFNULL(line, 0) FROM edges ORDER BY src, dst, kind",
              [&](sqlite3_stmt* r) {
                f.edges.push_back({sqlite3_column_int64(r, 0), sqlite3_column_int64(r, 1), text(r, 2),
                                   sqlite3_column_int64(r, 3), sqlite3_column_int64(r, 4), sqlite3_column_int64(r, 5)});
              });
  }
  if (s) {
    s = query(db.get(), path, "SELECT from_file, to_file FROM includes ORDER BY from_file, to_file",
              [&](sqlite3_stmt* r) {
                f.includes.push_back({sqlite3_column_int64(r, 0), sqlite3_column_int64(r, 1)});
              });
  }
  if (s) {
    // The statement's own symbol is the fallback when the access row has none.
    s = query(db.get(), path,
              "SELECT a.statement_id, IFNULL(a.symbol_id, IFNULL(q.symbol_id, 0)), a.table_name, a.op, "
              "IFNULL(q.file_id, 0), IFNULL(q.line, 0) FROM table_access a "
              "LEFT JOIN sql_statements q ON q.id = a.statement_id "
              "ORDER BY a.statement_id, a.table_name, a.op",
              [&](sqlite3_stmt* r) {
                f.table_accesses.push_back({sqlite3_column_int64(r, 0), sqlite3_column_int64(r, 1), text(r, 2),
                                            text(r, 3), sqlite3_column_int64(r, 4), sqlite3_column_int64(r, 5)});
              });
  }
  if (s) {
    s = query(db.get(), path,
              "SELECT id, method, path, IFNULL(handler_id, 0), IFNULL(module_id, 0), IFNULL(file_id, 0), "
              "IFNULL(line, 0) FROM routes ORDER BY id",
              [&](sqlite3_stmt* r) {
                f.routes.push_back({sqlite3_column_int64(r, 0), text(r, 1), text(r, 2), sqlite3_column_int64(r, 3),
                                    sqlite3_column_int64(r, 4), sqlite3_column_int64(r, 5),
                                    sqlite3_column_int64(r, 6)});
              });
  }
  if (!s) return s.error();
  f.reindex();

  bool any_internal = false;
  for (const FactSymbol& sym : f.symbols) {
    const FactModule* m = f.module(sym.module_id);
    if (m && !m->external) {
      any_internal = true;
      break;
    }
  }
  if (!any_internal) return badInput(path + ": fact store has no analyzed symbols (run seam analyze first)");
  return f;
}

}  // namespace seam::decomposer
