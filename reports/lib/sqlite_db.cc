#include "sqlite_db.h"

namespace seam::reports::internal {

Status ReadOnlyDb::open(const std::string& path) {
  path_ = path;
  // SQLITE_OPEN_READONLY never creates the file; a missing file is an error.
  int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr);
  if (rc != SQLITE_OK) {
    return Error{path + ": cannot open: " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc))};
  }
  sqlite3_busy_timeout(db_, 2000);
  // Opening is lazy: touch the header now so "not a database" is reported here.
  Status probe = query("SELECT count(*) FROM sqlite_schema", [](const Row&) {});
  if (!probe.ok()) return Error{path + ": " + probe.error()};
  return Status::Ok();
}

Status ReadOnlyDb::query(const std::string& sql, const std::function<void(const Row&)>& on_row) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    std::string msg = sqlite3_errmsg(db_);
    sqlite3_finalize(stmt);
    return Error{msg};
  }
  Row row(stmt);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) on_row(row);
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) return Error{sqlite3_errmsg(db_)};
  return Status::Ok();
}

bool ReadOnlyDb::hasTable(const std::string& name) {
  bool found = false;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT 1 FROM sqlite_schema WHERE type IN ('table','view') AND name = ?1",
                         -1, &stmt, nullptr) == SQLITE_OK) {
    sqlite3_bind_text(stmt, 1, name.c_str(), -1, SQLITE_TRANSIENT);
    found = sqlite3_step(stmt) == SQLITE_ROW;
  }
  sqlite3_finalize(stmt);
  return found;
}

}  // namespace seam::reports::internal
