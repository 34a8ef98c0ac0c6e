// The database wrapper: a thin DAO over the sqlite3 C API.
//
// Every statement in the bookstore goes through Db::query / Db::exec (which
// call sqlite3_prepare_v2, bind positional '?' parameters and step), except a
// few legacy spots that use db.handle() directly. Rows come back as column
// name -> value maps so handlers can turn them into JSON without a mapping
// layer.
//
// Prepared statements are cached per connection, keyed by their SQL text
// (bounded; see kMaxCachedStatements), and reset after each use.
//
// Thread safety: a Db (one sqlite3 connection) is used by one thread at a
// time; ConnectionPool (connection_pool.h) hands them out per request.
// Transactions nest: the outermost Transaction runs BEGIN IMMEDIATE (so a
// writer takes the write lock up front and waits on busy_timeout instead of
// failing on lock upgrade), inner ones use SAVEPOINTs.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

struct sqlite3;
struct sqlite3_stmt;

namespace bookstore {

/// A failed sqlite3 call. Carries the sqlite result code and the statement.
class DbError : public std::runtime_error {
 public:
  DbError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

/// One bound parameter: NULL, integer, real or text.
class Param {
 public:
  Param(std::nullptr_t) {}
  template <typename T, std::enable_if_t<std::is_integral_v<T>, int> = 0>
  Param(T v) : value_(static_cast<int64_t>(v)) {}
  Param(double v) : value_(v) {}
  Param(const char* v) : value_(std::string(v)) {}
  Param(std::string v) : value_(std::move(v)) {}
  Param(std::string_view v) : value_(std::string(v)) {}
  template <typename T>
  Param(const std::optional<T>& v) {
    if (v) *this = Param(*v);
  }

  const std::variant<std::monostate, int64_t, double, std::string>& value() const { return value_; }

 private:
  std::variant<std::monostate, int64_t, double, std::string> value_;
};

using Params = std::vector<Param>;

/// One result row. Column values keep their sqlite storage class.
class Row {
 public:
  explicit Row(nlohmann::json fields) : fields_(std::move(fields)) {}

  int64_t integer(const char* column) const;
  double real(const char* column) const;
  std::string text(const char* column) const;
  bool isNull(const char* column) const;
  const nlohmann::json& json() const { return fields_; }

 private:
  nlohmann::json fields_;
};

class Db {
 public:
  /// Opens (creating if needed) the database file in WAL mode with a busy timeout
  /// and foreign keys on. Throws DbError.
  explicit Db(const std::string& path);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  /// Runs a statement that returns rows.
  std::vector<Row> query(std::string_view sql, const Params& params = {});
  /// First row or nothing.
  std::optional<Row> queryOne(std::string_view sql, const Params& params = {});
  /// First column of the first row as an integer; `fallback` when there is no row or it is NULL.
  int64_t queryInt(std::string_view sql, const Params& params = {}, int64_t fallback = 0);
  /// Runs a statement for its effect; returns the number of rows changed.
  int exec(std::string_view sql, const Params& params = {});
  /// Runs several ';'-separated statements without parameters (DDL).
  void execScript(const std::string& sql);

  int64_t lastInsertId() const;
  bool inTransaction() const { return depth_ > 0; }
  /// The raw connection, for code that talks to sqlite3 directly.
  sqlite3* handle() { return db_; }

 private:
  friend class Transaction;
  friend struct StatementLease;
  /// A prepared statement for `sql` with `params` bound, from the cache or freshly prepared.
  sqlite3_stmt* prepare(std::string_view sql, const Params& params);

  sqlite3* db_ = nullptr;
  int depth_ = 0;  // open Transaction guards on this connection
  std::unordered_map<std::string, sqlite3_stmt*> statements_;  // SQL text -> prepared statement
};

/// RAII transaction guard. The constructor begins (BEGIN IMMEDIATE, or a
/// SAVEPOINT when already inside a transaction); the destructor rolls back
/// unless commit() was called. Not copyable; lives on the stack of one thread.
class Transaction {
 public:
  explicit Transaction(Db& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();

 private:
  Db& db_;
  int level_;  // 1 = outermost
  bool done_ = false;
};

}  // namespace bookstore
