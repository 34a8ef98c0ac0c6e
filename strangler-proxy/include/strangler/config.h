// Plain configuration structs of the strangler proxy: the contract between the
// YAML loader (config_yaml.*, control plane) and the data plane (route table,
// server, pools). Everything here is a value type with documented defaults;
// nothing here touches a socket or a file.
//
//   strangler.yaml --loader--> ProxyConfig --validate()--> ok?
//        --RouteTable::build()--> immutable table, swapped atomically on reload
//
// Durations are std::chrono::milliseconds. Weights are basis points
// (0..10000): 2500 = 25%. Endpoints are "host:port" (IPv4 literal, [IPv6]
// literal or a name resolved once at (re)load).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strangler {

using Millis = std::chrono::milliseconds;

/// Limits of what one client request may send.
struct Limits {
  std::size_t header_bytes = 16384;          ///< request line + headers; 431 above
  std::uint64_t body_bytes = 8u << 20;        ///< request body; 413 above
};

/// Timeouts of the traffic listener and of upstream exchanges.
struct Timeouts {
  Millis header{10000};   ///< whole request head must arrive within this (slowloris)
  Millis body{30000};     ///< max gap between two body reads from the client
  Millis idle{60000};     ///< keep-alive client connection with no request
  Millis connect{2000};   ///< TCP connect to an upstream endpoint
  Millis request{30000};  ///< upstream response head after the request was sent
  Millis drain{10000};    ///< on SIGTERM/SIGINT: how long requests in flight may finish
};

/// The traffic listener (never serves the admin API).
struct ListenerConfig {
  std::string address = "127.0.0.1:8080";  ///< host:port; port 0 = ephemeral
  unsigned workers = 0;                    ///< event-loop threads; 0 = one per core
  std::size_t max_connections = 20000;     ///< client connections over all workers
  Limits limits;
  Timeouts timeouts;
};

/// The admin listener (routes, state changes, drain, /metrics).
struct AdminConfig {
  std::string address = "127.0.0.1:9901";  ///< empty = no admin listener
  std::string token;                       ///< bearer token; required when address set
};

/// Active health check: GET `path` on every endpoint every `interval`.
struct HealthCheckConfig {
  std::string path;  ///< empty = no active health check
  Millis interval{5000};
  Millis timeout{1000};
  unsigned unhealthy_threshold = 3;  ///< consecutive failures to mark down
  unsigned healthy_threshold = 2;    ///< consecutive successes to mark up
  bool enabled() const { return !path.empty(); }
};

/// Passive outlier ejection from live traffic.
struct OutlierConfig {
  unsigned consecutive_5xx = 5;     ///< 0 = never eject on 5xx
  unsigned consecutive_errors = 5;  ///< connect errors / resets / timeouts; 0 = never
  Millis ejection_time{30000};
};

/// Circuit breaker per upstream, per worker counts scaled by worker count.
struct CircuitBreakerConfig {
  std::size_t max_connections = 4096;  ///< open upstream connections
  std::size_t max_pending = 1024;      ///< requests waiting for a connection
  std::size_t max_requests = 4096;     ///< requests in flight
};

/// Keep-alive pool per worker per endpoint.
struct PoolConfig {
  std::size_t max_idle_per_endpoint = 64;
};

struct UpstreamConfig {
  std::string name;
  std::vector<std::string> endpoints;  ///< "host:port", at least one
  HealthCheckConfig health;
  OutlierConfig outlier;
  CircuitBreakerConfig circuit_breaker;
  PoolConfig pool;
};

enum class PathKind { kExact, kPrefix, kPattern };

/// Header condition: name compared case-insensitively; `value` empty means
/// "present", otherwise the value must be equal (case-sensitive).
struct HeaderMatch {
  std::string name;
  std::string value;
};

/// Query parameter condition: same semantics as HeaderMatch (names exact).
struct QueryMatch {
  std::string name;
  std::string value;
};

/// What a route matches. `path` for kPattern uses `{name}` for one whole
/// segment, e.g. "/api/books/{id}" (see docs/strangler-config.md).
struct RouteMatch {
  PathKind path_kind = PathKind::kPrefix;
  std::string path = "/";
  std::vector<std::string> methods;  ///< empty = any method; upper case
  std::vector<HeaderMatch> headers;
  std::vector<QueryMatch> query;
};

/// Migration state of one route.
///   legacy   - all to legacy
///   shadow   - to legacy; a sampled copy is mirrored to the service and compared
///              (RouteConfig::shadow; mirroring is on with the defaults even
///              without a `shadow` section)
///   canary   - `weight` basis points to the service, the rest to legacy
///   migrated - service first, legacy as fallback
///   retired  - service only, no fallback
enum class RouteState { kLegacy, kShadow, kCanary, kMigrated, kRetired };

enum class StickyBy { kNone, kHeader, kCookie, kClientIp };

/// How a canary split stays sticky: hash of the key to [0,10000) < weight
/// goes to the service, so one key always lands on the same side.
struct StickyConfig {
  StickyBy by = StickyBy::kNone;
  std::string name;  ///< header or cookie name
};

/// When a failed service attempt is retried on legacy (idempotent requests
/// only: GET HEAD OPTIONS TRACE PUT DELETE, and only bodies already sent
/// whole; never in state `retired`).
struct FallbackConfig {
  bool on_connect_error = true;
  bool on_timeout = true;
  bool on_5xx = true;
};

/// Retries allowed per route: at most `ratio` of requests plus
/// `min_per_second` (Envoy / Finagle style budget).
struct RetryBudgetConfig {
  double ratio = 0.2;
  unsigned min_per_second = 3;
};

/// What a shadow comparison looks at (docs/strangler-config.md, "shadow").
struct ShadowCompareConfig {
  bool status = true;                 ///< compare status codes
  std::vector<std::string> headers;   ///< header names compared (case-insensitive; stored lower case)
  bool body = true;                   ///< compare bodies (JSON structurally, else bytes)
  /// JSONPath subset: $, .name, ['name'], [N], [*], .* ; a match ignores the
  /// value there and everything below it.
  std::vector<std::string> ignore_json_paths;
  /// ECMAScript regexes (std::regex); every match in a JSON string value or a
  /// non-JSON body is replaced by a placeholder on both sides before comparing.
  std::vector<std::string> ignore_patterns;
  /// A second legacy call when the service's answer differs: differences
  /// that also appear between the two legacy responses are noise.
  bool noise_detection = false;
};

/// Shadow verification of a route in state `shadow`: the client is served by
/// legacy; a sampled copy goes to the service and the two responses are
/// compared off the client's path.
struct ShadowConfig {
  std::uint32_t percent = 10000;      ///< basis points of requests (or sticky keys) mirrored
  StickyConfig sticky;                ///< sampling key; none = per request
  /// Methods mirrored; empty = the safe ones (GET HEAD OPTIONS). Upper case.
  std::vector<std::string> methods;
  std::size_t queue = 1024;           ///< pending shadow calls per worker and route; full = dropped
  Millis timeout{2000};               ///< whole shadow exchange (connect + response)
  std::uint64_t max_body = 1u << 20;  ///< bytes of each response kept for comparison; larger = error
  ShadowCompareConfig compare;
  std::size_t keep_diffs = 50;        ///< mismatching pairs kept per route in the state file; 0 = none
};

/// One position on the rollout ladder ("shadow", "canary 5%", "migrated").
struct RolloutStep {
  RouteState state = RouteState::kShadow;
  std::uint32_t weight = 0;  ///< basis points; canary only
  bool operator==(const RolloutStep&) const = default;
};

/// Automatic rollback / advance from live figures over a sliding window
/// (docs/strangler-config.md, "analysis"). Rates are basis points; a
/// threshold is crossed when the measured rate is strictly above it.
struct AnalysisConfig {
  bool enabled = false;                    ///< true when the route has an `analysis` section
  Millis window{30000};
  std::uint64_t min_requests = 20;         ///< fewer in the window = no verdict
  std::uint32_t max_error_rate = 100;      ///< bp of service answers that are 5xx / transport errors
  std::uint32_t max_mismatch_rate = 0;     ///< bp of shadow comparisons that mismatch (shadow only)
  double max_p99_ratio = 0;                ///< service p99 / legacy p99; 0 = not checked
  bool auto_advance = false;
  /// The ladder; default shadow, canary 5%, canary 25%, canary 50%, migrated.
  std::vector<RolloutStep> steps;
};

/// The default ladder of AnalysisConfig::steps.
std::vector<RolloutStep> defaultRolloutSteps();

struct RouteConfig {
  std::string name;  ///< unique; key of the persisted state
  RouteMatch match;
  RouteState state = RouteState::kLegacy;
  std::string service;                 ///< upstream name; required unless state legacy
  std::uint32_t weight = 0;            ///< basis points to the service in canary
  StickyConfig sticky;
  FallbackConfig fallback;
  RetryBudgetConfig retry_budget;
  ShadowConfig shadow;
  AnalysisConfig analysis;
};

struct ProxyConfig {
  ListenerConfig listener;
  AdminConfig admin;
  std::string state_path;     ///< SQLite rollout state; empty = not persisted
  std::string access_log;     ///< JSON lines; empty = off, "-" = stdout
  std::string legacy = "legacy";  ///< name of the legacy upstream
  std::vector<UpstreamConfig> upstreams;
  std::vector<RouteConfig> routes;
};

/// Every problem of `config` as one line each ("routes[2].service: unknown
/// upstream 'x'"); empty = valid. Checks names unique, references resolve,
/// endpoints parse, weights <= 10000, patterns well formed, limits > 0.
/// Implemented in lib/config.cc (data plane owns it: it mirrors what the
/// route table and server can actually run).
std::vector<std::string> validate(const ProxyConfig& config);

/// Names used in YAML, logs and the admin API: "legacy", "canary", ...
std::string_view toString(RouteState state);
bool parseRouteState(std::string_view text, RouteState& out);
std::string_view toString(PathKind kind);
bool parsePathKind(std::string_view text, PathKind& out);
std::string_view toString(StickyBy by);
bool parseStickyBy(std::string_view text, StickyBy& out);
/// "shadow", "canary 5%", "canary 12.5%", "migrated" (legacy and retired are
/// not rollout steps: legacy has no service, retired has no fallback).
std::string toString(const RolloutStep& step);
bool parseRolloutStep(std::string_view text, RolloutStep& out);

/// Splits "host:port" / "[v6]:port"; false on malformed input or port > 65535.
bool splitHostPort(std::string_view text, std::string& host, std::uint16_t& port);

}  // namespace strangler
