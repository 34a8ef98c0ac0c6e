// Tests for the whole-store SQL pass on a fact store built from schema.sql,
// with call-site facts inserted by hand as several TUs would record them.
#include "seam/analyzer/sql_resolve.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#ifndef SEAM_SCHEMA_SQL_PATH
#error "SEAM_SCHEMA_SQL_PATH must name analyzer/lib/schema.sql"
#endif

namespace seam::analyzer {
namespace {

class SqlResolveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
    std::ifstream in(SEAM_SCHEMA_SQL_PATH);
    std::stringstream schema;
    schema << in.rdbuf();
    exec(schema.str());
    exec("INSERT INTO files(id, path) VALUES (1, 'src/db.cc'), (2, 'src/repo.cc'), (3, 'src/shop.cc')");
  }
  void TearDown() override { sqlite3_close(db_); }

  void exec(const std::string& sql) {
    char* error = nullptr;
    ASSERT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << error;
  }
  void sinkParam(int tu, int64_t fn, int param, int64_t callee, const std::string& name, int arg) {
    exec("INSERT INTO sink_params(tu_file_id, file_id, function_id, param_index, callee_id, "
         "callee_name, arg_index) VALUES (" + std::to_string(tu) + "," + std::to_string(tu) + "," +
         std::to_string(fn) + "," + std::to_string(param) + "," + std::to_string(callee) + ",'" +
         name + "'," + std::to_string(arg) + ")");
  }
  void candidate(int tu, int64_t caller, int64_t callee, const std::string& name, int arg,
                 const std::string& text, int line, bool complete = true) {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db_,
                       "INSERT INTO sql_candidates(tu_file_id, caller_id, callee_id, callee_name, "
                       "arg_index, text, complete, file_id, line, col) VALUES (?,?,?,?,?,?,?,?,?,1)",
                       -1, &s, nullptr);
    sqlite3_bind_int(s, 1, tu);
    sqlite3_bind_int64(s, 2, caller);
    sqlite3_bind_int64(s, 3, callee);
    sqlite3_bind_text(s, 4, name.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 5, arg);
    sqlite3_bind_text(s, 6, text.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 7, complete ? 1 : 0);
    sqlite3_bind_int(s, 8, tu);
    sqlite3_bind_int(s, 9, line);
    ASSERT_EQ(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
  }
  // Rows of a query, one string per row, columns joined by '|' (NULL as ~).
  std::vector<std::string> rows(const std::string& sql) {
    std::vector<std::string> out;
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sql;
    while (sqlite3_step(s) == SQLITE_ROW) {
      std::string row;
      for (int i = 0; i < sqlite3_column_count(s); ++i) {
        if (i) row += "|";
        auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        row += text ? text : "~";
      }
      out.push_back(row);
    }
    sqlite3_finalize(s);
    return out;
  }
  std::vector<std::string> dump() {
    auto a = rows("SELECT symbol_id, file_id, line, sink, text, complete, parser FROM sql_statements ORDER BY id");
    auto b = rows("SELECT s.line, t.symbol_id, table_name, column_name, op, via FROM table_access t "
                  "JOIN sql_statements s ON s.id = t.statement_id ORDER BY 1, 2, 3, 4, 5, 6");
    auto c = rows("SELECT name, kind, file_id, line FROM db_objects ORDER BY name");
    a.insert(a.end(), b.begin(), b.end());
    a.insert(a.end(), c.begin(), c.end());
    return a;
  }

  // The code base the tests share: three "TUs".
  //   src/db.cc:    Db::exec(sql) -> sqlite3_exec(db, sql)           (id 10)
  //                 Db::init()    -> sqlite3_exec(CREATE TABLE ...)   (id 11)
  //   src/repo.cc:  Repo::run(flags, sql) -> Db::exec(sql)            (id 20)
  //   src/shop.cc:  Shop::list() -> Repo::run(0, "SELECT ...")        (id 30)
  void recordCodeBase() {
    sinkParam(1, 10, 0, 900, "sqlite3_exec", 1);
    sinkParam(2, 20, 1, 10, "Db::exec", 0);
    sinkParam(2, 21, 0, 10, "Db::exec", 1);  // a different argument: not a sink
    candidate(1, 11, 900, "sqlite3_exec", 1,
              "CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT, price REAL);"
              "CREATE TABLE orders (id INTEGER PRIMARY KEY, book_id INTEGER, qty INTEGER)", 5);
    candidate(3, 30, 20, "Repo::run", 1, "SELECT title FROM books WHERE price < ?", 7);
    candidate(3, 30, 20, "Repo::run", 0, "SELECT 'flags, not SQL sink' FROM books", 8);
    candidate(3, 31, 20, "Repo::run", 1, "INSERT INTO orders(book_id, qty) VALUES (?, ?)", 9);
    candidate(3, 31, 20, "Repo::run", 1, "DELETE FROM ? WHERE id = 1", 10, false);
    candidate(3, 32, 77, "Logger::info", 0, "SELECT title FROM books", 11);  // not a sink
  }

  sqlite3* db_ = nullptr;
};

TEST_F(SqlResolveTest, WrapperChainOfDepthTwoAcrossTus) {
  recordCodeBase();
  auto stats = resolveSql(db_, SqlOptions{});
  ASSERT_TRUE(static_cast<bool>(stats)) << llvm::toString(stats.takeError());
  EXPECT_EQ(stats->statements, 4u);
  EXPECT_EQ(stats->complete, 3u);
  EXPECT_EQ(stats->parsed_by_sqlite, 3u);
  EXPECT_EQ(stats->tokenized, 1u);
  EXPECT_EQ(stats->db_objects, 2u);
  EXPECT_EQ(dump(), (std::vector<std::string>{
                        "11|1|5|sqlite3_exec|CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT, "
                        "price REAL);CREATE TABLE orders (id INTEGER PRIMARY KEY, book_id INTEGER, "
                        "qty INTEGER)|1|sqlite",
                        "30|3|7|Repo::run|SELECT title FROM books WHERE price < ?|1|sqlite",
                        "31|3|9|Repo::run|INSERT INTO orders(book_id, qty) VALUES (?, ?)|1|sqlite",
                        "31|3|10|Repo::run|DELETE FROM ? WHERE id = 1|0|tokenizer",
                        "5|11|books|~|create|~",
                        "5|11|orders|~|create|~",
                        "7|30|books|price|read|~",
                        "7|30|books|title|read|~",
                        "9|31|orders|~|insert|~",
                        "9|31|orders|book_id|insert|~",
                        "9|31|orders|qty|insert|~",
                        "books|table|1|5",
                        "orders|table|1|5",
                    }));
}

TEST_F(SqlResolveTest, IdempotentAndFollowsChangedFacts) {
  recordCodeBase();
  ASSERT_TRUE(static_cast<bool>(resolveSql(db_, SqlOptions{})));
  std::vector<std::string> first = dump();
  ASSERT_TRUE(static_cast<bool>(resolveSql(db_, SqlOptions{})));
  EXPECT_EQ(dump(), first);
  // An incremental run re-records TU 2 without the wrapper: Repo::run is no
  // longer a sink, and its statements disappear on the next pass.
  exec("DELETE FROM sink_params WHERE tu_file_id = 2");
  ASSERT_TRUE(static_cast<bool>(resolveSql(db_, SqlOptions{})));
  EXPECT_EQ(rows("SELECT sink, line FROM sql_statements ORDER BY id"),
            (std::vector<std::string>{"sqlite3_exec|5"}));
  EXPECT_EQ(rows("SELECT count(*) FROM table_access"), (std::vector<std::string>{"2"}));
}

TEST_F(SqlResolveTest, ExtraSinksFromConfig) {
  candidate(3, 40, 55, "legacy::Sql::run", 2, "UPDATE stock SET qty = 0", 3);
  SqlOptions options;
  options.extra_sinks.push_back({"legacy::Sql::run", 2});
  auto stats = resolveSql(db_, options);
  ASSERT_TRUE(static_cast<bool>(stats));
  EXPECT_EQ(rows("SELECT sink, parser FROM sql_statements"),
            (std::vector<std::string>{"legacy::Sql::run|tokenizer"}));  // stock is unknown
  EXPECT_EQ(rows("SELECT table_name, column_name, op FROM table_access"),
            (std::vector<std::string>{"stock|qty|update"}));
}

TEST_F(SqlResolveTest, SchemaFileResolvesViewsAndTriggers) {
  namespace fs = std::filesystem;
  fs::path schema = fs::temp_directory_path() / ("seam_sql_schema_" + std::to_string(::getpid()) + ".sql");
  {
    std::ofstream(schema)
        << "CREATE VIEW bestsellers AS SELECT b.title FROM books b JOIN sales s ON s.book_id = b.id;\n"
        << "CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT);\n"
        << "CREATE TABLE sales (book_id INTEGER, n INTEGER);\n"
        << "CREATE TRIGGER sale AFTER INSERT ON sales BEGIN DELETE FROM books WHERE id = 0; END;\n";
  }
  candidate(3, 30, 900, "sqlite3_prepare_v2", 1, "SELECT title FROM bestsellers", 4);
  candidate(3, 31, 900, "sqlite3_prepare_v2", 1, "INSERT INTO sales VALUES (?, ?)", 5);
  SqlOptions options;
  options.schema_path = schema.string();
  auto stats = resolveSql(db_, options);
  ASSERT_TRUE(static_cast<bool>(stats)) << llvm::toString(stats.takeError());
  EXPECT_EQ(rows("SELECT symbol_id, table_name, column_name, op, via FROM table_access "
                 "ORDER BY 1, 2, 3, 4"),
            (std::vector<std::string>{
                "30|books|id|read|bestsellers", "30|books|title|read|bestsellers",
                "30|sales|book_id|read|bestsellers", "31|books|~|delete|sale",
                "31|books|id|read|sale", "31|sales|~|insert|~",
                "31|sales|book_id|insert|~", "31|sales|n|insert|~"}));
  EXPECT_EQ(rows("SELECT name, kind, file_id FROM db_objects ORDER BY name"),
            (std::vector<std::string>{"bestsellers|view|~", "books|table|~", "sale|trigger|~",
                                      "sales|table|~"}));
  fs::remove(schema);

  // A schema that cannot be read is an error, and the store is left as it was.
  options.schema_path = schema.string();
  auto failed = resolveSql(db_, options);
  ASSERT_FALSE(static_cast<bool>(failed));
  EXPECT_NE(llvm::toString(failed.takeError()).find("cannot read"), std::string::npos);
  EXPECT_EQ(rows("SELECT count(*) FROM table_access"), (std::vector<std::string>{"8"}));
}

TEST_F(SqlResolveTest, RecursiveWrappersTerminate) {
  sinkParam(1, 10, 0, 11, "a", 0);
  sinkParam(1, 11, 0, 10, "b", 0);
  sinkParam(1, 11, 0, 900, "sqlite3_exec", 1);
  candidate(1, 30, 10, "a", 0, "SELECT 1", 3);
  auto stats = resolveSql(db_, SqlOptions{});
  ASSERT_TRUE(static_cast<bool>(stats));
  EXPECT_EQ(rows("SELECT sink, kind FROM sql_statements, (SELECT 'x' AS kind)"),
            (std::vector<std::string>{"a|x"}));
}

// A module defines its DDL as a string (schemaDdl() in the bookstore) that a
// shared helper executes elsewhere: the defining function is the creator.
TEST_F(SqlResolveTest, DdlDefinedOutsideASinkMakesItsFunctionTheCreator) {
  // 40 = catalog::schemaDdl builds the text through std::string's constructor (not a sink).
  candidate(1, 40, 800, "std::basic_string::basic_string", 0,
            "CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT)", 3);
  candidate(2, 50, 900, "sqlite3_prepare_v2", 1, "SELECT title FROM books", 9);
  auto stats = resolveSql(db_, SqlOptions{});
  ASSERT_TRUE(static_cast<bool>(stats));
  EXPECT_EQ(rows("SELECT s.sink, a.symbol_id, a.op FROM table_access a JOIN sql_statements s "
                 "ON s.id = a.statement_id WHERE a.op = 'create'"),
            (std::vector<std::string>{"(ddl definition)|40|create"}));
  EXPECT_EQ(rows("SELECT symbol_id, column_name FROM table_access WHERE op = 'read'"),
            (std::vector<std::string>{"50|title"}));
}

TEST_F(SqlResolveTest, ThousandsOfStatementsWellUnderASecond) {
  exec("BEGIN");
  candidate(1, 1, 900, "sqlite3_exec", 1,
            "CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT, price REAL, author_id INT);"
            "CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT)", 1);
  for (int i = 0; i < 5000; ++i) {
    candidate(2, 100 + i % 50, 900, "sqlite3_prepare_v2", 1,
              i % 2 ? "SELECT b.title, a.name FROM books b JOIN authors a ON a.id = b.author_id "
                      "WHERE b.price < " + std::to_string(i)
                    : "UPDATE books SET price = price * 1.1 WHERE id = " + std::to_string(i),
              i + 2);
  }
  exec("COMMIT");
  // CPU time, not wall time: the machine running the suite may be loaded.
  std::clock_t started = std::clock();
  auto stats = resolveSql(db_, SqlOptions{});
  double seconds = static_cast<double>(std::clock() - started) / CLOCKS_PER_SEC;
  ASSERT_TRUE(static_cast<bool>(stats));
  EXPECT_EQ(stats->statements, 5001u);
  EXPECT_EQ(stats->parsed_by_sqlite, 5001u);
  EXPECT_EQ(stats->accesses, 2500u * 3 + 2500u * 5 + 2);  // update: 2 reads + 1 update; select: 5 reads
  EXPECT_LT(seconds, 1.0);
  RecordProperty("resolve_cpu_seconds_5001_statements", std::to_string(seconds));
}

}  // namespace
}  // namespace seam::analyzer
