// Test support for the proxy's integration tests: throwaway upstreams
// (small Asio servers on 127.0.0.1, ephemeral ports; clients are cpp-httplib), a proxy fixture
// builder, and a raw-socket client for byte-exact requests.
#pragma once

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "strangler/http_parser.h"
#include "strangler/server.h"

namespace strangler::testing {

/// A request as a TestUpstream handler sees it (body de-chunked).
struct UpstreamRequest {
  std::string method;
  std::string path;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool has_header(std::string_view name) const { return header(name) != nullptr; }
  const std::string* header(std::string_view name) const {
    for (const auto& [n, v] : headers)
      if (http::equalsIgnoreCase(n, name)) return &v;
    return nullptr;
  }
};

struct UpstreamResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool chunked = false;  ///< send the body as 7000-byte chunks
};

/// A throwaway HTTP/1.1 upstream on 127.0.0.1 (ephemeral port), keep-alive,
/// one thread. Default answer: its name in X-Upstream, the forwarding headers
/// it saw echoed as X-Seen-<name>, and the request body (or its name) as body.
/// stop() closes the listener and every connection at once, like a killed
/// process.
class TestUpstream {
 public:
  using Handler = std::function<void(const UpstreamRequest&, UpstreamResponse&)>;

  explicit TestUpstream(std::string name) : name_(std::move(name)) {}
  ~TestUpstream() { stop(); }

  void setHandler(Handler h) { handler_ = std::move(h); }  // before start()
  /// Every response waits this long on a timer (other connections are
  /// served meanwhile, unlike a sleeping handler). Before start().
  void setResponseDelay(std::chrono::milliseconds delay) { delay_ = delay; }

  void start() {
    namespace asio = boost::asio;
    using tcp = asio::ip::tcp;
    if (!acceptor_) {
      acceptor_ = std::make_unique<tcp::acceptor>(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
      port_ = acceptor_->local_endpoint().port();
    }
    asio::co_spawn(ioc_, acceptLoop(), asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  void stop() {
    if (!thread_.joinable()) return;
    boost::asio::post(ioc_, [this] {
      boost::system::error_code ec;
      if (acceptor_) acceptor_->close(ec);
      for (auto& weak : sockets_)
        if (auto s = weak.lock()) s->close(ec);
      ioc_.stop();  // after the closes: the port now refuses connections
    });
    thread_.join();
    ioc_.restart();
  }
  int port() const { return port_; }
  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }
  int hits() const { return hits_.load(); }
  const std::string& name() const { return name_; }
  /// Connections accepted so far / open now / most open at once.
  int accepts() const { return accepts_.load(); }
  int openConnections() const { return open_->load(); }
  int maxOpenConnections() const { return max_open_.load(); }
  /// Closes every client connection (as an upstream's keep-alive timeout
  /// does) and keeps listening. Returns once the closes were made.
  void closeConnections() {
    std::promise<void> done;
    boost::asio::post(ioc_, [this, &done] {
      boost::system::error_code ec;
      for (auto& weak : sockets_)
        if (auto s = weak.lock()) s->close(ec);
      done.set_value();
    });
    done.get_future().wait();
  }

 private:
  using tcp = boost::asio::ip::tcp;

  boost::asio::awaitable<void> acceptLoop() {
    namespace asio = boost::asio;
    while (true) {
      boost::system::error_code ec;
      auto socket = std::make_shared<tcp::socket>(ioc_);
      co_await acceptor_->async_accept(*socket, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      sockets_.push_back(socket);
      accepts_.fetch_add(1);
      int open = open_->fetch_add(1) + 1;
      for (int seen = max_open_.load(); open > seen && !max_open_.compare_exchange_weak(seen, open);) {
      }
      asio::co_spawn(ioc_, serve(socket), asio::detached);
    }
  }

  static std::string dechunk(std::string_view in) {
    std::string out;
    while (!in.empty()) {
      std::size_t eol = in.find("\r\n");
      std::size_t size = std::stoul(std::string(in.substr(0, eol)), nullptr, 16);
      if (size == 0) break;
      out.append(in.substr(eol + 2, size));
      in.remove_prefix(eol + 2 + size + 2);
    }
    return out;
  }

  boost::asio::awaitable<void> serve(std::shared_ptr<tcp::socket> socket) {
    namespace asio = boost::asio;
    // The connection counts as open until this coroutine ends (the peer
    // closed, an error, closeConnections()/stop()) and its socket, owned
    // only by this frame, is closed. The counters are shared: a frame may be
    // destroyed with the io_context, after the other members.
    struct Open {
      std::shared_ptr<std::atomic<int>> open;
      ~Open() { open->fetch_sub(1); }
    } counted{open_};
    std::string buf;
    char chunk[65536];
    boost::system::error_code ec;
    while (true) {
      http::RequestHead head;
      http::ParseResult pr;
      while (true) {
        pr = http::parseRequestHead(buf, http::ParseLimits{65536}, head);
        if (pr.status != http::ParseStatus::kNeedMore) break;
        std::size_t n = co_await socket->async_read_some(asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return;
        buf.append(chunk, n);
      }
      if (pr.status == http::ParseStatus::kError) co_return;
      UpstreamRequest req;
      req.method = head.method;
      req.path = head.path;
      for (std::size_t i = 0; i < head.header_count; ++i)
        req.headers.emplace_back(std::string(head.headers[i].name), std::string(head.headers[i].value));
      bool keep_alive = head.keep_alive;
      std::size_t body_end = pr.consumed;
      if (head.body == http::BodyKind::kContentLength) {
        while (buf.size() < pr.consumed + head.content_length) {
          std::size_t n = co_await socket->async_read_some(asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
          if (ec) co_return;
          buf.append(chunk, n);
        }
        body_end = pr.consumed + static_cast<std::size_t>(head.content_length);
        req.body = buf.substr(pr.consumed, static_cast<std::size_t>(head.content_length));
      } else if (head.body == http::BodyKind::kChunked) {
        http::ChunkedDecoder decoder;
        std::size_t offset = pr.consumed;
        while (true) {
          std::size_t used = 0;
          auto r = decoder.feed(std::string_view(buf).substr(offset), used);
          offset += used;
          if (r == http::ChunkedDecoder::Result::kDone) break;
          if (r == http::ChunkedDecoder::Result::kError) co_return;
          std::size_t n = co_await socket->async_read_some(asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
          if (ec) co_return;
          buf.append(chunk, n);
        }
        req.body = dechunk(std::string_view(buf).substr(pr.consumed, offset - pr.consumed));
        body_end = offset;
      }
      buf.erase(0, body_end);
      hits_.fetch_add(1);

      UpstreamResponse res;
      res.headers.emplace_back("X-Upstream", name_);
      for (const char* h : {"X-Forwarded-For", "X-Forwarded-Proto", "Via", "X-Request-Id", "traceparent",
                            "X-Secret", "Connection", "Host", "Transfer-Encoding", "Keep-Alive", "Expect"}) {
        if (const std::string* v = req.header(h)) res.headers.emplace_back(std::string("X-Seen-") + h, *v);
      }
      res.body = req.body.empty() ? name_ : req.body;
      if (handler_) handler_(req, res);
      if (delay_.count() > 0) {
        asio::steady_timer timer(ioc_, delay_);
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      }
      std::string out = "HTTP/1.1 " + std::to_string(res.status) + " X\r\n";
      for (const auto& [n, v] : res.headers) out += n + ": " + v + "\r\n";
      if (res.chunked) {
        out += "Transfer-Encoding: chunked\r\n\r\n";
        for (std::size_t off = 0; off < res.body.size(); off += 7000) {
          std::size_t len = std::min<std::size_t>(7000, res.body.size() - off);
          char size[32];
          std::snprintf(size, sizeof(size), "%zx\r\n", len);
          out += size;
          out.append(res.body, off, len);
          out += "\r\n";
        }
        out += "0\r\n\r\n";
      } else {
        out += "Content-Length: " + std::to_string(res.body.size()) + "\r\n\r\n" + res.body;
      }
      co_await asio::async_write(*socket, asio::buffer(out), asio::redirect_error(asio::use_awaitable, ec));
      if (ec || !keep_alive) co_return;
    }
  }

  std::string name_;
  boost::asio::io_context ioc_{1};
  std::unique_ptr<tcp::acceptor> acceptor_;
  std::vector<std::weak_ptr<tcp::socket>> sockets_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> hits_{0};
  std::atomic<int> accepts_{0};
  std::shared_ptr<std::atomic<int>> open_ = std::make_shared<std::atomic<int>>(0);
  std::atomic<int> max_open_{0};
  std::chrono::milliseconds delay_{0};
  Handler handler_;
};

inline UpstreamConfig upstreamConfig(const std::string& name, const std::string& endpoint) {
  UpstreamConfig u;
  u.name = name;
  u.endpoints = {endpoint};
  return u;
}

inline RouteConfig prefixRoute(const std::string& name, const std::string& prefix, RouteState state,
                               const std::string& service, std::uint32_t weight = 0) {
  RouteConfig r;
  r.name = name;
  r.match.path_kind = PathKind::kPrefix;
  r.match.path = prefix;
  r.state = state;
  r.service = service;
  r.weight = weight;
  return r;
}

inline ProxyConfig baseConfig(const std::string& legacy_endpoint) {
  ProxyConfig c;
  c.listener.address = "127.0.0.1:0";
  c.listener.workers = 2;
  c.admin.address = "";
  c.upstreams.push_back(upstreamConfig("legacy", legacy_endpoint));
  return c;
}

/// Sends `bytes` on a fresh connection and returns everything read until
/// the peer closes or `timeout` passes without data.
inline std::string rawExchange(int port, std::string_view bytes, std::chrono::milliseconds timeout = std::chrono::milliseconds(3000),
                               bool* closed = nullptr) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return "<connect failed>";
  }
  timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string out;
  char buf[65536];
  if (closed) *closed = false;
  while (true) {
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n == 0) {
      if (closed) *closed = true;
      break;
    }
    if (n < 0) {
      if (closed) *closed = errno == ECONNRESET;
      break;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

}  // namespace strangler::testing
