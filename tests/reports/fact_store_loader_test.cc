#include "seam/reports/fact_store_loader.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "fixture.h"

namespace seam::reports {
namespace {

using testing::execSql;
using testing::makeFixtureStore;
using testing::makeStore;
using testing::readText;
using testing::tempPath;

const Module& moduleNamed(const ReportModel& m, const std::string& name) {
  int i = m.moduleIndex(name);
  EXPECT_GE(i, 0) << name;
  return m.modules.at(static_cast<size_t>(i));
}

TEST(ReportsFactStore, LoadsModulesWithSizesAndSkipsExternal) {
  auto model = loadFactStore(makeFixtureStore());
  ASSERT_TRUE(model.ok()) << model.error();
  EXPECT_EQ(model->modules.size(), 6u);
  EXPECT_EQ(model->external_modules, std::vector<std::string>{"std"});
  const Module& catalog = moduleNamed(*model, "src/catalog");
  EXPECT_EQ(catalog.files, 2);
  EXPECT_EQ(catalog.lines, 260);
  EXPECT_EQ(catalog.symbols, 3);
  ASSERT_FALSE(catalog.symbol_details.empty());
  EXPECT_EQ(catalog.symbol_details[0].qualified_name, "bookstore::catalog::findBook");  // largest first
  EXPECT_EQ(catalog.symbol_details[0].location.file, "src/catalog/catalog.cc");
  EXPECT_EQ(model->project_root, "/src/bookstore");
  EXPECT_EQ(model->summary.files, 8);
  EXPECT_EQ(model->summary.statements, 8);
  EXPECT_EQ(model->summary.diagnostics, 1);
  EXPECT_EQ(model->summary.routes, 4);
}

TEST(ReportsFactStore, AggregatesSymbolEdgesToModuleEdgesWithEvidence) {
  auto model = loadFactStore(makeFixtureStore());
  ASSERT_TRUE(model.ok()) << model.error();
  int orders = model->moduleIndex("src/orders"), catalog = model->moduleIndex("src/catalog");
  const ModuleEdge* e = nullptr;
  for (const auto& edge : model->edges) {
    if (edge.source == orders && edge.target == catalog) e = &edge;
    EXPECT_NE(edge.source, edge.target) << "intra-module edges are not drawn";
  }
  ASSERT_NE(e, nullptr);
  // placeOrder->findBook 3 + placeOrder->reserveStock 2 calls; Book type uses 4 + 1.
  EXPECT_EQ(e->weight, 10);
  EXPECT_EQ(e->kinds.at("call"), 5);
  EXPECT_EQ(e->kinds.at("type_use"), 5);
  ASSERT_FALSE(e->evidence.empty());
  EXPECT_EQ(e->evidence[0].from, "bookstore::orders::placeOrder");
  EXPECT_EQ(e->evidence[0].to, "bookstore::catalog::Book");  // heaviest first
  EXPECT_EQ(e->evidence[0].location.file, "src/orders/orders.cc");
  EXPECT_EQ(e->evidence[0].location.line, 21);
  // Edges into external modules (std) are not drawn.
  for (const auto& edge : model->edges) EXPECT_LT(edge.target, static_cast<int>(model->modules.size()));
}

TEST(ReportsFactStore, TableAccessesAndHeuristicOwners) {
  auto model = loadFactStore(makeFixtureStore());
  ASSERT_TRUE(model.ok()) << model.error();
  ASSERT_EQ(model->tables.size(), 3u);
  int books = model->tableIndex("BOOKS");
  ASSERT_GE(books, 0);
  EXPECT_EQ(model->tables[books].defined.file, "src/catalog/catalog.cc");
  // catalog: update (1 statement) + create = 2; orders: update (1) = 1.
  EXPECT_EQ(model->tables[books].owner_module, model->moduleIndex("src/catalog"));
  const TableAccess* orders_books = nullptr;
  for (const auto& a : model->accesses) {
    if (a.module == model->moduleIndex("src/orders") && a.table == books) orders_books = &a;
  }
  ASSERT_NE(orders_books, nullptr);
  EXPECT_TRUE(orders_books->write);
  EXPECT_FALSE(orders_books->read);
  EXPECT_EQ(orders_books->statements, 1);
  ASSERT_EQ(orders_books->sites.size(), 1u);
  EXPECT_EQ(orders_books->sites[0].location.line, 36);
  EXPECT_EQ(orders_books->sites[0].function, "bookstore::orders::placeOrder");
  // users is only read: no owner without a plan.
  EXPECT_EQ(model->tables[model->tableIndex("users")].owner_module, -1);
}

TEST(ReportsFactStore, RoutesResolveHandlerAndModule) {
  auto model = loadFactStore(makeFixtureStore());
  ASSERT_TRUE(model.ok()) << model.error();
  ASSERT_EQ(model->routes.size(), 4u);
  EXPECT_EQ(model->routes[0].path, "/books/{id}");
  EXPECT_EQ(model->routes[0].handler, "bookstore::http::registerRoutes::(lambda)");
  EXPECT_EQ(model->routes[0].module, model->moduleIndex("src/http"));
}

TEST(ReportsFactStore, EmptyStoreLoads) {
  auto model = loadFactStore(makeStore("empty.db", ""));
  ASSERT_TRUE(model.ok()) << model.error();
  EXPECT_TRUE(model->modules.empty());
  EXPECT_TRUE(model->edges.empty());
}

TEST(ReportsFactStore, DanglingReferencesAreIgnored) {
  auto model = loadFactStore(makeStore("dangling.db", R"sql(
    INSERT INTO modules(id, name) VALUES (1, 'a');
    INSERT INTO symbols(id, usr, kind, name, qualified_name, module_id) VALUES (1, 'u', 'function', 'f', 'f', 1),
      (2, 'v', 'function', 'g', 'g', 99);
    INSERT INTO edges(src, dst, kind, count) VALUES (1, 2, 'call', 1), (1, 3, 'call', 1);
    INSERT INTO sql_statements(id, symbol_id, sink, text, complete, parser) VALUES (1, 42, 's', 'x', 1, 'none');
    INSERT INTO table_access(statement_id, symbol_id, table_name, op) VALUES (1, 42, 't', 'read');
    INSERT INTO routes(id, method, path, framework, handler_id, module_id) VALUES (1, 'GET', '/', 'httplib', 77, 55);
  )sql"));
  ASSERT_TRUE(model.ok()) << model.error();
  EXPECT_EQ(model->modules.size(), 1u);
  EXPECT_TRUE(model->edges.empty());
  EXPECT_TRUE(model->accesses.empty());
  ASSERT_EQ(model->routes.size(), 1u);
  EXPECT_EQ(model->routes[0].module, -1);
}

TEST(ReportsFactStore, RejectsMissingFile) {
  auto model = loadFactStore(tempPath("missing.db"));
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.error().find("cannot open"), std::string::npos) << model.error();
  EXPECT_FALSE(std::filesystem::exists(tempPath("missing.db"))) << "must not create the file";
}

TEST(ReportsFactStore, RejectsForeignDatabase) {
  std::string path = tempPath("foreign.db");
  execSql(path, "CREATE TABLE t(x);");
  auto model = loadFactStore(path);
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.error().find("not a Seam fact store"), std::string::npos) << model.error();
}

TEST(ReportsFactStore, RejectsOtherSchemaVersion) {
  // Version 1 stores (before transaction scopes) must be re-analysed.
  std::string path = makeStore("v1.db", "PRAGMA user_version = 1;");
  auto model = loadFactStore(path);
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.error().find("schema version 1"), std::string::npos) << model.error();
}

TEST(ReportsFactStore, RejectsNonSqliteFile) {
  std::string path = tempPath("text.db");
  { std::ofstream(path) << "this is not a database, just some text that is long enough to matter\n"; }
  auto model = loadFactStore(path);
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.error().find("not a database"), std::string::npos) << model.error();
}

TEST(ReportsFactStore, NeverModifiesTheStore) {
  std::string path = makeFixtureStore();
  std::string before = readText(path);
  ASSERT_TRUE(loadFactStore(path).ok());
  EXPECT_EQ(readText(path), before);
  EXPECT_FALSE(std::filesystem::exists(path + "-journal"));
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
}

}  // namespace
}  // namespace seam::reports
