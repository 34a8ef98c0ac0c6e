// The shared fact-store reader: every table it loads, lookups, and a one-line
// error for each kind of bad store (missing, empty, not SQLite, foreign, other
// schema version, a store whose tables are damaged).
#include "seam/factstore/fact_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace seam::factstore {
namespace {

namespace fs = std::filesystem;

class FactStoreReader : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("seam-factstore-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // A store with the real schema, then `sql`.
  std::string store(const std::string& name, const std::string& sql) {
    std::string p = path(name);
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(p.c_str(), &db), SQLITE_OK);
    std::ifstream in(SEAM_SCHEMA_SQL);
    std::stringstream schema;
    schema << in.rdbuf();
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, (schema.str() + sql).c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
    return p;
  }
  static void expectOneLine(const LoadResult& r, const std::string& part) {
    ASSERT_FALSE(r);
    EXPECT_NE(r.error.find(part), std::string::npos) << r.error;
    EXPECT_EQ(r.error.find('\n'), std::string::npos) << r.error;
  }
  fs::path dir_;
};

constexpr const char* kRows = R"sql(
INSERT INTO meta VALUES ('project_root', '/src/shop');
INSERT INTO modules(id, name, external) VALUES (1, 'src/orders', 0), (2, '/usr/include', 1);
INSERT INTO files(id, path, module_id, lines, is_header) VALUES (10, 'src/orders/o.cc', 1, 120, 0), (11, 'x.h', NULL, 5, 1);
INSERT INTO symbols(id, usr, kind, name, qualified_name, file_id, line, col, module_id, is_definition, lines)
  VALUES (100, 'c:@F@place', 'function', 'place', 'orders::place', 10, 7, 3, 1, 1, 20),
         (101, 'c:@F@log', 'function', 'log', 'log', NULL, NULL, NULL, NULL, 0, 0);
INSERT INTO edges(src, dst, kind, count, file_id, line, col) VALUES (100, 101, 'call', 4, 10, 9, 5);
INSERT INTO includes(from_file, to_file, line) VALUES (10, 11, 1);
INSERT INTO sql_statements(id, symbol_id, file_id, line, col, sink, text, complete, parser)
  VALUES (1000, 100, 10, 12, 9, 'exec', 'INSERT INTO reviews ...', 1, 'sqlite');
INSERT INTO table_access(statement_id, symbol_id, table_name, column_name, op, via)
  VALUES (1000, NULL, 'Reviews', NULL, 'insert', NULL), (1000, NULL, 'books', 'rating', 'update', 'rating_trigger');
INSERT INTO db_objects(name, kind, sql, file_id, line) VALUES ('books', 'table', 'CREATE TABLE books(id)', 10, 3),
  ('book_view', 'view', 'CREATE VIEW book_view AS SELECT 1', 10, 4);
INSERT INTO routes(id, method, path, framework, handler_id, file_id, line, module_id)
  VALUES (5, 'POST', '/orders', 'httplib', 100, 10, 30, 1);
)sql";

TEST_F(FactStoreReader, LoadsEveryFactWithLookups) {
  LoadResult r = loadFactStore(store("seam.db", kRows));
  ASSERT_TRUE(r) << r.error;
  const Facts& f = *r.facts;
  EXPECT_EQ(f.project_root, "/src/shop");
  ASSERT_EQ(f.modules.size(), 2u);
  EXPECT_TRUE(f.module(2)->external);
  EXPECT_EQ(f.file(10)->lines, 120);
  EXPECT_EQ(f.file(11)->module_id, 0);  // NULL reads as 0
  EXPECT_TRUE(f.file(11)->is_header);
  EXPECT_EQ(f.symbol(100)->qualified_name, "orders::place");
  EXPECT_EQ(f.symbol(100)->col, 3);
  EXPECT_EQ(f.symbol(101)->file_id, 0);
  ASSERT_EQ(f.edges.size(), 1u);
  EXPECT_EQ(f.edges[0].count, 4);
  ASSERT_EQ(f.includes.size(), 1u);
  ASSERT_EQ(f.table_accesses.size(), 2u);
  // The statement's symbol and location stand in for the access; names are lower-case.
  for (const TableAccess& a : f.table_accesses) {
    EXPECT_EQ(a.symbol_id, 100);
    EXPECT_EQ(a.line, 12);
    EXPECT_TRUE(a.isWrite());
  }
  EXPECT_EQ(f.table_accesses[0].table, "books");
  EXPECT_EQ(f.table_accesses[0].via, "rating_trigger");
  EXPECT_EQ(f.table_accesses[0].column, "rating");
  EXPECT_EQ(f.table_accesses[1].table, "reviews");
  EXPECT_EQ(f.dbObject("book_view")->kind, "view");
  EXPECT_EQ(f.dbObject("nope"), nullptr);
  ASSERT_EQ(f.routes.size(), 1u);
  EXPECT_EQ(f.routes[0].handler_id, 100);
  EXPECT_EQ(f.location(10, 12), "src/orders/o.cc:12");
  EXPECT_EQ(f.location(99, 1), "?");
  EXPECT_EQ(f.path(10), "src/orders/o.cc");
  EXPECT_EQ(f.symbolName(101), "log");
  EXPECT_EQ(f.symbolName(7), "#7");
  EXPECT_TRUE(f.hasAnalyzedCode());
}

TEST_F(FactStoreReader, EmptyStoreLoadsWithoutCode) {
  LoadResult r = loadFactStore(store("empty-facts.db", ""));
  ASSERT_TRUE(r) << r.error;
  EXPECT_FALSE(r.facts->hasAnalyzedCode());
}

TEST_F(FactStoreReader, BadStoresAreOneLineErrors) {
  expectOneLine(loadFactStore(path("missing.db")), "no such fact store");
  { std::ofstream(path("empty.db")); }
  expectOneLine(loadFactStore(path("empty.db")), "empty file");
  expectOneLine(loadFactStore(dir_.string()), "not a regular file");
  { std::ofstream(path("text.db")) << "hello, not sqlite at all, but long enough to be read as a header........"; }
  expectOneLine(loadFactStore(path("text.db")), "text.db");
  expectOneLine(loadFactStore(store("foreign.db", "PRAGMA application_id = 7;")), "application_id");
  const int older = schemaVersion() - 1;
  LoadResult old = loadFactStore(store("old.db", "PRAGMA user_version = " + std::to_string(older) + ";"));
  expectOneLine(old, "schema version " + std::to_string(older));
  EXPECT_NE(old.error.find("re-run seam analyze"), std::string::npos);
  expectOneLine(loadFactStore(store("newer.db", "PRAGMA user_version = 99;")), "schema version 99");
  // Right header, damaged contents: a table the reader needs is missing.
  expectOneLine(loadFactStore(store("damaged.db", "DROP TABLE routes;")), "routes");
}

TEST_F(FactStoreReader, NeverWritesTheStore) {
  std::string p = store("seam.db", kRows);
  auto before = fs::last_write_time(p);
  auto size = fs::file_size(p);
  ASSERT_TRUE(loadFactStore(p));
  EXPECT_EQ(fs::last_write_time(p), before);
  EXPECT_EQ(fs::file_size(p), size);
  EXPECT_FALSE(fs::exists(p + "-journal"));
  EXPECT_FALSE(fs::exists(p + "-wal"));
}

}  // namespace
}  // namespace seam::factstore
