#include "common/db.h"

#include <sqlite3.h>

#include <string>

#include "common/log.h"

namespace bookstore {
namespace {

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) {
  std::string message = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  throw DbError(rc, message);
}

constexpr size_t kMaxCachedStatements = 512;

void bindAll(sqlite3* db, sqlite3_stmt* stmt, std::string_view sql, const Params& params) {
  if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt)) {
    throw DbError(SQLITE_RANGE, "parameter count mismatch for \"" + std::string(sql.substr(0, 120)) + "\"");
  }
  for (size_t i = 0; i < params.size(); ++i) {
    int index = static_cast<int>(i) + 1;
    const auto& v = params[i].value();
    int rc;
    if (std::holds_alternative<int64_t>(v)) {
      rc = sqlite3_bind_int64(stmt, index, std::get<int64_t>(v));
    } else if (std::holds_alternative<double>(v)) {
      rc = sqlite3_bind_double(stmt, index, std::get<double>(v));
    } else if (std::holds_alternative<std::string>(v)) {
      const std::string& s = std::get<std::string>(v);
      rc = sqlite3_bind_text(stmt, index, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    } else {
      rc = sqlite3_bind_null(stmt, index);
    }
    if (rc != SQLITE_OK) fail(db, rc, "bind failed");
  }
}

}  // namespace

// Resets the cached statement (and drops its bindings) on every path out of
// query/exec, so the next user finds it clean.
struct StatementLease {
  sqlite3_stmt* stmt = nullptr;
  ~StatementLease() {
    if (stmt) {
      sqlite3_reset(stmt);
      sqlite3_clear_bindings(stmt);
    }
  }
};

sqlite3_stmt* Db::prepare(std::string_view sql, const Params& params) {
  std::string key(sql);
  sqlite3_stmt* stmt = nullptr;
  if (auto it = statements_.find(key); it != statements_.end()) {
    stmt = it->second;
  } else {
    int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) fail(db_, rc, "prepare failed for \"" + std::string(sql.substr(0, 120)) + "\"");
    if (stmt == nullptr) throw DbError(SQLITE_MISUSE, "empty statement");
    if (statements_.size() >= kMaxCachedStatements) {
      // Dynamic SQL (query builder, report filters) could grow the cache
      // without bound; start over rather than track recency.
      for (auto& [text, cached] : statements_) sqlite3_finalize(cached);
      statements_.clear();
    }
    statements_.emplace(std::move(key), stmt);
  }
  try {
    bindAll(db_, stmt, sql, params);
  } catch (...) {
    sqlite3_clear_bindings(stmt);
    throw;
  }
  return stmt;
}

namespace {

nlohmann::json columnValue(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return sqlite3_column_int64(stmt, i);
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, i);
    case SQLITE_NULL:
      return nullptr;
    default: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      return std::string(text ? text : "", static_cast<size_t>(sqlite3_column_bytes(stmt, i)));
    }
  }
}

}  // namespace

int64_t Row::integer(const char* column) const {
  const auto& v = fields_.at(column);
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number()) return static_cast<int64_t>(v.get<double>());
  return 0;
}

double Row::real(const char* column) const {
  const auto& v = fields_.at(column);
  return v.is_number() ? v.get<double>() : 0.0;
}

std::string Row::text(const char* column) const {
  const auto& v = fields_.at(column);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return {};
  return v.dump();
}

bool Row::isNull(const char* column) const { return fields_.at(column).is_null(); }

Db::Db(const std::string& path) {
  int rc = sqlite3_open_v2(path.c_str(), &db_,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = "cannot open database " + path + ": " + sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw DbError(rc, message);
  }
  sqlite3_busy_timeout(db_, 5000);
  execScript(
      "PRAGMA journal_mode = WAL;"
      "PRAGMA synchronous = NORMAL;"
      "PRAGMA foreign_keys = ON;");
}

Db::~Db() {
  for (auto& [text, stmt] : statements_) sqlite3_finalize(stmt);
  if (db_ != nullptr && sqlite3_close(db_) != SQLITE_OK) {
    log::warn("sqlite3_close: " + std::string(sqlite3_errmsg(db_)));
    sqlite3_close_v2(db_);
  }
}

std::vector<Row> Db::query(std::string_view sql, const Params& params) {
  StatementLease guard{prepare(sql, params)};
  int columns = sqlite3_column_count(guard.stmt);
  std::vector<Row> rows;
  while (true) {
    int rc = sqlite3_step(guard.stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) fail(db_, rc, "step failed");
    nlohmann::json fields = nlohmann::json::object();
    for (int i = 0; i < columns; ++i) fields[sqlite3_column_name(guard.stmt, i)] = columnValue(guard.stmt, i);
    rows.emplace_back(std::move(fields));
  }
  return rows;
}

std::optional<Row> Db::queryOne(std::string_view sql, const Params& params) {
  auto rows = query(sql, params);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

int64_t Db::queryInt(std::string_view sql, const Params& params, int64_t fallback) {
  StatementLease guard{prepare(sql, params)};
  int rc = sqlite3_step(guard.stmt);
  if (rc == SQLITE_DONE) return fallback;
  if (rc != SQLITE_ROW) fail(db_, rc, "step failed");
  if (sqlite3_column_type(guard.stmt, 0) == SQLITE_NULL) return fallback;
  return sqlite3_column_int64(guard.stmt, 0);
}

int Db::exec(std::string_view sql, const Params& params) {
  StatementLease guard{prepare(sql, params)};
  int rc;
  while ((rc = sqlite3_step(guard.stmt)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) fail(db_, rc, "step failed");
  return sqlite3_changes(db_);
}

void Db::execScript(const std::string& sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    throw DbError(rc, "exec failed: " + message);
  }
}

int64_t Db::lastInsertId() const { return sqlite3_last_insert_rowid(db_); }

Transaction::Transaction(Db& db) : db_(db), level_(db.depth_ + 1) {
  if (level_ == 1) {
    db_.exec("BEGIN IMMEDIATE");
  } else {
    db_.exec("SAVEPOINT sp" + std::to_string(level_));
  }
  db_.depth_ = level_;
}

Transaction::~Transaction() {
  if (done_) return;
  // Roll back; never throw from a destructor.
  try {
    if (level_ == 1) {
      db_.exec("ROLLBACK");
    } else {
      db_.exec("ROLLBACK TO sp" + std::to_string(level_));
      db_.exec("RELEASE sp" + std::to_string(level_));
    }
  } catch (const DbError& e) {
    log::error(std::string("rollback failed: ") + e.what());
  }
  db_.depth_ = level_ - 1;
}

void Transaction::commit() {
  if (done_) return;
  if (level_ == 1) {
    db_.exec("COMMIT");
  } else {
    db_.exec("RELEASE sp" + std::to_string(level_));
  }
  done_ = true;
  db_.depth_ = level_ - 1;
}

}  // namespace bookstore
