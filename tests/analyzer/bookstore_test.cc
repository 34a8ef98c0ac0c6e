// Integration: `seam analyze` on the bookstore (sample-monolith/, compile
// database from the build's ExternalProject) against its documented ground
// truth: architecture.yaml (table ownership) and ENTANGLEMENTS.md (orders
// writes inventory's tables; reporting reads nearly everything; the
// orders <-> payments call cycle).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "seam/analyzer/analyze.h"
#include "seam/analyzer/show.h"

#ifndef SEAM_BOOKSTORE_COMPILE_DB
#error "SEAM_BOOKSTORE_COMPILE_DB must name the bookstore's compile_commands.json"
#endif

namespace seam::analyzer {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> column(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  std::vector<std::string> out;
  while (st && sqlite3_step(st) == SQLITE_ROW) {
    auto* t = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    out.emplace_back(t ? t : "");
  }
  sqlite3_finalize(st);
  return out;
}

class AnalyzerBookstore : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(fs::exists(SEAM_BOOKSTORE_COMPILE_DB)) << "build the bookstore first (target 'bookstore')";
    // SEAM_BOOKSTORE_DB keeps the store for inspection (e.g. with `seam show`).
    const char* keep = std::getenv("SEAM_BOOKSTORE_DB");
    keep_ = keep != nullptr;
    db_path_ = new std::string(keep ? keep
                                    : (fs::temp_directory_path() /
                                       ("seam-bookstore-" + std::to_string(::getpid()) + ".db")).string());
    AnalyzeOptions o;
    o.compile_db = SEAM_BOOKSTORE_COMPILE_DB;
    o.db_path = *db_path_;
    o.full = true;
    // Declares the list endpoints' query builder (bookstore::Select).
    o.config_path = SEAM_BOOKSTORE_SOURCE_DIR "/seam.yaml";
    auto result = analyze(o);
    ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
    summary_ = new AnalyzeSummary(*result);
    ASSERT_EQ(sqlite3_open_v2(db_path_->c_str(), &db_, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  }
  static void TearDownTestSuite() {
    sqlite3_close(db_);
    if (db_path_ && !keep_) fs::remove(*db_path_);
    delete db_path_;
    delete summary_;
  }
  static sqlite3* db_;
  static std::string* db_path_;
  static AnalyzeSummary* summary_;
  static bool keep_;
};
bool AnalyzerBookstore::keep_ = false;
sqlite3* AnalyzerBookstore::db_ = nullptr;
std::string* AnalyzerBookstore::db_path_ = nullptr;
AnalyzeSummary* AnalyzerBookstore::summary_ = nullptr;

TEST_F(AnalyzerBookstore, EveryTuParsesAndModulesAreTheSourceDirectories) {
  EXPECT_GT(summary_->tus_total, 10u);
  EXPECT_EQ(summary_->tus_with_errors, 0u) << column(db_, "SELECT message FROM diagnostics LIMIT 5")[0];
  auto root = column(db_, "SELECT value FROM meta WHERE key = 'project_root'");
  ASSERT_EQ(root.size(), 1u);
  EXPECT_EQ(fs::path(root[0]).filename(), "sample-monolith");
  auto modules = column(db_, "SELECT name FROM modules WHERE external = 0 ORDER BY name");
  std::set<std::string> got(modules.begin(), modules.end());
  for (const char* m : {"src", "src/cart", "src/catalog", "src/common", "src/customers", "src/inventory",
                        "src/notifications", "src/orders", "src/payments", "src/reporting", "src/reviews",
                        "src/shipping"}) {
    EXPECT_TRUE(got.count(m)) << m;
  }
  // Each program has its own `main` (the monolith's and the load generator's);
  // services/ (already extracted code) is excluded by sample-monolith/seam.yaml.
  auto main_module = column(db_,
                            "SELECT m.name FROM symbols s JOIN modules m ON m.id = s.module_id "
                            "WHERE s.qualified_name = 'main' AND s.kind = 'function' ORDER BY m.name");
  EXPECT_EQ(main_module, (std::vector<std::string>{"src", "tools/load"}));
  EXPECT_FALSE(column(db_, "SELECT name FROM modules WHERE name = 'external:std'").empty());
}

TEST_F(AnalyzerBookstore, RoutesHaveLambdaHandlersInTheirModule) {
  auto routes = column(db_,
                       "SELECT r.method || ' ' || r.path || ' ' || m.name || ' ' || s.kind FROM routes r "
                       "JOIN symbols s ON s.id = r.handler_id JOIN modules m ON m.id = r.module_id");
  EXPECT_GT(routes.size(), 20u);
  std::set<std::string> got(routes.begin(), routes.end());
  EXPECT_TRUE(got.count("GET /api/orders src/orders lambda")) << ::testing::PrintToString(routes);
  EXPECT_TRUE(got.count("POST /api/orders src/orders lambda"));
  EXPECT_TRUE(got.count("POST /api/notifications/dispatch src/notifications lambda"));
  // Every route's handler module is the module whose routes.cc registers it.
  auto mismatched = column(db_,
                           "SELECT r.path FROM routes r JOIN files f ON f.id = r.file_id "
                           "JOIN modules m ON m.id = r.module_id WHERE f.path NOT LIKE m.name || '/%'");
  EXPECT_TRUE(mismatched.empty()) << ::testing::PrintToString(mismatched);
  // route -> handler lambda -> the module's own functions.
  auto from_handlers = column(db_,
                              "SELECT DISTINCT d.qualified_name FROM routes r JOIN edges e ON e.src = r.handler_id "
                              "JOIN symbols d ON d.id = e.dst WHERE r.path = '/api/orders' AND r.method = 'POST'");
  std::set<std::string> callees(from_handlers.begin(), from_handlers.end());
  EXPECT_TRUE(callees.count("bookstore::orders::placeOrder")) << ::testing::PrintToString(from_handlers);
}

TEST_F(AnalyzerBookstore, TableOwnershipMatchesArchitectureYaml) {
  YAML::Node arch = YAML::LoadFile(fs::path(SEAM_BOOKSTORE_SOURCE_DIR) / "architecture.yaml");
  std::map<std::string, std::set<std::string>> owner_modules;  // table -> modules of its service
  for (const auto& service : arch["services"]) {
    for (const auto& table : service.second["tables"]) {
      for (const auto& module : service.second["modules"]) {
        owner_modules[table.as<std::string>()].insert(module.as<std::string>());
      }
    }
  }
  ASSERT_GT(owner_modules.size(), 20u);
  // The one planted exception (ENTANGLEMENTS.md #1): orders writes inventory's tables.
  const std::set<std::pair<std::string, std::string>> planted = {
      {"stock", "src/orders"}, {"reservations", "src/orders"}, {"stock_movements", "src/orders"}};
  size_t written = 0;
  for (const auto& [table, modules] : owner_modules) {
    auto by_op = [&](const std::string& ops) {
      return column(db_,
                    "SELECT DISTINCT m.name FROM table_access a JOIN symbols s ON s.id = a.symbol_id "
                    "JOIN modules m ON m.id = s.module_id WHERE a.via IS NULL AND a.op IN (" + ops +
                        ") AND a.table_name = '" + table + "'");
    };
    EXPECT_FALSE(column(db_, "SELECT 1 FROM table_access WHERE table_name = '" + table + "' LIMIT 1").empty())
        << "nobody reads or writes " << table;
    // Whoever creates a table is its owner.
    for (const std::string& c : by_op("'create'")) {
      EXPECT_TRUE(modules.count(c)) << table << " created by " << c;
    }
    auto writers = by_op("'insert', 'update', 'delete'");
    if (!writers.empty()) ++written;
    bool owner_writes = false;
    for (const std::string& w : writers) {
      owner_writes = owner_writes || modules.count(w);
      EXPECT_TRUE(modules.count(w) || planted.count({table, w})) << table << " written by " << w;
    }
    if (!writers.empty()) {
      EXPECT_TRUE(owner_writes) << table << " is written, but not by its owner";
    }
  }
  EXPECT_GE(written, 20u);
}

TEST_F(AnalyzerBookstore, PlantedEntanglementsAreFound) {
  auto access = [&](const std::string& module, const std::string& table, const std::string& ops) {
    return column(db_,
                  "SELECT count(*) FROM table_access a JOIN symbols s ON s.id = a.symbol_id "
                  "JOIN modules m ON m.id = s.module_id WHERE m.name = '" + module + "' AND a.table_name = '" +
                      table + "' AND a.op IN (" + ops + ")")[0] != "0";
  };
  // 1. Orders writes inventory's tables directly.
  EXPECT_TRUE(access("src/orders", "stock", "'update'"));
  EXPECT_TRUE(access("src/orders", "reservations", "'insert', 'update'"));
  EXPECT_TRUE(access("src/orders", "stock_movements", "'insert'"));
  // 2. Reporting reads nearly every table.
  auto read_by_reporting = column(db_,
                                  "SELECT DISTINCT a.table_name FROM table_access a JOIN symbols s ON s.id = a.symbol_id "
                                  "JOIN modules m ON m.id = s.module_id WHERE m.name = 'src/reporting' AND a.op = 'read'");
  EXPECT_GE(read_by_reporting.size(), 12u) << ::testing::PrintToString(read_by_reporting);
  // 3. Orders and payments call each other.
  auto calls = [&](const std::string& from, const std::string& to) {
    return column(db_,
                  "SELECT count(*) FROM edges e JOIN symbols a ON a.id = e.src JOIN symbols b ON b.id = e.dst "
                  "JOIN modules ma ON ma.id = a.module_id JOIN modules mb ON mb.id = b.module_id "
                  "WHERE e.kind = 'call' AND ma.name = '" + from + "' AND mb.name = '" + to + "'")[0] != "0";
  };
  EXPECT_TRUE(calls("src/orders", "src/payments"));
  EXPECT_TRUE(calls("src/payments", "src/orders"));
  EXPECT_TRUE(calls("src/shipping", "src/notifications"));
  // 5. Several modules read customers.
  for (const char* m : {"src/orders", "src/shipping", "src/notifications", "src/reviews", "src/reporting"}) {
    EXPECT_TRUE(access(m, "customers", "'read'")) << m;
  }
}

TEST_F(AnalyzerBookstore, ListRoutesReadTheirTablesThroughTheQueryBuilder) {
  // Each list route builds a SELECT and a SELECT COUNT(*) with
  // bookstore::Select (without its seam.yaml spec, these routes read
  // nothing). Every table a route reads, in the handler lambda or the module
  // function it calls, exactly.
  // Handlers are lambdas whose statements belong to the enclosing
  // register_routes: a route's own statements are those between its
  // registration and the next one in the file; plus its direct callees'.
  auto builder_reads = [&](const std::string& path) {
    return column(db_,
                  "WITH route AS (SELECT r.file_id, r.line, r.handler_id, (SELECT min(n.line) FROM routes n "
                  "  WHERE n.file_id = r.file_id AND n.line > r.line) AS next FROM routes r "
                  "  WHERE r.method = 'GET' AND r.path = '" + path + "') "
                  "SELECT DISTINCT a.table_name || coalesce(' via ' || a.via, '') "
                  "FROM route, sql_statements st JOIN table_access a ON a.statement_id = st.id "
                  "WHERE a.op = 'read' AND ((st.file_id = route.file_id AND st.line >= route.line "
                  "  AND st.line < coalesce(route.next, 1000000000)) OR st.symbol_id IN "
                  "  (SELECT e.dst FROM edges e WHERE e.src = route.handler_id AND e.kind = 'call')) ORDER BY 1");
  };
  using Tables = std::vector<std::string>;
  EXPECT_EQ(builder_reads("/api/catalog/books"), (Tables{"book_authors", "books"}));
  EXPECT_EQ(builder_reads("/api/catalog/authors"), (Tables{"authors"}));
  EXPECT_EQ(builder_reads("/api/orders"), (Tables{"orders"}));
  EXPECT_EQ(builder_reads("/api/customers"), (Tables{"customers"}));
  EXPECT_EQ(builder_reads("/api/notifications"), (Tables{"outbox"}));
  EXPECT_EQ(builder_reads("/api/shipping/shipments"), (Tables{"shipments"}));
  EXPECT_EQ(builder_reads("/api/payments"), (Tables{"payments"}));
  // COUNT(*) over the view: SQLite reports a whole-row read of its first base
  // table without naming the view.
  EXPECT_EQ(builder_reads("/api/inventory/stock"),
            (Tables{"books", "books via book_stock_view", "stock via book_stock_view"}));
}

TEST_F(AnalyzerBookstore, InsertsNameTheirColumns) {
  auto columns = column(db_,
                        "SELECT DISTINCT column_name FROM table_access WHERE table_name = 'authors' "
                        "AND op = 'insert' AND column_name IS NOT NULL ORDER BY 1");
  EXPECT_EQ(columns, (std::vector<std::string>{"bio", "created_at", "name"}));
  // Every direct INSERT (no trigger) names at least one column.
  auto bare = column(db_,
                     "SELECT st.text FROM table_access a JOIN sql_statements st ON st.id = a.statement_id "
                     "WHERE a.op = 'insert' AND a.via IS NULL GROUP BY a.statement_id, a.table_name "
                     "HAVING count(a.column_name) = 0");
  EXPECT_TRUE(bare.empty()) << ::testing::PrintToString(bare);
}

TEST_F(AnalyzerBookstore, ShowRendersTheViews) {
  auto tables = show(*db_path_, ShowView::kTables, {});
  ASSERT_TRUE(static_cast<bool>(tables)) << llvm::toString(tables.takeError());
  EXPECT_NE(tables->find("src/inventory"), std::string::npos);
  auto routes = show(*db_path_, ShowView::kRoutes, ShowOptions{true, false, ""});
  ASSERT_TRUE(static_cast<bool>(routes));
  EXPECT_NE(routes->find("\"/api/orders\""), std::string::npos);
}

}  // namespace
}  // namespace seam::analyzer
