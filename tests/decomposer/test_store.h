// Builds small fact stores for tests: executes the analyzer's schema.sql (the
// contract, read at test time from SEAM_SCHEMA_SQL) and inserts rows.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace seam::decomposer::testing {

class TestStore {
 public:
  explicit TestStore(const std::string& path) : path_(path) {
    std::remove(path.c_str());
    sqlite3_open(path.c_str(), &db_);
    exec("PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY;");  // test data: speed over durability
    std::ifstream in(SEAM_SCHEMA_SQL);
    std::stringstream sql;
    sql << in.rdbuf();
    exec(sql.str());
  }
  ~TestStore() { close(); }
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
      throw std::runtime_error("test store: " + msg + " in: " + sql);
    }
  }

  int64_t module(const std::string& name, bool external = false) {
    exec("INSERT INTO modules(name, external) VALUES('" + name + "', " + (external ? "1" : "0") + ")");
    return modules_[name] = sqlite3_last_insert_rowid(db_);
  }
  int64_t file(const std::string& path, const std::string& module, int lines = 100) {
    exec("INSERT INTO files(path, module_id, lines) VALUES('" + path + "', " + std::to_string(modules_.at(module)) +
         ", " + std::to_string(lines) + ")");
    return files_[path] = sqlite3_last_insert_rowid(db_);
  }
  /// A symbol in `file`; kind function unless given.
  int64_t symbol(const std::string& qualified, const std::string& file, const std::string& kind = "function") {
    int64_t id = next_symbol_++;
    int64_t fid = files_.at(file);
    exec("INSERT INTO symbols(id, usr, kind, name, qualified_name, file_id, line, module_id, is_definition, lines) "
         "VALUES(" + std::to_string(id) + ", 'c:@" + qualified + "', '" + kind + "', '" + qualified + "', '" +
         qualified + "', " + std::to_string(fid) + ", 10, (SELECT module_id FROM files WHERE id = " +
         std::to_string(fid) + "), 1, 5)");
    return symbols_[qualified] = id;
  }
  void edge(const std::string& src, const std::string& dst, const std::string& kind = "call", int count = 1) {
    exec("INSERT INTO edges(src, dst, kind, count, file_id, line) VALUES(" + std::to_string(symbols_.at(src)) + ", " +
         std::to_string(symbols_.at(dst)) + ", '" + kind + "', " + std::to_string(count) +
         ", (SELECT file_id FROM symbols WHERE id = " + std::to_string(symbols_.at(src)) + "), 42)");
  }
  /// One SQL statement issued by `fn` touching `table` with `op`.
  void access(const std::string& fn, const std::string& table, const std::string& op, int line = 20) {
    int64_t sid = symbols_.at(fn);
    exec("INSERT INTO sql_statements(symbol_id, file_id, line, col, sink, text, complete, parser) VALUES(" +
         std::to_string(sid) + ", (SELECT file_id FROM symbols WHERE id = " + std::to_string(sid) + "), " +
         std::to_string(line) + ", 1, 'sqlite3_prepare_v2', 'sql', 1, 'sqlite')");
    int64_t stmt = sqlite3_last_insert_rowid(db_);
    exec("INSERT INTO table_access(statement_id, symbol_id, table_name, op) VALUES(" + std::to_string(stmt) + ", " +
         std::to_string(sid) + ", '" + table + "', '" + op + "')");
  }
  void route(const std::string& method, const std::string& path, const std::string& handler) {
    exec("INSERT INTO routes(method, path, framework, handler_id, file_id, line, module_id) VALUES('" + method + "', '" +
         path + "', 'httplib', " + std::to_string(symbols_.at(handler)) + ", (SELECT file_id FROM symbols WHERE id = " +
         std::to_string(symbols_.at(handler)) + "), 7, (SELECT module_id FROM symbols WHERE id = " +
         std::to_string(symbols_.at(handler)) + "))");
  }
  int64_t id(const std::string& qualified) const { return symbols_.at(qualified); }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
  int64_t next_symbol_ = 1000;
  std::map<std::string, int64_t> modules_, files_, symbols_;
};

/// A miniature bookstore: catalog, orders, users, payments and a common hub
/// that every module uses; tables owned as in the real sample.
inline void buildMiniBookstore(TestStore& s) {
  for (const char* m : {"src/catalog", "src/orders", "src/users", "src/payments", "src/common"}) s.module(m);
  s.module("/usr/include", true);
  s.file("src/catalog/catalog.cc", "src/catalog", 300);
  s.file("src/orders/orders.cc", "src/orders", 400);
  s.file("src/users/users.cc", "src/users", 200);
  s.file("src/payments/payments.cc", "src/payments", 250);
  s.file("src/common/db.cc", "src/common", 150);
  s.file("/usr/include/sqlite3.h", "/usr/include", 9000);
  s.symbol("sqlite3_prepare_v2", "/usr/include/sqlite3.h");
  s.symbol("common::Db", "src/common/db.cc", "class");
  s.symbol("common::Db::query", "src/common/db.cc", "method");
  s.symbol("common::log", "src/common/db.cc");
  s.edge("common::Db::query", "sqlite3_prepare_v2");
  struct M {
    const char* name;
    const char* file;
  };
  for (M m : {M{"catalog", "src/catalog/catalog.cc"}, M{"orders", "src/orders/orders.cc"},
              M{"users", "src/users/users.cc"}, M{"payments", "src/payments/payments.cc"}}) {
    std::string ns = m.name;
    s.symbol(ns + "::Service", m.file, "class");
    s.symbol(ns + "::Service::handle", m.file, "method");
    s.symbol(ns + "::Service::load", m.file, "method");
    s.symbol(ns + "::Service::save", m.file, "method");
    s.edge(ns + "::Service::handle", ns + "::Service::load", "call", 3);
    s.edge(ns + "::Service::handle", ns + "::Service::save", "call", 2);
    s.edge(ns + "::Service::load", "common::Db::query", "call", 2);
    s.edge(ns + "::Service::save", "common::Db::query", "call", 2);
    s.edge(ns + "::Service::handle", "common::log");
  }
  s.edge("orders::Service::handle", "catalog::Service::load", "call", 1);  // price lookup
  s.edge("payments::Service::handle", "orders::Service::load", "call", 1);
  s.edge("orders::Service::handle", "users::Service::load", "call", 1);
  s.access("catalog::Service::save", "books", "insert");
  s.access("catalog::Service::save", "books", "update");
  s.access("catalog::Service::load", "books", "read");
  s.access("orders::Service::save", "orders", "insert");
  s.access("orders::Service::save", "order_items", "insert");
  s.access("orders::Service::load", "orders", "read");
  s.access("orders::Service::load", "books", "read", 33);
  s.access("users::Service::save", "users", "insert");
  s.access("users::Service::load", "users", "read");
  s.access("payments::Service::save", "payments", "insert");
  s.access("payments::Service::load", "payments", "read");
  s.access("payments::Service::save", "orders", "update", 51);
  for (const char* t : {"books", "orders", "order_items", "users", "payments"}) {
    s.access("common::Db::query", t, "create", 5);
  }
  s.route("GET", "/books", "catalog::Service::handle");
  s.route("POST", "/orders", "orders::Service::handle");
  s.route("GET", "/users/:id", "users::Service::handle");
  s.route("POST", "/payments", "payments::Service::handle");
}

}  // namespace seam::decomposer::testing
