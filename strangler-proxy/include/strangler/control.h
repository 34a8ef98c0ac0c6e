// Runtime interfaces between the data plane (server, workers) and the
// control plane (metrics registry, access log, rollout state store, admin
// API). The data plane calls the first three on its hot path or near it; the
// control plane implements them. ProxyControl is the reverse direction: the
// data plane implements it and the admin API calls it.
//
// Threading: the server runs N workers, each one thread with its own event
// loop, numbered 0..N-1. Calls that take `worker` are only ever made from that
// worker's thread, so an implementation can keep per-worker shards without
// locks (setWorkers() is called once before any worker starts).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "strangler/config.h"
#include "strangler/status.h"

namespace strangler {

/// One finished client request as the metrics see it.
struct RequestSample {
  std::uint32_t route = 0;     ///< MetricsRecorder::routeId(); id of "<unmatched>" when none
  std::uint32_t upstream = 0;  ///< MetricsRecorder::upstreamId() of the upstream that answered
  int status = 0;              ///< status sent to the client; 0 = connection failed before a status
  std::uint64_t latency_us = 0;
  bool fallback = false;       ///< answered by legacy after a failed service attempt
  bool upstream_error = false; ///< an upstream attempt failed (connect, timeout, reset, 5xx)
};

/// Prometheus figures. Implementations must not block in the on* calls.
class MetricsRecorder {
 public:
  virtual ~MetricsRecorder() = default;
  /// Called once before workers start.
  virtual void setWorkers(unsigned count) = 0;
  /// Off the hot path (route table build, any thread): a stable small id for a
  /// name; the same name maps to the same id for the life of the recorder.
  virtual std::uint32_t routeId(std::string_view route) = 0;
  virtual std::uint32_t upstreamId(std::string_view upstream) = 0;
  /// Hot path, from `worker`'s thread only.
  virtual void onRequest(unsigned worker, const RequestSample& sample) = 0;
  virtual void onConnectionOpen(unsigned worker) = 0;
  virtual void onConnectionClose(unsigned worker) = 0;
  /// Any thread (health checker / outlier detector), rare.
  virtual void onHealthChange(std::uint32_t upstream, std::string_view endpoint, bool healthy) = 0;
};

/// One access-log line (JSON). Views are valid only during log().
struct AccessRecord {
  std::chrono::system_clock::time_point start;
  std::string_view request_id;
  std::string_view client;    ///< peer address
  std::string_view method;
  std::string_view target;    ///< request-target as received
  std::string_view route;     ///< route name, "" when unmatched
  std::string_view upstream;  ///< upstream that answered
  std::string_view endpoint;  ///< host:port that answered
  int status = 0;
  std::uint64_t request_bytes = 0;   ///< body bytes from the client
  std::uint64_t response_bytes = 0;  ///< body bytes to the client
  std::uint64_t duration_us = 0;     ///< first byte in to last byte out
  std::uint64_t upstream_us = 0;     ///< upstream connect+response head
  bool fallback = false;
  int attempts = 1;
};

/// Access log. log() is called on the hot path from `worker`'s thread and
/// must only format into a per-worker buffer; flush() is called by the same
/// worker's loop every ~100 ms and at shutdown and may write(2).
class AccessLogSink {
 public:
  virtual ~AccessLogSink() = default;
  virtual void setWorkers(unsigned count) = 0;
  virtual void log(unsigned worker, const AccessRecord& record) = 0;
  virtual void flush(unsigned worker) = 0;
};

/// The persisted rollout of one route.
struct RouteRollout {
  RouteState state = RouteState::kLegacy;
  std::uint32_t weight = 0;  ///< basis points
};

/// One difference found by a shadow comparison (response_compare.h): where
/// ("status", "header:NAME", "$.a[0].b", "body") and both shown values.
struct Difference {
  std::string where;
  std::string legacy;   ///< "(absent)" when missing
  std::string service;
};

/// A sampled mismatching pair of a route in shadow, kept in the state file
/// (the last `keep_diffs` per route). Texts are HTTP/1.1 message heads with
/// the first kShadowDiffBodyBytes of the body.
struct ShadowDiffRecord {
  static constexpr std::size_t kBodyBytes = 4096;
  std::int64_t id = 0;     ///< assigned by the store
  std::string route;
  std::int64_t at_ms = 0;  ///< Unix epoch milliseconds
  std::string request_id;
  std::string request;     ///< request line + headers as mirrored (+ body prefix)
  std::string legacy;      ///< status line + headers + body prefix
  std::string service;
  std::vector<Difference> differences;
};

/// Rollout state store (SQLite file). Called off the hot path only (startup,
/// admin changes, the control thread's analysis). A stored rollout overrides
/// the config's initial state.
class RouteStateStore {
 public:
  virtual ~RouteStateStore() = default;
  virtual Expected<std::map<std::string, RouteRollout>> load() = 0;
  virtual Status save(std::string_view route, const RouteRollout& rollout) = 0;
  /// Stores a mismatching pair and keeps only the newest `keep` of its route.
  /// Default: not stored (stores that keep no diffs).
  virtual Status saveShadowDiff(const ShadowDiffRecord& /*diff*/, std::size_t /*keep*/) { return Status::ok(); }
};

/// Live view of one route for the admin API.
struct RouteStatus {
  std::string name;
  RouteMatch match;
  RouteState state = RouteState::kLegacy;
  std::uint32_t weight = 0;
  std::string service;
  std::uint64_t requests = 0;
  std::uint64_t service_requests = 0;
  std::uint64_t fallbacks = 0;
  std::uint64_t errors = 0;  ///< 5xx or failed responses sent to clients
  /// Shadow comparisons since start (monotonic; docs/strangler-config.md).
  struct Shadow {
    std::uint64_t match = 0, mismatch = 0, noise = 0, error = 0, dropped = 0;
  } shadow;
  /// Automatic rollout (routes with an `analysis` section).
  struct Analysis {
    bool enabled = false;
    bool failing = false;            ///< shadow marked failing, not cleared yet
    std::string last_event;          ///< "rollback to canary 5%: error rate ..." ("" = none)
    std::uint64_t rollbacks = 0, advances = 0, failings = 0;
  } analysis;
};

struct EndpointStatus {
  std::string address;
  bool healthy = true;   ///< active health check verdict
  bool ejected = false;  ///< passive outlier ejection in effect
};

struct UpstreamStatus {
  std::string name;
  bool draining = false;  ///< no new requests routed to it (legacy instead)
  bool circuit_open = false;  ///< any circuit_breaker limit reached
  std::vector<EndpointStatus> endpoints;
  /// Upstream connections open now (in flight, connecting, or idle in the
  /// keep-alive pools), against circuit_breaker.max_connections.
  std::int64_t open_connections = 0;
  std::size_t max_connections = 0;
  /// Requests and shadow calls that needed a new connection at the limit.
  std::uint64_t connection_overflows = 0;
};

/// Implemented by the data plane (Server), called by the admin API from the
/// admin listener's thread. All methods are thread-safe.
class ProxyControl {
 public:
  virtual ~ProxyControl() = default;
  virtual std::vector<RouteStatus> routes() const = 0;
  virtual std::vector<UpstreamStatus> upstreams() const = 0;
  /// Changes a route's state/weight live and persists it in the state store.
  virtual Status setRouteRollout(std::string_view route, const RouteRollout& rollout) = 0;
  /// Draining an upstream sends its routes' traffic to legacy (legacy itself
  /// cannot be drained).
  virtual Status drainUpstream(std::string_view upstream, bool drain) = 0;
  /// Re-reads the config file (as SIGHUP does); an invalid config is refused.
  virtual Status reload() = 0;
};

/// One admin HTTP request, already parsed and read whole (admin bodies are
/// small; limit 64 KiB).
struct AdminRequest {
  std::string method;
  std::string target;         ///< path + query
  std::string authorization;  ///< value of the Authorization header, "" if absent
  std::string body;
};

struct AdminResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

/// The admin API (control plane). Called from the admin listener's thread;
/// checks the bearer token itself.
class AdminHandler {
 public:
  virtual ~AdminHandler() = default;
  virtual AdminResponse handle(const AdminRequest& request) = 0;
};

}  // namespace strangler
