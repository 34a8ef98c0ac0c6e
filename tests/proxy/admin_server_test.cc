// The control plane on the real Server: AdminApi behind the admin listener,
// `ctl` over loopback, and a rollout that survives a restart through the
// state file (the state file overrides the config's initial state).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "strangler/admin_api.h"
#include "strangler/config_yaml.h"
#include "strangler/ctl.h"
#include "strangler/metrics.h"
#include "strangler/server.h"
#include "strangler/state_store.h"

namespace strangler {
namespace {

// Upstream endpoints are never contacted: these tests send no traffic.
constexpr const char* kConfig = R"(
listener: {address: 127.0.0.1:0, workers: 1}
admin: {address: 127.0.0.1:0, token: s3cret}
upstreams:
  - {name: legacy, endpoints: [127.0.0.1:9]}
  - {name: catalog-svc, endpoints: [127.0.0.1:9]}
routes:
  - name: catalog
    match: {prefix: /api/catalog/}
    service: catalog-svc
    state: canary 10%
)";

class ProxyAdminServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("strangler-admin-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto config = parseConfigYaml(kConfig, "test.yaml");
    ASSERT_TRUE(config) << config.error();
    config_ = *config;
    config_.state_path = (dir_ / "state.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A running proxy with the whole control plane, as the driver builds it.
  struct Running {
    // Declared so that the server (and its threads) goes first.
    MetricsRegistry metrics;
    std::unique_ptr<StateStore> state;
    std::unique_ptr<AdminApi> admin;
    std::unique_ptr<Server> server;
  };
  std::unique_ptr<Running> start() {
    auto r = std::make_unique<Running>();
    auto state = StateStore::open(config_.state_path);
    EXPECT_TRUE(state) << state.error();
    if (!state) return nullptr;
    r->state = std::move(*state);
    ServerOptions options;
    options.config = config_;
    options.metrics = &r->metrics;
    options.state_store = r->state.get();
    auto server = Server::create(std::move(options));
    EXPECT_TRUE(server) << server.error();
    if (!server) return nullptr;
    r->server = std::move(*server);
    r->admin = std::make_unique<AdminApi>(
        AdminApiOptions{config_.admin.token, r->server.get(), &r->metrics, r->state.get()});
    r->server->setAdminHandler(r->admin.get());
    Status s = r->server->start();
    EXPECT_TRUE(s.isOk()) << s.message();
    return r;
  }
  int ctl(Running& r, std::vector<std::string> args, std::string* out = nullptr,
          std::string token = "s3cret") {
    CtlOptions o;
    o.admin = "127.0.0.1:" + std::to_string(r.server->adminPort());
    o.token = std::move(token);
    o.timeout = std::chrono::milliseconds(3000);
    std::ostringstream os, es;
    int rc = runCtl(o, CtlCommand{std::move(args), "", false}, os, es);
    if (out) *out = os.str() + es.str();
    return rc;
  }

  std::filesystem::path dir_;
  ProxyConfig config_;
};

TEST_F(ProxyAdminServerTest, CtlChangesARunningProxyAndTheChangeSurvivesARestart) {
  {
    auto r = start();
    ASSERT_TRUE(r);
    ASSERT_NE(r->server->adminPort(), 0);
    std::string out;
    ASSERT_EQ(ctl(*r, {"routes"}, &out), kCtlOk) << out;
    EXPECT_NE(out.find("canary 10%"), std::string::npos) << out;
    EXPECT_EQ(ctl(*r, {"routes"}, &out, "wrong"), kCtlUnauthorized) << out;

    ASSERT_EQ(ctl(*r, {"set", "catalog", "canary", "40"}, &out), kCtlOk) << out;
    EXPECT_EQ(r->server->routes().at(0).weight, 4000u);
    EXPECT_EQ(ctl(*r, {"set", "catalog", "canary", "40", "extra"}, &out), kCtlUsage);
    EXPECT_EQ(ctl(*r, {"set", "nope", "legacy"}, &out), kCtlRefused) << out;

    ASSERT_EQ(ctl(*r, {"metrics"}, &out), kCtlOk);
    EXPECT_NE(out.find("strangler_route_weight{route=\"catalog\"} 0.4\n"), std::string::npos) << out;
    r->server->stop();
  }
  // Restart on the same state file: the stored 40% beats the config's 10%.
  auto r = start();
  ASSERT_TRUE(r);
  auto routes = r->server->routes();
  ASSERT_EQ(routes.size(), 1u);
  EXPECT_EQ(routes[0].state, RouteState::kCanary);
  EXPECT_EQ(routes[0].weight, 4000u);
  std::string out;
  ASSERT_EQ(ctl(*r, {"history", "catalog"}, &out), kCtlOk) << out;
  EXPECT_NE(out.find("canary 40%"), std::string::npos) << out;
  r->server->stop();
}

TEST_F(ProxyAdminServerTest, DrainThroughTheAdminListener) {
  auto r = start();
  ASSERT_TRUE(r);
  std::string out;
  ASSERT_EQ(ctl(*r, {"drain", "catalog-svc"}, &out), kCtlOk) << out;
  auto ups = r->server->upstreams();
  auto svc = std::find_if(ups.begin(), ups.end(), [](auto& u) { return u.name == "catalog-svc"; });
  ASSERT_NE(svc, ups.end());
  EXPECT_TRUE(svc->draining);
  EXPECT_EQ(ctl(*r, {"drain", "legacy"}, &out), kCtlRefused) << out;
  r->server->stop();
}

}  // namespace
}  // namespace strangler
