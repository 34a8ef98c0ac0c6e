// seam::interactions on a small hand-made shop: four services, one
// distributed transaction with a notification, a hot query, a kernel call,
// a transaction that only reads across services and an uncertain one.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <unistd.h>

#include "fixture_store.h"
#include "seam/interactions/interactions.h"

namespace seam::interactions {
namespace {

using nlohmann::json;
using testing::FixtureStore;

std::string scratch(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("seam-interactions-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

json shopPlan() {
  json plan = {{"format", "seam-plan"}, {"version", 1}, {"input", {{"granularity", "module"}}}};
  plan["services"] = json::array({
      {{"name", "sales"}, {"nodes", {"src/orders"}}},
      {{"name", "inventory"}, {"nodes", {"src/stock"}}},
      {{"name", "customers"}, {"nodes", {"src/notifications"}}},
      {{"name", "catalog"}, {"nodes", {"src/catalog"}}},
  });
  plan["tables"] = json::array();
  for (auto [t, o] : std::vector<std::pair<const char*, const char*>>{{"orders", "sales"},
                                                                      {"stock", "inventory"},
                                                                      {"stock_log", "inventory"},
                                                                      {"outbox", "customers"},
                                                                      {"books", "catalog"}}) {
    plan["tables"].push_back({{"name", t}, {"owner", o}});
  }
  return plan;
}

// The shop. Line numbers matter: they order the saga.
struct Shop {
  FixtureStore s;
  int64_t place_tx = 0, report_tx = 0, restock_tx = 0;
  explicit Shop(const std::string& path) : s(path) {
    for (const char* m : {"src/orders", "src/stock", "src/notifications", "src/catalog", "src/common"}) s.module(m);
    s.file("src/orders/place.cc", "src/orders");
    s.file("src/stock/stock.cc", "src/stock");
    s.file("src/notifications/outbox.cc", "src/notifications");
    s.file("src/catalog/books.cc", "src/catalog");
    s.file("src/common/log.cc", "src/common");
    s.fn("shop::orders::place", "src/orders/place.cc", 8, 20);
    s.fn("shop::orders::list", "src/orders/place.cc", 40);
    s.fn("shop::orders::report", "src/orders/place.cc", 60);
    s.fn("shop::orders::touch", "src/orders/place.cc", 80);
    s.fn("shop::stock::reserve", "src/stock/stock.cc", 20, 12);
    s.fn("shop::stock::log", "src/stock/stock.cc", 40, 6);
    s.fn("shop::stock::level", "src/stock/stock.cc", 50, 5);
    s.fn("shop::stock::restock", "src/stock/stock.cc", 60, 8);
    s.fn("shop::notifications::enqueue", "src/notifications/outbox.cc", 10, 15);
    s.fn("shop::catalog::price", "src/catalog/books.cc", 10);
    s.fn("shop::catalog::search", "src/catalog/books.cc", 30);
    s.fn("shop::common::log", "src/common/log.cc", 3);

    int64_t ins_orders = s.access("shop::orders::place", "orders", "insert", 10);
    int64_t read_books = s.access("shop::catalog::price", "books", "read", 12);
    int64_t upd_stock = s.access("shop::stock::reserve", "stock", "update", 22, {"reserved", "updated_at"});
    int64_t ins_log = s.access("shop::stock::log", "stock_log", "insert", 42);
    int64_t ins_outbox = s.access("shop::notifications::enqueue", "outbox", "insert", 12);
    s.access("shop::stock::level", "stock", "read", 51);
    s.access("shop::stock::restock", "stock", "update", 62, {"on_hand"});
    s.access("shop::catalog::search", "books", "read", 31);
    int64_t report_books = s.access("shop::orders::report", "books", "read", 61);
    int64_t report_orders = s.access("shop::orders::report", "orders", "update", 63, {"total"});
    int64_t touch_orders = s.access("shop::orders::touch", "orders", "update", 81, {"updated_at"});

    s.call("shop::orders::place", "shop::catalog::price", 12);
    s.call("shop::orders::place", "shop::stock::reserve", 14);
    s.call("shop::stock::reserve", "shop::stock::log", 30);
    s.call("shop::orders::place", "shop::notifications::enqueue", 16, 1, 1);
    s.call("shop::orders::place", "shop::common::log", 17, 1, 1);
    s.call("shop::orders::list", "shop::catalog::search", 41, 5);
    s.call("shop::stock::restock", "shop::orders::touch", 64);

    int64_t post = s.route("POST", "/orders", "shop::orders::place");
    s.route("GET", "/orders", "shop::orders::list");
    int64_t report_route = s.route("POST", "/reports", "shop::orders::report");

    place_tx = s.transaction("shop::orders::place", 9);
    for (auto [stmt, depth] : std::vector<std::pair<int64_t, int>>{
             {ins_orders, 0}, {read_books, 1}, {upd_stock, 1}, {ins_log, 2}, {ins_outbox, 1}}) {
      s.txAccess(place_tx, stmt, depth);
    }
    s.txCall(place_tx, "shop::orders::place", "shop::catalog::price", 0, 12);
    s.txCall(place_tx, "shop::orders::place", "shop::stock::reserve", 0, 14);
    s.txCall(place_tx, "shop::stock::reserve", "shop::stock::log", 1, 30);
    s.txCall(place_tx, "shop::orders::place", "shop::notifications::enqueue", 0, 16);
    s.txRoute(place_tx, post);

    report_tx = s.transaction("shop::orders::report", 60);
    s.txAccess(report_tx, report_books, 0);
    s.txAccess(report_tx, report_orders, 0);
    s.txRoute(report_tx, report_route);

    restock_tx = s.transaction("shop::stock::restock", 61, "unbalanced", "BEGIN without COMMIT on the error path");
    s.txAccess(restock_tx, s.scalar("SELECT id FROM sql_statements WHERE line = 62"), 0);
    s.txAccess(restock_tx, touch_orders, 1);
    s.txCall(restock_tx, "shop::stock::restock", "shop::orders::touch", 0, 64);
    s.close();
  }
};

class InteractionsShop : public ::testing::Test {
 protected:
  void SetUp() override { shop_ = std::make_unique<Shop>(path_); }
  void TearDown() override {
    shop_.reset();
    std::filesystem::remove(path_);
  }
  Analysis run(const Options& o = {}) {
    auto facts = decomposer::loadFactStore(path_);
    EXPECT_TRUE(facts.ok()) << facts.error().message;
    auto tx = loadTransactionFacts(path_);
    EXPECT_TRUE(tx.ok()) << tx.error().message;
    auto a = analyze(*facts, *tx, shopPlan(), o);
    EXPECT_TRUE(a.ok()) << a.error().message;
    return *a;
  }
  static const Interaction& find(const Analysis& a, const std::string& callee) {
    for (const auto& i : a.interactions)
      if (i.callee == callee) return i;
    throw std::runtime_error("no interaction with " + callee);
  }

  std::string path_ = scratch("shop.db");
  std::unique_ptr<Shop> shop_;
};

TEST_F(InteractionsShop, ClassifiesEveryCrossServiceCallAndSkipsTheKernel) {
  Analysis a = run();
  ASSERT_EQ(a.interactions.size(), 5u);  // not orders -> common::log (kernel), not stock::reserve -> log (same service)
  EXPECT_EQ(a.count(Kind::kQuery), 2);
  EXPECT_EQ(a.count(Kind::kCommand), 2);
  EXPECT_EQ(a.count(Kind::kNotification), 1);

  const Interaction& price = find(a, "shop::catalog::price");
  EXPECT_EQ(price.kind, Kind::kQuery);
  EXPECT_EQ(price.from_service, "sales");
  EXPECT_EQ(price.to_service, "catalog");
  EXPECT_FALSE(price.hot);
  EXPECT_EQ(price.recommendation, "synchronous API call to catalog");
  EXPECT_EQ(price.location, "src/orders/place.cc:12");
  ASSERT_EQ(price.tables.size(), 1u);
  EXPECT_EQ(price.tables[0], (TableOp{"books", "read", "catalog"}));

  const Interaction& reserve = find(a, "shop::stock::reserve");
  EXPECT_EQ(reserve.kind, Kind::kCommand);
  EXPECT_TRUE(reserve.in_distributed_transaction);
  EXPECT_EQ(reserve.transactions, std::vector<int64_t>{shop_->place_tx});
  // Transitively inside inventory: reserve -> log writes stock_log.
  EXPECT_EQ(reserve.tables, (std::vector<TableOp>{{"stock", "update", "inventory"}, {"stock_log", "insert", "inventory"}}));

  const Interaction& enqueue = find(a, "shop::notifications::enqueue");
  EXPECT_EQ(enqueue.kind, Kind::kNotification);
  EXPECT_EQ(enqueue.event, "NotificationRequested");
  EXPECT_EQ(enqueue.discarded_sites, 1);
  EXPECT_EQ(enqueue.recommendation,
            "asynchronous event NotificationRequested published by customers through a transactional outbox");

  const Interaction& search = find(a, "shop::catalog::search");
  EXPECT_EQ(search.kind, Kind::kQuery);
  EXPECT_TRUE(search.hot);  // 5 sites >= hot_sites 3
  EXPECT_EQ(search.recommendation, "local read model in sales fed by catalog's events (hot call)");

  const Interaction& touch = find(a, "shop::orders::touch");
  EXPECT_EQ(touch.kind, Kind::kCommand);
  EXPECT_EQ(touch.from_service, "inventory");
  EXPECT_TRUE(touch.in_distributed_transaction);

  ASSERT_EQ(a.events.size(), 1u);
  EXPECT_EQ(a.events[0].publisher, "customers");
  EXPECT_EQ(a.events[0].producers, std::vector<std::string>{"sales"});
  EXPECT_EQ(a.events[0].tables, (std::vector<TableOp>{{"outbox", "insert", "customers"}}));

  ASSERT_EQ(a.pairs.size(), 4u);
  EXPECT_EQ(a.pairs[0].from, "inventory");
  EXPECT_EQ(a.pairs[0].command, 1);
}

TEST_F(InteractionsShop, DistributedTransactionGetsAnOrderedSagaWithCompensations) {
  Analysis a = run();
  EXPECT_EQ(a.transaction_groups, 3);
  auto dist = a.distributed();
  ASSERT_EQ(dist.size(), 2u);
  const DistributedTransaction& d = *dist[0];  // ranked first: has a route
  EXPECT_EQ(d.id, shop_->place_tx);
  EXPECT_EQ(d.entry, "shop::orders::place");
  EXPECT_EQ(d.entry_service, "sales");
  EXPECT_EQ(d.certainty, "exact");
  EXPECT_EQ(d.routes, std::vector<std::string>{"POST /orders"});
  EXPECT_EQ(d.write_services, (std::vector<std::string>{"customers", "inventory", "sales"}));
  EXPECT_EQ(d.services, (std::vector<std::string>{"catalog", "customers", "inventory", "sales"}));

  ASSERT_EQ(d.saga.size(), 4u);
  EXPECT_EQ(d.saga[0].service, "sales");
  EXPECT_TRUE(d.saga[0].local);
  EXPECT_EQ(d.saga[1].service, "catalog");  // read at line 12: no compensation
  EXPECT_FALSE(d.saga[1].compensable());
  EXPECT_EQ(d.saga[1].accesses[0].compensation, "");
  EXPECT_EQ(d.saga[2].service, "inventory");  // call at line 14
  ASSERT_EQ(d.saga[2].accesses.size(), 2u);
  EXPECT_EQ(d.saga[2].accesses[0].table, "stock");
  EXPECT_EQ(d.saga[2].accesses[0].columns, (std::vector<std::string>{"reserved", "updated_at"}));
  EXPECT_EQ(d.saga[2].accesses[0].compensation,
            "restore the previous values of stock(reserved, updated_at) (read before updating)");
  EXPECT_EQ(d.saga[2].accesses[1].table, "stock_log");
  EXPECT_EQ(d.saga[2].accesses[1].depth, 2);
  EXPECT_EQ(d.saga[2].accesses[1].compensation,
            "delete the row(s) this step inserted into stock_log (by the keys it returned)");
  EXPECT_EQ(d.saga[3].service, "customers");  // call at line 16
  EXPECT_EQ(d.saga[3].accesses[0].location, "src/notifications/outbox.cc:12");

  // Remote synchronous calls: the query and the command, not the notification.
  ASSERT_EQ(d.remote_calls.size(), 2u);
  EXPECT_EQ(d.remote_calls[0].callee, "shop::catalog::price");
  EXPECT_EQ(d.remote_calls[0].kind, Kind::kQuery);
  EXPECT_EQ(d.remote_calls[1].callee, "shop::stock::reserve");
  EXPECT_EQ(d.remote_calls[1].kind, Kind::kCommand);

  // Keep together: stock, stock_log, outbox into sales; 5 statements elsewhere > 3 compensations.
  EXPECT_EQ(d.keep_together.service, "sales");
  EXPECT_EQ(d.keep_together.tables, (std::vector<std::string>{"outbox", "stock", "stock_log"}));
  EXPECT_EQ(d.keep_together.statements, 5);
  EXPECT_EQ(d.keep_together.lines, 12 + 6 + 5 + 8 + 15);
  EXPECT_EQ(d.recommendation, "saga");
}

TEST_F(InteractionsShop, UncertainTransactionIsKeptWithItsUncertaintyAndMayStayTogether) {
  Analysis a = run();
  auto dist = a.distributed();
  ASSERT_EQ(dist.size(), 2u);
  const DistributedTransaction& d = *dist[1];
  EXPECT_EQ(d.id, shop_->restock_tx);
  EXPECT_EQ(d.certainty, "unbalanced");
  EXPECT_EQ(d.note, "BEGIN without COMMIT on the error path");
  // Moving orders into inventory touches 3 statements of sales; the saga needs 1 compensation.
  EXPECT_EQ(d.keep_together.tables, std::vector<std::string>{"orders"});
  EXPECT_EQ(d.keep_together.statements, 3);
  EXPECT_EQ(d.recommendation, "saga");
  ASSERT_EQ(d.remote_calls.size(), 1u);
  EXPECT_EQ(d.remote_calls[0].to_service, "sales");
}

TEST_F(InteractionsShop, ReadOnlySpanIsNotADistributedTransaction) {
  Analysis a = run();
  ASSERT_EQ(a.transactions.size(), 3u);
  const DistributedTransaction& r = a.transactions.back();
  EXPECT_EQ(r.id, shop_->report_tx);
  EXPECT_EQ(r.category, "remote_reads");
  EXPECT_EQ(r.recommendation, "local-transaction");
  EXPECT_EQ(r.write_services, std::vector<std::string>{"sales"});
}

TEST_F(InteractionsShop, TrafficAndLatencyCriticalRoutesDecideReadModels) {
  Options o;
  o.traffic = {{"POST", "/orders", 90}, {"GET", "/orders", 10}, {"GET", "/nowhere", 5}};
  o.hot_traffic_share = 0.5;
  Analysis a = run(o);
  EXPECT_TRUE(find(a, "shop::catalog::price").hot);
  EXPECT_EQ(find(a, "shop::catalog::price").traffic, 90);
  EXPECT_FALSE(find(a, "shop::catalog::search").hot);  // 10 of 100 < 50%, its 5 sites no longer count
  EXPECT_EQ(find(a, "shop::catalog::search").recommendation, "synchronous API call to catalog");
  EXPECT_EQ(a.distributed()[0]->traffic, 90);
  ASSERT_EQ(a.notes.size(), 1u);
  EXPECT_NE(a.notes[0].find("1 record(s) matched no route"), std::string::npos);

  Options latency;
  latency.latency_critical_routes = {"GET /orders"};
  Analysis b = run(latency);
  EXPECT_EQ(find(b, "shop::catalog::search").latency_routes, std::vector<std::string>{"GET /orders"});
  EXPECT_EQ(find(b, "shop::catalog::search").recommendation,
            "local read model in sales fed by catalog's events (latency-critical route)");
}

TEST_F(InteractionsShop, KeepTogetherWhenMovingTablesIsCheaperThanCompensating) {
  json plan = shopPlan();
  for (auto& t : plan["tables"])
    if (t["name"] == "stock") t["owner"] = "sales";  // sales owns stock; inventory keeps only stock_log
  auto facts = decomposer::loadFactStore(path_);
  auto tx = loadTransactionFacts(path_);
  auto a = analyze(*facts, *tx, plan, {});
  ASSERT_TRUE(a.ok()) << a.error().message;
  const DistributedTransaction& d = *a->distributed()[0];
  EXPECT_EQ(d.id, shop_->place_tx);
  // Moving stock_log and outbox into sales changes 2 statements; a saga needs 2 compensations.
  EXPECT_EQ(d.keep_together.tables, (std::vector<std::string>{"outbox", "stock_log"}));
  EXPECT_EQ(d.keep_together.statements, 2);
  EXPECT_EQ(d.recommendation, "keep-together");
  EXPECT_EQ(d.reason, "moving 2 table(s) into sales changes 2 statement(s) elsewhere, no more than the 2 "
                      "compensation(s) a saga needs");
}

TEST_F(InteractionsShop, JsonDocumentCarriesEverything) {
  Analysis a = run();
  json j = toJson(a);
  EXPECT_EQ(j["format"], "seam-interactions");
  EXPECT_EQ(j["version"], kInteractionsVersion);
  EXPECT_EQ(j["counts"]["notification"], 1);
  EXPECT_EQ(j["counts"]["distributed_transactions"], 2);
  EXPECT_EQ(j["events"][0]["name"], "NotificationRequested");
  EXPECT_EQ(j["events"][0]["payload_known"], false);
  EXPECT_EQ(j["transactions"][0]["saga"][2]["accesses"][0]["columns"], json({"reserved", "updated_at"}));
  EXPECT_EQ(j["transactions"][0]["recommendation"], "saga");
  std::ostringstream out;
  printSummary(a, out);
  EXPECT_NE(out.str().find("2 query, 2 command, 1 notification"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("compensate: restore the previous values of stock(reserved, updated_at)"),
            std::string::npos);
}

TEST(InteractionsInputs, OldStoreForeignPlanAndMissingFilesAreOneLineErrors) {
  std::string db = scratch("v1.db");
  bool v1 = true;  // false once schema.sql itself is v2: then every store has the tables
  {
    FixtureStore s(db, /*v2=*/false);
    s.module("src/a");
    s.file("src/a/a.cc", "src/a");
    s.fn("a::f", "src/a/a.cc");
    v1 = s.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'transactions'") == 0;
  }
  auto tx = loadTransactionFacts(db);
  if (v1) {
    ASSERT_FALSE(tx.ok());
    EXPECT_NE(tx.error().message.find("re-run seam analyze"), std::string::npos) << tx.error().message;
  } else {
    EXPECT_TRUE(tx.ok());  // the schema is v2 already: the same store has the tables
  }

  std::string good = scratch("good.db");
  {
    FixtureStore s(good);
    s.module("src/a");
    s.file("src/a/a.cc", "src/a");
    s.fn("a::f", "src/a/a.cc");
  }
  std::string plan = scratch("plan.json");
  {
    std::ofstream(plan) << R"({"format": "seam-plan", "version": 1, "services": [{"name": "x", "nodes": ["src/zz"]}]})";
  }
  auto mismatch = analyzeFiles(good, plan, {});
  ASSERT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.error().message.find("none of its services' nodes"), std::string::npos);
  {
    std::ofstream(plan) << R"({"format": "other"})";
  }
  EXPECT_FALSE(analyzeFiles(good, plan, {}).ok());
  EXPECT_FALSE(analyze(*decomposer::loadFactStore(good), *loadTransactionFacts(good),
                       json::parse(R"({"format": "seam-plan", "services": [{"nodes": 3}]})"), {})
                   .ok());
  auto missing = analyzeFiles(scratch("missing.db"), plan, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("missing.db"), std::string::npos);
  for (const auto& p : {db, good, plan}) std::filesystem::remove(p);
}

TEST(InteractionsNaming, EventNamesFollowTheDocumentedRule) {
  EXPECT_EQ(eventName("bookstore::notifications::enqueue"), "NotificationRequested");
  EXPECT_EQ(eventName("shop::mail::sendWelcomeMail"), "WelcomeMailRequested");
  EXPECT_EQ(eventName("shop::audit::record_event"), "EventRecorded");
  EXPECT_EQ(eventName("shop::Orders::cancel"), "OrderCancelled");
  EXPECT_EQ(eventName("shop::categories::add"), "CategoryCreated");
  EXPECT_EQ(eventName("shop::orders::orderShipped"), "OrderOrderShipped");
  EXPECT_EQ(eventName("shop::stats::bump"), "StatBumpRequested");
  EXPECT_EQ(eventName("enqueue"), "EventRequested");
  EXPECT_EQ(eventName("bookstore::orders::markShipped"), "OrderShipped");
  EXPECT_EQ(eventName("bookstore::payments::refundForOrder"), "PaymentRefunded");
  EXPECT_EQ(eventName("bookstore::inventory::release"), "InventoryReleased");
}

TEST(InteractionsNaming, CompensationsFollowTheSql) {
  EXPECT_EQ(compensationFor("read", "books", {}), "");
  EXPECT_EQ(compensationFor("insert", "orders", {}),
            "delete the row(s) this step inserted into orders (by the keys it returned)");
  EXPECT_EQ(compensationFor("update", "stock", {"reserved"}),
            "restore the previous values of stock(reserved) (read before updating)");
  EXPECT_EQ(compensationFor("update", "stock", {}),
            "restore the previous values of the updated stock row(s) (read before updating)");
  EXPECT_EQ(compensationFor("delete", "carts", {}), "re-insert the deleted carts row(s) (kept before deleting)");
}

}  // namespace
}  // namespace seam::interactions
