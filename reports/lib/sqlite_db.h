// A minimal read-only SQLite handle for the reports library (internal).
// Owns the connection; statements are stepped through a callback so that no
// sqlite3_stmt outlives its query. Errors come back as values.
#pragma once

#include <sqlite3.h>

#include <functional>
#include <string>

#include "seam/reports/result.h"

namespace seam::reports::internal {

/// One row of a query; column accessors tolerate NULL (empty / 0).
class Row {
 public:
  explicit Row(sqlite3_stmt* stmt) : stmt_(stmt) {}
  std::string text(int col) const {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? std::string(reinterpret_cast<const char*>(t),
                           static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }
  long long integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }
  bool isNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  sqlite3_stmt* stmt_;
};

class ReadOnlyDb {
 public:
  ReadOnlyDb() = default;
  ReadOnlyDb(const ReadOnlyDb&) = delete;
  ReadOnlyDb& operator=(const ReadOnlyDb&) = delete;
  ~ReadOnlyDb() { sqlite3_close_v2(db_); }

  /// Opens `path` read-only; fails if it does not exist or is not SQLite.
  Status open(const std::string& path);

  /// Runs `sql` and calls `on_row` for each row.
  Status query(const std::string& sql, const std::function<void(const Row&)>& on_row);

  /// True if a table (or view) named `name` exists.
  bool hasTable(const std::string& name);

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace seam::reports::internal
