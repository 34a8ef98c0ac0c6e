// Private runtime of shadow verification and automatic rollout: per-route
// counters sharded by worker, the per-worker shadow dispatcher, and the hooks
// the session calls. Not installed.
//
//   session (worker w)                      control thread (every tick)
//   ------------------                      ---------------------------
//   shadowSample() in state shadow          shadow_analysis.cc:
//   ShadowCapture::append() while the         sum shards -> window -> decide()
//     legacy response streams                 -> Server::setRouteRollout (annotated)
//   shadowSubmit() after the response         drain diff outboxes -> state store
//   shadowAccount() for analysed routes
//   ShadowDispatcher (same io_context):
//     queue -> service call (+ 2nd legacy) -> compare -> shard counters
//
// Ownership and threads: ShadowRegistry (in Server::Impl, guarded by
// Impl::mu) owns one RouteShadowState per route name for the life of the
// server, so counters survive reloads and rollout changes. A Snapshot holds a
// ShadowRouteRuntime per route (index = position in RouteTable::routes()).
// A shard is written only by its worker (relaxed single-writer stores) and
// read by the control thread and the admin API. The analysis fields of
// RouteShadowState are touched only by the control thread, except the
// atomics and `event_mu`-guarded text the admin API reads.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "strangler/config.h"
#include "strangler/control.h"
#include "strangler/http_parser.h"
#include "strangler/response_compare.h"
#include "strangler/rollout_policy.h"
#include "upstream_connection.h"

namespace strangler {

struct Snapshot;
struct Route;
class Worker;

enum class ShadowResult : std::uint8_t { kMatch, kMismatch, kNoise, kError, kDropped };
inline constexpr std::size_t kShadowResults = 5;
inline constexpr const char* kShadowResultNames[kShadowResults] = {"match", "mismatch", "noise", "error", "dropped"};

/// Single-writer increment (only the owning worker writes a shard).
inline void bumpCounter(std::atomic<std::uint64_t>& c, std::uint64_t by = 1) {
  c.store(c.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
}

/// One worker's counters for one route. Cumulative: the control thread
/// differences two readings to get a window.
struct alignas(64) RouteShadowShard {
  std::atomic<std::uint64_t> results[kShadowResults] = {};
  std::atomic<std::uint64_t> shadow_service_errors{0};  ///< shadow answers 5xx + errors
  std::atomic<std::uint64_t> service_requests{0};       ///< canary/migrated: first attempt on the service
  std::atomic<std::uint64_t> service_errors{0};
  LatencyHistogram service_latency;  ///< time to response head, service
  LatencyHistogram legacy_latency;   ///< time to response head, legacy
  std::uint64_t pending = 0;         ///< shadow jobs queued or running (this worker only; not read elsewhere)
};

/// A reading of the summed shards at one instant (control thread).
struct ShadowReading {
  std::int64_t at_ms = 0;  ///< steady clock
  std::uint64_t results[kShadowResults] = {};
  std::uint64_t shadow_service_errors = 0;
  std::uint64_t service_requests = 0;
  std::uint64_t service_errors = 0;
  LatencyCounts service_latency{};
  LatencyCounts legacy_latency{};
};

/// Everything kept per route name for the life of the server.
struct RouteShadowState {
  RouteShadowState(std::string route_name, unsigned workers)
      : name(std::move(route_name)), shards(std::make_unique<RouteShadowShard[]>(workers)), worker_count(workers) {}

  const std::string name;
  const std::unique_ptr<RouteShadowShard[]> shards;
  const unsigned worker_count;

  ShadowReading read(std::int64_t at_ms) const;

  // Analysis, control thread only.
  std::deque<ShadowReading> window;         ///< readings, oldest first
  RolloutStep seen_step;                    ///< the step the window belongs to
  bool seen_valid = false;
  std::int64_t step_since_ms = 0;           ///< steady ms when the window restarted

  // Read by the admin API.
  std::atomic<bool> failing{false};
  std::atomic<std::uint64_t> rollbacks{0}, advances{0}, failings{0};
  mutable std::mutex event_mu;
  std::string last_event;  ///< guarded by event_mu
};

/// What a snapshot knows of one route's shadowing (immutable once published).
struct ShadowRouteRuntime {
  std::shared_ptr<RouteShadowState> state;            ///< null: route neither shadowed nor analysed
  std::shared_ptr<const ResponseComparer> comparer;   ///< compiled compare rules
  bool mirror = false;                                ///< state shadow: sample requests
  bool analyse = false;                               ///< analysis section present
};

/// Name -> state, owned by Server::Impl (guarded by Impl::mu).
class ShadowRegistry {
 public:
  explicit ShadowRegistry(unsigned workers) : workers_(workers) {}
  std::shared_ptr<RouteShadowState> get(const std::string& route);
  /// Every state ever created (the control thread walks the snapshot instead).
  std::vector<std::shared_ptr<RouteShadowState>> all() const;

 private:
  unsigned workers_;
  std::map<std::string, std::shared_ptr<RouteShadowState>, std::less<>> states_;
};

/// Builds the snapshot's per-route shadow runtime (publishLocked, mu held).
Status buildShadowRuntime(ShadowRegistry& registry, const Snapshot& snap, std::vector<ShadowRouteRuntime>& out);

/// The legacy response of a sampled request, as it streams to the client,
/// and the part of the request body that streamed (not buffered with the head).
class ShadowCapture {
 public:
  ShadowCapture(std::uint64_t limit, std::uint64_t body_limit) : limit_(limit), body_limit_(body_limit) {}
  /// Raw upstream bytes (head + framed body) in arrival order.
  void append(const char* data, std::size_t n) {
    if (overflow_) return;
    if (raw_.size() + n > limit_) {
      overflow_ = true;
      return;
    }
    raw_.append(data, n);
  }
  std::string& raw() { return raw_; }
  bool overflow() const { return overflow_; }

  /// Request body bytes read after the head (as framed), up to the limit.
  void appendRequestBody(const char* data, std::size_t n) {
    if (body_overflow_) return;
    if (body_.size() + n > body_limit_) {
      body_overflow_ = true;
      body_.clear();
      return;
    }
    body_.append(data, n);
  }
  const std::string& requestBody() const { return body_; }
  bool requestBodyOverflow() const { return body_overflow_; }

 private:
  std::string raw_;
  std::string body_;
  std::uint64_t limit_;
  std::uint64_t body_limit_;
  bool overflow_ = false;
  bool body_overflow_ = false;
};

/// Decodes a complete raw response (head + framed body) into `out`; false
/// when the bytes are not a whole response. `truncated` marks a capture that
/// hit its limit (then only the head is decoded).
bool decodeResponse(std::string_view raw, std::string_view method, bool truncated, CapturedResponse& out);

// ---- hooks called by the session (worker thread) ---------------------------

/// Decides whether this request of a route in state shadow is mirrored; null
/// when not.
std::unique_ptr<ShadowCapture> shadowSample(Worker& worker, const Snapshot& snap, const Route& route,
                                            const http::RequestHead& req, std::string_view client_ip);

/// Queues the mirrored request once the client's response is complete.
/// `upstream_head` is the rewritten head legacy got; `body` the request body
/// bytes that came with the head (the capture holds the rest). A body over
/// `max_body` is not mirrored (counted as dropped).
void shadowSubmit(Worker& worker, const std::shared_ptr<const Snapshot>& snap, const Route& route,
                  std::unique_ptr<ShadowCapture> capture, const http::RequestHead& req,
                  std::string_view upstream_head, std::string_view body, std::string_view request_id,
                  std::uint64_t legacy_us);

/// Counts one finished request of an analysed route (canary/migrated figures
/// and legacy latency). `service_tried`: the first attempt went to the
/// service; `service_failed`: that attempt failed or answered 5xx.
void shadowAccount(Worker& worker, const Snapshot& snap, const Route& route, bool service_tried,
                   bool service_failed, bool answered_by_service, std::uint64_t upstream_us);

/// The runtime of `route` in `snap`, or null when the route has none.
const ShadowRouteRuntime* shadowRuntime(const Snapshot& snap, const Route& route);

/// Per-worker executor of shadow calls; lives in the Worker, runs on its
/// io_context. Shared so that coroutine frames can keep it alive.
class ShadowDispatcher : public std::enable_shared_from_this<ShadowDispatcher> {
 public:
  static constexpr std::size_t kMaxConcurrent = 64;  ///< shadow exchanges in flight per worker
  static constexpr std::size_t kMaxOutbox = 64;      ///< diffs waiting for the control thread
  static constexpr std::size_t kMaxIdlePerEndpoint = 16;

  struct Job {
    std::shared_ptr<const Snapshot> snap;  ///< keeps upstreams and comparer alive
    const ShadowRouteRuntime* runtime = nullptr;
    int service = -1;                      ///< upstream index
    std::string route;
    std::string method;
    std::string head;                      ///< rewritten request head as legacy got it
    std::string body;                      ///< request body bytes (as framed)
    std::string request_id;
    std::string legacy_raw;
    CapturedResponse legacy;
    std::uint64_t legacy_us = 0;
    Millis timeout{2000};
    std::uint64_t max_body = 0;
    bool noise = false;
    std::size_t keep_diffs = 0;
  };

  ShadowDispatcher(boost::asio::io_context& ioc, unsigned worker) : ioc_(ioc), worker_(worker) {}

  /// Worker thread: queue `job` or drop it (counted) when the route's queue is full.
  void submit(std::unique_ptr<Job> job, RouteShadowShard& shard, std::size_t queue_limit);

  /// Control thread: takes the diffs waiting to be stored.
  std::vector<std::pair<ShadowDiffRecord, std::size_t>> takeDiffs();

  /// Worker thread, at stop: closes pooled sockets.
  void clear();
  /// Worker thread (the pool sweep): closes idle sockets the upstream closed.
  void evictClosed();

  // Internals used by the coroutines (worker thread only).
  boost::asio::io_context& ioc() { return ioc_; }
  unsigned worker() const { return worker_; }

 private:
  struct Queued {
    std::unique_ptr<Job> job;
    RouteShadowShard* shard;
  };
  friend struct ShadowRunner;
  boost::asio::io_context& ioc_;
  const unsigned worker_;
  std::deque<Queued> queue_;
  std::size_t running_ = 0;
  /// Idle keep-alive sockets by "upstream address" (still counted against the upstream).
  std::map<std::string, std::vector<CountedSocket>> idle_;

  std::mutex outbox_mu_;  ///< taken by a shadow coroutine on a mismatch and by the control thread
  std::vector<std::pair<ShadowDiffRecord, std::size_t>> outbox_;
};

}  // namespace strangler
