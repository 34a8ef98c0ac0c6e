// The report's Interactions tab: the seam-interactions document reduced to
// what the page shows, and markup in analysed names escaped on the page.
#include <gtest/gtest.h>

#include "seam/interactions/interactions.h"
#include "seam/reports/inputs.h"
#include "seam/reports/writers.h"

namespace seam::interactions {
namespace {

Analysis sample() {
  Analysis a;
  a.services = {"sales", "customers"};
  Interaction i;
  i.kind = Kind::kNotification;
  i.from_service = "sales";
  i.to_service = "customers";
  i.caller = "shop::orders::place";
  i.callee = "shop::notifications::enqueue</script><b>";
  i.sites = 1;
  i.discarded_sites = 1;
  i.event = "NotificationRequested";
  a.interactions.push_back(i);
  a.pairs.push_back({"sales", "customers", 0, 0, 1});
  Event e;
  e.name = "NotificationRequested";
  e.publisher = "customers";
  e.callee = i.callee;
  e.producers = {"sales"};
  e.sites = 1;
  a.events.push_back(e);
  DistributedTransaction d;
  d.id = 7;
  d.category = "distributed";
  d.entry = "shop::orders::place";
  d.entry_service = "sales";
  d.certainty = "exact";
  d.write_services = {"customers", "sales"};
  SagaStep s;
  s.order = 1;
  s.service = "customers";
  s.accesses.push_back({"outbox", "insert", {}, "shop::notifications::enqueue", "src/n.cc:3", 1,
                        compensationFor("insert", "outbox", {})});
  d.saga.push_back(s);
  d.recommendation = "saga";
  a.transactions.push_back(d);
  a.transaction_groups = 1;
  return a;
}

TEST(InteractionsReport, TabDataIsReducedAndEscaped) {
  reports::ReportModel model;
  ASSERT_TRUE(reports::applyInteractionsJson(toJson(sample()).dump(), model).ok());
  ASSERT_TRUE(model.interactions.present);
  const auto& data = model.interactions.data;
  EXPECT_EQ(data["counts"]["notification"], 1);
  EXPECT_EQ(data["counts"]["distributed_transactions"], 1);
  EXPECT_EQ(data["events"][0]["name"], "NotificationRequested");
  EXPECT_EQ(data["transactions"][0]["saga"][0]["accesses"][0]["compensation"],
            "delete the row(s) this step inserted into outbox (by the keys it returned)");
  EXPECT_FALSE(data["events"][0].contains("payload"));  // reduced to what the page shows

  nlohmann::json j = reports::toJson(model);
  EXPECT_EQ(j["interactions"]["pairs"][0]["from"], "sales");
  std::string html = reports::toHtml(model, {});
  EXPECT_NE(html.find("id=\"tab-interactions\""), std::string::npos);
  EXPECT_EQ(html.find("enqueue</script><b>"), std::string::npos);  // escaped inside the data element

  reports::ReportModel other;
  EXPECT_FALSE(reports::applyInteractionsJson(R"({"format": "seam-report"})", other).ok());
  EXPECT_FALSE(reports::applyInteractionsJson("not json", other).ok());
  EXPECT_FALSE(other.interactions.present);
  EXPECT_TRUE(reports::toJson(other)["interactions"].is_null());
}

}  // namespace
}  // namespace seam::interactions
