// Private runtime structures of the server: upstream/endpoint state shared by
// workers, the immutable Snapshot, and the per-worker state. Not installed.
//
// Ownership: Server::Impl owns the workers and the current Snapshot; a
// Snapshot owns its UpstreamRuntimes, which own their EndpointRuntimes. An
// EndpointRuntime is reused by the next Snapshot when the upstream name and
// address are unchanged, so keep-alive pools and health verdicts survive a
// reload. Sessions hold a shared_ptr to the Snapshot they started with.
// Open-connection counts are per upstream name for the server's life
// (upstream_connection.h): sockets in a pool may outlive their snapshot.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "strangler/config.h"
#include "strangler/control.h"
#include "strangler/http_parser.h"
#include "strangler/route_table.h"
#include "strangler/selection.h"
#include "strangler/server.h"
#include "shadow_runtime.h"
#include "upstream_connection.h"

namespace strangler {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

inline std::int64_t nowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now().time_since_epoch()).count();
}

/// One upstream endpoint. Atomics are written by workers (outlier detection)
/// and the control thread (health checks); pools[w] only by worker w.
struct EndpointRuntime {
  std::string address;
  tcp::endpoint resolved;
  std::atomic<bool> healthy{true};
  std::atomic<std::int64_t> ejected_until_ms{0};
  std::atomic<std::uint32_t> consecutive_5xx{0};
  std::atomic<std::uint32_t> consecutive_errors{0};

  /// A keep-alive connection parked in a pool, with the time it was parked:
  /// one that sat only briefly is reused without a liveness probe.
  struct Pooled {
    CountedSocket socket;  ///< still counted against its upstream's max_connections
    std::int64_t since_ms;
  };
  struct alignas(64) WorkerPool {
    std::vector<Pooled> idle;
  };
  std::unique_ptr<WorkerPool[]> pools;

  bool usable(std::int64_t now_ms) const {
    return healthy.load(std::memory_order_relaxed) && ejected_until_ms.load(std::memory_order_relaxed) <= now_ms;
  }
};

struct UpstreamRuntime {
  UpstreamConfig config;
  std::uint32_t metrics_id = 0;
  std::vector<std::shared_ptr<EndpointRuntime>> endpoints;
  std::atomic<bool> draining{false};
  std::atomic<std::int64_t> in_flight{0};
  /// Open connections of this upstream name: shared with the previous and
  /// next snapshots, owned by Server::Impl (never null once published).
  UpstreamConnections* connections = nullptr;
  /// Requests waiting for an upstream connection: in this design a request
  /// never queues behind other requests; it waits only while its own TCP
  /// connect is in progress, so this counts connects in progress.
  std::atomic<std::int64_t> pending{0};
  std::atomic<std::uint32_t> next{0};  ///< round-robin cursor

  /// Round-robin over usable endpoints; when none is usable, any endpoint
  /// (better to try than to fail: ejection can be wrong). Null if none.
  EndpointRuntime* pick(std::int64_t now_ms, bool& any_usable);
  bool anyUsable(std::int64_t now_ms) const;
  /// The limits that refuse every request: requests in flight, connects in
  /// progress. `max_connections` refuses only a request that needs a new
  /// connection (a pooled one may still be reused), so it is checked where
  /// the connection is opened (CountedSocket::reserve), not here.
  bool circuitOpen() const {
    return in_flight.load(std::memory_order_relaxed) >= static_cast<std::int64_t>(config.circuit_breaker.max_requests) ||
           pending.load(std::memory_order_relaxed) >= static_cast<std::int64_t>(config.circuit_breaker.max_pending);
  }
  std::int64_t maxConnections() const { return static_cast<std::int64_t>(config.circuit_breaker.max_connections); }
  /// Every connection the limit allows is open (or connecting).
  bool atConnectionLimit() const { return connections->open.load(std::memory_order_relaxed) >= maxConnections(); }
};

/// The configuration in force, frozen.
struct Snapshot {
  ProxyConfig config;
  std::vector<std::shared_ptr<UpstreamRuntime>> upstreams;
  std::map<std::string, int, std::less<>> upstream_index;
  int legacy = 0;
  std::shared_ptr<const RouteTable> routes;
  std::uint64_t generation = 0;
  /// Shadow/analysis runtime per route, same index as routes->routes() (shadow_runtime.h).
  std::vector<ShadowRouteRuntime> shadow;
};

class Worker;

/// Per-request working memory of a client session, recycled through a
/// per-worker free list so the hot path does not allocate and idle
/// keep-alive connections hold nothing.
struct SessionBuffers {
  std::vector<char> in;    ///< request head (+ first body bytes, + pipelined bytes)
  std::vector<char> body;  ///< further request body bytes, streamed
  std::vector<char> resp;  ///< upstream response bytes
  std::string out;         ///< rewritten head towards the upstream
  std::string client_out;  ///< rewritten head towards the client
  std::string request_id;
  std::string traceparent;
  http::RequestHead req;
  http::ResponseHead resp_head;
};

struct Server::Impl {
  /// Open-connection counts by upstream name (upstream_connection.h), never
  /// erased. Declared first so it is destroyed last: after the workers (whose
  /// io_contexts own sessions' sockets), the snapshot and its pools.
  std::map<std::string, std::unique_ptr<UpstreamConnections>, std::less<>> connection_counts;  // guarded by mu
  ServerOptions options;
  unsigned worker_count = 1;
  tcp::endpoint traffic_endpoint;
  std::uint32_t unmatched_route_id = 0;

  // Published configuration (see server.h).
  mutable std::mutex mu;
  std::shared_ptr<const Snapshot> snapshot;  // guarded by mu
  std::map<std::string, RouteRollout> rollouts;  // guarded by mu
  std::map<std::string, std::shared_ptr<RouteCounters>, std::less<>> counters;  // guarded by mu
  std::map<std::string, bool, std::less<>> drained;  // guarded by mu; upstream -> draining
  std::unique_ptr<ShadowRegistry> shadow_registry;  // guarded by mu; created with the workers' count
  std::atomic<std::uint64_t> generation{0};

  std::atomic<std::int64_t> connections{0};
  std::atomic<bool> stopping{false};
  /// Graceful shutdown in progress: no new connections, idle ones closed,
  /// busy ones closed after their current response (see drainAndStop()).
  std::atomic<bool> draining{false};

  std::vector<std::unique_ptr<Worker>> workers;
  std::vector<std::thread> threads;

  // Control thread: admin listener, health checks, reload triggers, signals.
  asio::io_context control_ioc{1};
  std::unique_ptr<tcp::acceptor> admin_acceptor;
  AdminHandler* admin_handler = nullptr;
  std::thread control_thread;

  std::mutex stop_mu;
  std::condition_variable stop_cv;
  bool stop_requested = false;  // guarded by stop_mu
  bool started = false;
  bool stopped = false;

  std::shared_ptr<const Snapshot> current() const {
    std::lock_guard<std::mutex> lock(mu);
    return snapshot;
  }
  /// Builds and publishes a snapshot from `config` + rollouts (mu held by caller).
  Status publishLocked(const ProxyConfig& config);
  void requestStop();
};

/// Intrusive hook of a client session in one of its worker's wait lists.
/// A session waiting for its next request sits in exactly one list; the
/// lists are ordered by `since_ms` because entries are appended when their
/// wait starts, so the sweep only looks at the front.
struct WaitLink {
  WaitLink* prev = nullptr;
  WaitLink* next = nullptr;
  struct WaitList* list = nullptr;
  std::int64_t since_ms = 0;
};

struct WaitList {
  WaitLink* head = nullptr;
  WaitLink* tail = nullptr;
  std::size_t size = 0;

  void pushBack(WaitLink* link, std::int64_t now_ms) {
    link->since_ms = now_ms;
    link->list = this;
    link->prev = tail;
    link->next = nullptr;
    if (tail) tail->next = link;
    else head = link;
    tail = link;
    ++size;
  }
  void erase(WaitLink* link) {
    if (link->prev) link->prev->next = link->next;
    else head = link->next;
    if (link->next) link->next->prev = link->prev;
    else tail = link->prev;
    link->prev = link->next = nullptr;
    link->list = nullptr;
    --size;
  }
};

/// One event-loop thread: its acceptor, its sessions, its share of the pools.
class Worker {
 public:
  Worker(Server::Impl& server, unsigned index);
  Status bind(const tcp::endpoint& endpoint);  ///< SO_REUSEPORT acceptor
  tcp::endpoint localEndpoint() const;
  void run();            ///< on the worker thread
  void stop();           ///< any thread: closes the acceptor, stops the loop soon
  /// Any thread: stop accepting and close every connection waiting for a
  /// request; busy sessions close after their current response.
  void beginDrain();
  void clearPools();     ///< after the thread exited

  /// The snapshot in force, refreshed when the generation moved (worker thread).
  const std::shared_ptr<const Snapshot>& snapshot();

  /// Free list of SessionBuffers (worker thread only, no lock).
  std::unique_ptr<SessionBuffers> acquireBuffers();
  void releaseBuffers(std::unique_ptr<SessionBuffers> buffers);
  std::vector<std::unique_ptr<SessionBuffers>> free_buffers;

  Server::Impl& server;
  const unsigned index;
  asio::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  FastRandom random;
  std::shared_ptr<const Snapshot> cached;
  std::uint64_t cached_generation = ~0ull;
  asio::steady_timer flush_timer{ioc};
  /// Mirrors requests of routes in state shadow (shadow_dispatch.cc).
  std::shared_ptr<ShadowDispatcher> shadow = std::make_shared<ShadowDispatcher>(ioc, index);

  /// Sessions waiting for their next request (worker thread only). `warm`
  /// ones still hold their buffers and have a read pending straight into
  /// them (no epoll_ctl per request); after kWarmLinger without a byte they
  /// go `cold`: buffers back to the free list, a buffer-less readiness wait.
  /// The sweep timer enforces the linger and the idle timeout for both, so
  /// a waiting session has no timer of its own armed.
  WaitList warm;
  WaitList cold;
  asio::steady_timer sweep_timer{ioc};
  std::int64_t pool_sweep_ms = 0;  ///< last sweep of the idle upstream connections (worker thread)
};

}  // namespace strangler
