// SQL access analysis with SQLite as the parser: see sql_access.h.
//
// The catalog's connection carries one authorizer for its whole life; it
// appends what SQLite reports to `Impl::records` while a prepare is in
// progress. analyzeStatement() only prepares (never steps) user SQL; addDdl()
// steps CREATE statements, which touch nothing but the private in-memory
// database, under a progress handler that bounds their work.
#include "seam/analyzer/sql_access.h"

#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>

#include "sql_fallback.h"
#include "sql_insert.h"
#include "sql_lexer.h"

namespace seam::analyzer {
namespace {

// One authorizer callback: SQLite's action code and its four strings.
struct AuthRecord {
  int code;
  std::string arg1, arg2, database, via;
};

std::string str(const char* s) { return s ? sql::toLower(s) : std::string(); }

// Bound on the VM work of applying one CREATE (e.g. CREATE TABLE .. AS a
// runaway recursive CTE): progress callbacks of 1000 instructions each.
constexpr int kProgressPeriod = 1000;
constexpr int kMaxProgressCalls = 5000;

}  // namespace

struct SchemaCatalog::Impl {
  sqlite3* db = nullptr;
  // Records of the prepare in progress; null when none is (then SQLite's own
  // internal statements are not recorded).
  std::vector<AuthRecord>* records = nullptr;
  // While applying DDL: refuse temporary objects and anything with effects
  // outside the schema.
  bool applying_ddl = false;
  int progress_calls = 0;

  struct Pending {
    std::string sql;
    std::string error;
  };
  std::vector<Pending> pending;
  // Accesses of each applied CREATE statement, by its exact text: analysing
  // it again would fail with "already exists".
  std::unordered_map<std::string, std::vector<TableAccess>> ddl_accesses;
  std::set<std::string> views, triggers;  // lower-case names, for `via` and view columns
  // Object name => the statement text that created it (DbObject::source).
  std::unordered_map<std::string, std::string> created_by;

  ~Impl() { sqlite3_close_v2(db); }

  static int authorize(void* self, int code, const char* a1, const char* a2, const char* database,
                       const char* via) {
    auto* impl = static_cast<Impl*>(self);
    switch (code) {
      // Some pragmas act during prepare; attaching touches files.
      case SQLITE_PRAGMA:
      case SQLITE_ATTACH:
      case SQLITE_DETACH:
        return SQLITE_DENY;
      case SQLITE_CREATE_TEMP_TABLE:
      case SQLITE_CREATE_TEMP_VIEW:
      case SQLITE_CREATE_TEMP_INDEX:
      case SQLITE_CREATE_TEMP_TRIGGER:
      case SQLITE_DROP_TABLE:
      case SQLITE_DROP_VIEW:
      case SQLITE_DROP_INDEX:
      case SQLITE_DROP_TRIGGER:
      case SQLITE_ALTER_TABLE:
        if (impl->applying_ddl) return SQLITE_DENY;
        break;
      default:
        break;
    }
    if (impl->records) impl->records->push_back({code, str(a1), str(a2), str(database), str(via)});
    return SQLITE_OK;
  }

  // SQLITE_INSERT names the table only: the columns come from the
  // statement's column list, or are every column of the table when it has
  // none (`INSERT INTO t VALUES (..)`, `INSERT INTO t SELECT ..`; only when
  // the catalog knows the table). One row per column is added beside the
  // whole-row insert row, which stays: "a row is inserted". Inserts made by
  // triggers (`via`) keep the whole-row row only.
  void addInsertColumns(const std::vector<sql::Token>& tokens, std::vector<TableAccess>& accesses) const {
    std::optional<sql::InsertTarget> target = sql::insertTarget(tokens);
    if (!target || target->default_values) return;
    std::vector<TableAccess> added;
    for (const TableAccess& a : accesses) {
      if (a.op != SqlOp::kInsert || !a.via.empty() || !a.column.empty() || a.table != target->table) continue;
      const std::vector<std::string>& columns = target->column_list ? target->columns : tableColumns(a.table);
      for (const std::string& c : columns) added.push_back({a.table, c, SqlOp::kInsert, ""});
    }
    accesses.insert(accesses.end(), added.begin(), added.end());
  }

  // The columns of a catalog table, in declaration order; empty if unknown.
  // Prepared only (records is null here, so nothing is recorded).
  const std::vector<std::string>& tableColumns(const std::string& table) const {
    auto [it, inserted] = column_cache.try_emplace(table);
    if (!inserted) return it->second;
    std::string quoted;
    for (char c : table) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    std::string query = "SELECT * FROM main.\"" + quoted + "\"";
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db, query.c_str(), -1, 0, &stmt, nullptr) == SQLITE_OK && stmt) {
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) it->second.push_back(str(sqlite3_column_name(stmt, i)));
    }
    sqlite3_finalize(stmt);
    return it->second;
  }
  // Cleared whenever the schema changes (addDdl).
  mutable std::unordered_map<std::string, std::vector<std::string>> column_cache;

  // Declares `name` from SQLite's "no such function: name" as a scalar
  // function of any arity that is never called (statements are only
  // prepared). False when the error is another one or the name is taken.
  bool declareMissingFunction(std::string_view error) {
    constexpr std::string_view kPrefix = "no such function: ";
    if (error.substr(0, kPrefix.size()) != kPrefix) return false;
    std::string name(error.substr(kPrefix.size()));
    if (name.empty() || !declared_functions.insert(sql::toLower(name)).second) return false;
    return sqlite3_create_function_v2(db, name.c_str(), -1, SQLITE_UTF8, nullptr, &stubFunction, nullptr,
                                      nullptr, nullptr) == SQLITE_OK;
  }
  static void stubFunction(sqlite3_context* ctx, int, sqlite3_value**) { sqlite3_result_null(ctx); }
  std::set<std::string> declared_functions;

  static int progress(void* self) {
    auto* impl = static_cast<Impl*>(self);
    return ++impl->progress_calls > kMaxProgressCalls ? 1 : 0;
  }

  // The accesses a statement of `kind` makes, from its authorizer records.
  std::vector<TableAccess> accessesFrom(const std::vector<AuthRecord>& recs, SqlKind kind) const {
    std::vector<TableAccess> out;
    for (const AuthRecord& r : recs) {
      if (r.database == "temp") continue;
      if (kind == SqlKind::kDdl) {
        // DDL creates objects; its reads (index columns) happen once, at creation.
        switch (r.code) {
          case SQLITE_CREATE_TABLE:
          case SQLITE_CREATE_VIEW:
            out.push_back({r.arg1, "", SqlOp::kCreate, ""});
            break;
          case SQLITE_CREATE_INDEX:
          case SQLITE_CREATE_TRIGGER:
            out.push_back({r.arg2, "", SqlOp::kCreate, ""});
            break;
          default:
            break;
        }
        continue;
      }
      SqlOp op;
      std::string column;
      switch (r.code) {
        case SQLITE_READ:
          op = SqlOp::kRead;
          column = r.arg2;
          break;
        case SQLITE_INSERT:
          op = SqlOp::kInsert;
          break;
        case SQLITE_UPDATE:
          op = SqlOp::kUpdate;
          column = r.arg2;
          break;
        case SQLITE_DELETE:
          op = SqlOp::kDelete;
          break;
        default:
          continue;
      }
      // A view's own columns are reported besides its base tables' (which
      // carry the view in `via`): keep the base tables only.
      if (views.count(r.arg1)) continue;
      // `via` also names CTEs; only views and triggers are kept.
      std::string via = (views.count(r.via) || triggers.count(r.via)) ? r.via : std::string();
      out.push_back({r.arg1, std::move(column), op, std::move(via)});
    }
    return out;
  }

  enum class Applied { kYes, kDuplicate, kNo };

  Applied apply(const std::string& stmt_sql, std::string& error) {
    std::vector<AuthRecord> recs;
    records = &recs;
    applying_ddl = true;
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db, stmt_sql.data(), static_cast<int>(stmt_sql.size()), 0, &stmt,
                                nullptr);
    records = nullptr;
    Applied result = Applied::kYes;
    if (rc != SQLITE_OK) {
      error = sqlite3_errmsg(db);
      result = error.find("already exists") != std::string::npos ? Applied::kDuplicate : Applied::kNo;
    } else if (stmt != nullptr) {
      progress_calls = 0;
      rc = sqlite3_step(stmt);
      if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        error = sqlite3_errmsg(db);
        result = Applied::kNo;
      }
    }
    sqlite3_finalize(stmt);
    applying_ddl = false;
    if (result != Applied::kNo) ddl_accesses.emplace(stmt_sql, accessesFrom(recs, SqlKind::kDdl));
    if (result == Applied::kYes) {
      for (const AuthRecord& r : recs) {
        if (r.code == SQLITE_CREATE_TABLE || r.code == SQLITE_CREATE_VIEW ||
            r.code == SQLITE_CREATE_INDEX || r.code == SQLITE_CREATE_TRIGGER) {
          created_by.emplace(r.arg1, stmt_sql);
        }
      }
    }
    return result;
  }

  void refreshNames() {
    views.clear();
    triggers.clear();
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT type, name FROM sqlite_master WHERE type IN ('view','trigger')",
                           -1, &stmt, nullptr) != SQLITE_OK) {
      return;
    }
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::string type = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      std::string name = sql::toLower(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1)));
      (type == "view" ? views : triggers).insert(name);
    }
    sqlite3_finalize(stmt);
  }
};

std::string_view toString(SqlOp op) {
  switch (op) {
    case SqlOp::kCreate: return "create";
    case SqlOp::kRead: return "read";
    case SqlOp::kInsert: return "insert";
    case SqlOp::kUpdate: return "update";
    case SqlOp::kDelete: return "delete";
  }
  return "read";
}

std::string_view toString(SqlParser parser) {
  switch (parser) {
    case SqlParser::kSqlite: return "sqlite";
    case SqlParser::kTokenizer: return "tokenizer";
    case SqlParser::kNone: return "none";
  }
  return "none";
}

std::string_view toString(SqlKind kind) {
  switch (kind) {
    case SqlKind::kNotSql: return "not_sql";
    case SqlKind::kDml: return "dml";
    case SqlKind::kDdl: return "ddl";
    case SqlKind::kTransaction: return "transaction";
    case SqlKind::kOther: return "other";
  }
  return "not_sql";
}

bool looksLikeSql(std::string_view text) { return sql::looksLikeSqlTokens(sql::lex(text)); }

SchemaCatalog::SchemaCatalog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SchemaCatalog::SchemaCatalog(SchemaCatalog&&) noexcept = default;
SchemaCatalog& SchemaCatalog::operator=(SchemaCatalog&&) noexcept = default;
SchemaCatalog::~SchemaCatalog() = default;

llvm::Expected<SchemaCatalog> SchemaCatalog::create() {
  auto impl = std::make_unique<Impl>();
  int rc = sqlite3_open_v2(":memory:", &impl->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    return llvm::createStringError(std::errc::not_enough_memory,
                                   "cannot open an in-memory SQLite database: %s",
                                   sqlite3_errstr(rc));
  }
  // Schema from code is untrusted: no extensions, no functions with side
  // effects from the schema, no writes to sqlite_master.
  sqlite3_db_config(impl->db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(impl->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_db_config(impl->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
  sqlite3_set_authorizer(impl->db, &Impl::authorize, impl.get());
  sqlite3_progress_handler(impl->db, kProgressPeriod, &Impl::progress, impl.get());
  return SchemaCatalog(std::move(impl));
}

size_t SchemaCatalog::addDdl(std::string_view text) {
  impl_->column_cache.clear();
  size_t pending_before = impl_->pending.size();
  for (std::string_view stmt : sql::splitStatements(text)) {
    std::vector<sql::Token> tokens = sql::lex(stmt);
    if (tokens.empty() || !tokens[0].isWord("create")) continue;
    bool temporary = std::any_of(tokens.begin(), tokens.begin() + std::min<size_t>(4, tokens.size()),
                                 [](const sql::Token& t) { return t.isWord("temp") || t.isWord("temporary"); });
    if (temporary) continue;
    impl_->pending.push_back({std::string(stmt), {}});
  }
  if (impl_->pending.size() == pending_before) return 0;  // nothing new to retry with
  // Apply what can be applied, retrying until no progress: views and
  // triggers may arrive before the tables they need.
  size_t applied = 0;
  for (bool progress = true; progress && !impl_->pending.empty();) {
    progress = false;
    for (auto it = impl_->pending.begin(); it != impl_->pending.end();) {
      std::string error;
      Impl::Applied result = impl_->apply(it->sql, error);
      if (result == Impl::Applied::kNo) {
        it->error = std::move(error);
        ++it;
        continue;
      }
      if (result == Impl::Applied::kYes) {
        ++applied;
        progress = true;
      }
      it = impl_->pending.erase(it);
    }
  }
  impl_->refreshNames();
  return applied;
}

llvm::Error SchemaCatalog::loadSqlFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return llvm::createStringError(std::errc::no_such_file_or_directory,
                                   "cannot read schema file '%s'", path.c_str());
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return llvm::createStringError(std::errc::io_error, "cannot read schema file '%s'", path.c_str());
  }
  addDdl(text.str());
  return llvm::Error::success();
}

llvm::Error SchemaCatalog::loadDatabase(const std::string& path) {
  sqlite3* src = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &src, SQLITE_OPEN_READONLY, nullptr);
  std::string ddl;
  std::string error;
  if (rc == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    rc = sqlite3_prepare_v2(src,
                            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND "
                            "name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY rowid",
                            -1, &stmt, nullptr);
    while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      ddl += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      ddl += ";\n";
      rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE) error = sqlite3_errmsg(src);
    sqlite3_finalize(stmt);
  } else {
    error = src ? sqlite3_errmsg(src) : sqlite3_errstr(rc);
  }
  sqlite3_close_v2(src);
  if (!error.empty()) {
    return llvm::createStringError(std::errc::invalid_argument, "cannot read schema of '%s': %s",
                                   path.c_str(), error.c_str());
  }
  addDdl(ddl);
  return llvm::Error::success();
}

std::vector<DbObject> SchemaCatalog::objects() const {
  std::vector<DbObject> out;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(impl_->db,
                         "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL "
                         "AND name NOT LIKE 'sqlite!_%' ESCAPE '!'",
                         -1, &stmt, nullptr) != SQLITE_OK) {
    return out;
  }
  auto col = [&](int i) { return std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, i))); };
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    std::string name = sql::toLower(col(1));
    auto source = impl_->created_by.find(name);
    out.push_back({name, col(0), sql::toLower(col(2)), col(3),
                   source == impl_->created_by.end() ? std::string() : source->second});
  }
  sqlite3_finalize(stmt);
  std::sort(out.begin(), out.end(), [](const DbObject& a, const DbObject& b) { return a.name < b.name; });
  return out;
}

std::vector<std::pair<std::string, std::string>> SchemaCatalog::pending() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& p : impl_->pending) out.emplace_back(p.sql, p.error);
  return out;
}

namespace {

// Sorted, unique, and without whole-row reads of a table whose columns are
// also listed as read through the same path (SQLite reports both for CTEs).
void normalize(std::vector<TableAccess>& accesses) {
  std::sort(accesses.begin(), accesses.end());
  accesses.erase(std::unique(accesses.begin(), accesses.end()), accesses.end());
  std::set<std::pair<std::string, std::string>> column_reads;  // (table, via)
  for (const TableAccess& a : accesses) {
    if (a.op == SqlOp::kRead && !a.column.empty()) column_reads.emplace(a.table, a.via);
  }
  std::erase_if(accesses, [&](const TableAccess& a) {
    return a.op == SqlOp::kRead && a.column.empty() && column_reads.count({a.table, a.via});
  });
}

}  // namespace

SqlAnalysis analyzeStatement(const SchemaCatalog& catalog, std::string_view text) {
  SqlAnalysis result;
  if (!looksLikeSql(text)) return result;
  SchemaCatalog::Impl& impl = *catalog.impl_;
  bool any_tokenizer = false;
  std::optional<SqlKind> kind;
  for (std::string_view stmt_text : sql::splitStatements(text)) {
    std::vector<sql::Token> tokens = sql::lex(stmt_text);
    SqlKind stmt_kind = sql::statementKind(tokens);
    if (!kind && stmt_kind != SqlKind::kTransaction) kind = stmt_kind;

    std::vector<AuthRecord> recs;
    sqlite3_stmt* stmt = nullptr;
    int rc = SQLITE_OK;
    // Functions the project registers at run time (sqlite3_create_function)
    // are unknown to the catalog: each is declared as a stub, then the
    // statement is prepared again. Bounded: a statement names few functions.
    for (int attempt = 0; attempt < 8; ++attempt) {
      recs.clear();
      impl.records = &recs;
      rc = sqlite3_prepare_v3(impl.db, stmt_text.data(), static_cast<int>(stmt_text.size()), 0, &stmt,
                              nullptr);
      impl.records = nullptr;
      sqlite3_finalize(stmt);  // prepared, never stepped
      stmt = nullptr;
      if (rc == SQLITE_OK || !impl.declareMissingFunction(sqlite3_errmsg(impl.db))) break;
    }
    std::vector<TableAccess> accesses;
    if (rc == SQLITE_OK) {
      accesses = impl.accessesFrom(recs, stmt_kind);
      impl.addInsertColumns(tokens, accesses);
    } else {
      std::string error = sqlite3_errmsg(impl.db);
      auto memo = impl.ddl_accesses.find(std::string(stmt_text));
      if (memo != impl.ddl_accesses.end()) {
        accesses = memo->second;  // a CREATE the catalog applied itself
      } else if (error == "not authorized") {
        // PRAGMA / ATTACH: recognised by SQLite, touch no table.
      } else {
        any_tokenizer = true;
        accesses = sql::tokenizerAccesses(tokens);
        impl.addInsertColumns(tokens, accesses);
        if (stmt_kind == SqlKind::kDdl) {
          std::erase_if(accesses, [](const TableAccess& a) { return a.op != SqlOp::kCreate; });
        }
        if (result.error.empty()) result.error = std::move(error);
      }
    }
    result.accesses.insert(result.accesses.end(), accesses.begin(), accesses.end());
  }
  result.parser = any_tokenizer ? SqlParser::kTokenizer : SqlParser::kSqlite;
  result.kind = kind.value_or(SqlKind::kTransaction);
  normalize(result.accesses);
  return result;
}

}  // namespace seam::analyzer
