// The nginx export, run for real: Debian's nginx serves the exported config
// (as an unprivileged process, a temp prefix, a free loopback port) in front
// of throwaway loopback upstreams, and the proxy's routing cases must hold:
// prefix on segment boundaries, exact beats pattern beats prefix, methods,
// header conditions, canary 0% / 100% / ~50%, sticky canary, migrated with
// fallback to legacy for idempotent requests only, shadow copies, unmatched
// traffic to legacy.
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "strangler/config_yaml.h"
#include "strangler/export.h"

namespace strangler {
namespace {

namespace fs = std::filesystem;
constexpr const char* kNginx = "/usr/sbin/nginx";

// An HTTP server on 127.0.0.1:<ephemeral> answering every request with its
// own name, and remembering what it saw.
class Upstream {
 public:
  explicit Upstream(std::string name, int status = 200) : name_(std::move(name)) {
    auto handler = [this, status](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        seen_.push_back(req.method + " " + req.path);
      }
      res.status = status;
      res.set_content(name_, "text/plain");
    };
    server_.Get(".*", handler);
    server_.Post(".*", handler);
    server_.Put(".*", handler);
    server_.Delete(".*", handler);
    server_.Patch(".*", handler);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Upstream() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  size_t count(const std::string& request) {
    std::lock_guard<std::mutex> lock(mutex_);
    return static_cast<size_t>(std::count(seen_.begin(), seen_.end(), request));
  }

 private:
  std::string name_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> seen_;
};

// A loopback port nobody listens on right now (nginx cannot report an
// ephemeral port, so the test picks one; the short race is acceptable).
int freePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

class ProxyExportNginx : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kNginx)) GTEST_SKIP() << kNginx << " is not installed (scripts/deps.sh installs nginx-light)";
    legacy_ = std::make_unique<Upstream>("legacy");
    svc_ = std::make_unique<Upstream>("svc");
    failing_ = std::make_unique<Upstream>("failing", 503);
    port_ = freePort();
    int dead_port = freePort();  // a service that is down
    std::string yaml = R"(
listener: {address: 127.0.0.1:)" + std::to_string(port_) + R"(}
legacy: legacy
upstreams:
  - {name: legacy, url: "http://127.0.0.1:)" + std::to_string(legacy_->port()) + R"("}
  - {name: svc, url: "http://127.0.0.1:)" + std::to_string(svc_->port()) + R"("}
  - {name: down, url: "http://127.0.0.1:)" + std::to_string(dead_port) + R"("}
  - {name: failing, url: "http://127.0.0.1:)" + std::to_string(failing_->port()) + R"("}
routes:
  - {name: books, match: {prefix: /api/books}, service: svc, state: migrated}
  - {name: special, match: {exact: /api/books/special}, service: svc, state: legacy}
  - {name: reviews, match: {pattern: "/api/books/{id}/reviews", methods: [GET]}, service: svc, state: legacy}
  - {name: order-writes, match: {prefix: /api/orders, methods: [POST]}, service: svc, state: migrated}
  - {name: zero, match: {prefix: /api/zero}, service: svc, state: canary 0%}
  - {name: hundred, match: {prefix: /api/hundred}, service: svc, state: canary 100%}
  - {name: half, match: {prefix: /api/half}, service: svc, state: canary 50%}
  - {name: sticky, match: {prefix: /api/sticky}, service: svc, state: canary 50%, sticky: header:X-User}
  - {name: beta, match: {prefix: /api/beta, headers: {X-Beta: "1"}}, service: svc, state: migrated}
  - {name: shadowed, match: {prefix: /api/shadow}, service: svc, state: shadow, shadow: {percent: 100%}}
  - {name: broken, match: {prefix: /api/broken}, service: down, state: migrated}
  - {name: erroring, match: {prefix: /api/erroring}, service: failing, state: migrated}
  - {name: gone, match: {prefix: /api/gone}, service: failing, state: retired}
)";
    auto config = parseConfigYaml(yaml, "nginx-test.yaml");
    ASSERT_TRUE(config) << config.error();
    auto exported = exportNginx(*config, {}, NginxOptions{});
    ASSERT_TRUE(exported) << exported.error();
    notes_ = exported->notes;

    dir_ = fs::temp_directory_path() / ("seam-nginx-" + std::to_string(::getpid()) + "-" + std::to_string(port_));
    fs::create_directories(dir_ / "tmp");
    std::ofstream(dir_ / "nginx.conf") << exported->text;
    conf_text_ = exported->text;
    // nginx must not run as root here: when the test does, drop to nobody
    // for the whole nginx process (master included), which owns the prefix.
    bool root = ::geteuid() == 0;
    if (root) {
      for (auto& p : fs::recursive_directory_iterator(dir_)) ::chown(p.path().c_str(), 65534, 65534);
      ::chown(dir_.c_str(), 65534, 65534);
    }
    pid_ = ::fork();
    if (pid_ == 0) {
      std::string prefix = dir_.string() + "/";
      std::string conf = (dir_ / "nginx.conf").string();
      if (root) {
        ::execl("/usr/bin/setpriv", "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", kNginx, "-p",
                prefix.c_str(), "-c", conf.c_str(), "-e", "stderr", "-g", "daemon off;", static_cast<char*>(nullptr));
      } else {
        ::execl(kNginx, "nginx", "-p", prefix.c_str(), "-c", conf.c_str(), "-e", "stderr", "-g", "daemon off;",
                static_cast<char*>(nullptr));
      }
      ::_exit(127);
    }
    ASSERT_GT(pid_, 0);
    // Ready when the port answers (10 s at most).
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      httplib::Client probe("127.0.0.1", port_);
      probe.set_connection_timeout(0, 200000);
      if (probe.Get("/__probe")) return;
      int status = 0;
      ASSERT_EQ(::waitpid(pid_, &status, WNOHANG), 0) << "nginx exited at start; config:\n" << conf_text_;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "nginx did not answer on port " << port_ << "; config:\n" << conf_text_;
  }

  void TearDown() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // Which upstream answered ("legacy", "svc") or "<status>".
  std::string who(const std::string& method, const std::string& path, const httplib::Headers& headers = {}) {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(5, 0);
    httplib::Result r = method == "POST" ? client.Post(path.c_str(), headers, "{}", "application/json")
                                         : client.Get(path.c_str(), headers);
    if (!r) return "transport error";
    if (r->status != 200) return std::to_string(r->status);
    return r->body;
  }

  std::unique_ptr<Upstream> legacy_, svc_, failing_;
  int port_ = 0;
  pid_t pid_ = -1;
  fs::path dir_;
  std::string conf_text_;
  std::vector<std::string> notes_;
};

TEST_F(ProxyExportNginx, PrefixMatchesOnSegmentBoundaries) {
  EXPECT_EQ(who("GET", "/api/books"), "svc");
  EXPECT_EQ(who("GET", "/api/books/7"), "svc");
  EXPECT_EQ(who("GET", "/api/books?page=2"), "svc");
  EXPECT_EQ(who("GET", "/api/bookshelf"), "legacy");
}

TEST_F(ProxyExportNginx, ExactBeatsPatternBeatsPrefix) {
  EXPECT_EQ(who("GET", "/api/books/special"), "legacy");       // exact, legacy
  EXPECT_EQ(who("GET", "/api/books/7/reviews"), "legacy");     // pattern, legacy
  EXPECT_EQ(who("GET", "/api/books/7/reviews/1"), "svc");      // pattern does not match: prefix
  EXPECT_EQ(who("POST", "/api/books/7/reviews"), "svc");       // pattern is GET only: prefix
}

TEST_F(ProxyExportNginx, MethodsAndHeaders) {
  EXPECT_EQ(who("POST", "/api/orders"), "svc");
  EXPECT_EQ(who("GET", "/api/orders"), "legacy");
  EXPECT_EQ(who("GET", "/api/beta/x", {{"X-Beta", "1"}}), "svc");
  EXPECT_EQ(who("GET", "/api/beta/x", {{"X-Beta", "2"}}), "legacy");
  EXPECT_EQ(who("GET", "/api/beta/x"), "legacy");
}

TEST_F(ProxyExportNginx, UnmatchedGoesToLegacy) {
  EXPECT_EQ(who("GET", "/"), "legacy");
  EXPECT_EQ(who("GET", "/healthz"), "legacy");
  EXPECT_EQ(who("POST", "/anything/else"), "legacy");
}

TEST_F(ProxyExportNginx, CanaryWeights) {
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(who("GET", "/api/zero/" + std::to_string(i)), "legacy");
    EXPECT_EQ(who("GET", "/api/hundred/" + std::to_string(i)), "svc");
  }
  int to_service = 0;
  const int n = 200;
  for (int i = 0; i < n; ++i) to_service += who("GET", "/api/half/" + std::to_string(i)) == "svc";
  // Binomial(200, 0.5): +-5 sigma is 65..135.
  EXPECT_GT(to_service, 65);
  EXPECT_LT(to_service, 135);
}

TEST_F(ProxyExportNginx, StickyCanaryKeepsAKeyOnOneSide) {
  int users_on_service = 0;
  for (int user = 0; user < 40; ++user) {
    httplib::Headers h{{"X-User", "user-" + std::to_string(user)}};
    std::string first = who("GET", "/api/sticky/a", h);
    ASSERT_TRUE(first == "svc" || first == "legacy") << first;
    for (int i = 0; i < 5; ++i) EXPECT_EQ(who("GET", "/api/sticky/" + std::to_string(i), h), first);
    users_on_service += first == "svc";
  }
  EXPECT_GT(users_on_service, 0);
  EXPECT_LT(users_on_service, 40);
  bool noted = std::any_of(notes_.begin(), notes_.end(), [](const std::string& n) {
    return n.find("route sticky: sticky split") != std::string::npos;
  });
  EXPECT_TRUE(noted) << "the hash difference must be reported";
}

TEST_F(ProxyExportNginx, MigratedFallsBackToLegacyForIdempotentRequestsOnly) {
  EXPECT_EQ(who("GET", "/api/broken/1"), "legacy");     // connect refused
  EXPECT_EQ(who("GET", "/api/erroring/1"), "legacy");   // 503 from the service
  EXPECT_EQ(who("POST", "/api/erroring/1"), "503");     // sent once, never replayed
  EXPECT_EQ(who("GET", "/api/gone/1"), "503");          // retired: no fallback
  // nginx replays a POST whose connection was refused (it never reached the
  // service); strangler-proxy does not. The export reports the difference.
  bool noted = std::any_of(notes_.begin(), notes_.end(), [](const std::string& n) {
    return n.find("service was refused") != std::string::npos;
  });
  EXPECT_TRUE(noted);
}

TEST_F(ProxyExportNginx, ShadowServesLegacyAndMirrorsACopy) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(who("GET", "/api/shadow/" + std::to_string(i)), "legacy");
  EXPECT_EQ(who("POST", "/api/shadow/w"), "legacy");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (svc_->count("GET /api/shadow/4") == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (int i = 0; i < 5; ++i) EXPECT_EQ(svc_->count("GET /api/shadow/" + std::to_string(i)), 1u) << i;
  EXPECT_EQ(svc_->count("POST /api/shadow/w"), 0u) << "only safe methods are mirrored";
  bool noted = std::any_of(notes_.begin(), notes_.end(), [](const std::string& n) {
    return n.find("does not compare responses") != std::string::npos;
  });
  EXPECT_TRUE(noted);
}

}  // namespace
}  // namespace strangler
