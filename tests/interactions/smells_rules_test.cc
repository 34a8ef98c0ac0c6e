// SEAM012 distributed-transaction and SEAM013 sync-call-in-transaction, run
// through `seam::smells::analyze` on a hand-made store with a plan.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "fixture_store.h"
#include "seam/smells/smells.h"

namespace seam::interactions {
namespace {

TEST(InteractionsSmells, DistributedTransactionAndSyncCallInsideIt) {
  auto dir = std::filesystem::temp_directory_path() / ("seam-interactions-smells-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string db = (dir / "seam.db").string(), plan = (dir / "plan.json").string();
  {
    testing::FixtureStore s(db);
    s.module("src/orders");
    s.module("src/stock");
    s.file("src/orders/o.cc", "src/orders");
    s.file("src/stock/s.cc", "src/stock");
    s.fn("shop::orders::place", "src/orders/o.cc", 5);
    s.fn("shop::stock::reserve", "src/stock/s.cc", 5);
    int64_t ins = s.access("shop::orders::place", "orders", "insert", 7);
    int64_t upd = s.access("shop::stock::reserve", "stock", "update", 8, {"reserved"});
    s.call("shop::orders::place", "shop::stock::reserve", 9);
    int64_t tx = s.transaction("shop::orders::place", 6);
    s.txAccess(tx, ins, 0);
    s.txAccess(tx, upd, 1);
    s.txCall(tx, "shop::orders::place", "shop::stock::reserve", 0, 9);
  }
  std::ofstream(plan) << R"({"format": "seam-plan", "version": 1, "input": {"granularity": "module"},
    "services": [{"name": "sales", "nodes": ["src/orders"], "modules": ["src/orders"], "tables": ["orders"]},
                 {"name": "inventory", "nodes": ["src/stock"], "modules": ["src/stock"], "tables": ["stock"]}],
    "tables": [{"name": "orders", "owner": "sales"}, {"name": "stock", "owner": "inventory"}]})";

  smells::Options o;
  o.db_path = db;
  o.plan_path = plan;
  auto report = smells::analyze(o);
  ASSERT_TRUE(report) << report.error().message;
  const smells::Finding* dist = nullptr;
  const smells::Finding* call = nullptr;
  for (const auto& f : report->findings) {
    if (f.rule_id == "SEAM012") dist = &f;
    if (f.rule_id == "SEAM013") call = &f;
  }
  ASSERT_NE(dist, nullptr);
  EXPECT_EQ(dist->severity, smells::Severity::kError);
  EXPECT_EQ(dist->service, "sales");
  EXPECT_EQ(dist->message, "transaction in shop::orders::place writes tables of 2 services: inventory, sales");
  EXPECT_EQ(dist->tables, (std::vector<std::string>{"orders", "stock"}));
  ASSERT_GE(dist->locations.size(), 2u);
  EXPECT_EQ(dist->locations[0].file, "src/orders/o.cc");
  EXPECT_EQ(dist->locations[0].line, 6);
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->severity, smells::Severity::kWarning);
  EXPECT_EQ(call->message,
            "command shop::orders::place -> shop::stock::reserve (inventory) runs inside the transaction of "
            "shop::orders::place");
  EXPECT_EQ(call->locations[0].line, 9);

  // With services.yaml instead of a plan, the two rules stay silent.
  std::string services = (dir / "services.yaml").string();
  std::ofstream(services) << "services:\n  sales: [src/orders]\n  inventory: [src/stock]\n";
  smells::Options y;
  y.db_path = db;
  y.services_path = services;
  auto silent = smells::analyze(y);
  ASSERT_TRUE(silent) << silent.error().message;
  for (const auto& f : silent->findings) EXPECT_TRUE(f.rule_id != "SEAM012" && f.rule_id != "SEAM013") << f.rule_id;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace seam::interactions
