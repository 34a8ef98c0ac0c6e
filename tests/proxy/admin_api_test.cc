// AdminApi against an in-memory ProxyControl: auth, listing, changes with
// validation and persistence, drain, reload, metrics, history.
#include "strangler/admin_api.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

#include "admin_fake_control.h"
#include "strangler/metrics.h"
#include "strangler/state_store.h"

namespace strangler {
namespace {
using test_support::FakeControl;

using nlohmann::json;

class ProxyAdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = StateStore::open(":memory:");
    ASSERT_TRUE(s) << s.error();
    store_ = std::move(*s);
    control_ = std::make_unique<FakeControl>(store_.get());
    api_ = std::make_unique<AdminApi>(
        AdminApiOptions{"tok3n", control_.get(), &metrics_, store_.get()});
  }
  AdminResponse call(std::string method, std::string target, std::string body = "",
                     std::string auth = "Bearer tok3n") {
    return api_->handle(AdminRequest{std::move(method), std::move(target), std::move(auth),
                                     std::move(body)});
  }
  static json body(const AdminResponse& r) { return json::parse(r.body); }

  MetricsRegistry metrics_;
  std::unique_ptr<StateStore> store_;
  std::unique_ptr<FakeControl> control_;
  std::unique_ptr<AdminApi> api_;
};

TEST_F(ProxyAdminTest, RequiresBearerToken) {
  EXPECT_EQ(call("GET", "/routes", "", "").status, 401);
  EXPECT_EQ(call("GET", "/routes", "", "Bearer wrong").status, 401);
  EXPECT_EQ(call("GET", "/routes", "", "Bearer tok3").status, 401);
  EXPECT_EQ(call("GET", "/routes", "", "Bearer tok3nn").status, 401);
  EXPECT_EQ(call("GET", "/routes", "", "Basic tok3n").status, 401);
  EXPECT_EQ(call("GET", "/metrics", "", "").status, 401);
  EXPECT_EQ(call("PUT", "/routes/catalog", R"({"state":"retired"})", "").status, 401);
  EXPECT_EQ(call("GET", "/routes", "", "bearer tok3n").status, 200);
  EXPECT_EQ(call("GET", "/healthz", "", "").status, 200);  // liveness is open
  EXPECT_EQ(body(call("GET", "/routes", "", "")).at("error").get<std::string>().rfind("missing or wrong", 0), 0u);
}

TEST(ProxyAdminAuthTest, EmptyConfiguredTokenNeverMatches) {
  EXPECT_FALSE(bearerTokenMatches("Bearer ", ""));
  EXPECT_FALSE(bearerTokenMatches("Bearer x", ""));
  EXPECT_TRUE(bearerTokenMatches("Bearer  abc ", "abc"));
  EXPECT_FALSE(bearerTokenMatches("Bearerabc", "abc"));
}

TEST_F(ProxyAdminTest, ListsRoutesWithStateAndFigures) {
  AdminResponse r = call("GET", "/routes");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/json");
  json j = body(r);
  ASSERT_EQ(j["routes"].size(), 3u);
  const json& c = j["routes"][0];
  EXPECT_EQ(c["name"], "catalog");
  EXPECT_EQ(c["state"], "legacy");
  EXPECT_EQ(c["match"]["kind"], "prefix");
  EXPECT_EQ(c["match"]["path"], "/api/catalog/");
  EXPECT_EQ(c["match"]["methods"][0], "GET");
  EXPECT_EQ(c["match"]["headers"]["X-Beta"], "1");
  EXPECT_EQ(c["requests"], 42);
  EXPECT_EQ(c["fallbacks"], 2);
  EXPECT_EQ(j["routes"][1]["weight_percent"], 5.0);
  EXPECT_EQ(j["routes"][1]["weight_bp"], 500);
}

TEST_F(ProxyAdminTest, ChangesStateAndPersistsWithReason) {
  AdminResponse r = call("PUT", "/routes/catalog",
                         R"({"state": "canary", "weight": 25, "reason": "ticket 42"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["state"], "canary");
  EXPECT_EQ(body(r)["weight_bp"], 2500);
  EXPECT_EQ(body(r)["history"][0]["reason"], "ticket 42");

  auto saved = store_->loadAll();
  ASSERT_TRUE(saved);
  ASSERT_EQ(saved->size(), 1u);
  EXPECT_EQ((*saved)[0].route, "catalog");
  EXPECT_EQ((*saved)[0].state, RouteState::kCanary);
  EXPECT_EQ((*saved)[0].weight_bp, 2500u);
  EXPECT_EQ((*saved)[0].reason, "ticket 42");
  EXPECT_EQ((*saved)[0].actor, "admin-api");

  // "canary 50%" in the state; then keep the weight when only the state is given.
  r = call("POST", "/routes/catalog", R"({"state": "canary 50%"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["weight_bp"], 5000);
  r = call("POST", "/routes/catalog", R"({"state": "canary"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["weight_bp"], 5000);
  r = call("POST", "/routes/catalog", R"({"state": "canary", "weight": "0.5%"})");
  EXPECT_EQ(body(r)["weight_bp"], 50);
  r = call("PUT", "/routes/catalog", R"({"state": "migrated"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["weight_bp"], 10000);
  r = call("PUT", "/routes/catalog", R"({"state": "legacy"})");
  EXPECT_EQ(body(r)["weight_bp"], 0);

  auto h = call("GET", "/history?route=catalog&limit=2");
  ASSERT_EQ(h.status, 200) << h.body;
  ASSERT_EQ(body(h)["events"].size(), 2u);
  EXPECT_EQ(body(h)["events"][0]["new_state"], "legacy");
  EXPECT_EQ(body(h)["events"][0]["old_state"], "migrated");
}

TEST_F(ProxyAdminTest, RejectsBadChangesWithoutApplying) {
  auto expect = [&](const char* b, int status, const char* fragment) {
    AdminResponse r = call("PUT", "/routes/catalog", b);
    EXPECT_EQ(r.status, status) << b << " -> " << r.body;
    EXPECT_NE(r.body.find(fragment), std::string::npos) << r.body;
  };
  expect("not json", 400, "JSON object");
  expect("[1]", 400, "JSON object");
  expect("{}", 400, "\\\"state\\\" is required");
  expect(R"({"state": "sideways"})", 400, "unknown state 'sideways'");
  expect(R"({"state": "canary", "weight": 101})", 400, "0..100%");
  expect(R"({"state": "canary", "weight": -1})", 400, "0..100%");
  expect(R"({"state": "canary", "weight": 0.001})", 400, "0..100%");
  expect(R"({"state": "canary", "weight": true})", 400, "0..100%");
  expect(R"({"state": "canary"})", 400, "canary needs a weight");
  expect(R"({"state": "migrated", "weight": 5})", 400, "only state canary takes a weight");
  expect(R"({"state": "canary 5%", "weight": 5})", 400, "weight given twice");
  expect(R"({"state": "legacy", "color": "red"})", 400, "unknown field 'color'");
  expect(R"({"state": "legacy", "reason": 5})", 400, "reason");
  auto saved = store_->loadAll();
  ASSERT_TRUE(saved);
  EXPECT_TRUE(saved->empty());
  EXPECT_EQ(body(call("GET", "/routes/catalog"))["state"], "legacy");

  AdminResponse r = call("PUT", "/routes/nope", R"({"state": "legacy"})");
  EXPECT_EQ(r.status, 404);
  r = call("PUT", "/routes/legacy-only", R"({"state": "migrated"})");
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.body.find("has no service"), std::string::npos);
}

TEST_F(ProxyAdminTest, PercentEncodedRouteNames) {
  AdminResponse r = call("GET", "/routes/orders%2Fv1");
  EXPECT_EQ(r.status, 400);  // an encoded '/' is refused, not silently split
  r = call("GET", "/routes/legacy%2Donly");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(call("GET", "/routes/bad%zz").status, 400);
  EXPECT_EQ(call("GET", "/routes/bad%2").status, 400);
}

TEST_F(ProxyAdminTest, DrainAndUndrain) {
  AdminResponse r = call("POST", "/upstreams/catalog-svc/drain");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["draining"], true);
  EXPECT_TRUE(body(call("GET", "/upstreams"))["upstreams"][1]["draining"].get<bool>());
  EXPECT_EQ(body(call("GET", "/upstreams"))["upstreams"][1]["open_connections"].get<int>(), 3);
  EXPECT_EQ(body(call("GET", "/upstreams"))["upstreams"][1]["max_connections"].get<int>(), 4096);
  r = call("DELETE", "/upstreams/catalog-svc/drain");
  EXPECT_EQ(body(r)["draining"], false);
  r = call("POST", "/upstreams/catalog-svc/drain", R"({"drain": false})");
  EXPECT_EQ(body(r)["draining"], false);
  EXPECT_EQ(call("POST", "/upstreams/catalog-svc/drain", R"({"drain": 1})").status, 400);
  EXPECT_EQ(call("POST", "/upstreams/nope/drain").status, 404);
  EXPECT_EQ(call("POST", "/upstreams/legacy/drain").status, 409);
}

TEST_F(ProxyAdminTest, Reload) {
  EXPECT_EQ(call("POST", "/reload").status, 200);
  control_->reload_ok = false;
  AdminResponse r = call("POST", "/reload");
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("strangler.yaml:3"), std::string::npos);
  EXPECT_EQ(control_->reloads, 2);
  EXPECT_EQ(call("GET", "/reload").status, 405);
}

TEST_F(ProxyAdminTest, MetricsInTextFormat) {
  metrics_.onRequest(0, {metrics_.routeId("catalog"), metrics_.upstreamId("legacy"), 200, 10,
                         false, false});
  AdminResponse r = call("GET", "/metrics");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(r.body.find("strangler_requests_total{route=\"catalog\",upstream=\"legacy\",code_class=\"2xx\"} 1\n"),
            std::string::npos);
  EXPECT_NE(r.body.find("strangler_route_weight{route=\"orders/v1\"} 0.05\n"), std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("strangler_upstream_healthy{upstream=\"legacy\",endpoint=\"127.0.0.1:9000\"} 1\n"),
            std::string::npos);
}

TEST_F(ProxyAdminTest, UnknownPathsAndMethods) {
  EXPECT_EQ(call("GET", "/").status, 404);
  EXPECT_EQ(call("GET", "/nope").status, 404);
  EXPECT_EQ(call("GET", "relative").status, 404);
  EXPECT_EQ(call("DELETE", "/routes").status, 405);
  EXPECT_EQ(call("DELETE", "/routes/catalog").status, 405);
  EXPECT_EQ(call("POST", "/healthz").status, 405);
}

TEST(ProxyAdminNoStoreTest, HistoryNeedsAStateFile) {
  FakeControl control;
  AdminApi api(AdminApiOptions{"t", &control, nullptr, nullptr});
  AdminResponse r = api.handle(AdminRequest{"GET", "/history", "Bearer t", ""});
  EXPECT_EQ(r.status, 404);
  r = api.handle(AdminRequest{"PUT", "/routes/catalog", "Bearer t", R"({"state":"retired"})"});
  EXPECT_EQ(r.status, 200) << r.body;  // applied live, just not persisted
  r = api.handle(AdminRequest{"GET", "/metrics", "Bearer t", ""});
  EXPECT_NE(r.body.find("strangler_route_state{route=\"catalog\",state=\"retired\"} 1"),
            std::string::npos);
}

}  // namespace
}  // namespace strangler
