// Loads the smell rules' facts from a Seam fact store with plain SQLite.
#include "seam/smells/facts.h"

#include <sqlite3.h>

#include <memory>

namespace seam::smells {
namespace {

constexpr int kApplicationId = 0x5345414d;  // 'SEAM'
constexpr int kSchemaVersion = 2;

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

std::string text(sqlite3_stmt* s, int col) {
  const unsigned char* t = sqlite3_column_text(s, col);
  return t ? reinterpret_cast<const char*>(t) : "";
}

// Runs `sql` and calls `row` for each result row; errors name the database.
template <typename F>
Status query(sqlite3* db, const std::string& db_path, const char* sql, F row) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) {
    return badInput(db_path + ": not a readable Seam fact store (" + sqlite3_errmsg(db) + ")");
  }
  StmtPtr stmt(raw);
  int rc;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) row(raw);
  if (rc != SQLITE_DONE) return badInput(db_path + ": read failed (" + sqlite3_errmsg(db) + ")");
  return Ok{};
}

}  // namespace

void Facts::index() {
  module_index_.clear();
  file_index_.clear();
  symbol_index_.clear();
  for (size_t i = 0; i < modules.size(); ++i) module_index_[modules[i].id] = i;
  for (size_t i = 0; i < files.size(); ++i) file_index_[files[i].id] = i;
  for (size_t i = 0; i < symbols.size(); ++i) symbol_index_[symbols[i].id] = i;
}

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
std::string_view Facts::path(int64_t file_id) const {
  const File* f = file(file_id);
  return f ? std::string_view(f->path) : std::string_view();
}
std::string Facts::symbolName(int64_t id) const {
  const Symbol* s = symbol(id);
  if (!s) return "#" + std::to_string(id);
  return s->qualified_name.empty() ? s->name : s->qualified_name;
}

Expected<Facts> loadFacts(const std::string& db_path) {
  sqlite3* raw = nullptr;
  // Read-only and no URI tricks: the rules never write, so a bad file cannot be damaged.
  int rc = sqlite3_open_v2(db_path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  DbPtr db(raw);
  if (rc != SQLITE_OK) {
    return badInput(db_path + ": cannot open fact store (" + (raw ? sqlite3_errmsg(raw) : "out of memory") + ")");
  }
  int app_id = 0, version = 0;
  if (auto s = query(db.get(), db_path, "PRAGMA application_id", [&](sqlite3_stmt* st) { app_id = sqlite3_column_int(st, 0); }); !s)
    return s.error();
  if (app_id != kApplicationId) return badInput(db_path + ": not a Seam fact store (run `seam analyze` first)");
  if (auto s = query(db.get(), db_path, "PRAGMA user_version", [&](sqlite3_stmt* st) { version = sqlite3_column_int(st, 0); }); !s)
    return s.error();
  if (version != kSchemaVersion) {
    return badInput(db_path + ": fact store schema version " + std::to_string(version) + ", this seam reads version " +
                    std::to_string(kSchemaVersion) + " (re-run `seam analyze`)");
  }

  Facts f;
  auto run = [&](const char* sql, auto row) { return query(db.get(), db_path, sql, row); };
  Status steps[] = {
      run("SELECT value FROM meta WHERE key = 'project_root'",
          [&](sqlite3_stmt* s) { f.project_root = text(s, 0); }),
      run("SELECT id, name, external FROM modules ORDER BY id",
          [&](sqlite3_stmt* s) {
            f.modules.push_back({sqlite3_column_int64(s, 0), text(s, 1), sqlite3_column_int(s, 2) != 0});
          }),
      run("SELECT id, path, module_id FROM files ORDER BY id",
          [&](sqlite3_stmt* s) {
            f.files.push_back({sqlite3_column_int64(s, 0), text(s, 1), sqlite3_column_int64(s, 2)});
          }),
      run("SELECT id, kind, name, qualified_name, file_id, line, col, module_id, is_definition FROM symbols ORDER BY id",
          [&](sqlite3_stmt* s) {
            f.symbols.push_back({sqlite3_column_int64(s, 0), text(s, 1), text(s, 2), text(s, 3),
                                 sqlite3_column_int64(s, 4), sqlite3_column_int(s, 5), sqlite3_column_int(s, 6),
                                 sqlite3_column_int64(s, 7), sqlite3_column_int(s, 8) != 0});
          }),
      run("SELECT src, dst, kind, count, file_id, line, col FROM edges ORDER BY src, dst, kind",
          [&](sqlite3_stmt* s) {
            f.edges.push_back({sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1), text(s, 2),
                               sqlite3_column_int(s, 3), sqlite3_column_int64(s, 4), sqlite3_column_int(s, 5),
                               sqlite3_column_int(s, 6)});
          }),
      // The access's own symbol_id wins; the statement's issuer is the fallback.
      run("SELECT COALESCE(a.symbol_id, st.symbol_id), lower(a.table_name), COALESCE(a.column_name, ''), a.op,"
          "       st.file_id, st.line, st.col "
          "FROM table_access a JOIN sql_statements st ON st.id = a.statement_id "
          "ORDER BY st.file_id, st.line, a.table_name, a.op, a.column_name",
          [&](sqlite3_stmt* s) {
            f.accesses.push_back({sqlite3_column_int64(s, 0), text(s, 1), text(s, 2), text(s, 3),
                                  sqlite3_column_int64(s, 4), sqlite3_column_int(s, 5), sqlite3_column_int(s, 6)});
          }),
      run("SELECT lower(name), kind, file_id, line FROM db_objects ORDER BY name",
          [&](sqlite3_stmt* s) {
            f.db_objects.push_back({text(s, 0), text(s, 1), sqlite3_column_int64(s, 2), sqlite3_column_int(s, 3)});
          }),
      run("SELECT id, method, path, handler_id, file_id, line, module_id FROM routes ORDER BY id",
          [&](sqlite3_stmt* s) {
            f.routes.push_back({sqlite3_column_int64(s, 0), text(s, 1), text(s, 2), sqlite3_column_int64(s, 3),
                                sqlite3_column_int64(s, 4), sqlite3_column_int(s, 5), sqlite3_column_int64(s, 6)});
          }),
  };
  for (auto& s : steps)
    if (!s) return s.error();
  f.index();
  return f;
}

}  // namespace seam::smells
