// circuit_breaker.max_connections on loopback: the proxy never has more
// connections open to an upstream than its limit (counted at the throwaway
// upstream itself), requests that would need another one take the breaker's
// path (legacy for canary/migrated routes, 503 for retired), pooled
// connections are still reused at the limit, and the open-connections gauge
// follows the pools, the upstream's closes and config reloads. Every wait is
// bounded.
#include <gtest/gtest.h>

#include <future>
#include <string>
#include <thread>
#include <vector>

#include "proxy_test_support.h"
#include "strangler/metrics.h"
#include "strangler/server.h"

namespace strangler {
namespace {

using namespace std::chrono_literals;
using testing::TestUpstream;

/// Polls `condition` every 10 ms for at most `limit`; true once it holds.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds limit = 5000ms) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return condition();
}

struct Answer {
  int status = 0;
  std::string upstream;  ///< X-Upstream of the response, "" if none
};

Answer parseAnswer(const std::string& raw) {
  Answer a;
  if (raw.rfind("HTTP/1.1 ", 0) == 0) a.status = std::stoi(raw.substr(9, 3));
  std::size_t at = raw.find("X-Upstream: ");
  if (at != std::string::npos) a.upstream = raw.substr(at + 12, raw.find("\r\n", at) - at - 12);
  return a;
}

class ProxyBreaker : public ::testing::Test {
 protected:
  void SetUp() override { legacy_.start(); }
  void TearDown() override {
    if (server_) server_->stop();
  }
  void startProxy(const ProxyConfig& c) {
    ServerOptions options;
    options.config = c;
    auto server = Server::create(std::move(options));
    ASSERT_TRUE(server.hasValue()) << (server ? "" : server.error());
    server_ = std::move(*server);
    ASSERT_TRUE(server_->start());
  }
  /// A config with legacy and one service upstream "svc" at `endpoint`.
  ProxyConfig config(const std::string& endpoint, std::size_t max_connections, unsigned workers) {
    ProxyConfig c = testing::baseConfig(legacy_.endpoint());
    c.listener.workers = workers;
    UpstreamConfig svc = testing::upstreamConfig("svc", endpoint);
    svc.circuit_breaker.max_connections = max_connections;
    c.upstreams.push_back(svc);
    return c;
  }
  UpstreamStatus upstream(const std::string& name) const {
    for (UpstreamStatus& u : server_->upstreams())
      if (u.name == name) return u;
    ADD_FAILURE() << "no upstream " << name;
    return {};
  }
  std::int64_t open(const std::string& name) const { return upstream(name).open_connections; }

  /// `n` clients send one GET each at about the same time (one connection
  /// each, `Connection: close`); the answers in no particular order.
  std::vector<std::future<Answer>> launch(int n, const std::string& path) {
    std::vector<std::future<Answer>> out;
    std::string request = "GET " + path + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
    int port = server_->trafficPort();
    for (int i = 0; i < n; ++i)
      out.push_back(std::async(std::launch::async, [port, request] {
        return parseAnswer(testing::rawExchange(port, request, 10000ms));
      }));
    return out;
  }
  static std::vector<Answer> collect(std::vector<std::future<Answer>>& futures) {
    std::vector<Answer> out;
    for (auto& f : futures) out.push_back(f.get());
    return out;
  }
  static int count(const std::vector<Answer>& answers, int status, const std::string& upstream) {
    int n = 0;
    for (const Answer& a : answers) n += a.status == status && a.upstream == upstream;
    return n;
  }

  TestUpstream legacy_{"legacy"};
  TestUpstream svc_{"svc"};
  std::unique_ptr<Server> server_;
};

TEST_F(ProxyBreaker, MaxConnectionsCapsServiceConnectionsAndTheRestFallBackToLegacy) {
  svc_.setResponseDelay(1500ms);  // both allowed connections stay busy while the others arrive
  svc_.start();
  ProxyConfig c = config(svc_.endpoint(), 2, 2);  // two workers share the limit
  c.routes.push_back(testing::prefixRoute("catalog", "/api/", RouteState::kMigrated, "svc"));
  startProxy(c);

  auto futures = launch(6, "/api/books");
  std::vector<Answer> answers = collect(futures);
  EXPECT_EQ(count(answers, 200, "svc"), 2);
  EXPECT_EQ(count(answers, 200, "legacy"), 4) << "over the limit: the breaker's fallback";
  EXPECT_LE(svc_.maxOpenConnections(), 2) << "never more than max_connections at the service";
  EXPECT_EQ(svc_.accepts(), 2);
  EXPECT_EQ(server_->routes()[0].fallbacks, 4u);
  UpstreamStatus s = upstream("svc");
  EXPECT_EQ(s.connection_overflows, 4u);
  EXPECT_EQ(s.max_connections, 2u);
  // Both connections went back to the pools: still open, still counted.
  EXPECT_TRUE(eventually([&] { return open("svc") == 2; })) << open("svc");
  EXPECT_TRUE(upstream("svc").circuit_open) << "at the limit the breaker reports open";
}

TEST_F(ProxyBreaker, RetiredRouteAnswers503OverTheLimit) {
  svc_.setResponseDelay(1500ms);
  svc_.start();
  ProxyConfig c = config(svc_.endpoint(), 2, 2);
  c.routes.push_back(testing::prefixRoute("catalog", "/api/", RouteState::kRetired, "svc"));
  startProxy(c);

  auto futures = launch(6, "/api/books");
  std::vector<Answer> answers = collect(futures);
  EXPECT_EQ(count(answers, 200, "svc"), 2);
  EXPECT_EQ(count(answers, 503, ""), 4) << "retired has no fallback";
  EXPECT_LE(svc_.maxOpenConnections(), 2);
  EXPECT_EQ(legacy_.hits(), 0);
  EXPECT_EQ(upstream("svc").connection_overflows, 4u);
}

TEST_F(ProxyBreaker, PooledConnectionsAreReusedAtTheLimit) {
  svc_.setResponseDelay(300ms);
  svc_.start();
  ProxyConfig c = config(svc_.endpoint(), 2, 1);
  c.routes.push_back(testing::prefixRoute("catalog", "/api/", RouteState::kMigrated, "svc"));
  startProxy(c);

  auto futures = launch(2, "/api/books");
  std::vector<Answer> first = collect(futures);
  ASSERT_EQ(count(first, 200, "svc"), 2);
  ASSERT_TRUE(eventually([&] { return open("svc") == 2; }));  // at the limit, both idle in the pool
  for (int i = 0; i < 4; ++i) {
    Answer a = parseAnswer(testing::rawExchange(server_->trafficPort(),
                                                "GET /api/books HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"));
    EXPECT_EQ(a.status, 200);
    EXPECT_EQ(a.upstream, "svc") << "a pooled connection needs no new one";
  }
  EXPECT_EQ(svc_.accepts(), 2);
  EXPECT_EQ(upstream("svc").connection_overflows, 0u);
  EXPECT_EQ(server_->routes()[0].fallbacks, 0u);
}

TEST_F(ProxyBreaker, ShadowCallsCountAgainstTheServiceAndAreDroppedAtTheLimit) {
  svc_.setResponseDelay(1500ms);  // the first shadow call holds the only connection
  svc_.start();
  ProxyConfig c = config(svc_.endpoint(), 1, 1);
  c.routes.push_back(testing::prefixRoute("catalog", "/api/", RouteState::kShadow, "svc"));
  startProxy(c);

  auto t0 = std::chrono::steady_clock::now();
  auto futures = launch(4, "/api/books");
  std::vector<Answer> answers = collect(futures);
  auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(count(answers, 200, "legacy"), 4);
  EXPECT_LT(took, 1000ms) << "the client never waits for the shadow call";
  auto results = [&] {
    RouteStatus::Shadow s = server_->routes()[0].shadow;  // a copy: routes() is a temporary
    return s.match + s.mismatch + s.noise + s.error + s.dropped;
  };
  ASSERT_TRUE(eventually([&] { return results() == 4; })) << results();
  EXPECT_EQ(server_->routes()[0].shadow.dropped, 3u) << "copies that needed a second connection";
  EXPECT_EQ(server_->routes()[0].shadow.error, 0u) << "the limit is not the service's error";
  EXPECT_EQ(svc_.accepts(), 1);
  EXPECT_LE(svc_.maxOpenConnections(), 1);
  EXPECT_EQ(upstream("svc").connection_overflows, 3u);
  EXPECT_TRUE(eventually([&] { return open("svc") == 1; })) << "the shadow call's idle socket still counts";
}

TEST_F(ProxyBreaker, GaugeFollowsInFlightPooledAndClosedConnections) {
  svc_.setResponseDelay(600ms);
  svc_.start();
  ProxyConfig c = config(svc_.endpoint(), 100, 1);
  c.upstreams[1].pool.max_idle_per_endpoint = 2;
  c.routes.push_back(testing::prefixRoute("catalog", "/api/", RouteState::kMigrated, "svc"));
  startProxy(c);
  EXPECT_EQ(open("svc"), 0);

  auto futures = launch(3, "/api/books");
  EXPECT_TRUE(eventually([&] { return open("svc") == 3; })) << "three requests in flight: " << open("svc");
  std::vector<Answer> answers = collect(futures);
  EXPECT_EQ(count(answers, 200, "svc"), 3);
  // The pool keeps two; the third was closed.
  EXPECT_TRUE(eventually([&] { return open("svc") == 2 && svc_.openConnections() == 2; }))
      << open("svc") << " counted, " << svc_.openConnections() << " seen by the service";
  std::string text;
  renderControlGauges(server_->routes(), server_->upstreams(), text);
  EXPECT_NE(text.find("strangler_upstream_open_connections{upstream=\"svc\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("strangler_upstream_open_connections{upstream=\"legacy\"} 0\n"), std::string::npos);

  // The service closes its idle connections (its keep-alive timeout): the
  // pool sweep notices and the gauge goes back to zero.
  svc_.closeConnections();
  EXPECT_TRUE(eventually([&] { return open("svc") == 0; })) << open("svc");
  Answer again = parseAnswer(testing::rawExchange(server_->trafficPort(),
                                                  "GET /api/books HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"));
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.upstream, "svc");
  EXPECT_TRUE(eventually([&] { return open("svc") == 1; }));
}

TEST_F(ProxyBreaker, ReloadWhileConnectionsAreOpenKeepsTheCountExact) {
  svc_.setResponseDelay(800ms);
  svc_.start();
  TestUpstream svc2("svc");  // where the reload moves the service
  svc2.start();
  ProxyConfig c = config(svc_.endpoint(), 4, 2);
  c.routes.push_back(testing::prefixRoute("catalog", "/api/", RouteState::kMigrated, "svc"));
  startProxy(c);

  // Watches the count for the whole test: it must never go below zero.
  std::atomic<bool> watching{true};
  std::atomic<std::int64_t> lowest{0};
  std::thread watcher([&] {
    while (watching.load()) {
      for (const UpstreamStatus& u : server_->upstreams())
        if (u.open_connections < lowest.load()) lowest.store(u.open_connections);
      std::this_thread::sleep_for(2ms);
    }
  });

  auto futures = launch(6, "/api/books");
  EXPECT_TRUE(eventually([&] { return open("svc") == 4; })) << open("svc");
  // Reload while four connections are in flight: the service moves to another
  // endpoint (the old endpoint and its pool leave with the old snapshot) and
  // the limit changes.
  ProxyConfig moved = config(svc2.endpoint(), 3, 2);
  moved.routes = c.routes;
  ASSERT_TRUE(server_->applyConfig(moved));
  EXPECT_EQ(open("svc"), 4) << "the count carries over to the new snapshot";
  std::vector<Answer> answers = collect(futures);
  EXPECT_EQ(count(answers, 200, "svc"), 4);
  EXPECT_EQ(count(answers, 200, "legacy"), 2);
  EXPECT_LE(svc_.maxOpenConnections(), 4);

  // The old endpoint's pooled connections close once nothing holds the old
  // snapshot; the count follows what the old service sees.
  EXPECT_TRUE(eventually([&] { return svc_.openConnections() == 0 && open("svc") == 0; }))
      << svc_.openConnections() << " at the old endpoint, " << open("svc") << " counted";

  // New connections go to the new endpoint, counted under the same name;
  // a reload that keeps the endpoint keeps its pooled connections counted.
  for (int i = 0; i < 3; ++i) {
    Answer a = parseAnswer(testing::rawExchange(server_->trafficPort(),
                                                "GET /api/books HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"));
    EXPECT_EQ(a.status, 200);
  }
  EXPECT_TRUE(eventually([&] { return svc2.openConnections() > 0 && open("svc") == svc2.openConnections(); }));
  std::int64_t before = open("svc");
  ProxyConfig again = moved;
  again.upstreams[1].circuit_breaker.max_connections = 8;
  ASSERT_TRUE(server_->applyConfig(again));
  EXPECT_EQ(open("svc"), before);
  EXPECT_EQ(upstream("svc").max_connections, 8u);

  watching.store(false);
  watcher.join();
  EXPECT_EQ(lowest.load(), 0) << "the count went negative";
  server_->stop();
  EXPECT_TRUE(eventually([&] { return svc2.openConnections() == 0; })) << "stop closes the pools";
}

}  // namespace
}  // namespace strangler
