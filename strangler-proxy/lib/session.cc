// The data plane: worker event loops and client sessions.
//
// One ClientSession per accepted connection. Its life has two shapes:
//
//   waiting  cold: no buffers, no coroutine, no timer; only a readiness wait
//                  whose handler owns the session (10k idle connections stay
//                  small). The worker's sweep enforces the idle timeout.
//            warm: just served a request; holds its buffers and has a read
//                  pending straight into them, so a busy keep-alive
//                  connection costs no epoll_ctl per request. After
//                  kWarmLinger without a byte the sweep turns it cold.
//   busy     a coroutine (serve) reads a request head, routes it, forwards it
//            to an upstream (pooled keep-alive connection), streams the body
//            both ways, retries on legacy when allowed, logs, and loops.
//
// While busy, one timer per session, the watchdog, enforces the one
// deadline the session has at any moment: on expiry it cancels the client
// socket (slowloris, slow body) or the upstream socket (connect or response
// timeout, which may then fall back to legacy). The watchdog ticks at most
// every kWatchdogTick, so moving a deadline later never touches the timer
// queue, and it lets go of the session when the session starts waiting.
//
// No locks and no exceptions on this path: errors come back as
// error_codes via redirect_error; shared state is atomics with relaxed order.
// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/read.hpp>
#include <cstring>
#include <sys/socket.h>

#include "runtime.h"
#include "strangler/forwarding.h"
#include "strangler/http_parser.h"

namespace strangler {
namespace {

using asio::awaitable;
using asio::redirect_error;
using asio::use_awaitable;
using boost::system::error_code;

// Client sockets and session timers use the io_context's own executor rather
// than the type-erased any_io_executor: 8 bytes instead of ~50 in the
// socket, the timer and every pending operation's work guard, which is most
// of what an idle connection costs.
using ClientSocket = asio::basic_stream_socket<tcp, asio::io_context::executor_type>;
using SessionTimer =
    asio::basic_waitable_timer<SteadyClock, asio::wait_traits<SteadyClock>, asio::io_context::executor_type>;

enum class Failure {
  kNone,
  kConnect,   ///< nothing reached the upstream: safe to retry any method
  kTimeout,   ///< no response head in time
  kReset,     ///< connection failed after the request was (partly) sent
  k5xx,       ///< upstream answered 5xx and the caller asked to retry on it
  kProtocol,  ///< upstream broke HTTP
  kClient,    ///< the client went away or broke the body: end the session
  kOverflow,  ///< a new connection was needed at circuit_breaker.max_connections: nothing sent
};

int statusFor(Failure f) {
  switch (f) {
    case Failure::kTimeout: return 504;
    case Failure::kConnect: return 502;
    case Failure::kOverflow: return 503;
    default: return 502;
  }
}

/// A warm session keeps its buffers this long after a response, waiting
/// for the next request on the same connection, before it goes cold.
constexpr std::int64_t kWarmLingerMs = 1000;
/// The sweep of the wait lists (linger, idle timeout) runs this often.
constexpr std::chrono::milliseconds kSweepInterval{100};
/// Longest sleep of a busy session's watchdog (see the file comment).
constexpr std::chrono::milliseconds kWatchdogTick{500};
/// A pooled upstream connection parked for less than this is reused without
/// the liveness probe (a syscall per request otherwise); if the upstream
/// closed it meanwhile, the write or the first read fails and attempt()
/// retries once on a fresh connection.
constexpr std::int64_t kPoolProbeAfterMs = 1000;

/// True if a pooled idle socket is still usable: no EOF, no error, no
/// unexpected bytes waiting (one non-blocking peek).
bool stillAlive(tcp::socket& s) {
  char byte;
  ssize_t n = ::recv(s.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

void recordEndpointError(UpstreamRuntime& up, EndpointRuntime& ep, MetricsRecorder* metrics) {
  const OutlierConfig& o = up.config.outlier;
  std::uint32_t n = ep.consecutive_errors.fetch_add(1, std::memory_order_relaxed) + 1;
  if (o.consecutive_errors != 0 && n >= o.consecutive_errors) {
    ep.consecutive_errors.store(0, std::memory_order_relaxed);
    ep.ejected_until_ms.store(nowMillis() + o.ejection_time.count(), std::memory_order_relaxed);
    if (metrics) metrics->onHealthChange(up.metrics_id, ep.address, false);
  }
}

void recordEndpointStatus(UpstreamRuntime& up, EndpointRuntime& ep, int status, MetricsRecorder* metrics) {
  ep.consecutive_errors.store(0, std::memory_order_relaxed);
  if (status < 500) {
    if (ep.consecutive_5xx.load(std::memory_order_relaxed) != 0) ep.consecutive_5xx.store(0, std::memory_order_relaxed);
    return;
  }
  const OutlierConfig& o = up.config.outlier;
  std::uint32_t n = ep.consecutive_5xx.fetch_add(1, std::memory_order_relaxed) + 1;
  if (o.consecutive_5xx != 0 && n >= o.consecutive_5xx) {
    ep.consecutive_5xx.store(0, std::memory_order_relaxed);
    ep.ejected_until_ms.store(nowMillis() + o.ejection_time.count(), std::memory_order_relaxed);
    if (metrics) metrics->onHealthChange(up.metrics_id, ep.address, false);
  }
}

/// Retry budget of a route: retries < ratio * requests + min_per_second,
/// over the current one-second window (shared by workers, relaxed).
bool budgetAllows(RouteCounters& c, const RetryBudgetConfig& b) {
  std::int64_t second = nowMillis() / 1000;
  if (c.window_second.load(std::memory_order_relaxed) != second) {
    c.window_second.store(second, std::memory_order_relaxed);
    c.window_requests.store(0, std::memory_order_relaxed);
    c.window_retries.store(0, std::memory_order_relaxed);
  }
  double allowed = b.ratio * c.window_requests.load(std::memory_order_relaxed) + b.min_per_second;
  return c.window_retries.load(std::memory_order_relaxed) < allowed;
}

class ClientSession : public std::enable_shared_from_this<ClientSession>, public WaitLink {
 public:
  ClientSession(Worker& worker, ClientSocket socket)
      : worker_(worker), client_(std::move(socket)) {}

  /// Sets the socket up and starts the first (cold) wait for a request.
  void start();
  /// Worker sweep and drain: end the current wait. `go_cold` turns a warm
  /// wait into a cold one; otherwise the connection is closed.
  void endWait(bool go_cold);

 private:
  enum class Phase { kClient, kUpstream };

  /// Per-request facts that outlive one upstream attempt.
  struct Exchange {
    const Snapshot* snap = nullptr;
    const Route* route = nullptr;
    std::size_t head_size = 0;
    std::size_t body_in_buffer = 0;  ///< request body bytes sitting in b_->in after the head
    bool body_complete = false;      ///< whole body is in b_->in (replayable)
    bool body_streamed = false;      ///< we read body bytes beyond b_->in (not replayable)
    bool continue_sent = false;
    std::uint64_t request_bytes = 0;
    std::size_t leftover_offset = 0; ///< where the next pipelined request starts
    std::size_t leftover_in_body = 0;  ///< pipelined bytes at the end of b_->body (streamed case)
    std::size_t leftover_body_offset = 0;
    http::ChunkedDecoder chunked;
    // Outcome.
    int status = 0;
    std::uint64_t response_bytes = 0;
    bool client_keep_alive = true;
    bool response_started = false;
    const EndpointRuntime* endpoint = nullptr;
    int answered_by = -1;
    std::uint64_t upstream_us = 0;
    /// State shadow, sampled: the legacy answer as it streams (shadow_runtime.h).
    std::unique_ptr<ShadowCapture> shadow;
  };

  /// `since_ms`: when the connection became idle (the idle timeout runs
  /// from there, across the warm and the cold wait).
  void waitCold(std::int64_t since_ms);
  void onReadable(const error_code& ec);
  /// The busy shape: serves requests until the connection closes or goes
  /// back to a cold wait. `self` keeps the session alive (the coroutine
  /// starts lazily, after the caller's shared_ptr may be gone).
  awaitable<void> serve(std::shared_ptr<ClientSession> self);
  void close();

  void startWatchdog();
  void onWatchdog();
  awaitable<bool> serveOne();
  awaitable<Failure> attempt(Exchange& ex, int upstream_index, bool retry_on_5xx);
  awaitable<Failure> streamRequestBody(Exchange& ex, tcp::socket& upstream);
  awaitable<Failure> streamResponse(Exchange& ex, UpstreamRuntime& up, EndpointRuntime& ep,
                                    CountedSocket& conn, std::size_t head_size);
  awaitable<void> respond(int status, std::string_view detail, bool keep_alive);

  /// Sets the session's one deadline. Touches the timer only when the new
  /// deadline is earlier than the timer's next tick (or no tick is pending).
  void arm(Millis timeout, Phase phase) {
    deadline_ = SteadyClock::now() + timeout;
    phase_ = phase;
    if (!timer_armed_) startWatchdog();
    else if (deadline_ < timer_at_) timer_->cancel();
  }
  void disarm() { deadline_ = SteadyClock::time_point::max(); }

  Worker& worker_;
  ClientSocket client_;
  /// Created when the session first gets busy; dropped when it goes cold
  /// with no wait pending (a cold connection needs no timer).
  std::unique_ptr<SessionTimer> timer_;
  SteadyClock::time_point deadline_ = SteadyClock::time_point::max();
  SteadyClock::time_point timer_at_ = SteadyClock::time_point::max();  ///< valid while timer_armed_
  Phase phase_ = Phase::kClient;
  bool timer_armed_ = false;
  bool busy_ = false;       ///< serve() runs a request (the watchdog keeps ticking)
  bool go_cold_ = false;    ///< endWait(true) cancelled a warm read
  bool open_ = true;
  bool upstream_timed_out_ = false;
  bool client_timed_out_ = false;
  tcp::socket* upstream_ = nullptr;  ///< socket the upstream deadline applies to

  std::string client_ip_;
  std::size_t in_len_ = 0;    ///< bytes in b_->in
  std::size_t resp_len_ = 0;  ///< bytes in b_->resp
  /// Held while busy, while warm, and while pipelined bytes wait; a cold
  /// keep-alive connection holds none.
  std::unique_ptr<SessionBuffers> b_;
};

void ClientSession::start() {
  Server::Impl& server = worker_.server;
  error_code ec;
  auto remote = client_.remote_endpoint(ec);
  client_ip_ = ec ? std::string("unknown") : remote.address().to_string();
  client_.set_option(tcp::no_delay(true), ec);
  if (auto* m = server.options.metrics) m->onConnectionOpen(worker_.index);
  waitCold(nowMillis());
}

void ClientSession::waitCold(std::int64_t since_ms) {
  if (worker_.server.draining.load(std::memory_order_relaxed) || worker_.server.stopping.load(std::memory_order_relaxed)) {
    close();
    return;
  }
  worker_.cold.pushBack(this, since_ms);
  if (!timer_armed_) timer_.reset();  // else the pending tick drops it (onWatchdog)
  client_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](const error_code& ec) {
    self->onReadable(ec);
  });
}

void ClientSession::onReadable(const error_code& ec) {
  if (list != nullptr) list->erase(this);
  if (ec || !open_ || worker_.server.stopping.load(std::memory_order_relaxed)) {
    close();
    return;
  }
  b_ = worker_.acquireBuffers();
  in_len_ = 0;
  asio::co_spawn(worker_.ioc, serve(shared_from_this()), asio::detached);
}

void ClientSession::endWait(bool go_cold) {
  if (list != nullptr) list->erase(this);
  go_cold_ = go_cold;
  error_code ec;
  client_.cancel(ec);  // the pending wait or read completes with operation_aborted
}

awaitable<void> ClientSession::serve(std::shared_ptr<ClientSession> self) {
  Server::Impl& server = worker_.server;
  error_code ec;
  while (true) {
    busy_ = true;
    bool keep = co_await serveOne();
    busy_ = false;
    disarm();
    if (!keep || server.draining.load(std::memory_order_relaxed) || server.stopping.load(std::memory_order_relaxed))
      break;
    if (in_len_ > 0) continue;  // a pipelined request is already buffered
    // Warm wait: read the next request into the buffer we hold.
    go_cold_ = false;
    std::int64_t idle_since = nowMillis();
    worker_.warm.pushBack(this, idle_since);
    std::size_t n = co_await client_.async_read_some(asio::buffer(b_->in.data(), b_->in.size()),
                                                     redirect_error(use_awaitable, ec));
    if (list != nullptr) list->erase(this);
    if (!ec && n > 0) {
      in_len_ = n;
      continue;
    }
    if (ec == asio::error::operation_aborted && go_cold_ && open_) {
      worker_.releaseBuffers(std::move(b_));
      waitCold(idle_since);
      co_return;
    }
    break;
  }
  close();
}

void ClientSession::close() {
  if (!open_) return;
  open_ = false;
  if (list != nullptr) list->erase(this);
  error_code ec;
  if (timer_) timer_->cancel();
  client_.shutdown(tcp::socket::shutdown_send, ec);
  client_.close(ec);
  if (b_) worker_.releaseBuffers(std::move(b_));
  Server::Impl& server = worker_.server;
  server.connections.fetch_sub(1, std::memory_order_relaxed);
  if (auto* m = server.options.metrics) m->onConnectionClose(worker_.index);
}

void ClientSession::startWatchdog() {
  auto now = SteadyClock::now();
  timer_at_ = std::min(deadline_, now + kWatchdogTick);
  timer_armed_ = true;
  if (!timer_) timer_ = std::make_unique<SessionTimer>(worker_.ioc);
  timer_->expires_at(timer_at_);
  timer_->async_wait([self = shared_from_this()](const error_code&) { self->onWatchdog(); });
}

void ClientSession::onWatchdog() {
  timer_armed_ = false;
  if (!open_ || !busy_) {  // waiting sessions need no timer: let go of the session
    if (list == &worker_.cold) timer_.reset();  // safe: this wait has completed
    return;
  }
  if (SteadyClock::now() >= deadline_) {
    deadline_ = SteadyClock::time_point::max();
    error_code ec;
    if (phase_ == Phase::kUpstream && upstream_ != nullptr) {
      upstream_timed_out_ = true;
      upstream_->cancel(ec);
    } else {
      client_timed_out_ = true;
      client_.cancel(ec);
    }
  }
  startWatchdog();
}

awaitable<void> ClientSession::respond(int status, std::string_view detail, bool keep_alive) {
  b_->client_out.clear();
  appendProxyResponse(status, detail, keep_alive, b_->request_id, b_->client_out);
  error_code ec;
  arm(worker_.cached->config.listener.timeouts.body, Phase::kClient);
  co_await asio::async_write(client_, asio::buffer(b_->client_out), redirect_error(use_awaitable, ec));
}

awaitable<bool> ClientSession::serveOne() {
  std::shared_ptr<const Snapshot> snap = worker_.snapshot();  // kept for this request
  Server::Impl& server = worker_.server;
  const ProxyConfig& cfg = snap->config;
  const Timeouts& to = cfg.listener.timeouts;
  const http::ParseLimits limits{cfg.listener.limits.header_bytes};
  error_code ec;

  if (b_->in.size() < limits.max_head_bytes + 256) b_->in.resize(limits.max_head_bytes + 256);

  // 1. Request head: the head timeout runs from the first byte for the
  // whole head (slowloris cannot extend it by trickling).
  arm(to.header, Phase::kClient);
  auto start = SteadyClock::now();
  http::ParseResult pr;
  while (true) {
    if (in_len_ > 0) {
      pr = http::parseRequestHead(std::string_view(b_->in.data(), in_len_), limits, b_->req);
      if (pr.status != http::ParseStatus::kNeedMore) break;
    }
    std::size_t n = co_await client_.async_read_some(asio::buffer(b_->in.data() + in_len_, b_->in.size() - in_len_),
                                                     redirect_error(use_awaitable, ec));
    if (ec || n == 0) {
      if (client_timed_out_) {
        client_timed_out_ = false;
        co_await respond(408, "request head timeout", false);
      }
      co_return false;
    }
    in_len_ += n;
  }
  auto wall_start = std::chrono::system_clock::now();

  // Request id and trace context, generated when absent.
  b_->request_id.clear();
  if (const http::Header* id = b_->req.find("x-request-id"); id != nullptr && !id->value.empty() && id->value.size() <= 200) {
    b_->request_id.assign(id->value);
  } else {
    appendHex(worker_.random.next(), 16, b_->request_id);
    appendHex(worker_.random.next(), 16, b_->request_id);
  }
  b_->traceparent.clear();
  if (pr.status == http::ParseStatus::kComplete && b_->req.find("traceparent") == nullptr) {
    b_->traceparent.append("00-");
    appendHex(worker_.random.next(), 16, b_->traceparent);
    appendHex(worker_.random.next(), 16, b_->traceparent);
    b_->traceparent.push_back('-');
    appendHex(worker_.random.next(), 16, b_->traceparent);
    b_->traceparent.append("-01");
  }

  if (pr.status == http::ParseStatus::kError) {
    co_await respond(pr.error_status, pr.error, false);
    co_return false;
  }
  if (hasDotSegments(b_->req.path)) {
    co_await respond(400, "dot-segments in path", false);
    co_return false;
  }
  if (b_->req.body == http::BodyKind::kContentLength && b_->req.content_length > cfg.listener.limits.body_bytes) {
    co_await respond(413, "request body too large", false);
    co_return false;
  }

  // 2. Request body already buffered behind the head.
  Exchange ex;
  ex.snap = snap.get();
  ex.head_size = pr.consumed;
  ex.chunked = http::ChunkedDecoder(cfg.listener.limits.body_bytes);
  std::size_t avail = in_len_ - pr.consumed;
  switch (b_->req.body) {
    case http::BodyKind::kNone:
    case http::BodyKind::kUntilClose:
      ex.body_complete = true;
      break;
    case http::BodyKind::kContentLength:
      ex.body_in_buffer = static_cast<std::size_t>(std::min<std::uint64_t>(b_->req.content_length, avail));
      ex.body_complete = ex.body_in_buffer == b_->req.content_length;
      break;
    case http::BodyKind::kChunked: {
      std::size_t used = 0;
      auto r = ex.chunked.feed(std::string_view(b_->in.data() + pr.consumed, avail), used);
      if (r == http::ChunkedDecoder::Result::kError) {
        co_await respond(ex.chunked.errorStatus(), "invalid chunked body", false);
        co_return false;
      }
      ex.body_in_buffer = used;
      ex.body_complete = r == http::ChunkedDecoder::Result::kDone;
      break;
    }
  }
  ex.leftover_offset = pr.consumed + ex.body_in_buffer;

  // 3. Route and choose a side.
  RequestView view{b_->req.method, b_->req.path, b_->req.query, &b_->req};
  const Route* route = snap->routes->match(view);
  ex.route = route;
  int service = -1;
  bool may_fallback = false;
  bool fallback = false;
  int attempts = 0;
  std::int64_t now_ms = nowMillis();
  if (route != nullptr) {
    RouteCounters& c = *route->counters;
    c.requests.fetch_add(1, std::memory_order_relaxed);
    budgetAllows(c, route->config.retry_budget);  // rolls the window
    c.window_requests.fetch_add(1, std::memory_order_relaxed);
    const RouteConfig& rc = route->config;
    switch (rc.state) {
      case RouteState::kLegacy:
        break;
      case RouteState::kShadow:
        // Legacy answers; a sampled copy is mirrored after the response.
        ex.shadow = shadowSample(worker_, *snap, *route, b_->req, client_ip_);
        break;
      case RouteState::kCanary: {
        std::uint32_t bucket;
        std::string_view key;
        bool have_key = false;
        if (rc.sticky.by == StickyBy::kHeader) {
          if (const http::Header* h = b_->req.find(rc.sticky.name)) { key = h->value; have_key = true; }
        } else if (rc.sticky.by == StickyBy::kCookie) {
          if (const http::Header* h = b_->req.find("cookie")) key = findCookie(h->value, rc.sticky.name, have_key);
        } else if (rc.sticky.by == StickyBy::kClientIp) {
          key = client_ip_;
          have_key = true;
        }
        bucket = have_key ? stickyBucket(key) : toBucket(worker_.random.next());
        if (bucketChoosesService(bucket, rc.weight)) service = route->service;
        may_fallback = true;
        break;
      }
      case RouteState::kMigrated:
        service = route->service;
        may_fallback = true;
        break;
      case RouteState::kRetired:
        service = route->service;
        break;
    }
    if (service >= 0) {
      UpstreamRuntime& up = *snap->upstreams[service];
      bool unavailable = up.draining.load(std::memory_order_relaxed) || up.circuitOpen() || !up.anyUsable(now_ms);
      if (unavailable) {
        if (rc.state == RouteState::kRetired) {
          c.errors.fetch_add(1, std::memory_order_relaxed);
          co_await respond(503, "service unavailable", ex.body_complete && b_->req.keep_alive);
          ex.status = 503;
          service = -2;
        } else {
          fallback = up.draining.load(std::memory_order_relaxed) ? false : true;
          if (fallback) c.fallbacks.fetch_add(1, std::memory_order_relaxed);
          service = -1;
        }
      }
    }
    if (service >= 0) c.service_requests.fetch_add(1, std::memory_order_relaxed);
  }

  // 4. Forward, with fallback to legacy when allowed.
  Failure failure = Failure::kNone;
  bool idempotent = http::isIdempotent(b_->req.method);
  if (service != -2) {
    int target = service >= 0 ? service : snap->legacy;
    const FallbackConfig* fb = route ? &route->config.fallback : nullptr;
    bool retry_5xx = service >= 0 && may_fallback && fb->on_5xx && idempotent && ex.body_complete &&
                     budgetAllows(*route->counters, route->config.retry_budget);
    ++attempts;
    failure = co_await attempt(ex, target, retry_5xx);
    if (failure == Failure::kOverflow) {
      // circuit_breaker.max_connections refused a new connection before
      // anything was sent: the breaker's path, not a failed attempt. A
      // canary/migrated route goes to legacy (any method, no retry budget,
      // as for an open breaker above); retired, or legacy itself, is a 503.
      --attempts;
      if (service >= 0 && may_fallback) {
        route->counters->fallbacks.fetch_add(1, std::memory_order_relaxed);
        fallback = true;
        ++attempts;
        failure = co_await attempt(ex, snap->legacy, false);
        if (failure == Failure::kOverflow) --attempts;
      }
    } else if (failure != Failure::kNone && failure != Failure::kClient && service >= 0 && may_fallback &&
               !ex.response_started) {
      bool allowed = false;
      switch (failure) {
        case Failure::kConnect: allowed = fb->on_connect_error; break;  // nothing was sent
        case Failure::kTimeout: allowed = fb->on_timeout && idempotent && !ex.body_streamed; break;
        case Failure::kReset:
        case Failure::kProtocol: allowed = fb->on_connect_error && idempotent && !ex.body_streamed; break;
        case Failure::k5xx: allowed = true; break;  // decided before the attempt
        default: break;
      }
      if (allowed && (failure == Failure::k5xx || budgetAllows(*route->counters, route->config.retry_budget))) {
        route->counters->window_retries.fetch_add(1, std::memory_order_relaxed);
        route->counters->fallbacks.fetch_add(1, std::memory_order_relaxed);
        fallback = true;
        ++attempts;
        failure = co_await attempt(ex, snap->legacy, false);
      }
    }
    if (failure == Failure::kClient) {
      ex.client_keep_alive = false;
    } else if (failure != Failure::kNone && !ex.response_started) {
      ex.status = statusFor(failure);
      ex.client_keep_alive = ex.client_keep_alive && b_->req.keep_alive && ex.body_complete && !ex.body_streamed;
      co_await respond(ex.status,
                       failure == Failure::kTimeout    ? "upstream timeout"
                       : failure == Failure::kOverflow ? "upstream connection limit"
                                                       : "upstream unavailable",
                       ex.client_keep_alive);
    }
    if (route != nullptr && (ex.status >= 500 || ex.status == 0))
      route->counters->errors.fetch_add(1, std::memory_order_relaxed);
  } else {
    ex.client_keep_alive = b_->req.keep_alive && ex.body_complete;
  }

  // Shadow verification and analysis (shadow_dispatch.cc); a route without
  // either costs one index lookup. Runs after the client has its response.
  if (route != nullptr) {
    if (ex.shadow && failure == Failure::kNone && ex.status > 0)
      shadowSubmit(worker_, snap, *route, std::move(ex.shadow), b_->req, b_->out,
                   std::string_view(b_->in.data() + ex.head_size, ex.body_in_buffer), b_->request_id,
                   ex.upstream_us);
    // `fallback` without a service attempt: the service was unavailable
    // (ejected, circuit open); that counts against it too (draining does not).
    bool answered_by_service = ex.answered_by == route->service && !fallback;
    shadowAccount(worker_, *snap, *route, service >= 0 || fallback,
                  fallback || (service >= 0 && (failure != Failure::kNone || ex.status >= 500)), answered_by_service,
                  ex.upstream_us);
  }

  // 5. Account.
  auto end = SteadyClock::now();
  std::uint64_t latency_us = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(end - start).count());
  const UpstreamRuntime* answered = ex.answered_by >= 0 ? snap->upstreams[ex.answered_by].get() : nullptr;
  if (auto* m = server.options.metrics) {
    RequestSample sample;
    sample.route = route ? route->metrics_id : server.unmatched_route_id;
    sample.upstream = answered ? answered->metrics_id : 0;
    sample.status = ex.status;
    sample.latency_us = latency_us;
    sample.fallback = fallback;
    // A connection-limit refusal is the breaker's doing, not an upstream error.
    sample.upstream_error = (failure != Failure::kNone && failure != Failure::kOverflow) || attempts > 1;
    m->onRequest(worker_.index, sample);
  }
  if (auto* log = server.options.access_log) {
    AccessRecord rec;
    rec.start = wall_start;
    rec.request_id = b_->request_id;
    rec.client = client_ip_;
    rec.method = b_->req.method;
    rec.target = b_->req.target;
    rec.route = route ? std::string_view(route->config.name) : std::string_view();
    rec.upstream = answered ? std::string_view(answered->config.name) : std::string_view();
    rec.endpoint = ex.endpoint ? std::string_view(ex.endpoint->address) : std::string_view();
    rec.status = ex.status;
    rec.request_bytes = ex.request_bytes;
    rec.response_bytes = ex.response_bytes;
    rec.duration_us = latency_us;
    rec.upstream_us = ex.upstream_us;
    rec.fallback = fallback;
    rec.attempts = attempts;
    log->log(worker_.index, rec);
  }

  // 6. Keep the pipelined bytes of the next request, if any.
  if (!ex.client_keep_alive || !b_->req.keep_alive) co_return false;
  if (ex.body_streamed) {
    if (b_->in.size() < ex.leftover_in_body) b_->in.resize(ex.leftover_in_body);
    std::memcpy(b_->in.data(), b_->body.data() + ex.leftover_body_offset, ex.leftover_in_body);
    in_len_ = ex.leftover_in_body;
  } else {
    in_len_ -= ex.leftover_offset;
    if (in_len_ > 0) std::memmove(b_->in.data(), b_->in.data() + ex.leftover_offset, in_len_);
  }
  co_return true;
}

awaitable<Failure> ClientSession::attempt(Exchange& ex, int upstream_index, bool retry_on_5xx) {
  UpstreamRuntime& up = *ex.snap->upstreams[upstream_index];
  const Timeouts& to = ex.snap->config.listener.timeouts;
  MetricsRecorder* metrics = worker_.server.options.metrics;
  std::int64_t now_ms = nowMillis();
  bool any_usable = false;
  EndpointRuntime* ep = up.pick(now_ms, any_usable);
  if (ep == nullptr) co_return Failure::kConnect;
  ex.endpoint = ep;
  ex.answered_by = upstream_index;

  // Rewritten head, built once per attempt (cheap) from the parsed request.
  b_->out.clear();
  ForwardInfo info;
  info.client_ip = client_ip_;
  info.request_id = b_->request_id;
  info.traceparent = b_->traceparent;
  appendUpstreamRequestHead(b_->req, info, b_->out);

  up.in_flight.fetch_add(1, std::memory_order_relaxed);
  struct InFlight {
    UpstreamRuntime& up;
    ~InFlight() { up.in_flight.fetch_sub(1, std::memory_order_relaxed); }
  } in_flight{up};

  if (b_->resp.size() < 65536) b_->resp.resize(65536);
  auto& pool = ep->pools[worker_.index].idle;
  CountedSocket conn(worker_.ioc);
  bool reused = false;
  while (!pool.empty()) {
    EndpointRuntime::Pooled parked = std::move(pool.back());
    pool.pop_back();
    // A streamed body cannot be replayed on a fresh connection: probe first.
    bool probe = !ex.body_complete || now_ms - parked.since_ms >= kPoolProbeAfterMs;
    if (!probe || stillAlive(parked.socket.socket())) {
      conn = std::move(parked.socket);
      reused = true;
      break;
    }
  }
  error_code ec;
  auto attempt_start = SteadyClock::now();
  http::ParseResult pr;
  for (int round = 0;; ++round) {
    if (!conn.is_open()) {
      reused = false;
      // circuit_breaker.max_connections: no new connection beyond the limit
      // (a pooled one above was fine). Nothing was sent, nothing is the
      // endpoint's fault: no outlier error.
      if (!conn.reserve(*up.connections, up.maxConnections())) {
        disarm();
        upstream_ = nullptr;
        ex.endpoint = nullptr;
        ex.answered_by = -1;
        co_return Failure::kOverflow;
      }
      upstream_ = &conn.socket();
      upstream_timed_out_ = false;
      arm(to.connect, Phase::kUpstream);
      // Counted as pending (circuit_breaker.max_pending) until connected.
      up.pending.fetch_add(1, std::memory_order_relaxed);
      co_await conn.socket().async_connect(ep->resolved, redirect_error(use_awaitable, ec));
      up.pending.fetch_sub(1, std::memory_order_relaxed);
      if (ec) {
        conn.close(ec);
        disarm();
        upstream_ = nullptr;
        recordEndpointError(up, *ep, metrics);
        co_return Failure::kConnect;
      }
      conn.socket().set_option(tcp::no_delay(true), ec);
    }
    // Head + the body bytes already buffered, in one gather write.
    upstream_ = &conn.socket();
    upstream_timed_out_ = false;
    arm(to.request, Phase::kUpstream);
    std::array<asio::const_buffer, 2> bufs{asio::buffer(b_->out),
                                           asio::buffer(b_->in.data() + ex.head_size, ex.body_in_buffer)};
    co_await asio::async_write(conn.socket(), bufs, redirect_error(use_awaitable, ec));
    if (ec) {
      conn.close(ec);
      if (reused && round == 0) continue;  // stale pooled connection: one fresh try
      disarm();
      upstream_ = nullptr;
      recordEndpointError(up, *ep, metrics);
      co_return upstream_timed_out_ ? Failure::kTimeout : Failure::kReset;
    }
    ex.request_bytes = ex.body_in_buffer;
    if (!ex.body_complete) {
      Failure f = co_await streamRequestBody(ex, conn.socket());
      if (f != Failure::kNone) {
        conn.close(ec);
        disarm();
        upstream_ = nullptr;
        if (f != Failure::kClient) recordEndpointError(up, *ep, metrics);
        co_return f;
      }
    }
    // Response head; interim 1xx responses are swallowed (we answered
    // Expect ourselves); 101 is refused since Upgrade is never forwarded.
    upstream_ = &conn.socket();
    arm(to.request, Phase::kUpstream);
    resp_len_ = 0;
    pr = http::ParseResult{};
    bool retry_fresh = false;
    while (true) {
      if (resp_len_ > 0) {
        pr = http::parseResponseHead(std::string_view(b_->resp.data(), resp_len_), b_->req.method,
                                     http::ParseLimits{b_->resp.size() / 2}, b_->resp_head);
        if (pr.status == http::ParseStatus::kComplete && b_->resp_head.status >= 100 && b_->resp_head.status < 200) {
          if (b_->resp_head.status == 101) {
            pr.status = http::ParseStatus::kError;
            break;
          }
          std::memmove(b_->resp.data(), b_->resp.data() + pr.consumed, resp_len_ - pr.consumed);
          resp_len_ -= pr.consumed;
          continue;
        }
        if (pr.status != http::ParseStatus::kNeedMore) break;
      }
      std::size_t n = co_await conn.socket().async_read_some(
          asio::buffer(b_->resp.data() + resp_len_, b_->resp.size() - resp_len_), redirect_error(use_awaitable, ec));
      if (ec || n == 0) {
        if (!ec) ec = asio::error::eof;
        break;
      }
      resp_len_ += n;
    }
    if (ec) {
      conn.close(ec);
      if (reused && round == 0 && resp_len_ == 0 && !upstream_timed_out_ && !ex.body_streamed) {
        retry_fresh = true;  // the pooled connection was closed under us
      } else {
        disarm();
        upstream_ = nullptr;
        recordEndpointError(up, *ep, metrics);
        co_return upstream_timed_out_ ? Failure::kTimeout : Failure::kReset;
      }
    }
    if (retry_fresh) continue;
    if (pr.status == http::ParseStatus::kError) {
      conn.close(ec);
      disarm();
      upstream_ = nullptr;
      recordEndpointError(up, *ep, metrics);
      co_return Failure::kProtocol;
    }
    break;
  }
  ex.upstream_us = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - attempt_start).count());
  recordEndpointStatus(up, *ep, b_->resp_head.status, metrics);
  if (retry_on_5xx && b_->resp_head.status >= 500) {
    conn.close(ec);
    disarm();
    upstream_ = nullptr;
    co_return Failure::k5xx;
  }
  Failure f = co_await streamResponse(ex, up, *ep, conn, static_cast<std::size_t>(pr.consumed));
  upstream_ = nullptr;
  disarm();
  co_return f;
}

awaitable<Failure> ClientSession::streamRequestBody(Exchange& ex, tcp::socket& upstream) {
  const ProxyConfig& cfg = ex.snap->config;
  error_code ec;
  if (b_->req.expect_continue && !ex.continue_sent && ex.body_in_buffer == 0) {
    static constexpr std::string_view k100 = "HTTP/1.1 100 Continue\r\n\r\n";
    arm(cfg.listener.timeouts.body, Phase::kClient);
    co_await asio::async_write(client_, asio::buffer(k100.data(), k100.size()), redirect_error(use_awaitable, ec));
    if (ec) co_return Failure::kClient;
    ex.continue_sent = true;
  }
  ex.body_streamed = true;
  if (b_->body.size() < 16384) b_->body.resize(16384);
  std::uint64_t cl_left = b_->req.body == http::BodyKind::kContentLength ? b_->req.content_length - ex.body_in_buffer : 0;
  while (true) {
    arm(cfg.listener.timeouts.body, Phase::kClient);
    std::size_t n = co_await client_.async_read_some(asio::buffer(b_->body), redirect_error(use_awaitable, ec));
    if (ec || n == 0) co_return Failure::kClient;
    std::size_t body_part = n;
    bool done = false;
    if (b_->req.body == http::BodyKind::kContentLength) {
      body_part = static_cast<std::size_t>(std::min<std::uint64_t>(cl_left, n));
      cl_left -= body_part;
      done = cl_left == 0;
    } else {
      auto r = ex.chunked.feed(std::string_view(b_->body.data(), n), body_part);
      if (r == http::ChunkedDecoder::Result::kError) {
        co_await respond(ex.chunked.errorStatus(), "invalid chunked body", false);
        ex.status = ex.chunked.errorStatus();
        ex.response_started = true;
        co_return Failure::kClient;
      }
      done = r == http::ChunkedDecoder::Result::kDone;
    }
    ex.request_bytes += body_part;
    if (ex.shadow) ex.shadow->appendRequestBody(b_->body.data(), body_part);  // shadow: keep the body to mirror
    upstream_ = &upstream;
    arm(cfg.listener.timeouts.request, Phase::kUpstream);
    co_await asio::async_write(upstream, asio::buffer(b_->body.data(), body_part), redirect_error(use_awaitable, ec));
    if (ec) co_return upstream_timed_out_ ? Failure::kTimeout : Failure::kReset;
    if (done) {
      ex.leftover_body_offset = body_part;
      ex.leftover_in_body = n - body_part;
      ex.body_complete = true;
      co_return Failure::kNone;
    }
  }
}

awaitable<Failure> ClientSession::streamResponse(Exchange& ex, UpstreamRuntime& up, EndpointRuntime& ep,
                                                 CountedSocket& conn, std::size_t head_size) {
  const ProxyConfig& cfg = ex.snap->config;
  error_code ec;
  const http::ResponseHead& rh = b_->resp_head;
  ex.status = rh.status;
  ex.response_started = true;
  // While draining, the response in flight is the connection's last one.
  bool client_keep = b_->req.keep_alive && rh.body != http::BodyKind::kUntilClose && ex.body_complete &&
                     !worker_.server.draining.load(std::memory_order_relaxed);
  b_->client_out.clear();
  appendClientResponseHead(rh, client_keep, b_->request_id, b_->client_out);

  std::size_t avail = resp_len_ - head_size;
  std::size_t part = 0;
  bool done = false;
  std::uint64_t cl_left = 0;
  http::ChunkedDecoder chunked;
  auto frame = [&](const char* data, std::size_t n) -> bool {
    switch (rh.body) {
      case http::BodyKind::kNone:
        part = 0;
        done = true;
        return n == 0;
      case http::BodyKind::kContentLength:
        part = static_cast<std::size_t>(std::min<std::uint64_t>(cl_left, n));
        cl_left -= part;
        done = cl_left == 0;
        return part == n;
      case http::BodyKind::kChunked: {
        auto r = chunked.feed(std::string_view(data, n), part);
        if (r == http::ChunkedDecoder::Result::kError) return false;
        done = r == http::ChunkedDecoder::Result::kDone;
        return part == n;
      }
      case http::BodyKind::kUntilClose:
        part = n;
        return true;
    }
    return false;
  };
  cl_left = rh.content_length;
  bool clean = frame(b_->resp.data() + head_size, avail);
  if (rh.body == http::BodyKind::kChunked && chunked.errorStatus() != 0) {
    conn.close(ec);
    co_return Failure::kProtocol;
  }
  arm(cfg.listener.timeouts.body, Phase::kClient);
  std::array<asio::const_buffer, 2> bufs{asio::buffer(b_->client_out), asio::buffer(b_->resp.data() + head_size, part)};
  if (ex.shadow) ex.shadow->append(b_->resp.data(), head_size + part);  // shadow: keep legacy's answer
  co_await asio::async_write(client_, bufs, redirect_error(use_awaitable, ec));
  ex.response_bytes = part;
  if (ec) {
    conn.close(ec);
    ex.client_keep_alive = false;
    co_return Failure::kNone;
  }
  while (!done) {
    upstream_ = &conn.socket();
    arm(cfg.listener.timeouts.request, Phase::kUpstream);
    std::size_t n = co_await conn.socket().async_read_some(asio::buffer(b_->resp), redirect_error(use_awaitable, ec));
    if (ec || n == 0) {
      conn.close(ec);
      if (rh.body == http::BodyKind::kUntilClose && !upstream_timed_out_) {
        ex.client_keep_alive = false;
        co_return Failure::kNone;
      }
      // Truncated response: the client must see the connection end.
      recordEndpointError(up, ep, worker_.server.options.metrics);
      ex.client_keep_alive = false;
      co_return Failure::kNone;
    }
    clean = frame(b_->resp.data(), n) && clean;
    if (rh.body == http::BodyKind::kChunked && chunked.errorStatus() != 0) {
      conn.close(ec);
      ex.client_keep_alive = false;
      co_return Failure::kNone;
    }
    arm(cfg.listener.timeouts.body, Phase::kClient);
    if (ex.shadow) ex.shadow->append(b_->resp.data(), part);
    co_await asio::async_write(client_, asio::buffer(b_->resp.data(), part), redirect_error(use_awaitable, ec));
    ex.response_bytes += part;
    if (ec) {
      conn.close(ec);
      ex.client_keep_alive = false;
      co_return Failure::kNone;
    }
  }
  ex.client_keep_alive = client_keep;
  // Back to the pool only when the exchange ended exactly on a message
  // boundary and both sides agreed to keep the connection.
  auto& pool = ep.pools[worker_.index].idle;
  if (clean && rh.keep_alive && b_->req.minor_version >= 1 && pool.size() < up.config.pool.max_idle_per_endpoint &&
      !worker_.server.stopping.load(std::memory_order_relaxed)) {
    pool.push_back(EndpointRuntime::Pooled{std::move(conn), nowMillis()});
  } else {
    conn.close(ec);
  }
  co_return Failure::kNone;
}

awaitable<void> acceptLoop(Worker& worker) {
  Server::Impl& server = worker.server;
  while (true) {
    error_code ec;
    ClientSocket socket(worker.ioc);
    co_await worker.acceptor.async_accept(socket, redirect_error(use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted || server.stopping.load()) co_return;
      continue;  // EMFILE and friends: keep serving the connections we have
    }
    std::int64_t limit = static_cast<std::int64_t>(worker.snapshot()->config.listener.max_connections);
    if (server.connections.fetch_add(1, std::memory_order_relaxed) >= limit) {
      server.connections.fetch_sub(1, std::memory_order_relaxed);
      socket.close(ec);
      continue;
    }
    std::make_shared<ClientSession>(worker, std::move(socket))->start();
  }
}

/// Pooled upstream connections are checked this often by the sweep.
constexpr std::int64_t kPoolSweepIntervalMs = 1000;

/// Evicts pooled upstream connections that the upstream closed (or that have
/// unexpected bytes waiting), among those parked for at least
/// kPoolProbeAfterMs: they stop counting against max_connections and the
/// open-connections gauge follows the upstream's closes. One MSG_PEEK per
/// parked socket per kPoolSweepIntervalMs, off the request path; the pool's
/// order (oldest first) is kept.
void sweepPools(Worker& worker, std::int64_t now_ms) {
  for (const auto& up : worker.snapshot()->upstreams) {
    for (const auto& ep : up->endpoints) {
      std::erase_if(ep->pools[worker.index].idle, [&](EndpointRuntime::Pooled& parked) {
        return now_ms - parked.since_ms >= kPoolProbeAfterMs && !stillAlive(parked.socket.socket());
      });
    }
  }
  worker.shadow->evictClosed();  // the shadow calls' idle sockets count too
}

/// Every kSweepInterval: warm waits past the linger go cold, cold waits past
/// the idle timeout are closed. Both lists are ordered by wait start, except
/// that a connection turning cold keeps its idle start (up to kWarmLingerMs
/// older than its neighbours), so the idle timeout holds within that much.
void scheduleSweep(Worker& worker) {
  worker.sweep_timer.expires_after(kSweepInterval);
  worker.sweep_timer.async_wait([&worker](const error_code& ec) {
    if (ec || worker.server.stopping.load(std::memory_order_relaxed)) return;
    std::int64_t now = nowMillis();
    std::int64_t idle_ms = worker.snapshot()->config.listener.timeouts.idle.count();
    std::int64_t linger_ms = std::min(kWarmLingerMs, idle_ms);
    while (worker.warm.head != nullptr && now - worker.warm.head->since_ms >= linger_ms)
      static_cast<ClientSession*>(worker.warm.head)->endWait(true);
    while (worker.cold.head != nullptr && now - worker.cold.head->since_ms >= idle_ms)
      static_cast<ClientSession*>(worker.cold.head)->endWait(false);
    if (now - worker.pool_sweep_ms >= kPoolSweepIntervalMs) {
      worker.pool_sweep_ms = now;
      sweepPools(worker, now);
    }
    scheduleSweep(worker);
  });
}

void scheduleFlush(Worker& worker) {
  worker.flush_timer.expires_after(std::chrono::milliseconds(100));
  worker.flush_timer.async_wait([&worker](const error_code& ec) {
    if (auto* log = worker.server.options.access_log) log->flush(worker.index);
    if (!ec && !worker.server.stopping.load()) scheduleFlush(worker);
  });
}

}  // namespace

EndpointRuntime* UpstreamRuntime::pick(std::int64_t now_ms, bool& any_usable) {
  std::size_t n = endpoints.size();
  if (n == 0) return nullptr;
  std::uint32_t start = next.fetch_add(1, std::memory_order_relaxed);
  for (std::size_t i = 0; i < n; ++i) {
    EndpointRuntime* ep = endpoints[(start + i) % n].get();
    if (ep->usable(now_ms)) {
      any_usable = true;
      return ep;
    }
  }
  any_usable = false;
  return endpoints[start % n].get();
}

bool UpstreamRuntime::anyUsable(std::int64_t now_ms) const {
  for (const auto& ep : endpoints)
    if (ep->usable(now_ms)) return true;
  return false;
}

Worker::Worker(Server::Impl& s, unsigned i)
    : server(s), index(i), random(0x5eed0000ull + i * 7919 + static_cast<std::uint64_t>(nowMillis())) {}

Status Worker::bind(const tcp::endpoint& endpoint) {
  error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) {
    int one = 1;
    if (::setsockopt(acceptor.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0)
      ec = error_code(errno, boost::system::system_category());
  }
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Status::error("listen on " + endpoint.address().to_string() + ":" +
                               std::to_string(endpoint.port()) + ": " + ec.message());
  return Status::ok();
}

tcp::endpoint Worker::localEndpoint() const {
  error_code ec;
  return acceptor.local_endpoint(ec);
}

const std::shared_ptr<const Snapshot>& Worker::snapshot() {
  std::uint64_t gen = server.generation.load(std::memory_order_acquire);
  if (gen != cached_generation) {
    cached = server.current();
    cached_generation = gen;
  }
  return cached;
}

std::unique_ptr<SessionBuffers> Worker::acquireBuffers() {
  if (free_buffers.empty()) return std::make_unique<SessionBuffers>();
  auto b = std::move(free_buffers.back());
  free_buffers.pop_back();
  return b;
}

void Worker::releaseBuffers(std::unique_ptr<SessionBuffers> buffers) {
  // Bounded: after a burst, memory goes back to the allocator.
  constexpr std::size_t kMaxFree = 256;
  if (free_buffers.size() < kMaxFree) free_buffers.push_back(std::move(buffers));
}

void Worker::run() {
  snapshot();
  asio::co_spawn(ioc, acceptLoop(*this), asio::detached);
  scheduleFlush(*this);
  scheduleSweep(*this);
  ioc.run();
}

void Worker::stop() {
  asio::post(ioc, [this] {
    error_code ec;
    acceptor.close(ec);
    flush_timer.cancel();
    sweep_timer.cancel();
    ioc.stop();
  });
}

void Worker::beginDrain() {
  asio::post(ioc, [this] {
    error_code ec;
    acceptor.close(ec);
    // Waiting sessions close now; busy ones see `draining` after their response.
    while (warm.head != nullptr) static_cast<ClientSession*>(warm.head)->endWait(false);
    while (cold.head != nullptr) static_cast<ClientSession*>(cold.head)->endWait(false);
  });
}

void Worker::clearPools() {
  if (!cached) return;
  for (const auto& up : cached->upstreams)
    for (const auto& ep : up->endpoints) ep->pools[index].idle.clear();
  if (auto snap = server.current())
    for (const auto& up : snap->upstreams)
      for (const auto& ep : up->endpoints) ep->pools[index].idle.clear();
  cached.reset();
}

}  // namespace strangler
