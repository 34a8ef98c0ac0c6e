// Shadow verification on the data plane: sampling, capture of the legacy
// answer, the per-worker dispatcher that mirrors requests to the service,
// comparison and per-worker counters. See shadow_runtime.h for the threads
// and docs/strangler-config.md ("shadow") for the behaviour.
//
// The client's path only pays, for a sampled request, a copy of the legacy
// response bytes and one queue push; everything else runs later on the same
// worker's io_context as separate coroutines, so a slow or dead service never
// delays a client: its calls time out in the background, the per-route queue
// fills, and further copies are dropped (counted).
// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <algorithm>
#include <cctype>
#include <sys/socket.h>

#include "runtime.h"
#include "shadow_runtime.h"
#include "strangler/state_store.h"  // nowUnixMillis

namespace strangler {
namespace {

using asio::awaitable;
using asio::redirect_error;
using asio::use_awaitable;
using boost::system::error_code;

constexpr std::size_t kHeadAllowance = 65536;  ///< response head bytes on top of max_body

bool pooledSocketAlive(tcp::socket& s) {
  char byte;
  ssize_t n = ::recv(s.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

/// Moves the newest live socket of `idle` into `out` (dead ones are closed
/// on the way); false when none is left.
bool takeIdle(std::vector<CountedSocket>& idle, CountedSocket& out) {
  while (!idle.empty()) {
    CountedSocket s = std::move(idle.back());
    idle.pop_back();
    if (pooledSocketAlive(s.socket())) {
      out = std::move(s);
      return true;
    }
  }
  return false;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

/// Inserts one header field before the blank line that ends `head`.
std::string withField(std::string_view head, std::string_view field) {
  std::string out;
  out.reserve(head.size() + field.size() + 2);
  std::size_t end = head.size() >= 2 ? head.size() - 2 : head.size();
  out.append(head.substr(0, end));
  out.append(field);
  out.append("\r\n");
  out.append(head.substr(end));
  return out;
}

std::string prefix(std::string_view s, std::size_t n) {
  if (s.size() <= n) return std::string(s);
  return std::string(s.substr(0, n)) + "\n[... " + std::to_string(s.size() - n) + " more bytes]";
}

/// "HTTP/1.1 200\r\nname: value\r\n...\r\n\r\n" + body prefix, for stored diffs.
std::string describe(const CapturedResponse& r) {
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + "\r\n";
  for (const auto& [n, v] : r.headers) out += n + ": " + v + "\r\n";
  out += "\r\n";
  out += r.truncated ? std::string("[body over the capture limit]") : prefix(r.body, ShadowDiffRecord::kBodyBytes);
  return out;
}

/// One shadow HTTP exchange: its socket and deadline. Shared with the timer
/// handler, which may run after the coroutine moved on.
struct ShadowIo {
  explicit ShadowIo(asio::io_context& ioc) : socket(ioc), timer(ioc) {}
  CountedSocket socket;  ///< counted against the upstream's max_connections like a session's
  asio::steady_timer timer;
  bool timed_out = false;
};

struct ShadowAnswer {
  bool ok = false;
  bool overflow = false;  ///< not sent: a new connection was needed at circuit_breaker.max_connections
  std::string error;
  CapturedResponse response;
  std::uint64_t us = 0;  ///< request sent -> response head (the figure compared with legacy's)
};

}  // namespace

// ---- counters and registry ---------------------------------------------------

ShadowReading RouteShadowState::read(std::int64_t at_ms) const {
  ShadowReading r;
  r.at_ms = at_ms;
  for (unsigned w = 0; w < worker_count; ++w) {
    const RouteShadowShard& s = shards[w];
    for (std::size_t i = 0; i < kShadowResults; ++i) r.results[i] += s.results[i].load(std::memory_order_relaxed);
    r.shadow_service_errors += s.shadow_service_errors.load(std::memory_order_relaxed);
    r.service_requests += s.service_requests.load(std::memory_order_relaxed);
    r.service_errors += s.service_errors.load(std::memory_order_relaxed);
    for (std::size_t b = 0; b < LatencyHistogram::kBuckets; ++b) {
      r.service_latency[b] += s.service_latency.counts[b].load(std::memory_order_relaxed);
      r.legacy_latency[b] += s.legacy_latency.counts[b].load(std::memory_order_relaxed);
    }
  }
  return r;
}

std::shared_ptr<RouteShadowState> ShadowRegistry::get(const std::string& route) {
  auto it = states_.find(route);
  if (it != states_.end()) return it->second;
  auto state = std::make_shared<RouteShadowState>(route, workers_);
  states_.emplace(route, state);
  return state;
}

std::vector<std::shared_ptr<RouteShadowState>> ShadowRegistry::all() const {
  std::vector<std::shared_ptr<RouteShadowState>> out;
  for (const auto& [name, state] : states_) out.push_back(state);
  return out;
}

Status buildShadowRuntime(ShadowRegistry& registry, const Snapshot& snap, std::vector<ShadowRouteRuntime>& out) {
  const std::vector<Route>& routes = snap.routes->routes();
  out.assign(routes.size(), ShadowRouteRuntime{});
  for (std::size_t i = 0; i < routes.size(); ++i) {
    const Route& r = routes[i];
    bool mirror = r.config.state == RouteState::kShadow && r.service >= 0;
    bool analyse = r.config.analysis.enabled && r.service >= 0;
    if (!mirror && !analyse) continue;
    ShadowRouteRuntime& rt = out[i];
    rt.state = registry.get(r.config.name);
    rt.mirror = mirror;
    rt.analyse = analyse;
    if (mirror) {
      auto comparer = ResponseComparer::compile(r.config.shadow.compare);
      if (!comparer) return Status::error("route '" + r.config.name + "': " + comparer.error());
      rt.comparer = std::move(*comparer);
    }
  }
  return Status::ok();
}

const ShadowRouteRuntime* shadowRuntime(const Snapshot& snap, const Route& route) {
  const std::vector<Route>& routes = snap.routes->routes();
  if (routes.empty() || &route < routes.data() || &route >= routes.data() + routes.size()) return nullptr;
  auto index = static_cast<std::size_t>(&route - routes.data());
  if (index >= snap.shadow.size() || !snap.shadow[index].state) return nullptr;
  return &snap.shadow[index];
}

bool decodeResponse(std::string_view raw, std::string_view method, bool truncated, CapturedResponse& out) {
  http::ResponseHead head;
  http::ParseResult pr;
  while (true) {
    pr = http::parseResponseHead(raw, method, http::ParseLimits{kHeadAllowance}, head);
    if (pr.status != http::ParseStatus::kComplete) {
      if (!truncated) return false;
      break;
    }
    if (head.status >= 100 && head.status < 200 && head.status != 101) {
      raw.remove_prefix(pr.consumed);  // interim response
      continue;
    }
    break;
  }
  if (pr.status != http::ParseStatus::kComplete) return false;
  out.status = head.status;
  out.headers.clear();
  for (std::size_t i = 0; i < head.header_count; ++i)
    out.headers.emplace_back(lower(head.headers[i].name), std::string(head.headers[i].value));
  out.body.clear();
  out.truncated = truncated;
  if (truncated) return true;
  std::string_view body = raw.substr(pr.consumed);
  switch (head.body) {
    case http::BodyKind::kNone:
      return true;
    case http::BodyKind::kContentLength:
      if (body.size() < head.content_length) return false;
      out.body.assign(body.substr(0, static_cast<std::size_t>(head.content_length)));
      return true;
    case http::BodyKind::kChunked:
      return decodeChunked(body, out.body);
    case http::BodyKind::kUntilClose:
      out.body.assign(body);
      return true;
  }
  return false;
}

// ---- session hooks -----------------------------------------------------------

std::unique_ptr<ShadowCapture> shadowSample(Worker& worker, const Snapshot& snap, const Route& route,
                                            const http::RequestHead& req, std::string_view client_ip) {
  const ShadowRouteRuntime* rt = shadowRuntime(snap, route);
  if (rt == nullptr || !rt->mirror) return nullptr;
  const ShadowConfig& sc = route.config.shadow;
  bool allowed = sc.methods.empty()
                     ? req.method == "GET" || req.method == "HEAD" || req.method == "OPTIONS"
                     : std::find(sc.methods.begin(), sc.methods.end(), req.method) != sc.methods.end();
  if (!allowed || sc.percent == 0) return nullptr;
  if (sc.percent < 10000) {
    std::string_view key;
    bool have_key = false;
    if (sc.sticky.by == StickyBy::kHeader) {
      if (const http::Header* h = req.find(sc.sticky.name)) {
        key = h->value;
        have_key = true;
      }
    } else if (sc.sticky.by == StickyBy::kCookie) {
      if (const http::Header* h = req.find("cookie")) key = findCookie(h->value, sc.sticky.name, have_key);
    } else if (sc.sticky.by == StickyBy::kClientIp) {
      key = client_ip;
      have_key = true;
    }
    std::uint32_t bucket = have_key ? stickyBucket(key) : toBucket(worker.random.next());
    if (!bucketChoosesService(bucket, sc.percent)) return nullptr;
  }
  return std::make_unique<ShadowCapture>(sc.max_body + kHeadAllowance, sc.max_body);
}

void shadowSubmit(Worker& worker, const std::shared_ptr<const Snapshot>& snap, const Route& route,
                  std::unique_ptr<ShadowCapture> capture, const http::RequestHead& req,
                  std::string_view upstream_head, std::string_view body, std::string_view request_id,
                  std::uint64_t legacy_us) {
  const ShadowRouteRuntime* rt = shadowRuntime(*snap, route);
  if (rt == nullptr || !rt->mirror || !capture) return;
  RouteShadowShard& shard = rt->state->shards[worker.index];
  const ShadowConfig& sc = route.config.shadow;
  if (capture->requestBodyOverflow() || body.size() + capture->requestBody().size() > sc.max_body) {
    bumpCounter(shard.results[static_cast<std::size_t>(ShadowResult::kDropped)]);  // body too long to keep
    return;
  }
  auto job = std::make_unique<ShadowDispatcher::Job>();
  if (!decodeResponse(capture->raw(), req.method, capture->overflow(), job->legacy)) {
    bumpCounter(shard.results[static_cast<std::size_t>(ShadowResult::kError)]);
    return;
  }
  job->snap = snap;
  job->runtime = rt;
  job->service = route.service;
  job->route = route.config.name;
  job->method.assign(req.method);
  job->head.assign(upstream_head);
  job->body.assign(body);
  job->body.append(capture->requestBody());
  job->request_id.assign(request_id);
  job->legacy_us = legacy_us;
  job->timeout = sc.timeout;
  job->max_body = sc.max_body;
  job->noise = sc.compare.noise_detection;
  job->keep_diffs = sc.keep_diffs;
  worker.shadow->submit(std::move(job), shard, sc.queue);
}

void shadowAccount(Worker& worker, const Snapshot& snap, const Route& route, bool service_tried,
                   bool service_failed, bool answered_by_service, std::uint64_t upstream_us) {
  const ShadowRouteRuntime* rt = shadowRuntime(snap, route);
  if (rt == nullptr || !rt->analyse) return;
  // In shadow the figures come from the shadow calls themselves.
  if (route.config.state == RouteState::kShadow) return;
  RouteShadowShard& shard = rt->state->shards[worker.index];
  if (service_tried) {
    bumpCounter(shard.service_requests);
    if (service_failed) bumpCounter(shard.service_errors);
  }
  if (upstream_us != 0) (answered_by_service ? shard.service_latency : shard.legacy_latency).record(upstream_us);
}

// ---- the dispatcher ------------------------------------------------------------

/// The coroutines of a dispatcher (a struct so it can be the dispatcher's friend).
struct ShadowRunner {
  static awaitable<void> run(std::shared_ptr<ShadowDispatcher> self);
  static awaitable<void> process(ShadowDispatcher& d, ShadowDispatcher::Job& job, RouteShadowShard& shard);
  static awaitable<ShadowAnswer> exchange(ShadowDispatcher& d, const ShadowDispatcher::Job& job, int upstream,
                                          const std::string& request);
};

void ShadowDispatcher::submit(std::unique_ptr<Job> job, RouteShadowShard& shard, std::size_t queue_limit) {
  if (shard.pending >= queue_limit) {
    bumpCounter(shard.results[static_cast<std::size_t>(ShadowResult::kDropped)]);
    return;
  }
  ++shard.pending;
  queue_.push_back(Queued{std::move(job), &shard});
  if (running_ < kMaxConcurrent) {
    ++running_;
    asio::co_spawn(ioc_, ShadowRunner::run(shared_from_this()), asio::detached);
  }
}

std::vector<std::pair<ShadowDiffRecord, std::size_t>> ShadowDispatcher::takeDiffs() {
  std::lock_guard<std::mutex> lock(outbox_mu_);
  std::vector<std::pair<ShadowDiffRecord, std::size_t>> out;
  out.swap(outbox_);
  return out;
}

void ShadowDispatcher::clear() { idle_.clear(); }

void ShadowDispatcher::evictClosed() {
  for (auto& [key, sockets] : idle_)
    std::erase_if(sockets, [](CountedSocket& s) { return !pooledSocketAlive(s.socket()); });
}

awaitable<void> ShadowRunner::run(std::shared_ptr<ShadowDispatcher> self) {
  ShadowDispatcher& d = *self;
  while (!d.queue_.empty()) {
    ShadowDispatcher::Queued q = std::move(d.queue_.front());
    d.queue_.pop_front();
    co_await process(d, *q.job, *q.shard);
    --q.shard->pending;
  }
  --d.running_;
}

awaitable<void> ShadowRunner::process(ShadowDispatcher& d, ShadowDispatcher::Job& job, RouteShadowShard& shard) {
  auto count = [&shard](ShadowResult r) { bumpCounter(shard.results[static_cast<std::size_t>(r)]); };
  // The service can tell a mirrored request by X-Strangler-Shadow.
  std::string request = withField(job.head, "X-Strangler-Shadow: 1") + job.body;
  ShadowAnswer answer = co_await exchange(d, job, job.service, request);
  if (answer.overflow) {
    // The service is at its connection limit: the copy never reached it, so
    // it is neither a service error nor a latency sample.
    count(ShadowResult::kDropped);
    co_return;
  }
  shard.service_latency.record(answer.us);
  shard.legacy_latency.record(job.legacy_us);
  if (!answer.ok) {
    bumpCounter(shard.shadow_service_errors);
    count(ShadowResult::kError);
    co_return;
  }
  if (answer.response.status >= 500) bumpCounter(shard.shadow_service_errors);
  if (answer.response.truncated || job.legacy.truncated) {
    count(ShadowResult::kError);  // over max_body: not comparable
    co_return;
  }
  std::vector<Difference> diffs = job.runtime->comparer->compare(job.legacy, answer.response);
  if (diffs.empty()) {
    count(ShadowResult::kMatch);
    co_return;
  }
  if (job.noise) {
    // A second legacy answer: what differs between the two legacy answers
    // is noise. Only made when the service's answer differs.
    std::string again = withField(job.head, "X-Strangler-Shadow: noise") + job.body;
    ShadowAnswer second = co_await exchange(d, job, job.snap->legacy, again);
    if (second.ok && !second.response.truncated) {
      removeNoise(diffs, job.runtime->comparer->compare(job.legacy, second.response));
      if (diffs.empty()) {
        count(ShadowResult::kNoise);
        co_return;
      }
    }
  }
  count(ShadowResult::kMismatch);
  if (job.keep_diffs == 0) co_return;
  ShadowDiffRecord rec;
  rec.route = job.route;
  rec.at_ms = nowUnixMillis();
  rec.request_id = job.request_id;
  rec.request = withField(job.head, "X-Strangler-Shadow: 1") + prefix(job.body, ShadowDiffRecord::kBodyBytes);
  rec.legacy = describe(job.legacy);
  rec.service = describe(answer.response);
  rec.differences = std::move(diffs);
  std::lock_guard<std::mutex> lock(d.outbox_mu_);
  if (d.outbox_.size() < ShadowDispatcher::kMaxOutbox) d.outbox_.emplace_back(std::move(rec), job.keep_diffs);
}

// GCC 12 reports -Wmismatched-new-delete for this coroutine's frame (Asio's
// recycling allocator: operator new and the matching operator delete of
// awaitable_frame_base, inlined differently); a false positive that depends
// on the frame's layout. Nothing here allocates a frame by hand.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
awaitable<ShadowAnswer> ShadowRunner::exchange(ShadowDispatcher& d, const ShadowDispatcher::Job& job, int upstream,
                                               const std::string& request) {
  ShadowAnswer answer;
  UpstreamRuntime& up = *job.snap->upstreams[static_cast<std::size_t>(upstream)];
  bool any_usable = false;
  EndpointRuntime* ep = up.pick(nowMillis(), any_usable);
  if (ep == nullptr) {
    answer.error = "no endpoint";
    co_return answer;
  }
  auto io = std::make_shared<ShadowIo>(d.ioc());
  io->timer.expires_after(job.timeout);
  io->timer.async_wait([io](const error_code& ec) {
    if (ec) return;  // cancelled: the exchange ended in time
    io->timed_out = true;
    error_code ignored;
    io->socket.close(ignored);
  });
  struct CancelTimer {
    ShadowIo& io;
    ~CancelTimer() { io.timer.cancel(); }
  } cancel_timer{*io};

  auto start = SteadyClock::now();
  auto elapsed_us = [&start] {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - start).count());
  };
  const std::uint64_t limit = job.max_body + kHeadAllowance;
  std::string raw;
  error_code ec;
  for (int round = 0; round < 2; ++round) {
    if (io->timed_out) break;  // the deadline passed: no new connect without one
    // By upstream and address: an idle socket stays counted against the
    // upstream that opened it, so it is only reused for that upstream.
    auto& idle = d.idle_[up.config.name + ' ' + ep->address];
    bool reused = takeIdle(idle, io->socket);
    if (!reused) {
      io->socket = CountedSocket(d.ioc());
      if (!io->socket.reserve(*up.connections, up.maxConnections())) {
        answer.overflow = true;
        break;
      }
      co_await io->socket.socket().async_connect(ep->resolved, redirect_error(use_awaitable, ec));
      if (ec) break;
      io->socket.socket().set_option(tcp::no_delay(true), ec);
      ec.clear();
    }
    co_await asio::async_write(io->socket.socket(), asio::buffer(request), redirect_error(use_awaitable, ec));
    raw.clear();
    http::ResponseHead head;
    http::ParseResult pr;
    bool head_done = false;
    bool truncated = false;
    bool body_done = false;
    std::uint64_t need = 0;  // content-length: total raw bytes wanted
    http::ChunkedDecoder chunked;
    std::size_t fed = 0;  // raw bytes already given to `chunked`
    char buf[16384];
    while (!ec) {
      if (!head_done && !raw.empty()) {
        pr = http::parseResponseHead(raw, job.method, http::ParseLimits{kHeadAllowance}, head);
        if (pr.status == http::ParseStatus::kError) {
          ec = asio::error::invalid_argument;
          break;
        }
        if (pr.status == http::ParseStatus::kComplete && head.status >= 100 && head.status < 200 && head.status != 101) {
          raw.erase(0, pr.consumed);  // interim response
          continue;
        }
        if (pr.status == http::ParseStatus::kComplete) {
          head_done = true;
          answer.us = elapsed_us();
          fed = pr.consumed;
          need = pr.consumed + head.content_length;
        }
      }
      if (head_done) {
        if (head.body == http::BodyKind::kNone) body_done = true;
        if (head.body == http::BodyKind::kContentLength && raw.size() >= need) body_done = true;
        if (head.body == http::BodyKind::kChunked && fed < raw.size()) {
          std::size_t used = 0;
          auto r = chunked.feed(std::string_view(raw).substr(fed), used);
          fed += used;
          if (r == http::ChunkedDecoder::Result::kError) {
            ec = asio::error::invalid_argument;
            break;
          }
          if (r == http::ChunkedDecoder::Result::kDone) body_done = true;
        }
        if (body_done) break;
        if (raw.size() > limit || (head.body == http::BodyKind::kContentLength && need > limit)) {
          truncated = true;
          break;
        }
      }
      std::size_t n = co_await io->socket.socket().async_read_some(asio::buffer(buf), redirect_error(use_awaitable, ec));
      if (ec == asio::error::eof && head_done && head.body == http::BodyKind::kUntilClose) {
        ec.clear();
        raw.append(buf, n);
        body_done = true;
        break;
      }
      if (!ec && n == 0) ec = asio::error::eof;
      if (!ec) raw.append(buf, n);
    }
    if (ec && reused && round == 0 && raw.empty() && !io->timed_out) {
      ec.clear();  // a pooled connection the service had closed: one fresh try
      error_code ignored;
      io->socket.close(ignored);
      continue;
    }
    if (ec) break;
    if (!decodeResponse(raw, job.method, truncated, answer.response)) {
      ec = asio::error::invalid_argument;
      break;
    }
    answer.ok = true;
    // Keep the connection for the next shadow call when it ended cleanly.
    bool clean = !truncated && head.keep_alive && head.body != http::BodyKind::kUntilClose &&
                 (head.body != http::BodyKind::kContentLength || raw.size() == need) &&
                 (head.body != http::BodyKind::kChunked || fed == raw.size());
    if (clean && idle.size() < ShadowDispatcher::kMaxIdlePerEndpoint && !io->timed_out)
      idle.push_back(std::move(io->socket));
    break;
  }
  if (!answer.ok) {
    answer.us = elapsed_us();
    answer.error = answer.overflow ? "connection limit" : io->timed_out ? "timeout" : ec ? ec.message() : "failed";
  }
  error_code ignored;
  io->socket.close(ignored);  // unless parked above: gives the connection's count back now
  co_return answer;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

}  // namespace strangler
