#include "seam/reports/inputs.h"

#include <gtest/gtest.h>

#include "fixture.h"
#include "seam/reports/fact_store_loader.h"

namespace seam::reports {
namespace {

using testing::execSql;
using testing::fixturePath;
using testing::makeFixtureStore;
using testing::readText;
using testing::tempPath;

ReportModel fixtureModel() {
  auto model = loadFactStore(makeFixtureStore());
  EXPECT_TRUE(model.ok()) << model.error();
  return model.ok() ? std::move(*model) : ReportModel{};
}

TEST(ReportsPlan, AssignsServicesOwnersMetricsAndSteps) {
  ReportModel m = fixtureModel();
  Status s = applyPlanFile(fixturePath("plan.json"), m);
  ASSERT_TRUE(s.ok()) << s.error();
  ASSERT_EQ(m.services.size(), 3u);
  EXPECT_EQ(m.services[1].name, "orders");
  EXPECT_EQ(m.modules[m.moduleIndex("src/payments")].service, 1);
  EXPECT_EQ(m.modules[m.moduleIndex("src/http")].service, 2);
  int books = m.tableIndex("books");
  EXPECT_EQ(m.tables[books].owner_service, 0);
  EXPECT_TRUE(m.tables[books].owner_from_plan);
  EXPECT_EQ(m.tables[books].owner_module, m.moduleIndex("src/catalog"));
  EXPECT_EQ(m.services[0].tables, std::vector<int>{books});
  ASSERT_EQ(m.metrics.size(), 4u);
  EXPECT_EQ(m.metrics[0].name, "plan");
  EXPECT_EQ(m.metrics[0].services, 3);
  EXPECT_DOUBLE_EQ(m.metrics[0].values.at("modularity"), 0.41);
  EXPECT_EQ(m.metrics[2].name, "directory-prefix");
  EXPECT_EQ(m.metrics[2].services, 6);
  ASSERT_EQ(m.steps.size(), 2u);
  EXPECT_EQ(m.steps[0].service, "catalog");  // sorted by order
  EXPECT_EQ(m.steps[0].routes, std::vector<std::string>{"GET /books/{id}"});
  EXPECT_EQ(m.steps[0].tables, std::vector<std::string>{"books"});
  EXPECT_EQ(m.steps[1].detail, "risk 0.31 \u00b7 entanglement 9 \u00b7 still reads books (catalog) \u00b7 1 remote call(s) to replace");
  EXPECT_TRUE(m.has_plan);
  EXPECT_TRUE(m.notes.empty());
}

TEST(ReportsPlan, AcceptsServicesAsObjectAndFileMembers) {
  ReportModel m = fixtureModel();
  Status s = applyPlanJson(R"({"services": {"core": {"modules": ["src/catalog/catalog.cc", "src/orders"]},
                                             "rest": ["src/users", "nowhere/x.cc"]}})",
                           m);
  ASSERT_TRUE(s.ok()) << s.error();
  ASSERT_EQ(m.services.size(), 2u);
  EXPECT_EQ(m.modules[m.moduleIndex("src/catalog")].service, 0);  // a file maps to its module
  EXPECT_EQ(m.modules[m.moduleIndex("src/users")].service, 1);
  EXPECT_EQ(m.modules[m.moduleIndex("src/http")].service, -1);
  ASSERT_EQ(m.notes.size(), 1u);
  EXPECT_NE(m.notes[0].find("1 plan member"), std::string::npos);
  // Without ownership in the plan, the heaviest writer's service owns the table.
  EXPECT_EQ(m.tables[m.tableIndex("books")].owner_service, 0);
  EXPECT_FALSE(m.tables[m.tableIndex("books")].owner_from_plan);
}

TEST(ReportsPlan, RejectsMalformedPlans) {
  ReportModel m = fixtureModel();
  EXPECT_FALSE(applyPlanJson(R"({"format": "seam-steps", "version": 1, "services": []})", m).ok());
  EXPECT_FALSE(applyPlanJson(R"({"format": "seam-plan", "version": 2, "services": []})", m).ok());
  EXPECT_FALSE(applyPlanJson("{not json", m).ok());
  EXPECT_FALSE(applyPlanJson("[1, 2]", m).ok());
  EXPECT_FALSE(applyPlanJson(R"({"services": 3})", m).ok());
  // Wrong types inside are tolerated, never thrown.
  EXPECT_TRUE(applyPlanJson(R"({"services": [{"name": 1, "modules": [2, null, {"x": 1}]}], "metrics": [],
                                 "steps": [3, {"order": "x"}], "baselines": 7})", m).ok());
  Status missing = applyPlanFile(tempPath("nope.json"), m);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("cannot open"), std::string::npos);
}

TEST(ReportsSmells, SortsWorstFirst) {
  ReportModel m = fixtureModel();
  Status s = applySmellsFile(fixturePath("smells.json"), m);
  ASSERT_TRUE(s.ok()) << s.error();
  ASSERT_EQ(m.smells.size(), 3u);
  EXPECT_EQ(m.smells[0].name, "cyclic-dependency");
  EXPECT_EQ(m.smells[1].rule, "SEAM002");
  EXPECT_EQ(m.smells[1].name, "shared-table");
  EXPECT_EQ(m.smells[1].remedy, "let catalog own books; orders calls catalog's API");
  EXPECT_EQ(m.smells[1].locations.at(0).file, "src/orders/orders.cc");
  EXPECT_EQ(m.smells[1].locations.at(0).line, 36);
  EXPECT_EQ(m.smells[1].subjects, (std::vector<std::string>{"books", "catalog", "orders"}));
  EXPECT_EQ(m.smells[2].name, "hub-like");
}

TEST(ReportsSmells, ReadsSarif) {
  ReportModel m = fixtureModel();
  Status s = applySmellsJson(R"({"version": "2.1.0", "runs": [{"results": [
      {"ruleId": "a", "level": "note", "message": {"text": "minor"}},
      {"ruleId": "b", "level": "error", "message": {"text": "major"},
       "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/x.cc"}, "region": {"startLine": 7}}}]}]}]})",
                             m);
  ASSERT_TRUE(s.ok()) << s.error();
  ASSERT_EQ(m.smells.size(), 2u);
  EXPECT_EQ(m.smells[0].rule, "b");
  EXPECT_EQ(m.smells[0].message, "major");
  EXPECT_EQ(m.smells[0].locations.at(0).file, "src/x.cc");
  EXPECT_EQ(m.smells[0].locations.at(0).line, 7);
}

TEST(ReportsSmells, RejectsWrongShape) {
  ReportModel m = fixtureModel();
  EXPECT_FALSE(applySmellsJson(R"({"x": 1})", m).ok());
  EXPECT_FALSE(applySmellsJson("", m).ok());
  EXPECT_TRUE(applySmellsJson("[]", m).ok());
  EXPECT_TRUE(m.has_smells);
}

TEST(ReportsProxyState, ReadsTheProxysRouteStateTable) {
  ReportModel m = fixtureModel();
  std::string path = tempPath("state.db");
  execSql(path, readText(fixturePath("proxy_state.sql")));
  Status s = applyProxyState(path, m);
  ASSERT_TRUE(s.ok()) << s.error();
  ASSERT_EQ(m.progress.size(), 3u);
  EXPECT_EQ(m.progress[0].route, "books");
  EXPECT_EQ(m.progress[0].state, "migrated");
  EXPECT_DOUBLE_EQ(m.progress[1].percent, 25.0);  // 2500 basis points
  EXPECT_EQ(m.progress[1].updated, "2026-01-01 00:00:00 UTC");
  EXPECT_TRUE(m.has_proxy_state);
}

TEST(ReportsProxyState, ReadsShadowMismatchesNewestFirst) {
  ReportModel m = fixtureModel();
  std::string path = tempPath("state-v2.db");
  execSql(path, readText(fixturePath("proxy_state.sql")) +
                    "CREATE TABLE shadow_diff (id INTEGER PRIMARY KEY AUTOINCREMENT, route TEXT NOT NULL,"
                    " at INTEGER NOT NULL, request_id TEXT NOT NULL DEFAULT '', request TEXT NOT NULL,"
                    " legacy TEXT NOT NULL, service TEXT NOT NULL, differences TEXT NOT NULL);"
                    "INSERT INTO shadow_diff(route, at, request_id, request, legacy, service, differences) VALUES"
                    " ('books', 1767225600000, 'r1', 'GET /api/books/1 HTTP/1.1', 'HTTP/1.1 200', 'HTTP/1.1 500',"
                    "  '[{\"where\":\"status\",\"legacy\":\"200\",\"service\":\"500\"}]'),"
                    " ('books', 1767225601000, 'r2', 'GET /api/books/2 HTTP/1.1', 'a', 'b', 'not json');");
  Status s = applyProxyState(path, m);
  ASSERT_TRUE(s.ok()) << s.error();
  ASSERT_EQ(m.shadow_diffs.size(), 2u);
  EXPECT_EQ(m.shadow_diffs[0].request_id, "r2");
  EXPECT_TRUE(m.shadow_diffs[0].differences.empty());  // unreadable list: shown without entries
  EXPECT_EQ(m.shadow_diffs[1].at, "2026-01-01 00:00:00 UTC");
  ASSERT_EQ(m.shadow_diffs[1].differences.size(), 1u);
  EXPECT_EQ(m.shadow_diffs[1].differences[0].where, "status");
  EXPECT_EQ(m.shadow_diffs[1].differences[0].service, "500");
}

TEST(ReportsProxyState, RejectsDatabasesWithoutRouteState) {
  ReportModel m = fixtureModel();
  std::string path = tempPath("other.db");
  execSql(path, "CREATE TABLE routes(x INTEGER);");
  Status s = applyProxyState(path, m);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().find("no route state table"), std::string::npos) << s.error();
  EXPECT_FALSE(applyProxyState(tempPath("missing.db"), m).ok());
}

}  // namespace
}  // namespace seam::reports
