// Minimal RAII around sqlite3_stmt for the analyzer's own statements.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace seam::analyzer {

class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt(Stmt&& o) noexcept : stmt_(o.stmt_), rc_(o.rc_) { o.stmt_ = nullptr; }

  bool ok() const { return stmt_ != nullptr && rc_ == SQLITE_OK; }
  sqlite3_stmt* get() const { return stmt_; }

  Stmt& bind(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); return *this; }
  Stmt& bind(int i, int v) { sqlite3_bind_int64(stmt_, i, v); return *this; }
  Stmt& bind(int i, uint32_t v) { sqlite3_bind_int64(stmt_, i, v); return *this; }
  Stmt& bind(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Stmt& bindNull(int i) { sqlite3_bind_null(stmt_, i); return *this; }

  /// SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(stmt_); }
  /// Steps to completion and resets for reuse; returns the final code.
  int run() {
    int rc = sqlite3_step(stmt_);
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    return rc == SQLITE_ROW ? SQLITE_DONE : rc;
  }
  void reset() { sqlite3_reset(stmt_); sqlite3_clear_bindings(stmt_); }

  int64_t i64(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool isNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string text(int col) const {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, sqlite3_column_bytes(stmt_, col)) : std::string();
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

}  // namespace seam::analyzer
