// readFacts: the contracts' view of the fact store, read-only.
//
//   seam.db (PRAGMA checks, tables present) => symbols, routes, call edges,
//   json_fields, type_members => Facts
//
// Opened with SQLITE_OPEN_READONLY and query_only: a bad store is reported,
// never modified.
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>

#include "seam/contracts/facts.h"

namespace seam::contracts {
namespace {

// Versions whose tables this reader understands (1: json_fields and
// type_members added late in version 1; 2: transaction scopes added).
constexpr int kMinSchemaVersion = 1;
constexpr int kMaxSchemaVersion = 2;
constexpr int64_t kSeamApplicationId = 0x5345414d;  // 'SEAM'

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;

class Query {
 public:
  Query(sqlite3* db, const char* sql) { ok_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) == SQLITE_OK; }
  ~Query() { sqlite3_finalize(stmt_); }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  bool ok() const { return ok_; }
  bool next() { return ok_ && sqlite3_step(stmt_) == SQLITE_ROW; }
  int64_t i64(int c) const { return sqlite3_column_int64(stmt_, c); }
  std::string text(int c) const {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, c));
    return p ? std::string(p, sqlite3_column_bytes(stmt_, c)) : std::string();
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  bool ok_ = false;
};

Error queryError(sqlite3* db, const std::string& path, const char* what) {
  return badInput(path + ": cannot read " + what + ": " + sqlite3_errmsg(db));
}

/// `name` is one of our constants, never input.
bool hasTable(sqlite3* db, const char* name) {
  std::string sql = std::string("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '") + name + "'";
  Query q(db, sql.c_str());
  return q.next();
}

}  // namespace

Expected<Facts> readFacts(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return badInput(path + ": no such fact store (run seam analyze)");
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) return badInput(path + ": cannot open: " + sqlite3_errstr(rc));
  sqlite3_exec(db.get(), "PRAGMA query_only = 1", nullptr, nullptr, nullptr);
  int64_t app = 0, version = 0;
  {
    Query a(db.get(), "PRAGMA application_id");
    if (!a.next()) return badInput(path + ": not a SQLite database");
    app = a.i64(0);
    Query v(db.get(), "PRAGMA user_version");
    if (v.next()) version = v.i64(0);
  }
  if (app != kSeamApplicationId) return badInput(path + ": not a Seam fact store (application_id is not 'SEAM')");
  if (version < kMinSchemaVersion || version > kMaxSchemaVersion) {
    return badInput(path + ": fact store schema version " + std::to_string(version) + " is not supported (expected " +
                    std::to_string(kMinSchemaVersion) + ".." + std::to_string(kMaxSchemaVersion) +
                    "); re-run seam analyze");
  }
  for (const char* table : {"symbols", "routes", "edges", "modules", "files", "json_fields", "type_members"}) {
    if (!hasTable(db.get(), table)) {
      return badInput(path + ": fact store has no " + table +
                      " table (written by an older seam analyze); re-run seam analyze");
    }
  }

  Facts facts;
  {
    Query q(db.get(),
            "SELECT s.id, s.name, s.qualified_name, s.kind, COALESCE(m.name, ''), "
            "COALESCE(f.path || ':' || s.line, '') FROM symbols s LEFT JOIN modules m ON m.id = s.module_id "
            "LEFT JOIN files f ON f.id = s.file_id "
            "WHERE s.kind IN ('function', 'method', 'constructor', 'lambda', 'class', 'struct')");
    if (!q.ok()) return queryError(db.get(), path, "symbols");
    while (q.next()) {
      Symbol s{q.i64(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5)};
      facts.by_qualified_name[s.qualified_name].push_back(s.id);
      facts.symbols.emplace(s.id, std::move(s));
    }
  }
  {
    Query q(db.get(),
            "SELECT r.method, r.path, COALESCE(r.handler_id, 0), COALESCE(m.name, ''), "
            "COALESCE(f.path || ':' || r.line, '') FROM routes r LEFT JOIN modules m ON m.id = r.module_id "
            "LEFT JOIN files f ON f.id = r.file_id ORDER BY f.path, r.line, r.id");
    if (!q.ok()) return queryError(db.get(), path, "routes");
    while (q.next()) facts.routes.push_back(Route{q.text(0), q.text(1), q.i64(2), q.text(3), q.text(4)});
  }
  {
    Query q(db.get(), "SELECT src, dst FROM edges WHERE kind IN ('call', 'virtual_call') ORDER BY src, dst");
    if (!q.ok()) return queryError(db.get(), path, "edges");
    while (q.next()) facts.calls[q.i64(0)].push_back(q.i64(1));
  }
  {
    Query q(db.get(),
            "SELECT j.symbol_id, j.direction, j.parent, j.name, j.type, j.via, j.object, j.required, j.nullable, "
            "j.open, COALESCE(f.path || ':' || j.line, '') FROM json_fields j LEFT JOIN files f ON f.id = j.file_id "
            "ORDER BY f.path, j.line, j.col, j.rowid");
    if (!q.ok()) return queryError(db.get(), path, "json_fields");
    while (q.next()) {
      JsonField j{q.i64(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5), q.text(6),
                  q.i64(7) != 0, q.i64(8) != 0, q.i64(9) != 0, q.text(10)};
      facts.json_fields[j.symbol_id].push_back(std::move(j));
    }
  }
  {
    // A record's fields repeat once per origin file: one row per position.
    Query q(db.get(),
            "SELECT owner_id, kind, position, name, cpp_type, json_type, items, nullable, COALESCE(record_id, 0) "
            "FROM type_members GROUP BY owner_id, kind, position ORDER BY owner_id, kind, position");
    if (!q.ok()) return queryError(db.get(), path, "type_members");
    while (q.next()) {
      facts.members[q.i64(0)].push_back(TypeMember{q.text(1), static_cast<int>(q.i64(2)), q.text(3), q.text(4),
                                                   q.text(5), q.text(6), q.i64(7) != 0, q.i64(8)});
    }
  }
  return facts;
}

}  // namespace seam::contracts
