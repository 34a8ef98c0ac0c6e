// Shadow verification and automatic rollout on the real Server, over
// loopback with throwaway upstreams: mirroring, comparison results, stored
// diffs (state file, admin API, ctl), the client never slowed by the shadow,
// automatic rollback / advance, and persistence across a restart.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "proxy_test_support.h"
#include "strangler/admin_api.h"
#include "strangler/ctl.h"
#include "strangler/metrics.h"
#include "strangler/state_store.h"

namespace strangler {
namespace {

using namespace std::chrono_literals;
using testing::TestUpstream;
using testing::UpstreamRequest;
using testing::UpstreamResponse;

constexpr const char* kToken = "s3cret";

/// Polls `done` every 10 ms for at most `limit`; true when it held.
template <typename F>
bool eventually(F done, std::chrono::milliseconds limit = 5000ms) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return done();
}

class ProxyShadowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("strangler-shadow-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    legacy_.setHandler([this](const UpstreamRequest& req, UpstreamResponse& res) { answer(req, res, legacy_body_); });
    service_.setHandler([this](const UpstreamRequest& req, UpstreamResponse& res) {
      shadow_header_seen_ = shadow_header_seen_ || req.has_header("X-Strangler-Shadow");
      answer(req, res, service_body_);
      if (service_status_ != 200) res.status = service_status_;
      if (service_delay_ms_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(service_delay_ms_));
    });
    legacy_.start();
    service_.start();
  }
  void TearDown() override {
    stop();
    legacy_.stop();
    service_.stop();
    std::filesystem::remove_all(dir_);
  }

  /// `body` may contain {n}: replaced by a per-call counter (volatile values).
  void answer(const UpstreamRequest& req, UpstreamResponse& res, const std::string& body) {
    res.headers.emplace_back("Content-Type", "application/json");
    std::string b = body;
    if (auto at = b.find("{n}"); at != std::string::npos) b.replace(at, 3, std::to_string(counter_.fetch_add(1)));
    res.body = req.method == "POST" ? "{\"posted\":true}" : b;
  }

  ProxyConfig config(RouteState state, std::uint32_t weight = 0) {
    ProxyConfig c = testing::baseConfig(legacy_.endpoint());
    c.listener.workers = 1;
    c.admin.address = "127.0.0.1:0";
    c.admin.token = kToken;
    c.state_path = (dir_ / "state.db").string();
    c.upstreams.push_back(testing::upstreamConfig("svc", service_.endpoint()));
    c.routes.push_back(testing::prefixRoute("books", "/api/books", state, "svc", weight));
    c.routes.back().shadow.compare.headers = {"content-type"};
    return c;
  }

  void start(const ProxyConfig& c) {
    auto state = StateStore::open(c.state_path);
    ASSERT_TRUE(state) << state.error();
    store_ = std::move(*state);
    ServerOptions options;
    options.config = c;
    options.metrics = &metrics_;
    options.state_store = store_.get();
    auto server = Server::create(std::move(options));
    ASSERT_TRUE(server) << server.error();
    server_ = std::move(*server);
    admin_ = std::make_unique<AdminApi>(AdminApiOptions{kToken, server_.get(), &metrics_, store_.get()});
    server_->setAdminHandler(admin_.get());
    ASSERT_TRUE(server_->start());
  }
  void stop() {
    if (server_) server_->stop();
    server_.reset();
    admin_.reset();
    store_.reset();
  }

  /// One request on a fresh connection; returns the status (0 = failed).
  int get(const std::string& path, std::chrono::microseconds* took = nullptr, const char* method = "GET") {
    httplib::Client c("127.0.0.1", server_->trafficPort());
    c.set_read_timeout(5, 0);
    auto t0 = std::chrono::steady_clock::now();
    httplib::Result res = std::string(method) == "POST" ? c.Post(path.c_str(), "{}", "application/json") : c.Get(path.c_str());
    if (took) *took = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
    if (res && res->body.find("\"posted\"") == std::string::npos && res->body != last_legacy_expect_ && !last_legacy_expect_.empty())
      wrong_body_ = true;
    return res ? res->status : 0;
  }

  RouteStatus route() const {
    for (const RouteStatus& r : server_->routes())
      if (r.name == "books") return r;
    return {};
  }

  int ctl(std::vector<std::string> args, std::string& out, int limit = 0) {
    CtlOptions o;
    o.admin = "127.0.0.1:" + std::to_string(server_->adminPort());
    o.token = kToken;
    CtlCommand cmd;
    cmd.args = std::move(args);
    cmd.limit = limit;
    std::ostringstream so, se;
    int rc = runCtl(o, cmd, so, se);
    out = so.str() + se.str();
    return rc;
  }

  std::filesystem::path dir_;
  TestUpstream legacy_{"legacy"};
  TestUpstream service_{"svc"};
  std::string legacy_body_ = R"({"id":7,"title":"Dune","price":9.5})";
  std::string service_body_ = R"({"title":"Dune","price":9.50,"id":7})";
  std::string last_legacy_expect_;
  bool wrong_body_ = false;
  std::atomic<int> service_status_{200};
  std::atomic<int> service_delay_ms_{0};
  std::atomic<bool> shadow_header_seen_{false};
  std::atomic<int> counter_{0};
  MetricsRegistry metrics_;
  std::unique_ptr<StateStore> store_;
  std::unique_ptr<AdminApi> admin_;
  std::unique_ptr<Server> server_;
};

TEST_F(ProxyShadowTest, MirrorsSafeRequestsAndCountsMatches) {
  start(config(RouteState::kShadow));
  last_legacy_expect_ = legacy_body_;
  for (int i = 0; i < 20; ++i) ASSERT_EQ(get("/api/books/7"), 200);
  EXPECT_FALSE(wrong_body_) << "the client must always get legacy's answer";
  ASSERT_TRUE(eventually([&] { return route().shadow.match == 20; })) << route().shadow.match;
  EXPECT_EQ(route().shadow.mismatch, 0u);
  EXPECT_EQ(service_.hits(), 20);
  EXPECT_EQ(legacy_.hits(), 20);
  EXPECT_TRUE(shadow_header_seen_.load());
  // Unmatched paths are not mirrored.
  ASSERT_EQ(get("/other"), 200);
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(service_.hits(), 20);
  std::string text;
  metrics_.renderPrometheus(text);
  renderControlGauges(server_->routes(), server_->upstreams(), text);
  EXPECT_NE(text.find("strangler_shadow_requests_total{route=\"books\",result=\"match\"} 20"), std::string::npos);
}

TEST_F(ProxyShadowTest, NonIdempotentMethodsAreMirroredOnlyWhenListed) {
  start(config(RouteState::kShadow));
  for (int i = 0; i < 5; ++i) ASSERT_EQ(get("/api/books", nullptr, "POST"), 200);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(service_.hits(), 0);
  EXPECT_EQ(legacy_.hits(), 5);
  stop();

  ProxyConfig c = config(RouteState::kShadow);
  c.routes.back().shadow.methods = {"GET", "POST"};
  start(c);
  for (int i = 0; i < 5; ++i) ASSERT_EQ(get("/api/books", nullptr, "POST"), 200);
  ASSERT_TRUE(eventually([&] { return service_.hits() == 5; }));
  EXPECT_TRUE(eventually([&] { return route().shadow.match == 5; }));
}

TEST_F(ProxyShadowTest, MismatchesAreStoredBoundedAndListedByCtl) {
  service_body_ = R"({"id":7,"title":"Dune","price":11})";
  ProxyConfig c = config(RouteState::kShadow);
  c.routes.back().shadow.keep_diffs = 3;
  start(c);
  for (int i = 0; i < 10; ++i) ASSERT_EQ(get("/api/books/7?x=" + std::to_string(i)), 200);
  ASSERT_TRUE(eventually([&] { return route().shadow.mismatch == 10; })) << route().shadow.mismatch;
  // The control thread stores them within a tick; only the newest 3 stay.
  ASSERT_TRUE(eventually([&] {
    auto d = store_->shadowDiffs("books", 100);
    return d && d->size() == 3 && d->front().request.find("x=9") != std::string::npos;
  }));
  auto diffs = store_->shadowDiffs("books", 100);
  const ShadowDiffRecord& d = diffs->front();
  ASSERT_EQ(d.differences.size(), 1u);
  EXPECT_EQ(d.differences[0].where, "$.price");
  EXPECT_EQ(d.differences[0].legacy, "9.5");
  EXPECT_EQ(d.differences[0].service, "11");
  EXPECT_EQ(d.request.rfind("GET /api/books/7?x=9 HTTP/1.1\r\n", 0), 0u) << d.request;
  EXPECT_NE(d.legacy.find("\"price\":9.5"), std::string::npos);
  EXPECT_NE(d.service.find("\"price\":11"), std::string::npos);
  EXPECT_FALSE(d.request_id.empty());

  std::string out;
  ASSERT_EQ(ctl({"diffs", "books"}, out, 2), kCtlOk) << out;
  EXPECT_NE(out.find("$.price"), std::string::npos) << out;
  EXPECT_NE(out.find("GET /api/books/7?x=9"), std::string::npos) << out;
  EXPECT_EQ(out.find("x=7"), std::string::npos) << "--limit 2 shows the newest two";
  EXPECT_EQ(ctl({"diffs", "nope"}, out), kCtlRefused) << out;
  ASSERT_EQ(ctl({"route", "books"}, out), kCtlOk);
  EXPECT_NE(out.find("10 mismatch"), std::string::npos) << out;
}

TEST_F(ProxyShadowTest, IgnoreRulesAndNoiseDetection) {
  // Legacy answers a fresh token each time; the service one of its own.
  legacy_body_ = R"({"id":7,"token":"t{n}","at":"2026-11-29T06:00:00Z"})";
  service_body_ = R"({"id":7,"token":"s{n}","at":"2026-11-29T07:30:00.5Z"})";
  ProxyConfig c = config(RouteState::kShadow);
  c.routes.back().shadow.compare.ignore_patterns = {R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?)"};
  start(c);
  for (int i = 0; i < 5; ++i) ASSERT_EQ(get("/api/books/7"), 200);
  ASSERT_TRUE(eventually([&] { return route().shadow.mismatch == 5; }));  // the token differs
  stop();

  c.routes.back().shadow.compare.noise_detection = true;
  start(c);
  int legacy_before = legacy_.hits();
  for (int i = 0; i < 5; ++i) ASSERT_EQ(get("/api/books/7"), 200);
  ASSERT_TRUE(eventually([&] { return route().shadow.noise == 5; })) << route().shadow.mismatch;
  EXPECT_EQ(legacy_.hits() - legacy_before, 10) << "one client call and one noise call each";

  // A real difference next to the noise is still a mismatch.
  service_body_ = R"({"id":8,"token":"s{n}","at":"2026-11-29T07:30:00.5Z"})";
  for (int i = 0; i < 3; ++i) ASSERT_EQ(get("/api/books/7"), 200);
  ASSERT_TRUE(eventually([&] { return route().shadow.mismatch == 3; }));
}

TEST_F(ProxyShadowTest, SlowServiceNeverDelaysTheClientAndAFullQueueDrops) {
  service_delay_ms_ = 150;
  ProxyConfig c = config(RouteState::kShadow);
  c.routes.back().shadow.queue = 2;
  c.routes.back().shadow.timeout = Millis(1000);
  start(c);
  std::chrono::microseconds worst{0};
  for (int i = 0; i < 30; ++i) {
    std::chrono::microseconds took;
    ASSERT_EQ(get("/api/books/7", &took), 200);
    worst = std::max(worst, took);
  }
  // Each shadow call takes 150 ms; a client that waited for one would see it.
  EXPECT_LT(worst.count(), 100'000) << "worst client latency " << worst.count() << " us";
  EXPECT_GT(route().shadow.dropped, 0u);
  ASSERT_TRUE(eventually([&] {
    RouteStatus r = route();
    return r.shadow.match + r.shadow.dropped + r.shadow.error == 30;
  }));
}

TEST_F(ProxyShadowTest, ShadowTimeoutIsAnError) {
  service_delay_ms_ = 300;
  ProxyConfig c = config(RouteState::kShadow);
  c.routes.back().shadow.timeout = Millis(100);
  start(c);
  ASSERT_EQ(get("/api/books/7"), 200);
  ASSERT_TRUE(eventually([&] { return route().shadow.error == 1; }));
}

AnalysisConfig fastAnalysis(bool advance) {
  AnalysisConfig a;
  a.enabled = true;
  a.window = Millis(300);
  a.min_requests = 5;
  a.max_error_rate = 100;
  a.max_mismatch_rate = 0;
  a.auto_advance = advance;
  a.steps = defaultRolloutSteps();
  return a;
}

TEST_F(ProxyShadowTest, ServiceErrorsRollACanaryBackStepByStep) {
  service_status_ = 500;
  ProxyConfig c = config(RouteState::kCanary, 5000);
  c.routes.back().analysis = fastAnalysis(false);
  c.routes.back().analysis.window = Millis(500);
  c.routes.back().analysis.min_requests = 3;
  c.routes.back().analysis.steps = {{RouteState::kShadow, 0}, {RouteState::kCanary, 2500}, {RouteState::kCanary, 5000}};
  c.routes.back().retry_budget = RetryBudgetConfig{1.0, 1000};  // every 5xx is retried on legacy
  start(c);
  // 5xx from the service are retried on legacy: clients never see them.
  int failures = 0;
  ASSERT_TRUE(eventually([&] {
    if (get("/api/books/7") != 200) ++failures;
    return route().state == RouteState::kShadow;
  }, 10000ms)) << toString(route().state) << " " << route().weight;
  EXPECT_EQ(failures, 0);
  // The counter is bumped just after the new state is published: wait for it.
  EXPECT_TRUE(eventually([&] { return route().analysis.rollbacks == 2u; }))  // 50% -> 25% -> shadow
      << route().analysis.rollbacks;
  auto events = store_->history("books", 10);
  ASSERT_TRUE(events);
  ASSERT_GE(events->size(), 2u);
  EXPECT_EQ(events->front().actor, "analysis");
  EXPECT_EQ(events->front().new_state, "shadow");
  EXPECT_NE(events->front().reason.find("error rate"), std::string::npos) << events->front().reason;
  EXPECT_EQ((*events)[0].old_state, "canary");
  EXPECT_EQ((*events)[0].old_weight_bp, 2500u);
  EXPECT_EQ((*events)[1].new_state, "canary");  // the first stored change: from the config's 50%
  EXPECT_EQ((*events)[1].new_weight_bp, 2500u);
  EXPECT_EQ((*events)[1].actor, "analysis");

  // The rollback is in the state file: a restart keeps it.
  stop();
  service_status_ = 200;
  start(c);
  EXPECT_EQ(route().state, RouteState::kShadow);
}

TEST_F(ProxyShadowTest, MismatchesMarkAShadowFailingAndBlockAdvance) {
  service_body_ = R"({"id":7,"title":"Dune","price":12})";
  ProxyConfig c = config(RouteState::kShadow);
  c.routes.back().analysis = fastAnalysis(true);
  start(c);
  ASSERT_TRUE(eventually([&] {
    get("/api/books/7");
    return route().analysis.failing;
  }));
  // Keep the traffic going over more than a window: no promotion.
  for (int i = 0; i < 40; ++i) {
    get("/api/books/7");
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(route().state, RouteState::kShadow);
  EXPECT_EQ(route().analysis.advances, 0u);
  EXPECT_EQ(route().analysis.failings, 1u) << "one event per failure, not one per tick";
  auto events = store_->history("books", 10);
  ASSERT_TRUE(events && !events->empty());
  EXPECT_EQ(events->front().actor, "analysis");
  EXPECT_NE(events->front().reason.find("mismatch rate"), std::string::npos) << events->front().reason;

  // Fixed: a clean window clears the mark, the next one advances.
  service_body_ = legacy_body_;
  ASSERT_TRUE(eventually([&] {
    get("/api/books/7");
    return route().state == RouteState::kCanary;
  }, 10000ms));
  EXPECT_EQ(route().weight, 500u);
  EXPECT_FALSE(route().analysis.failing);
}

TEST_F(ProxyShadowTest, CleanWindowsAdvanceToMigrated) {
  ProxyConfig c = config(RouteState::kShadow);
  c.routes.back().analysis = fastAnalysis(true);
  c.routes.back().analysis.steps = {{RouteState::kShadow, 0}, {RouteState::kCanary, 5000}, {RouteState::kMigrated, 0}};
  start(c);
  int failures = 0;
  ASSERT_TRUE(eventually([&] {
    if (get("/api/books/7") != 200) ++failures;
    return route().state == RouteState::kMigrated;
  }, 15000ms)) << toString(route().state);
  EXPECT_EQ(failures, 0);
  EXPECT_TRUE(eventually([&] { return route().analysis.advances == 2u; })) << route().analysis.advances;
  auto events = store_->history("books", 10);
  ASSERT_TRUE(events && events->size() >= 2);
  EXPECT_EQ(events->front().new_state, "migrated");
  EXPECT_EQ(events->front().actor, "analysis");
  EXPECT_NE(events->front().reason.find("clean window"), std::string::npos);
}

}  // namespace
}  // namespace strangler
