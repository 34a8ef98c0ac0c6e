// Integration tests of the proxy on loopback: real sockets, ephemeral ports,
// throwaway upstreams. Every load is bounded in count and time.
#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "proxy_test_support.h"
#include "strangler/server.h"

namespace strangler {
namespace {

using namespace std::chrono_literals;
using testing::TestUpstream;

class ProxyServer : public ::testing::Test {
 protected:
  void SetUp() override {
    legacy_.start();
    service_.start();
  }
  void TearDown() override {
    if (server_) server_->stop();
  }

  ProxyConfig config() {
    ProxyConfig c = testing::baseConfig(legacy_.endpoint());
    c.upstreams.push_back(testing::upstreamConfig("svc", service_.endpoint()));
    return c;
  }

  void startProxy(const ProxyConfig& c, RouteStateStore* store = nullptr) {
    ServerOptions options;
    options.config = c;
    options.state_store = store;
    auto server = Server::create(std::move(options));
    ASSERT_TRUE(server.hasValue()) << (server ? "" : server.error());
    server_ = std::move(*server);
    ASSERT_TRUE(server_->start());
  }

  httplib::Client client() {
    httplib::Client c("127.0.0.1", server_->trafficPort());
    c.set_read_timeout(5, 0);
    c.set_connection_timeout(2, 0);
    c.set_keep_alive(true);
    return c;
  }

  std::string upstreamOf(const std::string& path, httplib::Headers headers = {}) {
    auto c = client();
    auto res = c.Get(path.c_str(), headers);
    if (!res) return "<error " + httplib::to_string(res.error()) + ">";
    return res->get_header_value("X-Upstream");
  }

  TestUpstream legacy_{"legacy"};
  TestUpstream service_{"svc"};
  std::unique_ptr<Server> server_;
};

TEST_F(ProxyServer, RoutesByPathAndSendsTheRestToLegacy) {
  ProxyConfig c = config();
  c.routes.push_back(testing::prefixRoute("catalog", "/api/catalog", RouteState::kMigrated, "svc"));
  c.routes.push_back(testing::prefixRoute("orders", "/api/orders", RouteState::kLegacy, "svc"));
  startProxy(c);
  EXPECT_EQ(upstreamOf("/api/catalog/books/1"), "svc");
  EXPECT_EQ(upstreamOf("/api/catalog"), "svc");
  EXPECT_EQ(upstreamOf("/api/catalogue"), "legacy");
  EXPECT_EQ(upstreamOf("/api/orders/7"), "legacy");
  EXPECT_EQ(upstreamOf("/"), "legacy");
  auto routes = server_->routes();
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].requests, 2u);
  EXPECT_EQ(routes[0].service_requests, 2u);
}

TEST_F(ProxyServer, RewritesForwardingHeadersAndDropsHopByHop) {
  ProxyConfig c = config();
  startProxy(c);
  auto cl = client();
  auto res = cl.Get("/x", {{"Connection", "keep-alive, X-Secret"}, {"X-Secret", "s3"}, {"X-Forwarded-For", "10.1.1.1"},
                           {"Keep-Alive", "timeout=5"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("X-Seen-X-Forwarded-For"), "10.1.1.1, 127.0.0.1");
  EXPECT_EQ(res->get_header_value("X-Seen-X-Forwarded-Proto"), "http");
  EXPECT_EQ(res->get_header_value("X-Seen-Via"), "1.1 strangler");
  EXPECT_FALSE(res->has_header("X-Seen-X-Secret"));
  EXPECT_FALSE(res->has_header("X-Seen-Keep-Alive"));
  std::string id = res->get_header_value("X-Seen-X-Request-Id");
  EXPECT_EQ(id.size(), 32u);
  EXPECT_EQ(res->get_header_value("X-Request-Id"), id);
  std::string trace = res->get_header_value("X-Seen-traceparent");
  ASSERT_EQ(trace.size(), 55u);
  EXPECT_EQ(trace.substr(0, 3), "00-");
  EXPECT_NE(res->get_header_value("Via").find("strangler"), std::string::npos);
  // Given ids are passed on unchanged.
  res = cl.Get("/x", {{"X-Request-Id", "abc-123"},
                      {"traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value("X-Seen-X-Request-Id"), "abc-123");
  EXPECT_EQ(res->get_header_value("X-Seen-traceparent"), "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
}

TEST_F(ProxyServer, HostAndAbsoluteFormNeverChooseTheUpstream) {
  ProxyConfig c = config();
  c.routes.push_back(testing::prefixRoute("catalog", "/api/catalog", RouteState::kMigrated, "svc"));
  startProxy(c);
  std::string r = testing::rawExchange(server_->trafficPort(),
                                       "GET http://127.0.0.1:" + std::to_string(service_.port()) +
                                           "/other HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(service_.port()) +
                                           "\r\nConnection: close\r\n\r\n");
  EXPECT_NE(r.find("X-Upstream: legacy"), std::string::npos) << r;
  r = testing::rawExchange(server_->trafficPort(),
                           "GET http://example.com/api/catalog/1 HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n");
  EXPECT_NE(r.find("X-Upstream: svc"), std::string::npos) << r;
}

TEST_F(ProxyServer, CanaryWeightsAndStickiness) {
  ProxyConfig c = config();
  auto zero = testing::prefixRoute("zero", "/zero", RouteState::kCanary, "svc", 0);
  auto all = testing::prefixRoute("all", "/all", RouteState::kCanary, "svc", 10000);
  auto half = testing::prefixRoute("half", "/half", RouteState::kCanary, "svc", 5000);
  half.sticky.by = StickyBy::kHeader;
  half.sticky.name = "X-User";
  c.routes = {zero, all, half};
  startProxy(c);
  auto cl = client();
  int to_service = 0;
  for (int i = 0; i < 50; ++i) {
    auto z = cl.Get("/zero");
    ASSERT_TRUE(z);
    EXPECT_EQ(z->get_header_value("X-Upstream"), "legacy");
    auto a = cl.Get("/all");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->get_header_value("X-Upstream"), "svc");
  }
  std::map<std::string, std::string> side;
  for (int round = 0; round < 3; ++round) {
    for (int u = 0; u < 40; ++u) {
      std::string user = "user-" + std::to_string(u);
      auto res = cl.Get("/half", {{"X-User", user}});
      ASSERT_TRUE(res);
      std::string up = res->get_header_value("X-Upstream");
      if (round == 0) {
        side[user] = up;
        if (up == "svc") ++to_service;
      } else {
        EXPECT_EQ(side[user], up) << user;
      }
    }
  }
  EXPECT_GT(to_service, 5);
  EXPECT_LT(to_service, 35);
}

TEST_F(ProxyServer, StickyByCookieAndClientAddress) {
  ProxyConfig c = config();
  auto by_cookie = testing::prefixRoute("cookie", "/cookie", RouteState::kCanary, "svc", 5000);
  by_cookie.sticky = StickyConfig{StickyBy::kCookie, "session"};
  auto by_ip = testing::prefixRoute("ip", "/ip", RouteState::kCanary, "svc", 5000);
  by_ip.sticky = StickyConfig{StickyBy::kClientIp, ""};
  c.routes = {by_cookie, by_ip};
  startProxy(c);
  auto cl = client();
  std::set<std::string> sides;
  for (int u = 0; u < 30; ++u) {
    std::string cookie = "theme=dark; session=s" + std::to_string(u);
    auto first = cl.Get("/cookie", {{"Cookie", cookie}});
    ASSERT_TRUE(first);
    sides.insert(first->get_header_value("X-Upstream"));
    for (int again = 0; again < 3; ++again) {
      auto res = cl.Get("/cookie", {{"Cookie", cookie}});
      ASSERT_TRUE(res);
      EXPECT_EQ(res->get_header_value("X-Upstream"), first->get_header_value("X-Upstream"));
    }
  }
  EXPECT_EQ(sides.size(), 2u);  // 30 keys at 50%: both sides are used
  // One client address: always the same side.
  auto first = cl.Get("/ip");
  ASSERT_TRUE(first);
  for (int i = 0; i < 20; ++i) {
    auto res = cl.Get("/ip");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->get_header_value("X-Upstream"), first->get_header_value("X-Upstream"));
  }
}

TEST_F(ProxyServer, FallsBackToLegacyWhenTheServiceIsDown) {
  ProxyConfig c = config();
  c.routes.push_back(testing::prefixRoute("catalog", "/api/catalog", RouteState::kMigrated, "svc"));
  c.routes.push_back(testing::prefixRoute("gone", "/api/gone", RouteState::kRetired, "svc"));
  service_.stop();
  startProxy(c);
  EXPECT_EQ(upstreamOf("/api/catalog/1"), "legacy");
  auto cl = client();
  auto res = cl.Post("/api/catalog/1", "body", "text/plain");  // connect error: nothing sent, safe
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value("X-Upstream"), "legacy");
  res = cl.Get("/api/gone/1");  // retired: no legacy fallback
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 502);
  EXPECT_GE(server_->routes()[0].fallbacks, 2u);
}

TEST_F(ProxyServer, FallsBackOn5xxOnlyForIdempotentRequests) {
  TestUpstream failing("failing");
  failing.setHandler([](const testing::UpstreamRequest&, testing::UpstreamResponse& res) {
    res.status = 503;
    res.body = "down";
  });
  failing.start();
  ProxyConfig c = config();
  c.upstreams.push_back(testing::upstreamConfig("failing", failing.endpoint()));
  c.upstreams.back().outlier.consecutive_5xx = 0;
  c.routes.push_back(testing::prefixRoute("catalog", "/api/catalog", RouteState::kMigrated, "failing"));
  c.routes.back().retry_budget.min_per_second = 100;
  startProxy(c);
  auto cl = client();
  auto res = cl.Get("/api/catalog/1");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("X-Upstream"), "legacy");
  res = cl.Post("/api/catalog/1", "x", "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_EQ(res->get_header_value("X-Upstream"), "failing");
}

TEST_F(ProxyServer, RetryBudgetCapsFallbacks) {
  TestUpstream failing("failing");
  failing.setHandler([](const testing::UpstreamRequest&, testing::UpstreamResponse& res) { res.status = 500; });
  failing.start();
  ProxyConfig c = config();
  c.upstreams.push_back(testing::upstreamConfig("failing", failing.endpoint()));
  c.upstreams.back().outlier.consecutive_5xx = 0;
  c.routes.push_back(testing::prefixRoute("catalog", "/api/catalog", RouteState::kMigrated, "failing"));
  c.routes.back().retry_budget = RetryBudgetConfig{0.0, 3};
  startProxy(c);
  auto cl = client();
  int fallbacks = 0, errors = 0;
  for (int i = 0; i < 10; ++i) {
    auto res = cl.Get("/api/catalog/1");
    ASSERT_TRUE(res);
    if (res->status == 200) ++fallbacks;
    else ++errors;
  }
  // At most 3 retries in a one-second window (2 windows if the second rolled over).
  EXPECT_GE(fallbacks, 3);
  EXPECT_LE(fallbacks, 6);
  EXPECT_GE(errors, 4);
}

TEST_F(ProxyServer, NoClientErrorWhenTheServiceDiesDuringLoad) {
  ProxyConfig c = config();
  c.routes.push_back(testing::prefixRoute("catalog", "/api/catalog", RouteState::kMigrated, "svc"));
  c.routes.back().retry_budget = RetryBudgetConfig{1.0, 1000};
  startProxy(c);
  std::atomic<int> ok{0}, bad{0}, from_service{0};
  std::atomic<bool> run{true};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&] {
      auto cl = client();
      for (int i = 0; i < 400 && run.load(); ++i) {
        auto res = cl.Get("/api/catalog/item");
        if (res && res->status == 200) {
          ++ok;
          if (res->get_header_value("X-Upstream") == "svc") ++from_service;
        } else {
          ++bad;
        }
      }
    });
  }
  std::this_thread::sleep_for(150ms);
  service_.stop();  // killed mid-run
  for (auto& t : clients) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(from_service.load(), 0);
  EXPECT_EQ(ok.load(), 1600);
}

TEST_F(ProxyServer, ReloadUnderLoadDropsNothing) {
  ProxyConfig c = config();
  c.routes.push_back(testing::prefixRoute("catalog", "/api/catalog", RouteState::kLegacy, "svc"));
  startProxy(c);
  std::atomic<int> ok{0}, bad{0};
  std::atomic<bool> run{true};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&] {
      auto cl = client();  // keep-alive connection across reloads
      for (int i = 0; i < 300 && run.load(); ++i) {
        auto res = cl.Get("/api/catalog/item");
        if (res && res->status == 200) ++ok;
        else ++bad;
      }
    });
  }
  for (int k = 0; k < 20; ++k) {
    ProxyConfig next = c;
    next.routes[0].state = k % 2 ? RouteState::kLegacy : RouteState::kMigrated;
    ASSERT_TRUE(server_->applyConfig(next));
    std::this_thread::sleep_for(10ms);
  }
  // An invalid config is refused and the old one stays.
  ProxyConfig broken = c;
  broken.routes[0].service = "nope";
  EXPECT_FALSE(server_->applyConfig(broken));
  for (auto& t : clients) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(ok.load(), 1200);
}

TEST_F(ProxyServer, AdminChangesAndDrainTakeEffectLive) {
  ProxyConfig c = config();
  c.routes.push_back(testing::prefixRoute("catalog", "/api/catalog", RouteState::kLegacy, "svc"));
  startProxy(c);
  EXPECT_EQ(upstreamOf("/api/catalog/1"), "legacy");
  ASSERT_TRUE(server_->setRouteRollout("catalog", RouteRollout{RouteState::kMigrated, 0}));
  EXPECT_EQ(upstreamOf("/api/catalog/1"), "svc");
  ASSERT_TRUE(server_->drainUpstream("svc", true));
  EXPECT_EQ(upstreamOf("/api/catalog/1"), "legacy");
  ASSERT_TRUE(server_->drainUpstream("svc", false));
  EXPECT_EQ(upstreamOf("/api/catalog/1"), "svc");
  EXPECT_FALSE(server_->drainUpstream("legacy", true));
  EXPECT_FALSE(server_->setRouteRollout("nope", RouteRollout{}));
  EXPECT_FALSE(server_->setRouteRollout("catalog", RouteRollout{RouteState::kCanary, 10001}));
}

class MemoryStateStore : public RouteStateStore {
 public:
  Expected<std::map<std::string, RouteRollout>> load() override { return rollouts; }
  Status save(std::string_view route, const RouteRollout& r) override {
    rollouts[std::string(route)] = r;
    return Status::ok();
  }
  std::map<std::string, RouteRollout> rollouts;
};

TEST_F(ProxyServer, PersistedStateOverridesTheConfigAndChangesArePersisted) {
  MemoryStateStore store;
  store.rollouts["catalog"] = RouteRollout{RouteState::kMigrated, 0};
  ProxyConfig c = config();
  c.routes.push_back(testing::prefixRoute("catalog", "/api/catalog", RouteState::kLegacy, "svc"));
  startProxy(c, &store);
  EXPECT_EQ(upstreamOf("/api/catalog/1"), "svc");
  ASSERT_TRUE(server_->setRouteRollout("catalog", RouteRollout{RouteState::kCanary, 2500}));
  EXPECT_EQ(store.rollouts["catalog"].state, RouteState::kCanary);
  EXPECT_EQ(store.rollouts["catalog"].weight, 2500u);
}

TEST_F(ProxyServer, StreamsBodiesBothWays) {
  TestUpstream chunky("chunky");
  chunky.setHandler([](const testing::UpstreamRequest&, testing::UpstreamResponse& res) { res.chunked = true; });
  chunky.start();
  ProxyConfig c = config();
  c.upstreams.push_back(testing::upstreamConfig("chunky", chunky.endpoint()));
  c.routes.push_back(testing::prefixRoute("echo", "/echo", RouteState::kRetired, "chunky"));
  startProxy(c);
  std::string big(1 << 20, 'x');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
  auto cl = client();
  auto res = cl.Post("/echo", big, "application/octet-stream");  // Content-Length request, chunked response
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, big);
  // Chunked request body, byte-exact through the proxy.
  std::string raw = testing::rawExchange(
      server_->trafficPort(),
      "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
      "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  EXPECT_NE(raw.find("HTTP/1.1 200"), std::string::npos) << raw;
  EXPECT_NE(raw.find("hello world"), std::string::npos) << raw;
  // Legacy echo with keep-alive: two requests pipelined on one connection.
  raw = testing::rawExchange(server_->trafficPort(),
                             "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nonePOST /b HTTP/1.1\r\nHost: h\r\n"
                             "Content-Length: 3\r\nConnection: close\r\n\r\ntwo");
  EXPECT_NE(raw.find("one"), std::string::npos) << raw;
  EXPECT_NE(raw.find("two"), std::string::npos) << raw;
}

struct RawCase {
  const char* name;
  std::string_view request;
  const char* status_line;
};

TEST_F(ProxyServer, RejectsMalformedRequestsWithStatusAndClose) {
  startProxy(config());
  using namespace std::string_view_literals;
  std::string big_header = "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + std::string(17000, 'a') + "\r\n\r\n";
  std::vector<RawCase> cases = {
      {"cl+te", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "HTTP/1.1 400"},
      {"te not chunked", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", "HTTP/1.1 400"},
      {"differing cl", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", "HTTP/1.1 400"},
      {"malformed cl", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n\r\n", "HTTP/1.1 400"},
      {"obs-fold", "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n", "HTTP/1.1 400"},
      {"ws before colon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", "HTTP/1.1 400"},
      {"bare cr", "GET / HTTP/1.1\r\nHost: h\rX: 1\r\n\r\n", "HTTP/1.1 400"},
      {"nul", "GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n"sv, "HTTP/1.1 400"},
      {"ctl in request line", "GET /\x01 HTTP/1.1\r\nHost: h\r\n\r\n", "HTTP/1.1 400"},
      {"bad chunk size", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "HTTP/1.1 400"},
      {"missing host", "GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 400"},
      {"duplicate host", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", "HTTP/1.1 400"},
      {"dot segments", "GET /api/../admin HTTP/1.1\r\nHost: h\r\n\r\n", "HTTP/1.1 400"},
      {"header too large", big_header, "HTTP/1.1 431"},
      {"body too large", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999\r\n\r\n", "HTTP/1.1 413"},
  };
  for (const RawCase& rc : cases) {
    bool closed = false;
    std::string r = testing::rawExchange(server_->trafficPort(), rc.request, 3000ms, &closed);
    EXPECT_EQ(r.substr(0, 12), rc.status_line) << rc.name << ": " << r.substr(0, 200);
    EXPECT_NE(r.find("Connection: close"), std::string::npos) << rc.name;
    EXPECT_TRUE(closed) << rc.name;
  }
  EXPECT_EQ(legacy_.hits(), 0);
}

TEST_F(ProxyServer, ChunkedBodyOverTheLimitIs413) {
  ProxyConfig c = config();
  c.listener.limits.body_bytes = 100;
  startProxy(c);
  std::string req = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n80\r\n" + std::string(128, 'a') + "\r\n0\r\n\r\n";
  std::string r = testing::rawExchange(server_->trafficPort(), req);
  EXPECT_EQ(r.substr(0, 12), "HTTP/1.1 413") << r;
}

TEST_F(ProxyServer, SlowlorisIsCutOffByTheHeaderTimeout) {
  ProxyConfig c = config();
  c.listener.timeouts.header = 300ms;
  c.listener.timeouts.idle = 400ms;
  startProxy(c);
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(server_->trafficPort());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  auto start = std::chrono::steady_clock::now();
  const char* drip = "GET / HTTP/1.1\r\nHost: h\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  bool cut = false;
  for (std::size_t i = 0; drip[i] != '\0'; ++i) {
    if (::send(fd, drip + i, 1, MSG_NOSIGNAL) <= 0) {
      cut = true;
      break;
    }
    std::this_thread::sleep_for(50ms);  // each byte well within any per-read timeout
    char b[256];
    ssize_t n = ::recv(fd, b, sizeof(b), MSG_DONTWAIT);
    if (n == 0 || (n > 0 && std::string_view(b, static_cast<std::size_t>(n)).find("408") != std::string_view::npos)) {
      cut = true;
      break;
    }
  }
  auto elapsed = std::chrono::steady_clock::now() - start;
  ::close(fd);
  EXPECT_TRUE(cut);
  EXPECT_LT(elapsed, 1500ms);
  // An idle keep-alive connection is closed after the idle timeout.
  bool closed = false;
  auto t0 = std::chrono::steady_clock::now();
  testing::rawExchange(server_->trafficPort(), "", 3000ms, &closed);
  EXPECT_TRUE(closed);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2000ms);
}

TEST_F(ProxyServer, ConnectionLimitRefusesExtraConnections) {
  ProxyConfig c = config();
  c.listener.max_connections = 2;
  c.listener.workers = 1;
  startProxy(c);
  auto a = client();
  auto b = client();
  ASSERT_TRUE(a.Get("/"));
  ASSERT_TRUE(b.Get("/"));  // two keep-alive connections held open
  bool closed = false;
  std::string r = testing::rawExchange(server_->trafficPort(), "GET / HTTP/1.1\r\nHost: h\r\n\r\n", 2000ms, &closed);
  EXPECT_TRUE(r.empty()) << r;
  EXPECT_TRUE(closed);
}

TEST_F(ProxyServer, ResponseTimeoutFallsBackForIdempotentRequests) {
  TestUpstream slow("slow");
  slow.setHandler([](const testing::UpstreamRequest&, testing::UpstreamResponse& res) {
    std::this_thread::sleep_for(600ms);
    res.body = "late";
  });
  slow.start();
  ProxyConfig c = config();
  c.listener.timeouts.request = 200ms;
  c.upstreams.push_back(testing::upstreamConfig("slow", slow.endpoint()));
  c.routes.push_back(testing::prefixRoute("slow", "/slow", RouteState::kMigrated, "slow"));
  c.routes.push_back(testing::prefixRoute("slow-only", "/only", RouteState::kRetired, "slow"));
  startProxy(c);
  auto cl = client();
  auto res = cl.Get("/slow");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value("X-Upstream"), "legacy");
  res = cl.Get("/only");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 504);
}

class RecordingAdmin : public AdminHandler {
 public:
  AdminResponse handle(const AdminRequest& request) override {
    std::lock_guard<std::mutex> lock(mu);
    seen.push_back(request.method + " " + request.target + " " + request.authorization + " " + request.body);
    return AdminResponse{200, "application/json", "{\"ok\":true}"};
  }
  std::mutex mu;
  std::vector<std::string> seen;
};

TEST_F(ProxyServer, AdminApiOnlyOnItsOwnListener) {
  ProxyConfig c = config();
  c.admin.address = "127.0.0.1:0";
  c.admin.token = "t0k";
  RecordingAdmin admin;
  ServerOptions options;
  options.config = c;
  auto server = Server::create(std::move(options));
  ASSERT_TRUE(server.hasValue()) << (server ? "" : server.error());
  server_ = std::move(*server);
  server_->setAdminHandler(&admin);
  ASSERT_TRUE(server_->start());
  ASSERT_NE(server_->adminPort(), 0);
  httplib::Client a("127.0.0.1", server_->adminPort());
  auto res = a.Post("/routes/catalog", {{"Authorization", "Bearer t0k"}}, "{\"state\":\"legacy\"}", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  {
    std::lock_guard<std::mutex> lock(admin.mu);
    ASSERT_EQ(admin.seen.size(), 1u);
    EXPECT_EQ(admin.seen[0], "POST /routes/catalog Bearer t0k {\"state\":\"legacy\"}");
  }
  // The same path on the traffic listener is ordinary traffic to legacy.
  EXPECT_EQ(upstreamOf("/routes/catalog"), "legacy");
  EXPECT_EQ(upstreamOf("/metrics"), "legacy");
  std::lock_guard<std::mutex> lock(admin.mu);
  EXPECT_EQ(admin.seen.size(), 1u);
}

TEST_F(ProxyServer, ActiveHealthChecksMarkEndpointsDownAndUp) {
  std::atomic<bool> healthy{true};
  TestUpstream checked("checked");
  checked.setHandler([&](const testing::UpstreamRequest& req, testing::UpstreamResponse& res) {
    if (req.path == "/healthz") res.status = healthy.load() ? 200 : 503;
    res.body = "checked";
  });
  checked.start();
  ProxyConfig c = config();
  c.upstreams.push_back(testing::upstreamConfig("checked", checked.endpoint()));
  c.upstreams.back().health = HealthCheckConfig{"/healthz", 50ms, 200ms, 2, 2};
  c.routes.push_back(testing::prefixRoute("checked", "/c", RouteState::kMigrated, "checked"));
  startProxy(c);
  EXPECT_EQ(upstreamOf("/c/1"), "checked");
  healthy = false;
  bool down = false;
  for (int i = 0; i < 100 && !down; ++i) {
    std::this_thread::sleep_for(20ms);
    down = !server_->upstreams()[2].endpoints[0].healthy;
  }
  ASSERT_TRUE(down);
  EXPECT_EQ(upstreamOf("/c/1"), "legacy");
  healthy = true;
  bool up = false;
  for (int i = 0; i < 100 && !up; ++i) {
    std::this_thread::sleep_for(20ms);
    up = server_->upstreams()[2].endpoints[0].healthy;
  }
  ASSERT_TRUE(up);
  EXPECT_EQ(upstreamOf("/c/1"), "checked");
}

TEST_F(ProxyServer, OutlierEjectionAfterConsecutive5xx) {
  TestUpstream failing("failing");
  failing.setHandler([](const testing::UpstreamRequest&, testing::UpstreamResponse& res) { res.status = 500; });
  failing.start();
  ProxyConfig c = config();
  c.upstreams.push_back(testing::upstreamConfig("failing", failing.endpoint()));
  c.upstreams.back().outlier.consecutive_5xx = 3;
  c.upstreams.back().outlier.ejection_time = 10000ms;
  c.routes.push_back(testing::prefixRoute("r", "/r", RouteState::kMigrated, "failing"));
  c.routes.back().fallback.on_5xx = false;
  startProxy(c);
  auto cl = client();
  for (int i = 0; i < 3; ++i) {
    auto res = cl.Get("/r");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 500);
  }
  EXPECT_TRUE(server_->upstreams()[2].endpoints[0].ejected);
  auto res = cl.Get("/r");  // ejected: legacy takes it without trying
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value("X-Upstream"), "legacy");
  EXPECT_EQ(failing.hits(), 3);
}

TEST_F(ProxyServer, ReloadsOnFileChangeAndSighupAndRefusesInvalidConfigs) {
  std::string path = ::testing::TempDir() + "strangler-reload-test.yaml";
  std::ofstream(path) << "v1\n";
  std::mutex mu;
  ProxyConfig current = config();
  current.routes.push_back(testing::prefixRoute("catalog", "/api/catalog", RouteState::kLegacy, "svc"));
  int loads = 0;
  ServerOptions options;
  options.config = current;
  options.load_config = [&]() -> Expected<ProxyConfig> {
    std::lock_guard<std::mutex> lock(mu);
    ++loads;
    return current;
  };
  options.watch_path = path;
  options.watch_interval = 50ms;
  options.handle_signals = true;
  auto server = Server::create(std::move(options));
  ASSERT_TRUE(server.hasValue()) << (server ? "" : server.error());
  server_ = std::move(*server);
  ASSERT_TRUE(server_->start());
  EXPECT_EQ(upstreamOf("/api/catalog/1"), "legacy");
  auto waitFor = [&](const std::string& upstream) {
    for (int i = 0; i < 100; ++i) {
      if (upstreamOf("/api/catalog/1") == upstream) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  };
  {
    std::lock_guard<std::mutex> lock(mu);
    current.routes[0].state = RouteState::kMigrated;
  }
  std::ofstream(path) << "v2 changed\n";
  EXPECT_TRUE(waitFor("svc"));
  {
    std::lock_guard<std::mutex> lock(mu);
    current.routes[0].state = RouteState::kLegacy;
  }
  std::raise(SIGHUP);
  EXPECT_TRUE(waitFor("legacy"));
  {
    std::lock_guard<std::mutex> lock(mu);
    current.routes[0].state = RouteState::kMigrated;
    current.routes[0].service = "missing";  // invalid: refused, old config stays
  }
  EXPECT_FALSE(server_->reload());
  std::ofstream(path) << "v3 broken config\n";
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(upstreamOf("/api/catalog/1"), "legacy");
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_GE(loads, 3);
}

}  // namespace
}  // namespace strangler
