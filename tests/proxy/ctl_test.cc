// `ctl` against a real loopback HTTP server (cpp-httplib on an ephemeral
// port) that serves AdminApi over an in-memory ProxyControl.
#include "strangler/ctl.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <sstream>
#include <thread>

#include "admin_fake_control.h"
#include "strangler/admin_api.h"
#include "strangler/metrics.h"
#include "strangler/state_store.h"

namespace strangler {
namespace {

using test_support::FakeControl;

class ProxyCtlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = StateStore::open(":memory:");
    ASSERT_TRUE(s) << s.error();
    store_ = std::move(*s);
    control_ = std::make_unique<FakeControl>(store_.get());
    api_ = std::make_unique<AdminApi>(AdminApiOptions{"tok", control_.get(), &metrics_, store_.get()});
    auto handler = [this](const httplib::Request& req, httplib::Response& res) {
      std::string target = req.path;
      if (!req.params.empty()) {
        std::string q;
        for (const auto& [k, v] : req.params) q += (q.empty() ? "" : "&") + k + "=" + encodePathSegment(v);
        target += "?" + q;
      }
      AdminResponse r = api_->handle(
          AdminRequest{req.method, target, req.get_header_value("Authorization"), req.body});
      res.status = r.status;
      res.set_content(r.body, r.content_type.c_str());
    };
    server_.Get(".*", handler);
    server_.Put(".*", handler);
    server_.Post(".*", handler);
    server_.Delete(".*", handler);
    port_ = server_.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // The socket is bound and listening: early connects wait in the backlog.
    options_.admin = "http://127.0.0.1:" + std::to_string(port_);
    options_.token = "tok";
    options_.timeout = std::chrono::milliseconds(3000);
  }
  void TearDown() override {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  int run(std::vector<std::string> args, std::string reason = "", bool undo = false) {
    out_.str("");
    err_.str("");
    return runCtl(options_, CtlCommand{std::move(args), std::move(reason), undo}, out_, err_);
  }

  MetricsRegistry metrics_;
  std::unique_ptr<StateStore> store_;
  std::unique_ptr<FakeControl> control_;
  std::unique_ptr<AdminApi> api_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  CtlOptions options_;
  std::ostringstream out_, err_;
};

TEST_F(ProxyCtlTest, RoutesTable) {
  ASSERT_EQ(run({"routes"}), kCtlOk) << err_.str();
  const std::string text = out_.str();
  EXPECT_EQ(text.rfind("ROUTE", 0), 0u) << text;
  EXPECT_NE(text.find("catalog"), std::string::npos);
  EXPECT_NE(text.find("canary 5%"), std::string::npos);
  EXPECT_NE(text.find("prefix /api/catalog/ [GET]"), std::string::npos) << text;
  EXPECT_NE(text.find("42"), std::string::npos);
}

TEST_F(ProxyCtlTest, SetChangesAndPersists) {
  ASSERT_EQ(run({"set", "catalog", "canary", "25"}, "ticket 7"), kCtlOk) << err_.str();
  EXPECT_NE(out_.str().find("canary 25%"), std::string::npos) << out_.str();
  auto saved = store_->loadAll();
  ASSERT_TRUE(saved);
  ASSERT_EQ(saved->size(), 1u);
  EXPECT_EQ((*saved)[0].weight_bp, 2500u);
  EXPECT_EQ((*saved)[0].reason, "ticket 7");

  ASSERT_EQ(run({"set", "catalog", "canary", "12.5%"}), kCtlOk) << err_.str();
  EXPECT_NE(out_.str().find("canary 12.50%"), std::string::npos) << out_.str();
  ASSERT_EQ(run({"set", "catalog", "migrated"}), kCtlOk) << err_.str();
  ASSERT_EQ(run({"history", "catalog"}), kCtlOk) << err_.str();
  EXPECT_NE(out_.str().find("canary 12.50%"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("ticket 7"), std::string::npos);
  ASSERT_EQ(run({"route", "catalog"}), kCtlOk) << err_.str();
  EXPECT_NE(out_.str().find("migrated"), std::string::npos);
}

TEST_F(ProxyCtlTest, RefusalsAndUsage) {
  EXPECT_EQ(run({"set", "nope", "legacy"}), kCtlRefused);
  EXPECT_EQ(err_.str(), "strangler-proxy ctl: admin API answered 404: unknown route 'nope'\n");
  EXPECT_EQ(run({"set", "catalog", "sideways"}), kCtlRefused);
  EXPECT_NE(err_.str().find("unknown state 'sideways'"), std::string::npos);
  EXPECT_EQ(run({"set", "catalog", "canary", "250"}), kCtlUsage);
  EXPECT_EQ(run({"set", "catalog"}), kCtlUsage);
  EXPECT_NE(err_.str().find("usage: ctl set ROUTE STATE"), std::string::npos);
  EXPECT_EQ(run({"frobnicate"}), kCtlUsage);
  EXPECT_EQ(run({}), kCtlUsage);
}

TEST_F(ProxyCtlTest, WrongTokenIsUnauthorized) {
  options_.token = "nope";
  EXPECT_EQ(run({"routes"}), kCtlUnauthorized);
  EXPECT_NE(err_.str().find("401"), std::string::npos);
}

TEST_F(ProxyCtlTest, DrainReloadUpstreamsMetrics) {
  ASSERT_EQ(run({"drain", "catalog-svc"}), kCtlOk) << err_.str();
  EXPECT_EQ(out_.str(), "upstream catalog-svc draining: its routes now go to legacy\n");
  ASSERT_EQ(run({"upstreams"}), kCtlOk);
  EXPECT_NE(out_.str().find("YES"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("CONNECTIONS"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("3/4096"), std::string::npos) << out_.str();
  ASSERT_EQ(run({"drain", "catalog-svc"}, "", /*undo=*/true), kCtlOk) << err_.str();
  EXPECT_EQ(out_.str(), "upstream catalog-svc back in service\n");
  EXPECT_EQ(run({"drain", "legacy"}), kCtlRefused);

  ASSERT_EQ(run({"reload"}), kCtlOk);
  control_->reload_ok = false;
  EXPECT_EQ(run({"reload"}), kCtlRefused);
  EXPECT_NE(err_.str().find("422"), std::string::npos);

  ASSERT_EQ(run({"metrics"}), kCtlOk);
  EXPECT_NE(out_.str().find("# TYPE strangler_route_weight gauge"), std::string::npos);

  options_.json = true;
  ASSERT_EQ(run({"routes"}), kCtlOk);
  EXPECT_EQ(out_.str().rfind("{", 0), 0u);
}

TEST_F(ProxyCtlTest, HostPortAdminAddressWorks) {
  options_.admin = "127.0.0.1:" + std::to_string(port_);
  EXPECT_EQ(run({"routes"}), kCtlOk) << err_.str();
}

TEST(ProxyCtlNoServerTest, UnreachableAdmin) {
  // Bind a port and close it: nothing listens there afterwards.
  httplib::Server s;
  int port = s.bind_to_any_port("127.0.0.1");
  s.stop();
  CtlOptions o;
  o.admin = "http://127.0.0.1:" + std::to_string(port);
  o.timeout = std::chrono::milliseconds(500);
  std::ostringstream out, err;
  EXPECT_EQ(runCtl(o, CtlCommand{{"routes"}, "", false}, out, err), kCtlUnavailable);
  EXPECT_NE(err.str().find("cannot reach the admin API"), std::string::npos) << err.str();
  o.admin = "https://127.0.0.1:1";
  EXPECT_EQ(runCtl(o, CtlCommand{{"routes"}, "", false}, out, err), kCtlUnavailable);
}

TEST(ProxyCtlEncodeTest, EncodesPathSegments) {
  EXPECT_EQ(encodePathSegment("orders/v1 x"), "orders%2Fv1%20x");
  EXPECT_EQ(encodePathSegment("a-b_c.d~"), "a-b_c.d~");
}

}  // namespace
}  // namespace strangler
