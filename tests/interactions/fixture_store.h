// Small hand-made fact stores for the interactions tests: the analyzer's
// schema.sql (the contract, read at test time from SEAM_SCHEMA_SQL) plus the
// schema v2 transaction tables when the schema at hand does not have them yet,
// and helpers that insert rows by name.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace seam::interactions::testing {

class FixtureStore {
 public:
  /// `v2` = false leaves a schema v1 store (no transaction tables) when the
  /// schema file is still v1: for the "re-run seam analyze" error.
  explicit FixtureStore(const std::string& path, bool v2 = true) : path_(path) {
    std::remove(path.c_str());
    sqlite3_open(path.c_str(), &db_);
    exec("PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY;");
    std::ifstream in(SEAM_SCHEMA_SQL);
    std::stringstream sql;
    sql << in.rdbuf();
    exec(sql.str());
    if (v2) addTransactionTables();
  }
  ~FixtureStore() { close(); }
  FixtureStore(const FixtureStore&) = delete;
  FixtureStore& operator=(const FixtureStore&) = delete;
  void close() {
    if (db_) sqlite3_close(db_);
    db_ = nullptr;
  }
  const std::string& path() const { return path_; }

  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error("fixture store: " + msg + " in: " + sql);
    }
  }
  int64_t scalar(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr);
    int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    return v;
  }

  /// The table contract of schema v2 (docs/fact-store.md), only where missing.
  void addTransactionTables() {
    exec(R"(
      CREATE TABLE IF NOT EXISTS transactions (id INTEGER PRIMARY KEY, entry_symbol_id INTEGER, kind TEXT NOT NULL,
        guard TEXT, file_id INTEGER, line INTEGER, end_line INTEGER, parent_id INTEGER,
        certainty TEXT NOT NULL, note TEXT);
      CREATE TABLE IF NOT EXISTS transaction_access (transaction_id INTEGER NOT NULL, table_name TEXT NOT NULL,
        op TEXT NOT NULL, symbol_id INTEGER, statement_id INTEGER, depth INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS transaction_calls (transaction_id INTEGER NOT NULL, caller_id INTEGER NOT NULL,
        callee_id INTEGER NOT NULL, depth INTEGER NOT NULL, file_id INTEGER, line INTEGER);
      CREATE TABLE IF NOT EXISTS transaction_routes (transaction_id INTEGER NOT NULL, route_id INTEGER NOT NULL);
    )");
    if (scalar("SELECT count(*) FROM pragma_table_info('edges') WHERE name = 'discarded'") == 0) {
      exec("ALTER TABLE edges ADD COLUMN discarded INTEGER NOT NULL DEFAULT 0");
    }
  }

  void module(const std::string& name) {
    exec("INSERT INTO modules(name) VALUES('" + name + "')");
    modules_[name] = sqlite3_last_insert_rowid(db_);
  }
  void file(const std::string& path, const std::string& module) {
    exec("INSERT INTO files(path, module_id, lines) VALUES('" + path + "', " + std::to_string(modules_.at(module)) +
         ", 100)");
    files_[path] = sqlite3_last_insert_rowid(db_);
  }
  /// A function defined in `file` at `line`, `lines` long.
  int64_t fn(const std::string& qualified, const std::string& file, int line = 1, int lines = 10) {
    int64_t id = next_symbol_++;
    std::string fid = std::to_string(files_.at(file));
    std::string name = qualified.substr(qualified.rfind(':') == std::string::npos ? 0 : qualified.rfind(':') + 1);
    exec("INSERT INTO symbols(id, usr, kind, name, qualified_name, file_id, line, module_id, is_definition, lines) "
         "VALUES(" + std::to_string(id) + ", 'c:@" + qualified + "', 'function', '" + name + "', '" + qualified +
         "', " + fid + ", " + std::to_string(line) + ", (SELECT module_id FROM files WHERE id = " + fid + "), 1, " +
         std::to_string(lines) + ")");
    return symbols_[qualified] = id;
  }
  int64_t id(const std::string& qualified) const { return symbols_.at(qualified); }

  void call(const std::string& src, const std::string& dst, int line, int count = 1, int discarded = 0) {
    exec("INSERT INTO edges(src, dst, kind, count, file_id, line, discarded) VALUES(" + std::to_string(id(src)) +
         ", " + std::to_string(id(dst)) + ", 'call', " + std::to_string(count) +
         ", (SELECT file_id FROM symbols WHERE id = " + std::to_string(id(src)) + "), " + std::to_string(line) + ", " +
         std::to_string(discarded) + ")");
  }
  /// One statement of `fn` at `line` with `op` on `table` (update: one row per column). Returns its id.
  int64_t access(const std::string& fn, const std::string& table, const std::string& op, int line,
                 const std::vector<std::string>& columns = {}) {
    std::string sid = std::to_string(id(fn));
    exec("INSERT INTO sql_statements(symbol_id, file_id, line, col, sink, text, complete, parser) VALUES(" + sid +
         ", (SELECT file_id FROM symbols WHERE id = " + sid + "), " + std::to_string(line) +
         ", 1, 'Db::exec', 'sql', 1, 'sqlite')");
    int64_t stmt = sqlite3_last_insert_rowid(db_);
    if (columns.empty()) {
      exec("INSERT INTO table_access(statement_id, symbol_id, table_name, op) VALUES(" + std::to_string(stmt) + ", " +
           sid + ", '" + table + "', '" + op + "')");
    }
    for (const auto& c : columns) {
      exec("INSERT INTO table_access(statement_id, symbol_id, table_name, column_name, op) VALUES(" +
           std::to_string(stmt) + ", " + sid + ", '" + table + "', '" + c + "', '" + op + "')");
    }
    return stmt;
  }
  int64_t route(const std::string& method, const std::string& path, const std::string& handler) {
    std::string h = std::to_string(id(handler));
    exec("INSERT INTO routes(method, path, framework, handler_id, file_id, line) VALUES('" + method + "', '" + path +
         "', 'httplib', " + h + ", (SELECT file_id FROM symbols WHERE id = " + h + "), 5)");
    return sqlite3_last_insert_rowid(db_);
  }
  int64_t transaction(const std::string& entry, int line, const std::string& certainty = "exact",
                      const std::string& note = "") {
    std::string e = std::to_string(id(entry));
    exec("INSERT INTO transactions(entry_symbol_id, kind, guard, file_id, line, certainty, note) VALUES(" + e +
         ", 'guard', 'shop::Transaction', (SELECT file_id FROM symbols WHERE id = " + e + "), " +
         std::to_string(line) + ", '" + certainty + "', " + (note.empty() ? "NULL" : "'" + note + "'") + ")");
    return sqlite3_last_insert_rowid(db_);
  }
  void txAccess(int64_t tx, int64_t statement, int depth) {
    exec("INSERT INTO transaction_access(transaction_id, table_name, op, symbol_id, statement_id, depth) "
         "SELECT DISTINCT " + std::to_string(tx) + ", table_name, op, symbol_id, statement_id, " +
         std::to_string(depth) + " FROM table_access WHERE statement_id = " + std::to_string(statement));
  }
  void txCall(int64_t tx, const std::string& caller, const std::string& callee, int depth, int line) {
    exec("INSERT INTO transaction_calls(transaction_id, caller_id, callee_id, depth, file_id, line) VALUES(" +
         std::to_string(tx) + ", " + std::to_string(id(caller)) + ", " + std::to_string(id(callee)) + ", " +
         std::to_string(depth) + ", (SELECT file_id FROM symbols WHERE id = " + std::to_string(id(caller)) + "), " +
         std::to_string(line) + ")");
  }
  void txRoute(int64_t tx, int64_t route) {
    exec("INSERT INTO transaction_routes(transaction_id, route_id) VALUES(" + std::to_string(tx) + ", " +
         std::to_string(route) + ")");
  }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
  int64_t next_symbol_ = 1000;
  std::map<std::string, int64_t> modules_, files_, symbols_;
};

}  // namespace seam::interactions::testing
