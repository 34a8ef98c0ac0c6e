// Tests for the SQL access analysis (SQLite authorizer + tokenizer fallback).
#include "seam/analyzer/sql_access.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace seam::analyzer {

// gtest prints accesses as table.column:op[via].
void PrintTo(const TableAccess& a, std::ostream* os) {
  *os << a.table << "." << a.column << ":" << toString(a.op);
  if (!a.via.empty()) *os << "[" << a.via << "]";
}

namespace {

constexpr const char* kSchema = R"sql(
  -- Views and triggers first: the catalog must order them after their tables.
  CREATE VIEW cheap_books AS SELECT id, title FROM books WHERE price < 10;
  CREATE TRIGGER reviews_rating AFTER INSERT ON reviews BEGIN
    UPDATE books SET rating = (SELECT avg(stars) FROM reviews WHERE book_id = NEW.book_id)
     WHERE id = NEW.book_id;
  END;
  CREATE TABLE Books (id INTEGER PRIMARY KEY, title TEXT NOT NULL, author_id INTEGER,
                      price REAL, rating REAL);
  CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT);
  CREATE TABLE reviews (id INTEGER PRIMARY KEY, book_id INTEGER, stars INTEGER, body TEXT);
  CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, total REAL);
  CREATE TABLE order_items (order_id INTEGER, book_id INTEGER, qty INTEGER,
                            PRIMARY KEY (order_id, book_id));
  CREATE TABLE stock (book_id INTEGER PRIMARY KEY, qty INTEGER NOT NULL);
  CREATE INDEX reviews_book ON reviews(book_id);
  CREATE TEMP TABLE scratch (x);
  INSERT INTO books VALUES (1, 'not executed', 1, 1, 1);
)sql";

TableAccess R(std::string t, std::string c, std::string via = "") {
  return {std::move(t), std::move(c), SqlOp::kRead, std::move(via)};
}
TableAccess W(SqlOp op, std::string t, std::string c = "", std::string via = "") {
  return {std::move(t), std::move(c), op, std::move(via)};
}

class SqlAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto catalog = SchemaCatalog::create();
    ASSERT_TRUE(static_cast<bool>(catalog)) << llvm::toString(catalog.takeError());
    catalog_.emplace(std::move(*catalog));
    EXPECT_EQ(catalog_->addDdl(kSchema), 9u);
    EXPECT_TRUE(catalog_->pending().empty());
  }
  SqlAnalysis analyze(std::string_view sql) { return analyzeStatement(*catalog_, sql); }

  std::optional<SchemaCatalog> catalog_;
};

TEST_F(SqlAccessTest, CatalogListsObjectsInLowerCaseAndSkipsTempAndData) {
  std::vector<std::string> names;
  for (const DbObject& o : catalog_->objects()) names.push_back(o.name + ":" + o.kind + ":" + o.table);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "authors:table:authors", "books:table:books", "cheap_books:view:cheap_books",
                       "order_items:table:order_items", "orders:table:orders",
                       "reviews:table:reviews", "reviews_book:index:reviews",
                       "reviews_rating:trigger:reviews", "stock:table:stock"}));
  // The INSERT in the schema text was skipped, not executed: a second catalog
  // built from the same text accepts the same CREATEs again (no state leaks).
  auto other = SchemaCatalog::create();
  ASSERT_TRUE(static_cast<bool>(other));
  EXPECT_EQ(other->addDdl(kSchema), 9u);
}

TEST_F(SqlAccessTest, SelectWithJoinAliasesAndWhere) {
  SqlAnalysis a = analyze(
      "SELECT b.title, a.name FROM books AS b JOIN authors a ON a.id = b.author_id "
      "WHERE b.price > ?");
  EXPECT_EQ(a.parser, SqlParser::kSqlite);
  EXPECT_EQ(a.kind, SqlKind::kDml);
  EXPECT_TRUE(a.error.empty());
  EXPECT_EQ(a.accesses, (std::vector<TableAccess>{R("authors", "id"), R("authors", "name"),
                                                  R("books", "author_id"), R("books", "price"),
                                                  R("books", "title")}));
}

TEST_F(SqlAccessTest, SubqueryAndCteResolveToBaseTablesWithoutCteNamesAsVia) {
  SqlAnalysis a = analyze(
      "WITH top AS (SELECT book_id, sum(qty) AS n FROM order_items GROUP BY book_id) "
      "SELECT title FROM books WHERE id IN (SELECT book_id FROM top WHERE n > 10)");
  EXPECT_EQ(a.parser, SqlParser::kSqlite);
  EXPECT_EQ(a.accesses, (std::vector<TableAccess>{R("books", "id"), R("books", "title"),
                                                  R("order_items", "book_id"),
                                                  R("order_items", "qty")}));
}

TEST_F(SqlAccessTest, CountStarIsAWholeRowRead) {
  SqlAnalysis a = analyze("select count(*) from orders");
  EXPECT_EQ(a.accesses, (std::vector<TableAccess>{R("orders", "")}));
}

TEST_F(SqlAccessTest, InsertUpdateDeleteWithColumns) {
  // The whole-row insert row, and one per column given a value.
  EXPECT_EQ(analyze("INSERT INTO orders(customer, total) VALUES (?, ?)").accesses,
            (std::vector<TableAccess>{W(SqlOp::kInsert, "orders"), W(SqlOp::kInsert, "orders", "customer"),
                                      W(SqlOp::kInsert, "orders", "total")}));
  EXPECT_EQ(analyze("UPDATE stock SET qty = qty - ? WHERE book_id = ?").accesses,
            (std::vector<TableAccess>{R("stock", "book_id"), R("stock", "qty"),
                                      W(SqlOp::kUpdate, "stock", "qty")}));
  EXPECT_EQ(analyze("DELETE FROM order_items WHERE order_id = ?").accesses,
            (std::vector<TableAccess>{W(SqlOp::kDelete, "order_items"),
                                      R("order_items", "order_id")}));
}

TEST_F(SqlAccessTest, InsertColumnsComeFromTheStatementOrTheTable) {
  // No column list: every column of the table, in any INSERT form.
  std::vector<TableAccess> all_stock = {W(SqlOp::kInsert, "stock"), W(SqlOp::kInsert, "stock", "book_id"),
                                        W(SqlOp::kInsert, "stock", "qty")};
  EXPECT_EQ(analyze("INSERT INTO stock VALUES (?, ?)").accesses, all_stock);
  EXPECT_EQ(analyze("insert or replace into main.\"Stock\" values (1, 2)").accesses, all_stock);
  SqlAnalysis copy = analyze("INSERT INTO stock SELECT id, 0 FROM books");
  EXPECT_EQ(copy.accesses, (std::vector<TableAccess>{R("books", "id"), W(SqlOp::kInsert, "stock"),
                                                     W(SqlOp::kInsert, "stock", "book_id"),
                                                     W(SqlOp::kInsert, "stock", "qty")}));
  // INSERT .. SELECT with a list, after a WITH clause, with an alias.
  SqlAnalysis with = analyze(
      "WITH top(id) AS (SELECT id FROM books ORDER BY rating DESC LIMIT 3) "
      "REPLACE INTO stock AS s (book_id) SELECT id FROM top");
  EXPECT_EQ(with.parser, SqlParser::kSqlite);
  EXPECT_EQ(with.accesses, (std::vector<TableAccess>{R("books", "id"), R("books", "rating"),
                                                     W(SqlOp::kInsert, "stock"),
                                                     W(SqlOp::kInsert, "stock", "book_id")}));
  // DEFAULT VALUES gives no column a value.
  EXPECT_EQ(analyze("INSERT INTO authors DEFAULT VALUES").accesses,
            (std::vector<TableAccess>{W(SqlOp::kInsert, "authors")}));
}

TEST_F(SqlAccessTest, FunctionsRegisteredAtRunTimeDoNotStopSqlite) {
  // sqlite3_create_function'd in the project: unknown to the catalog until
  // declared as a stub; the statement is then prepared (never run).
  SqlAnalysis a = analyze("SELECT strlen_aggr(name), h0(), h1('x', id) FROM authors GROUP BY name");
  EXPECT_EQ(a.parser, SqlParser::kSqlite) << a.error;
  EXPECT_EQ(a.accesses, (std::vector<TableAccess>{R("authors", "id"), R("authors", "name")}));
  EXPECT_EQ(analyze("SELECT h0() FROM authors").parser, SqlParser::kSqlite);
  // Other errors still fall back to the tokenizer.
  EXPECT_EQ(analyze("SELECT x FROM no_such_table").parser, SqlParser::kTokenizer);
}

TEST_F(SqlAccessTest, UpsertReportsInsertAndConflictUpdate) {
  SqlAnalysis a = analyze(
      "INSERT INTO stock(book_id, qty) VALUES (?, ?) "
      "ON CONFLICT(book_id) DO UPDATE SET qty = qty + excluded.qty");
  EXPECT_EQ(a.parser, SqlParser::kSqlite);
  EXPECT_EQ(a.accesses, (std::vector<TableAccess>{W(SqlOp::kInsert, "stock"), R("stock", "book_id"),
                                                  W(SqlOp::kInsert, "stock", "book_id"), R("stock", "qty"),
                                                  W(SqlOp::kInsert, "stock", "qty"),
                                                  W(SqlOp::kUpdate, "stock", "qty")}));
}

TEST_F(SqlAccessTest, ViewResolvesToBaseTableWithVia) {
  SqlAnalysis a = analyze("SELECT title FROM cheap_books");
  EXPECT_EQ(a.parser, SqlParser::kSqlite);
  EXPECT_EQ(a.accesses, (std::vector<TableAccess>{R("books", "id", "cheap_books"),
                                                  R("books", "price", "cheap_books"),
                                                  R("books", "title", "cheap_books")}));
}

TEST_F(SqlAccessTest, TriggerFiredByInsertShowsItsUpdateWithVia) {
  SqlAnalysis a = analyze("INSERT INTO reviews(book_id, stars, body) VALUES (?, ?, ?)");
  EXPECT_EQ(a.parser, SqlParser::kSqlite);
  EXPECT_EQ(a.accesses,
            (std::vector<TableAccess>{R("books", "id", "reviews_rating"),
                                      W(SqlOp::kUpdate, "books", "rating", "reviews_rating"),
                                      W(SqlOp::kInsert, "reviews"), W(SqlOp::kInsert, "reviews", "body"),
                                      R("reviews", "book_id", "reviews_rating"),
                                      W(SqlOp::kInsert, "reviews", "book_id"),
                                      R("reviews", "stars", "reviews_rating"),
                                      W(SqlOp::kInsert, "reviews", "stars")}));
}

TEST_F(SqlAccessTest, UnknownPartInValuePositionStillParses) {
  // '?' is what reconstruction writes for an unknown part.
  SqlAnalysis a = analyze("SELECT qty FROM stock WHERE book_id = ? AND qty > ?");
  EXPECT_EQ(a.parser, SqlParser::kSqlite);
  EXPECT_EQ(a.accesses, (std::vector<TableAccess>{R("stock", "book_id"), R("stock", "qty")}));
}

TEST_F(SqlAccessTest, UnknownPartInIdentifierPositionFallsBackToTokenizer) {
  SqlAnalysis a = analyze("SELECT * FROM ? JOIN books ON books.id = ?.book_id");
  EXPECT_EQ(a.parser, SqlParser::kTokenizer);
  EXPECT_FALSE(a.error.empty());
  EXPECT_EQ(a.accesses, (std::vector<TableAccess>{R("books", "")}));

  SqlAnalysis u = analyze("UPDATE ? SET qty = 0 WHERE book_id = 1");
  EXPECT_EQ(u.parser, SqlParser::kTokenizer);
  EXPECT_TRUE(u.accesses.empty());
}

TEST_F(SqlAccessTest, PostgresDialectFallsBackToTokenizer) {
  SqlAnalysis a = analyze(
      "UPDATE stock s SET qty = s.qty - 1, \"BookId\" = $1::int FROM orders o "
      "WHERE o.customer ILIKE $2 RETURNING qty");
  EXPECT_EQ(a.parser, SqlParser::kTokenizer);
  EXPECT_EQ(a.kind, SqlKind::kDml);
  EXPECT_EQ(a.accesses, (std::vector<TableAccess>{R("orders", ""), R("stock", ""),
                                                  W(SqlOp::kUpdate, "stock", "bookid"),
                                                  W(SqlOp::kUpdate, "stock", "qty")}));
  SqlAnalysis c = analyze("SELECT extract(year FROM o.placed) FROM public.orders o");
  EXPECT_EQ(c.accesses, (std::vector<TableAccess>{R("orders", "")}));
}

TEST_F(SqlAccessTest, MySqlDialectFallsBackToTokenizer) {
  SqlAnalysis a = analyze(
      "INSERT INTO `stock` (`book_id`, `qty`) VALUES (?, ?) "
      "ON DUPLICATE KEY UPDATE `qty` = `qty` + VALUES(`qty`)");
  EXPECT_EQ(a.parser, SqlParser::kTokenizer);
  EXPECT_EQ(a.accesses, (std::vector<TableAccess>{W(SqlOp::kInsert, "stock"),
                                                  W(SqlOp::kInsert, "stock", "book_id"),
                                                  W(SqlOp::kInsert, "stock", "qty"),
                                                  W(SqlOp::kUpdate, "stock", "qty")}));
  SqlAnalysis c = analyze("CREATE TABLE carts (id SERIAL, user_id INT) ENGINE=InnoDB");
  EXPECT_EQ(c.parser, SqlParser::kTokenizer);
  EXPECT_EQ(c.kind, SqlKind::kDdl);
  EXPECT_EQ(c.accesses, (std::vector<TableAccess>{W(SqlOp::kCreate, "carts")}));
}

TEST_F(SqlAccessTest, TableMissingFromSchemaFallsBackToTokenizer) {
  SqlAnalysis a = analyze("DELETE FROM sessions WHERE expires < ?");
  EXPECT_EQ(a.parser, SqlParser::kTokenizer);
  EXPECT_NE(a.error.find("no such table"), std::string::npos) << a.error;
  EXPECT_EQ(a.accesses, (std::vector<TableAccess>{R("sessions", ""),
                                                  W(SqlOp::kDelete, "sessions")}));
}

TEST_F(SqlAccessTest, CreateStatementsReportTheirObject) {
  // Already in the catalog: the analysis the catalog recorded is reused.
  SqlAnalysis a = analyze(
      "CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT);"
      "CREATE INDEX reviews_book ON reviews(book_id)");
  EXPECT_EQ(a.parser, SqlParser::kSqlite);
  EXPECT_EQ(a.kind, SqlKind::kDdl);
  EXPECT_EQ(a.accesses, (std::vector<TableAccess>{W(SqlOp::kCreate, "authors"),
                                                  W(SqlOp::kCreate, "reviews")}));
  // New: prepared, not executed.
  SqlAnalysis b = analyze("CREATE TABLE IF NOT EXISTS coupons (code TEXT PRIMARY KEY)");
  EXPECT_EQ(b.parser, SqlParser::kSqlite);
  EXPECT_EQ(b.accesses, (std::vector<TableAccess>{W(SqlOp::kCreate, "coupons")}));
  EXPECT_EQ(analyze("SELECT * FROM coupons").parser, SqlParser::kTokenizer);
  // Temporary objects are not part of the schema.
  EXPECT_TRUE(analyze("CREATE TEMP TABLE t (x)").accesses.empty());
}

TEST_F(SqlAccessTest, MultipleStatementsInOneString) {
  SqlAnalysis a = analyze(
      "BEGIN; INSERT INTO orders(customer) VALUES ('a;b'); "
      "DELETE FROM stock WHERE qty = 0; COMMIT;");
  EXPECT_EQ(a.parser, SqlParser::kSqlite);
  EXPECT_EQ(a.kind, SqlKind::kDml);
  EXPECT_EQ(a.accesses, (std::vector<TableAccess>{W(SqlOp::kInsert, "orders"),
                                                  W(SqlOp::kInsert, "orders", "customer"),
                                                  W(SqlOp::kDelete, "stock"),
                                                  R("stock", "qty")}));
}

TEST_F(SqlAccessTest, TransactionStatementsAreRecognisedWithoutAccesses) {
  for (const char* sql : {"BEGIN", "BEGIN IMMEDIATE TRANSACTION", "COMMIT", "END TRANSACTION",
                          "ROLLBACK", "SAVEPOINT before_pay", "RELEASE SAVEPOINT before_pay",
                          "ROLLBACK TO before_pay"}) {
    SqlAnalysis a = analyze(sql);
    EXPECT_EQ(a.kind, SqlKind::kTransaction) << sql;
    EXPECT_EQ(a.parser, SqlParser::kSqlite) << sql;
    EXPECT_TRUE(a.accesses.empty()) << sql;
  }
}

TEST_F(SqlAccessTest, NonSqlTextIsRejectedQuietly) {
  for (const char* text : {"hello world", "https://example.com/api?q=1", "order %d placed",
                           "Select a book to continue", "SELECT failed: %s", "Update failed for user", "End of report",
                           "Begin processing", "delete me", "insert coin", "", "   ", "-- only"}) {
    EXPECT_FALSE(looksLikeSql(text)) << text;
    SqlAnalysis a = analyze(text);
    EXPECT_EQ(a.parser, SqlParser::kNone) << text;
    EXPECT_EQ(a.kind, SqlKind::kNotSql) << text;
    EXPECT_TRUE(a.accesses.empty()) << text;
  }
  for (const char* text : {"SELECT 1", "select last_insert_rowid()", "/* c */ SELECT * FROM t",
                           "  -- why\n  INSERT OR REPLACE INTO t VALUES (1)", "PRAGMA foreign_keys = ON",
                           "WITH x AS (SELECT 1) SELECT * FROM x"}) {
    EXPECT_TRUE(looksLikeSql(text)) << text;
  }
}

TEST_F(SqlAccessTest, PragmaIsNeverActedOn) {
  SqlAnalysis a = analyze("PRAGMA foreign_keys = ON");
  EXPECT_EQ(a.kind, SqlKind::kOther);
  EXPECT_TRUE(a.accesses.empty());
}

TEST_F(SqlAccessTest, PrepareNeverExecutes) {
  analyze("DELETE FROM books");
  analyze("DROP TABLE authors");
  analyze("INSERT INTO orders(customer) VALUES ('x')");
  // Still there, and still empty: reading it through a view works.
  SqlAnalysis a = analyze("SELECT name FROM authors");
  EXPECT_EQ(a.parser, SqlParser::kSqlite);
  EXPECT_EQ(catalog_->objects().size(), 9u);
}

TEST(SqlCatalogTest, RetriesDdlAcrossCallsAndReportsWhatStaysPending) {
  auto catalog = SchemaCatalog::create();
  ASSERT_TRUE(static_cast<bool>(catalog));
  EXPECT_EQ(catalog->addDdl("CREATE INDEX i ON t(x)"), 0u);
  ASSERT_EQ(catalog->pending().size(), 1u);
  EXPECT_NE(catalog->pending()[0].second.find("no such table"), std::string::npos);
  EXPECT_EQ(catalog->addDdl("CREATE TABLE t (x)"), 2u);
  EXPECT_TRUE(catalog->pending().empty());
  EXPECT_EQ(catalog->addDdl("CREATE TABLE t (x)"), 0u);  // a duplicate, not pending
  EXPECT_TRUE(catalog->pending().empty());
  EXPECT_EQ(catalog->addDdl("CREATE TABLE broken (x"), 0u);
  EXPECT_EQ(catalog->pending().size(), 1u);
}

TEST(SqlCatalogTest, RunawayCreateTableAsSelectIsBounded) {
  auto catalog = SchemaCatalog::create();
  ASSERT_TRUE(static_cast<bool>(catalog));
  EXPECT_EQ(catalog->addDdl("CREATE TABLE t AS WITH RECURSIVE c(x) AS "
                            "(SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c"),
            0u);
  EXPECT_EQ(catalog->pending().size(), 1u);
}

TEST(SqlCatalogTest, LoadsSchemaFileAndDatabaseReadOnly) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("seam_sql_catalog_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    std::ofstream(dir / "schema.sql") << "CREATE TABLE a (x);\nCREATE VIEW v AS SELECT x FROM a;\n";
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "app.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE b (y UNIQUE); INSERT INTO b VALUES (1);", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto size_before = fs::file_size(dir / "app.db");

  auto catalog = SchemaCatalog::create();
  ASSERT_TRUE(static_cast<bool>(catalog));
  EXPECT_FALSE(static_cast<bool>(catalog->loadSqlFile((dir / "schema.sql").string())));
  EXPECT_FALSE(static_cast<bool>(catalog->loadDatabase((dir / "app.db").string())));
  std::vector<std::string> names;
  for (const DbObject& o : catalog->objects()) names.push_back(o.name);
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "v"}));  // b's autoindex is internal
  EXPECT_EQ(fs::file_size(dir / "app.db"), size_before);

  llvm::Error missing = catalog->loadSqlFile((dir / "missing.sql").string());
  EXPECT_TRUE(static_cast<bool>(missing));
  llvm::consumeError(std::move(missing));
  llvm::Error not_db = catalog->loadDatabase((dir / "schema.sql").string());
  EXPECT_TRUE(static_cast<bool>(not_db));
  llvm::consumeError(std::move(not_db));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace seam::analyzer
