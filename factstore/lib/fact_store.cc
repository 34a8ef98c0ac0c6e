// Loads the fact store with the SQLite C API. Every query is a fixed string
// (no SQL is built from input); the store is opened read-only.
#include "seam/factstore/fact_store.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <memory>

namespace seam::factstore {
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
int64_t i64(sqlite3_stmt* s, int col) { return sqlite3_column_int64(s, col); }
int i32(sqlite3_stmt* s, int col) { return sqlite3_column_int(s, col); }

// Runs `sql` and calls `row(stmt)` per result row. Returns "" or the error.
template <typename RowFn>
std::string query(sqlite3* db, const std::string& source, const char* sql, RowFn row) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) {
    return source + ": not a readable Seam fact store (" + sqlite3_errmsg(db) + ")";
  }
  Stmt stmt(raw);
  int rc;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) row(raw);
  if (rc != SQLITE_DONE) return source + ": read failed (" + sqlite3_errmsg(db) + ")";
  return {};
}

LoadResult failure(std::string message) {
  LoadResult r;
  r.error = std::move(message);
  return r;
}

}  // namespace

int schemaVersion() { return SEAM_FACT_STORE_SCHEMA_VERSION; }

const Module* Facts::module(int64_t id) const {
  auto it = module_index_.find(id);
  return it == module_index_.end() ? nullptr : &modules[it->second];
}
const File* Facts::file(int64_t id) const {
  auto it = file_index_.find(id);
  return it == file_index_.end() ? nullptr : &files[it->second];
}
const Symbol* Facts::symbol(int64_t id) const {
  auto it = symbol_index_.find(id);
  return it == symbol_index_.end() ? nullptr : &symbols[it->second];
}
const DbObject* Facts::dbObject(const std::string& name) const {
  auto it = db_object_index_.find(name);
  return it == db_object_index_.end() ? nullptr : &db_objects[it->second];
}
std::string_view Facts::path(int64_t file_id) const {
  const File* f = file(file_id);
  return f ? std::string_view(f->path) : std::string_view();
}
std::string Facts::location(int64_t file_id, int line) const {
  const File* f = file(file_id);
  if (!f) return "?";
  return line > 0 ? f->path + ":" + std::to_string(line) : f->path;
}
std::string Facts::symbolName(int64_t id) const {
  const Symbol* s = symbol(id);
  if (!s) return "#" + std::to_string(id);
  return s->qualified_name.empty() ? s->name : s->qualified_name;
}
bool Facts::hasAnalyzedCode() const {
  for (const Symbol& s : symbols) {
    const Module* m = module(s.module_id);
    if (m && !m->external) return true;
  }
  return false;
}
void Facts::reindex() {
  module_index_.clear();
  file_index_.clear();
  symbol_index_.clear();
  db_object_index_.clear();
  for (size_t i = 0; i < modules.size(); ++i) module_index_[modules[i].id] = i;
  for (size_t i = 0; i < files.size(); ++i) file_index_[files[i].id] = i;
  for (size_t i = 0; i < symbols.size(); ++i) symbol_index_[symbols[i].id] = i;
  for (size_t i = 0; i < db_objects.size(); ++i) db_object_index_[db_objects[i].name] = i;
}

LoadResult loadFactStore(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return failure(path + ": no such fact store (run seam analyze first)");
  if (!S_ISREG(st.st_mode)) return failure(path + ": not a regular file");
  if (st.st_size == 0) return failure(path + ": empty file, not a Seam fact store");

  sqlite3* raw = nullptr;
  // Read-only and no URI interpretation: the readers never write.
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) {
    return failure(path + ": cannot open fact store (" + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)) + ")");
  }
  int64_t app_id = 0, version = 0;
  if (std::string e = query(db.get(), path, "PRAGMA application_id", [&](sqlite3_stmt* r) { app_id = i64(r, 0); });
      !e.empty())
    return failure(e);
  if (app_id != kApplicationId) return failure(path + ": not a Seam fact store (application_id; run seam analyze)");
  if (std::string e = query(db.get(), path, "PRAGMA user_version", [&](sqlite3_stmt* r) { version = i64(r, 0); });
      !e.empty())
    return failure(e);
  if (version != schemaVersion()) {
    return failure(path + ": fact store schema version " + std::to_string(version) + ", this seam reads version " +
                   std::to_string(schemaVersion()) + " (re-run seam analyze)");
  }

  Facts f;
  f.source = path;
  auto run = [&](const char* sql, auto row) { return query(db.get(), path, sql, row); };
  const std::string errors[] = {
      run("SELECT value FROM meta WHERE key = 'project_root'", [&](sqlite3_stmt* r) { f.project_root = text(r, 0); }),
      run("SELECT id, name, external FROM modules ORDER BY id",
          [&](sqlite3_stmt* r) { f.modules.push_back({i64(r, 0), text(r, 1), i64(r, 2) != 0}); }),
      run("SELECT id, path, IFNULL(module_id, 0), lines, is_header FROM files ORDER BY id",
          [&](sqlite3_stmt* r) { f.files.push_back({i64(r, 0), text(r, 1), i64(r, 2), i64(r, 3), i64(r, 4) != 0}); }),
      run("SELECT id, kind, name, qualified_name, IFNULL(file_id, 0), IFNULL(line, 0), IFNULL(col, 0), "
          "IFNULL(module_id, 0), lines, is_definition FROM symbols ORDER BY id",
          [&](sqlite3_stmt* r) {
            f.symbols.push_back({i64(r, 0), text(r, 1), text(r, 2), text(r, 3), i64(r, 4), i32(r, 5), i32(r, 6),
                                 i64(r, 7), i64(r, 8), i64(r, 9) != 0});
          }),
      run("SELECT src, dst, kind, count, IFNULL(file_id, 0), IFNULL(line, 0), IFNULL(col, 0) FROM edges "
          "ORDER BY src, dst, kind",
          [&](sqlite3_stmt* r) {
            f.edges.push_back({i64(r, 0), i64(r, 1), text(r, 2), i32(r, 3), i64(r, 4), i32(r, 5), i32(r, 6)});
          }),
      run("SELECT from_file, to_file FROM includes ORDER BY from_file, to_file",
          [&](sqlite3_stmt* r) { f.includes.push_back({i64(r, 0), i64(r, 1)}); }),
      // The access's own symbol wins; the statement's issuer is the fallback.
      // In source order (file, line), which the smells' findings keep.
      run("SELECT a.statement_id, IFNULL(a.symbol_id, IFNULL(q.symbol_id, 0)), lower(a.table_name), "
          "IFNULL(a.column_name, ''), a.op, IFNULL(a.via, ''), IFNULL(q.file_id, 0), IFNULL(q.line, 0), "
          "IFNULL(q.col, 0) FROM table_access a LEFT JOIN sql_statements q ON q.id = a.statement_id "
          "ORDER BY IFNULL(q.file_id, 0), IFNULL(q.line, 0), lower(a.table_name), a.op, a.column_name, a.statement_id",
          [&](sqlite3_stmt* r) {
            f.table_accesses.push_back({i64(r, 0), i64(r, 1), text(r, 2), text(r, 3), text(r, 4), text(r, 5),
                                        i64(r, 6), i32(r, 7), i32(r, 8)});
          }),
      run("SELECT lower(name), kind, IFNULL(file_id, 0), IFNULL(line, 0) FROM db_objects ORDER BY name",
          [&](sqlite3_stmt* r) { f.db_objects.push_back({text(r, 0), text(r, 1), i64(r, 2), i32(r, 3)}); }),
      run("SELECT id, method, path, IFNULL(handler_id, 0), IFNULL(module_id, 0), IFNULL(file_id, 0), "
          "IFNULL(line, 0) FROM routes ORDER BY id",
          [&](sqlite3_stmt* r) {
            f.routes.push_back({i64(r, 0), text(r, 1), text(r, 2), i64(r, 3), i64(r, 4), i64(r, 5), i32(r, 6)});
          }),
  };
  for (const std::string& e : errors) {
    if (!e.empty()) return failure(e);
  }
  f.reindex();
  LoadResult ok;
  ok.facts = std::move(f);
  return ok;
}

}  // namespace seam::factstore
