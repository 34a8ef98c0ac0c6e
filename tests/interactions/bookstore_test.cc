// The bookstore under its target architecture (sample-monolith/architecture.yaml
// read as a plan): placing an order is a distributed transaction with a saga,
// notifications are events through the outbox, catalog reads are queries.
// Reads the store the analyzer's bookstore test writes (CTest fixture
// bookstore_facts, SEAM_BOOKSTORE_DB).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "seam/interactions/interactions.h"

namespace seam::interactions {
namespace {

bool schemaHasTransactions() {
  std::ifstream in(SEAM_SCHEMA_SQL);
  std::stringstream s;
  s << in.rdbuf();
  return s.str().find("CREATE TABLE transactions") != std::string::npos;
}

bool endsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

class InteractionsBookstore : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* db = std::getenv("SEAM_BOOKSTORE_DB");
    ASSERT_NE(db, nullptr) << "SEAM_BOOKSTORE_DB not set (run through ctest)";
    if (!schemaHasTransactions()) return;  // schema v1: the analyzer records no transactions yet
    auto a = analyzeFiles(db, SEAM_SOURCE_DIR "/sample-monolith/architecture.yaml", {});
    ASSERT_TRUE(a.ok()) << a.error().message;
    analysis_ = new Analysis(std::move(*a));
  }
  static void TearDownTestSuite() {
    delete analysis_;
    analysis_ = nullptr;
  }
  void SetUp() override {
    if (!schemaHasTransactions()) GTEST_SKIP() << "analyzer/lib/schema.sql has no transaction tables yet";
    ASSERT_NE(analysis_, nullptr);
  }
  static const Interaction* find(const std::string& caller_tail, const std::string& callee) {
    for (const auto& i : analysis_->interactions)
      if (endsWith(i.caller, caller_tail) && i.callee == callee) return &i;
    return nullptr;
  }
  static Analysis* analysis_;
};
Analysis* InteractionsBookstore::analysis_ = nullptr;

TEST_F(InteractionsBookstore, PlacingAnOrderIsADistributedTransactionWithASaga) {
  const DistributedTransaction* place = nullptr;
  for (const auto* d : analysis_->distributed())
    if (endsWith(d->entry, "placeInTransaction")) place = d;
  ASSERT_NE(place, nullptr);
  EXPECT_EQ(place->entry_service, "sales");
  EXPECT_EQ(place->guard, "bookstore::Transaction");
  EXPECT_EQ(place->write_services, (std::vector<std::string>{"customers", "inventory", "payments", "sales"}));
  std::set<std::string> written;
  for (const auto& t : place->tables)
    if (t.op != "read") written.insert(t.table);
  for (const char* t : {"orders", "order_items", "order_status_history", "stock", "reservations", "outbox", "payments"})
    EXPECT_TRUE(written.count(t)) << t;

  // Steps: sales first (it opens the transaction), then the others in call order.
  ASSERT_FALSE(place->saga.empty());
  EXPECT_EQ(place->saga.front().service, "sales");
  EXPECT_TRUE(place->saga.front().local);
  std::vector<std::string> writers;
  for (const auto& s : place->saga)
    if (s.compensable()) writers.push_back(s.service);
  EXPECT_EQ(writers, (std::vector<std::string>{"sales", "inventory", "customers", "payments"}));
  auto step = [&](const std::string& service) {
    return *std::find_if(place->saga.begin(), place->saga.end(), [&](const SagaStep& s) { return s.service == service; });
  };
  auto compensation = [&](const SagaStep& s, const std::string& table, const std::string& op) {
    for (const auto& a : s.accesses)
      if (a.table == table && a.op == op) return a.compensation;
    return std::string("<none>");
  };
  SagaStep inventory = step("inventory");
  EXPECT_EQ(compensation(inventory, "reservations", "insert"),
            "delete the row(s) this step inserted into reservations (by the keys it returned)");
  EXPECT_EQ(compensation(inventory, "stock", "update").rfind("restore the previous values of stock(", 0), 0u)
      << compensation(inventory, "stock", "update");
  EXPECT_EQ(compensation(step("payments"), "payments", "insert"),
            "delete the row(s) this step inserted into payments (by the keys it returned)");
  EXPECT_EQ(compensation(step("customers"), "outbox", "insert"),
            "delete the row(s) this step inserted into outbox (by the keys it returned)");
  EXPECT_EQ(place->recommendation, "saga");
  // payments::charge is a synchronous remote call inside the transaction.
  EXPECT_TRUE(std::any_of(place->remote_calls.begin(), place->remote_calls.end(),
                          [](const auto& r) { return r.callee == "bookstore::payments::charge"; }));
}

TEST_F(InteractionsBookstore, NotificationsAreEventsThroughTheOutbox) {
  const Interaction* enqueue = find("placeInTransaction", "bookstore::notifications::enqueue");
  ASSERT_NE(enqueue, nullptr);
  EXPECT_EQ(enqueue->kind, Kind::kNotification);
  EXPECT_EQ(enqueue->from_service, "sales");
  EXPECT_EQ(enqueue->to_service, "customers");
  EXPECT_EQ(enqueue->event, "NotificationRequested");
  const Event* event = nullptr;
  for (const auto& e : analysis_->events)
    if (e.callee == "bookstore::notifications::enqueue") event = &e;
  ASSERT_NE(event, nullptr);
  EXPECT_EQ(event->name, "NotificationRequested");
  EXPECT_EQ(event->publisher, "customers");
  EXPECT_TRUE(std::any_of(event->tables.begin(), event->tables.end(),
                          [](const TableOp& t) { return t.table == "outbox" && t.op == "insert"; }));
  for (const char* producer : {"fulfilment", "payments", "sales"})
    EXPECT_TRUE(std::count(event->producers.begin(), event->producers.end(), producer)) << producer;
}

TEST_F(InteractionsBookstore, CatalogReadsFromOrdersAreQueries) {
  const Interaction* book = find("placeInTransaction", "bookstore::catalog::requireActiveBook");
  ASSERT_NE(book, nullptr);
  EXPECT_EQ(book->kind, Kind::kQuery);
  EXPECT_EQ(book->from_service, "sales");
  EXPECT_EQ(book->to_service, "catalog");
  for (const auto& t : book->tables) EXPECT_EQ(t.op, "read") << t.table;
  EXPECT_EQ(book->recommendation, "synchronous API call to catalog");
}

}  // namespace
}  // namespace seam::interactions
