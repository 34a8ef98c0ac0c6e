#include "replica.h"

#include <sqlite3.h>

#include <stdexcept>

namespace catalog_service {
namespace {

// A statement with RAII finalize; throws with the connection's message.
class Stmt {
 public:
  Stmt(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string(sqlite3_errmsg(db)) + " in: " + sql);
    }
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int index, const std::string& text) {
    sqlite3_bind_text(stmt_, index, text.c_str(), -1, SQLITE_TRANSIENT);
    return *this;
  }
  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(sqlite3_errmsg(db_));
  }
  std::string text(int column) const {
    const unsigned char* t = sqlite3_column_text(stmt_, column);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
  int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

std::string quoteIdentifier(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string quoteLiteral(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// A file name as a SQLite URI path: '%', '?' and '#' would otherwise end or
// change the path.
std::string uriPath(const std::string& path) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + quoteIdentifier(n);
  return out;
}

}  // namespace

ReplicaTables catalogTables() {
  ReplicaTables t;
  // reviews first: its triggers update books.rating_*, and books is copied
  // after it, so the copy of books (which already carries the monolith's
  // trigger results) is what stays.
  t.owned = {"reviews", "categories", "authors", "books", "book_authors"};
  // What the catalog and reviews code reads from other services' tables:
  // availability (book_stock_view over stock), review authors (customers),
  // verified purchases (orders, order_items; orders reference addresses).
  t.replicated = {"stock", "customers", "addresses", "orders", "order_items"};
  t.views = {"book_stock_view"};
  return t;
}

Replica::Replica(const std::string& service_db, const std::string& monolith_db, ReplicaTables tables)
    : tables_(std::move(tables)) {
  int rc = sqlite3_open_v2(service_db.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error("cannot open " + service_db + ": " + message);
  }
  sqlite3_busy_timeout(db_, 5000);
  exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF;");
  // mode=ro: the monolith's file is never written by the service, whatever
  // happens here (the connection could not even if a statement tried).
  exec("ATTACH DATABASE " + quoteLiteral("file:" + uriPath(monolith_db) + "?mode=ro") + " AS legacy");
  Stmt probe(db_, "SELECT COUNT(*) FROM legacy.sqlite_master WHERE type = 'table'");
  if (!probe.step() || probe.integer(0) == 0) {
    throw std::runtime_error(monolith_db + " has no tables (not the monolith's database?)");
  }
}

Replica::~Replica() { sqlite3_close(db_); }

void Replica::exec(const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error(message);
  }
}

std::vector<std::string> Replica::columns(const std::string& schema, const std::string& table) {
  std::vector<std::string> out;
  Stmt s(db_, "SELECT name FROM pragma_table_info(?1, ?2) ORDER BY cid");
  s.bind(1, table).bind(2, schema);
  while (s.step()) out.push_back(s.text(0));
  return out;
}

std::vector<std::string> Replica::primaryKey(const std::string& table) {
  std::vector<std::string> out;
  Stmt s(db_, "SELECT name FROM pragma_table_info(?1, 'main') WHERE pk > 0 ORDER BY pk");
  s.bind(1, table);
  while (s.step()) out.push_back(s.text(0));
  return out;
}

void Replica::createFromMonolith(const std::string& type, const std::string& name, bool with_dependents) {
  auto existsInMain = [this](const std::string& kind, const std::string& object) {
    Stmt s(db_, "SELECT COUNT(*) FROM main.sqlite_master WHERE type = ?1 AND name = ?2");
    s.bind(1, kind).bind(2, object);
    return s.step() && s.integer(0) > 0;
  };
  if (!existsInMain(type, name)) {
    Stmt s(db_, "SELECT sql FROM legacy.sqlite_master WHERE type = ?1 AND name = ?2 AND sql IS NOT NULL");
    s.bind(1, type).bind(2, name);
    if (!s.step()) throw std::runtime_error("the monolith's database has no " + type + " '" + name + "'");
    exec(s.text(0));
  }
  // Indexes always (a replica should answer as fast as the original);
  // triggers only with_dependents (owned tables): on a replicated table they
  // would run the monolith's side effects a second time.
  Stmt deps(db_, "SELECT type, name, sql FROM legacy.sqlite_master WHERE tbl_name = ?1 AND sql IS NOT NULL "
                 "AND (type = 'index' OR (type = 'trigger' AND ?2 = '1')) ORDER BY type, name");
  deps.bind(1, name).bind(2, with_dependents ? "1" : "0");
  while (deps.step()) {
    if (!existsInMain(deps.text(0), deps.text(1))) exec(deps.text(2));
  }
}

void Replica::seed() {
  exec("BEGIN IMMEDIATE");
  try {
    for (const auto& t : tables_.owned) createFromMonolith("table", t, true);
    for (const auto& t : tables_.replicated) createFromMonolith("table", t, false);
    for (const auto& v : tables_.views) createFromMonolith("view", v, false);
    exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  // A service restarted after its cutover keeps its owned data; only empty
  // owned tables are filled (a first start with --cutover).
  if (owning_) {
    std::vector<std::string> empty;
    for (const auto& t : tables_.owned) {
      Stmt s(db_, "SELECT COUNT(*) FROM main." + quoteIdentifier(t));
      if (s.step() && s.integer(0) == 0) empty.push_back(t);
    }
    exec("BEGIN IMMEDIATE");
    try {
      for (const auto& t : empty) refresh(t);
      exec("COMMIT");
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }
  sync();
  if (!stats_.last_error.empty()) throw std::runtime_error(stats_.last_error);
}

int64_t Replica::refresh(const std::string& table) {
  const std::string main_table = "main." + quoteIdentifier(table);
  const std::string legacy_table = "legacy." + quoteIdentifier(table);
  std::vector<std::string> cols = columns("main", table);
  if (cols != columns("legacy", table)) {
    throw std::runtime_error("the columns of '" + table + "' differ between the monolith and the service");
  }
  const std::string list = joined(cols);
  // New and changed rows: whatever the monolith has that the replica does not.
  exec("INSERT OR REPLACE INTO " + main_table + " (" + list + ") SELECT " + list + " FROM " + legacy_table +
       " EXCEPT SELECT " + list + " FROM " + main_table);
  int64_t upserted = sqlite3_changes(db_);
  // Rows the monolith deleted.
  std::vector<std::string> key = primaryKey(table);
  std::string key_list = key.empty() ? "rowid" : joined(key);
  std::string lhs = key.size() > 1 ? "(" + key_list + ")" : key_list;
  exec("DELETE FROM " + main_table + " WHERE " + lhs + " NOT IN (SELECT " + key_list + " FROM " + legacy_table + ")");
  int64_t deleted = sqlite3_changes(db_);
  stats_.rows_upserted += upserted;
  stats_.rows_deleted += deleted;
  return upserted + deleted;
}

void Replica::sync() {
  try {
    // One transaction over both files: the monolith is read at one snapshot,
    // and the service's readers see all tables change at once or not at all.
    exec("BEGIN IMMEDIATE");
    int64_t changed = 0;
    if (!owning_) {
      for (const auto& t : tables_.owned) changed += refresh(t);
    }
    for (const auto& t : tables_.replicated) changed += refresh(t);
    exec("COMMIT");
    stats_.last_changes = changed;
    stats_.last_error.clear();
    ++stats_.syncs;
  } catch (const std::exception& e) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    stats_.last_error = e.what();
  }
}

}  // namespace catalog_service
