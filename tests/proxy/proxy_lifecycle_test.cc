// Connection life cycle of the proxy on loopback: graceful drain (in process
// and through SIGTERM to the real binary), the warm/cold keep-alive wait,
// and the circuit breaker's max_pending. Every wait is bounded.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <future>
#include <string>
#include <thread>

#include "proxy_test_support.h"
#include "strangler/server.h"

extern char** environ;

namespace strangler {
namespace {

using namespace std::chrono_literals;
using testing::TestUpstream;

/// A raw keep-alive client connection (byte-exact, sees closes).
class RawConn {
 public:
  explicit RawConn(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~RawConn() { ::close(fd_); }
  RawConn(const RawConn&) = delete;
  RawConn& operator=(const RawConn&) = delete;

  bool connected() const { return connected_; }
  bool send(std::string_view bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
  }
  /// Reads one response with a Content-Length body; "" on close or timeout.
  /// Bytes of a following (pipelined) response stay for the next call.
  std::string readResponse(std::chrono::milliseconds timeout = 5000ms) {
    std::string got = std::move(pending_);
    pending_.clear();
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      std::size_t head_end = got.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        std::size_t cl = got.find("Content-Length: ");
        std::size_t length = cl == std::string::npos ? 0 : std::stoul(got.substr(cl + 16));
        if (got.size() >= head_end + 4 + length) {
          pending_ = got.substr(head_end + 4 + length);
          got.resize(head_end + 4 + length);
          return got;
        }
      }
      char buf[4096];
      if (!waitReadable(deadline)) break;
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      got.append(buf, static_cast<std::size_t>(n));
    }
    return "";
  }
  /// True if the proxy closes the connection within `timeout`.
  bool closedWithin(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    char buf[256];
    while (waitReadable(deadline)) {
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return true;
    }
    return false;
  }

 private:
  bool waitReadable(std::chrono::steady_clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(left.count())) > 0;
  }
  int fd_ = -1;
  bool connected_ = false;
  std::string pending_;
};

constexpr std::string_view kGet = "GET /x HTTP/1.1\r\nHost: h\r\n\r\n";
constexpr std::string_view kSlowGet = "GET /slow HTTP/1.1\r\nHost: h\r\n\r\n";

class ProxyLifecycle : public ::testing::Test {
 protected:
  void SetUp() override {
    legacy_.setHandler([](const testing::UpstreamRequest& req, testing::UpstreamResponse& res) {
      if (req.path == "/slow") std::this_thread::sleep_for(700ms);
      res.headers.emplace_back("X-Upstream", "legacy");
      res.body = "legacy";
    });
    legacy_.start();
  }
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

  TestUpstream legacy_{"legacy"};
  std::unique_ptr<Server> server_;
};

TEST_F(ProxyLifecycle, DrainFinishesTheRequestInFlightAndClosesIdleConnections) {
  ProxyConfig c = testing::baseConfig(legacy_.endpoint());
  c.listener.timeouts.drain = 5000ms;
  startProxy(c);
  int port = server_->trafficPort();
  RawConn idle(port);
  ASSERT_TRUE(idle.send(kGet));
  ASSERT_NE(idle.readResponse().find("HTTP/1.1 200"), std::string::npos);  // now a keep-alive connection, waiting
  RawConn busy(port);
  ASSERT_TRUE(busy.send(kSlowGet));
  std::this_thread::sleep_for(200ms);  // the slow request is at the upstream

  auto t0 = std::chrono::steady_clock::now();
  auto drained = std::async(std::launch::async, [this] { return server_->drainAndStop(); });
  std::string response = busy.readResponse();
  EXPECT_NE(response.find("HTTP/1.1 200"), std::string::npos) << response;
  EXPECT_NE(response.find("Connection: close"), std::string::npos) << response;
  EXPECT_NE(response.find("legacy"), std::string::npos);
  EXPECT_TRUE(busy.closedWithin(2000ms));
  EXPECT_TRUE(idle.closedWithin(2000ms));
  EXPECT_TRUE(drained.get());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3000ms);  // did not wait for the drain timeout
  RawConn late(port);
  EXPECT_FALSE(late.connected() && late.send(kGet) && !late.readResponse(1000ms).empty());
}

TEST_F(ProxyLifecycle, DrainTimeoutBoundsTheWait) {
  ProxyConfig c = testing::baseConfig(legacy_.endpoint());
  c.listener.timeouts.drain = 150ms;
  startProxy(c);
  RawConn busy(server_->trafficPort());
  ASSERT_TRUE(busy.send(kSlowGet));
  std::this_thread::sleep_for(100ms);
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(server_->drainAndStop());  // 700 ms upstream > 150 ms drain
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 600ms);
  server_.reset();  // the stopped workers' sessions (and sockets) go with the server
  EXPECT_TRUE(busy.closedWithin(2000ms));
}

TEST_F(ProxyLifecycle, KeepAliveConnectionOutlivesTheWarmLingerAndTheIdleTimeoutStillHolds) {
  ProxyConfig c = testing::baseConfig(legacy_.endpoint());
  c.listener.workers = 1;
  c.listener.timeouts.idle = 2500ms;
  startProxy(c);
  RawConn conn(server_->trafficPort());
  ASSERT_TRUE(conn.send(kGet));
  ASSERT_NE(conn.readResponse().find("HTTP/1.1 200"), std::string::npos);
  std::this_thread::sleep_for(1300ms);  // past the warm linger: the connection went cold
  ASSERT_TRUE(conn.send(kGet));
  ASSERT_NE(conn.readResponse().find("HTTP/1.1 200"), std::string::npos);
  // Pipelined pair on the same connection, then the idle timeout closes it.
  std::string two = std::string(kGet) + std::string(kGet);
  ASSERT_TRUE(conn.send(two));
  ASSERT_NE(conn.readResponse().find("HTTP/1.1 200"), std::string::npos);
  ASSERT_NE(conn.readResponse().find("HTTP/1.1 200"), std::string::npos);
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(conn.closedWithin(5000ms));
  auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_GT(waited, 2000ms);
  EXPECT_LT(waited, 4000ms);  // idle timeout + at most the linger + a sweep
}

TEST_F(ProxyLifecycle, SlowRequestBodyIsCutOffByTheBodyTimeout) {
  ProxyConfig c = testing::baseConfig(legacy_.endpoint());
  c.listener.timeouts.body = 300ms;
  startProxy(c);
  RawConn conn(server_->trafficPort());
  // The head and 10 of 100 body bytes, then nothing: a slowloris on the body.
  ASSERT_TRUE(conn.send("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n0123456789"));
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(conn.closedWithin(3000ms));
  auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_GT(waited, 250ms);
  EXPECT_LT(waited, 2000ms);
}

/// A listener whose accept queue is full: further SYNs are dropped, so a
/// connect to it stays in progress until the proxy's connect timeout.
class BlackholeListener {
 public:
  BlackholeListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    ::listen(fd_, 0);
    socklen_t len = sizeof(addr);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    // Fill the queue (backlog 0 holds one connection); never accept.
    for (int i = 0; i < 2; ++i) {
      int c = ::socket(AF_INET, SOCK_STREAM, 0);
      ::fcntl(c, F_SETFL, O_NONBLOCK);
      ::connect(c, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
      fillers_.push_back(c);
    }
    std::this_thread::sleep_for(50ms);
  }
  ~BlackholeListener() {
    for (int c : fillers_) ::close(c);
    ::close(fd_);
  }
  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::vector<int> fillers_;
};

TEST_F(ProxyLifecycle, MaxPendingOpensTheBreakerWhileConnectsAreInProgress) {
  BlackholeListener blackhole;
  ProxyConfig c = testing::baseConfig(legacy_.endpoint());
  c.listener.workers = 1;
  c.listener.timeouts.connect = 1500ms;
  UpstreamConfig svc = testing::upstreamConfig("svc", blackhole.endpoint());
  svc.circuit_breaker.max_pending = 1;
  c.upstreams.push_back(svc);
  c.routes.push_back(testing::prefixRoute("catalog", "/api/catalog", RouteState::kMigrated, "svc"));
  startProxy(c);
  const std::string request = "GET /api/catalog/1 HTTP/1.1\r\nHost: h\r\n\r\n";

  RawConn first(server_->trafficPort());
  ASSERT_TRUE(first.send(request));  // its connect hangs: one pending request
  std::this_thread::sleep_for(300ms);
  RawConn second(server_->trafficPort());
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(second.send(request));
  std::string r2 = second.readResponse();
  auto second_took = std::chrono::steady_clock::now() - t0;
  EXPECT_NE(r2.find("X-Upstream: legacy"), std::string::npos) << r2;
  EXPECT_LT(second_took, 800ms) << "breaker should open at max_pending, not wait for the connect timeout";
  std::string r1 = first.readResponse();  // falls back after the connect timeout
  EXPECT_NE(r1.find("X-Upstream: legacy"), std::string::npos) << r1;
  EXPECT_GE(server_->routes()[0].fallbacks, 2u);
}

#ifdef STRANGLER_PROXY_BINARY
/// The real binary: SIGTERM while a request is in flight. The request
/// completes, the process exits 0.
TEST_F(ProxyLifecycle, SigtermLetsTheRequestInFlightFinishAndExitsZero) {
  int err_pipe[2];
  ASSERT_EQ(::pipe(err_pipe), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  posix_spawn_file_actions_addclose(&actions, err_pipe[0]);
  std::string legacy = "http://" + legacy_.endpoint();
  std::vector<std::string> args = {STRANGLER_PROXY_BINARY, "--listen", "127.0.0.1:0", "--legacy", legacy,
                                   "--workers", "1"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, args[0].c_str(), &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  ::close(err_pipe[1]);
  // "strangler-proxy: listening on port N (...)"
  std::string log;
  int port = 0;
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (port == 0 && std::chrono::steady_clock::now() < deadline) {
    pollfd p{err_pipe[0], POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    char buf[512];
    ssize_t n = ::read(err_pipe[0], buf, sizeof buf);
    if (n <= 0) break;
    log.append(buf, static_cast<std::size_t>(n));
    if (auto at = log.find("listening on port "); at != std::string::npos && log.find('(', at) != std::string::npos)
      port = std::stoi(log.substr(at + 18));
  }
  ::close(err_pipe[0]);
  if (port == 0) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    FAIL() << "proxy did not start: " << log;
  }
  RawConn idle(port);
  ASSERT_TRUE(idle.send(kGet));
  ASSERT_NE(idle.readResponse().find("HTTP/1.1 200"), std::string::npos);
  RawConn busy(port);
  ASSERT_TRUE(busy.send(kSlowGet));
  std::this_thread::sleep_for(200ms);
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  std::string response = busy.readResponse();
  EXPECT_NE(response.find("HTTP/1.1 200"), std::string::npos) << response;
  EXPECT_NE(response.find("Connection: close"), std::string::npos) << response;
  EXPECT_TRUE(idle.closedWithin(2000ms));
  int status = -1;
  for (int i = 0; i < 100 && ::waitpid(pid, &status, WNOHANG) == 0; ++i) std::this_thread::sleep_for(50ms);
  if (status == -1) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    FAIL() << "proxy did not exit within 5 s of SIGTERM";
  }
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}
#endif

}  // namespace
}  // namespace strangler
