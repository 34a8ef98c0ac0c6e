// The control thread: admin listener (bridges HTTP to the AdminHandler),
// active health checks, and reload triggers (SIGHUP, config file change).
// Everything here runs on Server::Impl::control_ioc, one thread, so it needs
// no locks of its own; it talks to workers only through atomics and
// Server::applyConfig.
// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <csignal>
#include <cstdio>
#include <sys/stat.h>

#include "runtime.h"
#include "strangler/forwarding.h"
#include "strangler/http_parser.h"

namespace strangler {
namespace {

using asio::awaitable;
using asio::redirect_error;
using asio::use_awaitable;
using boost::system::error_code;

constexpr std::size_t kAdminHeadLimit = 16384;
constexpr std::size_t kAdminBodyLimit = 65536;

/// A socket plus a timer that cancels it: the timer callback shares
/// ownership so it can never outlive the socket.
struct TimedSocket : std::enable_shared_from_this<TimedSocket> {
  explicit TimedSocket(asio::io_context& ioc) : socket(ioc), timer(ioc) {}
  explicit TimedSocket(tcp::socket s) : socket(std::move(s)), timer(socket.get_executor()) {}
  void arm(Millis timeout) {
    timer.expires_after(timeout);
    timer.async_wait([self = shared_from_this()](const error_code& ec) {
      if (!ec) {
        error_code ignored;
        self->socket.cancel(ignored);
      }
    });
  }
  tcp::socket socket;
  asio::steady_timer timer;
};

awaitable<void> adminSession(Server::Impl& impl, std::shared_ptr<TimedSocket> conn) {
  std::vector<char> buf(kAdminHeadLimit + kAdminBodyLimit + 256);
  std::size_t len = 0;
  error_code ec;
  while (!impl.stopping.load()) {
    http::RequestHead head;
    http::ParseResult pr;
    conn->arm(Millis(30000));
    while (true) {
      if (len > 0) {
        pr = http::parseRequestHead(std::string_view(buf.data(), len), http::ParseLimits{kAdminHeadLimit}, head);
        if (pr.status != http::ParseStatus::kNeedMore) break;
      }
      std::size_t n = co_await conn->socket.async_read_some(asio::buffer(buf.data() + len, buf.size() - len),
                                                            redirect_error(use_awaitable, ec));
      if (ec || n == 0) co_return;
      len += n;
    }
    std::string out;
    if (pr.status == http::ParseStatus::kError) {
      appendProxyResponse(pr.error_status, pr.error, false, "", out);
      co_await asio::async_write(conn->socket, asio::buffer(out), redirect_error(use_awaitable, ec));
      co_return;
    }
    if (head.body == http::BodyKind::kChunked ||
        (head.body == http::BodyKind::kContentLength && head.content_length > kAdminBodyLimit)) {
      appendProxyResponse(head.body == http::BodyKind::kChunked ? 411 : 413, "admin bodies need a Content-Length <= 64 KiB", false, "", out);
      co_await asio::async_write(conn->socket, asio::buffer(out), redirect_error(use_awaitable, ec));
      co_return;
    }
    std::size_t body_len = head.body == http::BodyKind::kContentLength ? static_cast<std::size_t>(head.content_length) : 0;
    std::size_t need = pr.consumed + body_len;
    if (len < need) {
      co_await asio::async_read(conn->socket, asio::buffer(buf.data() + len, need - len), redirect_error(use_awaitable, ec));
      if (ec) co_return;
      len = need;
    }
    AdminRequest request;
    request.method.assign(head.method);
    request.target.assign(head.target);
    if (const http::Header* auth = head.find("authorization")) request.authorization.assign(auth->value);
    request.body.assign(buf.data() + pr.consumed, body_len);
    AdminResponse response;
    if (impl.admin_handler) {
      response = impl.admin_handler->handle(request);
    } else {
      response.status = 404;
      response.body = "{\"error\":\"admin API not configured\"}\n";
    }
    bool keep = head.keep_alive;
    out.append("HTTP/1.1 ").append(std::to_string(response.status)).append(" ");
    out.append(reasonPhrase(response.status)).append("\r\nContent-Type: ").append(response.content_type);
    out.append("\r\nContent-Length: ").append(std::to_string(response.body.size()));
    out.append("\r\nCache-Control: no-store\r\n");
    if (!keep) out.append("Connection: close\r\n");
    out.append("\r\n").append(response.body);
    co_await asio::async_write(conn->socket, asio::buffer(out), redirect_error(use_awaitable, ec));
    if (ec || !keep) co_return;
    std::memmove(buf.data(), buf.data() + need, len - need);
    len -= need;
  }
}

awaitable<void> adminAccept(Server::Impl& impl) {
  while (!impl.stopping.load()) {
    error_code ec;
    tcp::socket socket(impl.control_ioc);
    co_await impl.admin_acceptor->async_accept(socket, redirect_error(use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted) co_return;
      continue;
    }
    auto conn = std::make_shared<TimedSocket>(std::move(socket));
    asio::co_spawn(impl.control_ioc, adminSession(impl, conn), asio::detached);
  }
}

/// One GET of the health path; true for a 2xx within the timeout.
awaitable<bool> probe(Server::Impl& impl, const EndpointRuntime& ep, const HealthCheckConfig& hc) {
  auto conn = std::make_shared<TimedSocket>(impl.control_ioc);
  error_code ec;
  conn->arm(hc.timeout);
  co_await conn->socket.async_connect(ep.resolved, redirect_error(use_awaitable, ec));
  bool ok = false;
  if (!ec) {
    std::string request = "GET " + hc.path + " HTTP/1.1\r\nHost: " + ep.address +
                          "\r\nUser-Agent: strangler-health\r\nConnection: close\r\n\r\n";
    co_await asio::async_write(conn->socket, asio::buffer(request), redirect_error(use_awaitable, ec));
    std::vector<char> buf(8192);
    std::size_t len = 0;
    while (!ec && len < buf.size()) {
      std::size_t n = co_await conn->socket.async_read_some(asio::buffer(buf.data() + len, buf.size() - len),
                                                            redirect_error(use_awaitable, ec));
      if (ec || n == 0) break;
      len += n;
      http::ResponseHead head;
      auto pr = http::parseResponseHead(std::string_view(buf.data(), len), "GET", http::ParseLimits{buf.size()}, head);
      if (pr.status == http::ParseStatus::kNeedMore) continue;
      ok = pr.status == http::ParseStatus::kComplete && head.status >= 200 && head.status < 300;
      break;
    }
  }
  conn->timer.cancel();
  conn->socket.close(ec);
  co_return ok;
}

awaitable<void> healthLoop(Server::Impl& impl, std::shared_ptr<const Snapshot> snap, std::size_t upstream,
                           std::shared_ptr<EndpointRuntime> ep) {
  const UpstreamRuntime& up = *snap->upstreams[upstream];
  const HealthCheckConfig hc = up.config.health;
  asio::steady_timer timer(impl.control_ioc);
  unsigned successes = 0, failures = 0;
  error_code ec;
  while (!impl.stopping.load() && impl.generation.load() == snap->generation) {
    bool ok = co_await probe(impl, *ep, hc);
    if (impl.generation.load() != snap->generation) break;
    if (ok) {
      failures = 0;
      if (++successes >= hc.healthy_threshold && !ep->healthy.load()) {
        ep->healthy.store(true);
        if (impl.options.metrics) impl.options.metrics->onHealthChange(up.metrics_id, ep->address, true);
      }
    } else {
      successes = 0;
      if (++failures >= hc.unhealthy_threshold && ep->healthy.load()) {
        ep->healthy.store(false);
        if (impl.options.metrics) impl.options.metrics->onHealthChange(up.metrics_id, ep->address, false);
      }
    }
    timer.expires_after(hc.interval);
    co_await timer.async_wait(redirect_error(use_awaitable, ec));
  }
}

awaitable<void> watchFile(Server::Impl& impl, Server& server) {
  struct stat last {};
  bool have = ::stat(impl.options.watch_path.c_str(), &last) == 0;
  asio::steady_timer timer(impl.control_ioc);
  error_code ec;
  while (!impl.stopping.load()) {
    timer.expires_after(impl.options.watch_interval);
    co_await timer.async_wait(redirect_error(use_awaitable, ec));
    if (ec) co_return;
    struct stat now {};
    bool exists = ::stat(impl.options.watch_path.c_str(), &now) == 0;
    if (!exists) continue;  // editors replace files: wait for the new one
    bool changed = !have || now.st_mtim.tv_sec != last.st_mtim.tv_sec || now.st_mtim.tv_nsec != last.st_mtim.tv_nsec ||
                   now.st_size != last.st_size || now.st_ino != last.st_ino;
    last = now;
    have = true;
    if (!changed) continue;
    Status s = server.reload();
    std::fprintf(stderr, "strangler-proxy: config file changed: %s\n", s ? "reloaded" : s.message().c_str());
  }
}

/// SIGHUP reloads; SIGINT/SIGTERM ask wait() to return. The frame owns the
/// signal_set, so the handlers live exactly as long as the loop.
awaitable<void> signalLoop(Server::Impl& impl, Server& server) {
  asio::signal_set signals(impl.control_ioc, SIGHUP, SIGINT, SIGTERM);
  error_code ec;
  while (!impl.stopping.load()) {
    int signo = co_await signals.async_wait(redirect_error(use_awaitable, ec));
    if (ec) co_return;
    if (signo == SIGHUP) {
      Status s = server.reload();
      std::fprintf(stderr, "strangler-proxy: SIGHUP: %s\n", s ? "reloaded" : s.message().c_str());
    } else {
      impl.requestStop();
    }
  }
}

}  // namespace

void startHealthChecksImpl(Server::Impl& impl, const std::shared_ptr<const Snapshot>& snap) {
  if (!snap || impl.stopping.load()) return;
  for (std::size_t u = 0; u < snap->upstreams.size(); ++u) {
    const UpstreamRuntime& up = *snap->upstreams[u];
    if (!up.config.health.enabled()) {
      // No active check: an endpoint marked down by an earlier config comes back.
      for (const auto& ep : up.endpoints) ep->healthy.store(true);
      continue;
    }
    for (const auto& ep : up.endpoints)
      asio::co_spawn(impl.control_ioc, healthLoop(impl, snap, u, ep), asio::detached);
  }
}

void startAdminImpl(Server::Impl& impl) {
  if (impl.admin_acceptor) asio::co_spawn(impl.control_ioc, adminAccept(impl), asio::detached);
}

void startReloadTriggersImpl(Server::Impl& impl, Server& server) {
  if (impl.options.handle_signals) asio::co_spawn(impl.control_ioc, signalLoop(impl, server), asio::detached);
  if (!impl.options.watch_path.empty())
    asio::co_spawn(impl.control_ioc, watchFile(impl, server), asio::detached);
}

}  // namespace strangler
