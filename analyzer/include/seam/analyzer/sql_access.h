// SQL access analysis: which tables and columns a SQL statement reads and
// writes, with SQLite itself as the parser.
//
//   statement text => split (sqlite3_complete) => sqlite3_prepare_v2 against
//   the project's schema under sqlite3_set_authorizer => TableAccess rows
//   (views and triggers resolved to base tables, named in `via`)
//   prepare fails (other dialect, '?' where an identifier must be, table not
//   in the schema) => a small tokenizer, parser = tokenizer (lower confidence)
//   not SQL at all => parser = none, nothing else
//
// Nothing here executes user SQL: statements are only prepared, never
// stepped. The schema's CREATE statements are the one exception; they are
// applied to a private in-memory database owned by SchemaCatalog.
//
// Thread safety: a SchemaCatalog owns one SQLite connection and is not
// thread-safe; analyzeStatement() mutates its authorizer state, so use one
// catalog per thread (building one is cheap).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "llvm/Support/Error.h"

namespace seam::analyzer {

/// What a statement does to a table (table_access.op in the fact store).
enum class SqlOp { kCreate, kRead, kInsert, kUpdate, kDelete };
std::string_view toString(SqlOp op);

/// Which parser produced an analysis (sql_statements.parser).
enum class SqlParser { kSqlite, kTokenizer, kNone };
std::string_view toString(SqlParser parser);

/// The kind of a statement text, for callers that treat some kinds apart.
enum class SqlKind {
  kNotSql,       ///< not SQL at all: never stored as a statement
  kDml,          ///< SELECT / INSERT / UPDATE / DELETE / REPLACE / WITH ...
  kDdl,          ///< CREATE / DROP / ALTER
  kTransaction,  ///< BEGIN / COMMIT / END / ROLLBACK / SAVEPOINT / RELEASE
  kOther,        ///< PRAGMA, ATTACH, VACUUM, ...
};
std::string_view toString(SqlKind kind);

/// One access of one table (or one column of it) by a statement.
struct TableAccess {
  std::string table;   ///< base table, lower-case
  std::string column;  ///< lower-case; empty = the whole row (insert, delete, create, count(*))
  SqlOp op = SqlOp::kRead;
  std::string via;     ///< lower-case view or trigger responsible; empty when direct

  friend bool operator==(const TableAccess&, const TableAccess&) = default;
  friend auto operator<=>(const TableAccess&, const TableAccess&) = default;
};

/// The result of analysing one statement text (which may hold several
/// statements separated by ';'). Accesses are sorted and unique.
struct SqlAnalysis {
  SqlParser parser = SqlParser::kNone;
  SqlKind kind = SqlKind::kNotSql;
  std::vector<TableAccess> accesses;
  std::string error;  ///< why SQLite rejected it, when parser != kSqlite
};

/// A schema object known to a catalog (one row of its sqlite_master).
struct DbObject {
  std::string name;  ///< lower-case
  std::string kind;  ///< table | view | index | trigger
  std::string table; ///< lower-case table an index or trigger belongs to; the name itself otherwise
  std::string sql;   ///< as SQLite stores it (normalised: no IF NOT EXISTS, ...)
  std::string source; ///< the statement text given to addDdl() that created it
};

/// True when `text`, after leading whitespace and comments, starts the way a
/// SQL statement does (SELECT, INSERT INTO, UPDATE .. SET, CREATE TABLE, a
/// complete BEGIN/COMMIT, ...). Log messages, URLs and prose are rejected.
bool looksLikeSql(std::string_view text);

/// The project's database schema, held in a private in-memory SQLite
/// database that statements are prepared against.
class SchemaCatalog {
 public:
  /// Opens the in-memory database. Fails only if SQLite cannot allocate it.
  static llvm::Expected<SchemaCatalog> create();

  SchemaCatalog(SchemaCatalog&&) noexcept;
  SchemaCatalog& operator=(SchemaCatalog&&) noexcept;
  ~SchemaCatalog();

  /// Applies every CREATE TABLE/VIEW/INDEX/TRIGGER statement in `sql` (other
  /// statements are skipped, never executed; TEMP objects are ignored).
  /// Statements that fail because an object they depend on is missing are
  /// kept and retried whenever a later call adds objects, so DDL may arrive in
  /// any order. Returns the number of statements newly applied.
  size_t addDdl(std::string_view sql);

  /// Reads a .sql file and passes it to addDdl().
  llvm::Error loadSqlFile(const std::string& path);

  /// Copies the schema (sqlite_master DDL) of an existing SQLite database,
  /// opened read-only; the file is never modified.
  llvm::Error loadDatabase(const std::string& path);

  /// The objects in the catalog, sorted by name. Internal sqlite_* objects
  /// are omitted.
  std::vector<DbObject> objects() const;

  /// CREATE statements that could not be applied (yet), with SQLite's error.
  std::vector<std::pair<std::string, std::string>> pending() const;

  struct Impl;

 private:
  explicit SchemaCatalog(std::unique_ptr<Impl> impl);
  friend SqlAnalysis analyzeStatement(const SchemaCatalog&, std::string_view);
  std::unique_ptr<Impl> impl_;
};

/// Analyses a statement text against `catalog`. Never fails: text SQLite
/// rejects falls back to the tokenizer, text that is not SQL gives
/// parser = kNone and kind = kNotSql. Unknown parts of reconstructed text are
/// '?' (a bind parameter to SQLite, so they parse in value positions).
SqlAnalysis analyzeStatement(const SchemaCatalog& catalog, std::string_view sql);

}  // namespace seam::analyzer
