// The whole-store SQL pass: see sql_resolve.h.
//
//   sql_candidates + sink_params (raw, per TU)
//     => sinks: built-in / seam.yaml by qualified name, then the fixpoint
//        over sink_params (a wrapper forwarding its parameter to a sink)
//     => sql_statements (candidates at sinks whose text looks like SQL)
//     => SchemaCatalog (CREATE statements from code, then --schema)
//     => db_objects, table_access (each statement prepared under the authorizer)
//
// Everything derived is deleted and rebuilt inside one savepoint, so the pass
// is idempotent, leaves the store untouched on error, and works both inside
// and outside a caller's transaction.
#include "seam/analyzer/sql_resolve.h"

#include <sqlite3.h>

#include <deque>
#include <fstream>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>

#include "seam/analyzer/sql_access.h"
#include "sql_lexer.h"
#include "sqlite_util.h"

namespace seam::analyzer {
namespace {

llvm::Error storeError(sqlite3* db, const char* what) {
  return llvm::createStringError(std::errc::io_error, "sql pass: %s: %s", what, sqlite3_errmsg(db));
}

// libpqxx is matched by method name on any pqxx class, at any argument: its
// API has many overloads (exec, exec0, exec_params, query<...>, stream, ...)
// and moved across versions; only SQL-looking text is kept anyway.
bool isPqxxSink(std::string_view qualified_name) {
  if (!qualified_name.starts_with("pqxx::")) return false;
  std::string_view method = qualified_name.substr(qualified_name.rfind("::") + 2);
  static constexpr std::string_view kMethods[] = {
      "exec",       "exec0",         "exec1",          "exec_n",         "exec_params",
      "exec_params0", "exec_params1", "exec_params_n", "query",          "query1",
      "query01",    "query_n",       "query_value",    "stream",         "for_each",
      "for_query",  "for_stream",    "prepare",        "pipeline_insert"};
  for (std::string_view m : kMethods) {
    if (method == m) return true;
  }
  return false;
}

// The sink set: built-ins and seam.yaml by name, derived wrappers by id.
class Sinks {
 public:
  explicit Sinks(const std::vector<SinkSpec>& extra) {
    for (const SinkSpec& s : builtinSqlSinks()) by_name_[s.qualified_name].insert(s.arg_index);
    for (const SinkSpec& s : extra) by_name_[s.qualified_name].insert(s.arg_index);
  }

  bool contains(int64_t id, std::string_view name, unsigned arg) const {
    if (derived_.count({id, arg})) return true;
    auto it = by_name_.find(std::string(name));
    if (it != by_name_.end() && it->second.count(arg)) return true;
    return isPqxxSink(name);
  }
  bool derive(int64_t id, unsigned arg) { return derived_.insert({id, arg}).second; }
  size_t size() const {
    size_t n = derived_.size();
    for (const auto& [name, args] : by_name_) n += args.size();
    return n;
  }

 private:
  std::map<std::string, std::set<unsigned>, std::less<>> by_name_;
  std::set<std::pair<int64_t, unsigned>> derived_;
};

struct SinkParam {
  int64_t function_id;
  unsigned param_index;
  int64_t callee_id;
  std::string callee_name;
  unsigned arg_index;
};

// (b): a function forwarding its parameter P to a sink argument is a sink at
// P; iterated to a fixpoint with a worklist over callee ids.
llvm::Error deriveWrappers(sqlite3* db, Sinks& sinks) {
  Stmt read(db, "SELECT function_id, param_index, callee_id, callee_name, arg_index FROM sink_params");
  if (!read.ok()) return storeError(db, "reading sink_params");
  std::vector<SinkParam> rows;
  std::unordered_multimap<int64_t, size_t> by_callee;
  std::deque<size_t> work;  // rows whose callee argument is a sink
  int rc;
  while ((rc = read.step()) == SQLITE_ROW) {
    rows.push_back({read.i64(0), static_cast<unsigned>(read.i64(1)), read.i64(2), read.text(3),
                    static_cast<unsigned>(read.i64(4))});
    by_callee.emplace(rows.back().callee_id, rows.size() - 1);
    const SinkParam& r = rows.back();
    if (sinks.contains(r.callee_id, r.callee_name, r.arg_index)) work.push_back(rows.size() - 1);
  }
  if (rc != SQLITE_DONE) return storeError(db, "reading sink_params");
  while (!work.empty()) {
    const SinkParam& r = rows[work.front()];
    work.pop_front();
    if (!sinks.derive(r.function_id, r.param_index)) continue;
    auto [begin, end] = by_callee.equal_range(r.function_id);
    for (auto it = begin; it != end; ++it) {
      if (rows[it->second].arg_index == r.param_index) work.push_back(it->second);
    }
  }
  return llvm::Error::success();
}

struct Statement {
  int64_t caller_id = 0;  // 0 = NULL
  int64_t file_id = 0;    // 0 = NULL
  int64_t line = 0;
  int64_t col = 0;
  std::string sink;
  std::string text;
  bool complete = true;
};

// (c): candidates at sinks whose text looks like SQL, deduplicated (a header
// site seen by several TUs or shards counts once), in a stable order.
// CREATE statements found elsewhere (DDL constants returned as strings) go to
// `schema_only`: they describe the schema but are no statements.
llvm::Expected<std::vector<Statement>> selectStatements(sqlite3* db, const Sinks& sinks,
                                                        std::vector<Statement>& schema_only) {
  Stmt read(db,
            "SELECT DISTINCT caller_id, callee_id, callee_name, arg_index, text, complete, file_id, "
            "line, col FROM sql_candidates ORDER BY file_id, line, col, callee_name, arg_index, text");
  if (!read.ok()) return storeError(db, "reading sql_candidates");
  std::vector<Statement> out;
  int rc;
  while ((rc = read.step()) == SQLITE_ROW) {
    bool at_sink = sinks.contains(read.i64(1), read.text(2), static_cast<unsigned>(read.i64(3)));
    std::string text = read.text(4);
    if (!looksLikeSql(text)) continue;
    if (!at_sink) {
      std::vector<sql::Token> tokens = sql::lex(text);
      if (tokens.empty() || !tokens[0].isWord("create")) continue;
    }
    (at_sink ? out : schema_only).push_back({read.isNull(0) ? 0 : read.i64(0), read.isNull(6) ? 0 : read.i64(6), read.i64(7),
                   read.i64(8), read.text(2), std::move(text), read.i64(5) != 0});
  }
  if (rc != SQLITE_DONE) return storeError(db, "reading sql_candidates");
  return out;
}

bool isSqliteDatabase(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[16] = {};
  in.read(magic, sizeof magic);
  return in.gcount() == sizeof magic && std::string_view(magic, sizeof magic) ==
                                            std::string_view("SQLite format 3\0", 16);
}

// A savepoint released on commit() and rolled back otherwise.
class Savepoint {
 public:
  explicit Savepoint(sqlite3* db) : db_(db) {
    ok_ = sqlite3_exec(db_, "SAVEPOINT seam_sql", nullptr, nullptr, nullptr) == SQLITE_OK;
  }
  ~Savepoint() {
    if (ok_ && !done_) {
      sqlite3_exec(db_, "ROLLBACK TO seam_sql", nullptr, nullptr, nullptr);
      sqlite3_exec(db_, "RELEASE seam_sql", nullptr, nullptr, nullptr);
    }
  }
  bool ok() const { return ok_; }
  bool commit() {
    done_ = sqlite3_exec(db_, "RELEASE seam_sql", nullptr, nullptr, nullptr) == SQLITE_OK;
    return done_;
  }

 private:
  sqlite3* db_;
  bool ok_ = false;
  bool done_ = false;
};

void bindOptional(Stmt& s, int index, int64_t value) {
  if (value == 0) {
    s.bindNull(index);
  } else {
    s.bind(index, value);
  }
}
void bindOptional(Stmt& s, int index, const std::string& value) {
  if (value.empty()) {
    s.bindNull(index);
  } else {
    s.bind(index, value);
  }
}

}  // namespace

// The `sink` of a CREATE statement found outside any sink call.
constexpr const char* kDdlDefinition = "(ddl definition)";

const std::vector<SinkSpec>& builtinSqlSinks() {
  static const std::vector<SinkSpec> kSinks = {
      // SQLite
      {"sqlite3_prepare", 1}, {"sqlite3_prepare_v2", 1}, {"sqlite3_prepare_v3", 1},
      {"sqlite3_prepare16", 1}, {"sqlite3_prepare16_v2", 1}, {"sqlite3_prepare16_v3", 1},
      {"sqlite3_exec", 1},
      // libpq
      {"PQexec", 1}, {"PQexecParams", 1}, {"PQprepare", 2}, {"PQsendQuery", 1},
      {"PQsendQueryParams", 1}, {"PQsendPrepare", 2},
      // MySQL / MariaDB
      {"mysql_query", 1}, {"mysql_real_query", 1}, {"mysql_send_query", 1},
      {"mysql_stmt_prepare", 1},
      // ODBC
      {"SQLExecDirect", 1}, {"SQLPrepare", 1}, {"SQLExecDirectA", 1}, {"SQLPrepareA", 1},
      // Qt SQL
      {"QSqlQuery::QSqlQuery", 0}, {"QSqlQuery::exec", 0}, {"QSqlQuery::prepare", 0},
      {"QSqlDatabase::exec", 0},
  };
  return kSinks;
}

llvm::Expected<SqlResolveStats> resolveSql(sqlite3* store, const SqlOptions& options) {
  SqlResolveStats stats;
  Sinks sinks(options.extra_sinks);
  if (auto err = deriveWrappers(store, sinks)) return err;
  stats.sinks = sinks.size();
  std::vector<Statement> schema_only;
  auto statements = selectStatements(store, sinks, schema_only);
  if (!statements) return statements.takeError();

  // (d) The catalog: CREATE statements from code first (so objects carry
  // their location), then --schema; addDdl orders dependencies itself.
  auto catalog = SchemaCatalog::create();
  if (!catalog) return catalog.takeError();
  std::unordered_map<std::string, const Statement*> ddl_sites;  // statement text => first site
  for (const std::vector<Statement>* group : {&*statements, &schema_only}) {
    for (const Statement& st : *group) {
      for (std::string_view part : sql::splitStatements(st.text)) {
        ddl_sites.emplace(std::string(part), &st);
      }
      catalog->addDdl(st.text);
    }
  }
  if (!options.schema_path.empty()) {
    llvm::Error err = isSqliteDatabase(options.schema_path)
                          ? catalog->loadDatabase(options.schema_path)
                          : catalog->loadSqlFile(options.schema_path);
    if (err) return err;
  }

  Savepoint savepoint(store);
  if (!savepoint.ok()) return storeError(store, "starting the SQL pass");
  for (const char* table : {"table_access", "sql_statements", "db_objects"}) {
    std::string sql = std::string("DELETE FROM ") + table;
    if (sqlite3_exec(store, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      return storeError(store, "clearing derived SQL tables");
    }
  }

  Stmt insert_object(store, "INSERT INTO db_objects(name, kind, sql, file_id, line) VALUES (?,?,?,?,?)");
  if (!insert_object.ok()) return storeError(store, "preparing db_objects insert");
  for (const DbObject& object : catalog->objects()) {
    auto site = ddl_sites.find(object.source);
    const Statement* st = site == ddl_sites.end() ? nullptr : site->second;
    insert_object.bind(1, object.name).bind(2, object.kind).bind(3, object.sql);
    bindOptional(insert_object, 4, st ? st->file_id : 0);
    bindOptional(insert_object, 5, st ? st->line : 0);
    if (insert_object.run() != SQLITE_DONE) return storeError(store, "writing db_objects");
    ++stats.db_objects;
  }

  // (e) Every statement, analysed against the catalog.
  Stmt insert_statement(store,
                        "INSERT INTO sql_statements(symbol_id, file_id, line, col, sink, text, "
                        "complete, parser, error) VALUES (?,?,?,?,?,?,?,?,?)");
  Stmt insert_access(store,
                     "INSERT INTO table_access(statement_id, symbol_id, table_name, column_name, op, "
                     "via) VALUES (?,?,?,?,?,?)");
  if (!insert_statement.ok() || !insert_access.ok()) {
    return storeError(store, "preparing sql_statements insert");
  }
  // DDL built as a string outside any sink call (a module's schemaDdl()
  // returning its CREATE statements for a shared helper to run) is stored
  // too, with the sink kDdlDefinition: the function that defines a table is
  // its creator, whichever code later executes the text.
  for (Statement& st : schema_only) st.sink = kDdlDefinition;
  std::vector<const Statement*> all;
  for (const std::vector<Statement>* group : {&*statements, &schema_only}) {
    for (const Statement& st : *group) all.push_back(&st);
  }
  for (const Statement* stp : all) {
    const Statement& st = *stp;
    SqlAnalysis analysis = analyzeStatement(*catalog, st.text);
    bindOptional(insert_statement, 1, st.caller_id);
    bindOptional(insert_statement, 2, st.file_id);
    insert_statement.bind(3, st.line).bind(4, st.col).bind(5, st.sink).bind(6, st.text);
    insert_statement.bind(7, st.complete ? 1 : 0).bind(8, std::string(toString(analysis.parser)));
    bindOptional(insert_statement, 9, analysis.error);
    if (insert_statement.run() != SQLITE_DONE) return storeError(store, "writing sql_statements");
    int64_t statement_id = sqlite3_last_insert_rowid(store);
    ++stats.statements;
    stats.complete += st.complete ? 1 : 0;
    stats.parsed_by_sqlite += analysis.parser == SqlParser::kSqlite ? 1 : 0;
    stats.tokenized += analysis.parser == SqlParser::kTokenizer ? 1 : 0;
    for (const TableAccess& access : analysis.accesses) {
      insert_access.bind(1, statement_id);
      bindOptional(insert_access, 2, st.caller_id);
      insert_access.bind(3, access.table);
      bindOptional(insert_access, 4, access.column);
      insert_access.bind(5, std::string(toString(access.op)));
      bindOptional(insert_access, 6, access.via);
      if (insert_access.run() != SQLITE_DONE) return storeError(store, "writing table_access");
      ++stats.accesses;
    }
  }
  if (!savepoint.commit()) return storeError(store, "committing the SQL pass");
  return stats;
}

}  // namespace seam::analyzer
