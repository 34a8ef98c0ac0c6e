// MetricsRegistry: per-worker shards, summed at scrape. See metrics.h.
#include "strangler/metrics.h"

#include <algorithm>
#include <charconv>
#include <cinttypes>
#include <cstdio>

namespace strangler {
namespace {

constexpr std::size_t kBuckets = MetricsRegistry::kBucketBounds.size() + 1;  // + +Inf
// Status classes: 0 = no status (connection failed), 1..5 = 1xx..5xx.
constexpr std::size_t kCodeClasses = 6;
constexpr const char* kCodeClassLabel[kCodeClasses] = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};

// Bucket upper bounds in microseconds, to compare integers on the hot path.
constexpr std::array<std::uint64_t, kBuckets - 1> kBoundsUs = {
    500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000,
    1000000, 2500000, 5000000, 10000000};

// Single-writer increment: only the owning worker writes, so no locked RMW.
inline void bump(std::atomic<std::uint64_t>& c, std::uint64_t by = 1) {
  c.store(c.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
}

inline std::uint64_t read(const std::atomic<std::uint64_t>& c) {
  return c.load(std::memory_order_relaxed);
}

void appendU64(std::string& out, std::uint64_t v) {
  char buf[24];
  int n = std::snprintf(buf, sizeof buf, "%" PRIu64, v);
  out.append(buf, static_cast<std::size_t>(n));
}

// Shortest text that reads back as the same double ("0.0005", not
// "0.00050000000000000001"): bucket bounds must match what users type.
void appendDouble(std::string& out, double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  if (r.ec != std::errc()) r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ec == std::errc() ? r.ptr : buf);
}

void header(std::string& out, const char* name, const char* type, const char* help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

}  // namespace

// Everything one worker knows about one (route, upstream) pair. Aligned so
// two workers' cells never share a cache line.
struct alignas(64) MetricsRegistry::Cell {
  std::atomic<std::uint64_t> requests[kCodeClasses] = {};
  std::atomic<std::uint64_t> fallbacks{0};
  std::atomic<std::uint64_t> upstream_errors{0};
  std::atomic<std::uint64_t> buckets[kBuckets] = {};  // not cumulative
  std::atomic<std::uint64_t> latency_sum_us{0};
};

struct MetricsRegistry::RouteBlock {
  std::atomic<Cell*> by_upstream[kMaxUpstreams] = {};
  ~RouteBlock() {
    for (auto& c : by_upstream) delete c.load(std::memory_order_relaxed);
  }
};

struct alignas(64) MetricsRegistry::Shard {
  std::atomic<RouteBlock*> routes[kMaxRoutes] = {};
  std::atomic<std::uint64_t> connections_opened{0};
  std::atomic<std::uint64_t> connections_closed{0};
  ~Shard() {
    for (auto& r : routes) delete r.load(std::memory_order_relaxed);
  }
};

MetricsRegistry::MetricsRegistry() { setWorkers(1); }
MetricsRegistry::~MetricsRegistry() = default;

void MetricsRegistry::setWorkers(unsigned count) {
  // Called before workers start, so nobody reads shards_ concurrently.
  std::lock_guard<std::mutex> lock(mu_);
  if (count == 0) count = 1;
  while (shards_.size() < count) shards_.push_back(std::make_unique<Shard>());
}

std::uint32_t MetricsRegistry::idFor(std::map<std::string, std::uint32_t, std::less<>>& ids,
                                     std::vector<std::string>& names, std::uint32_t max,
                                     std::string_view name) {
  if (auto it = ids.find(name); it != ids.end()) return it->second;
  if (names.size() + 1 >= max) {  // keep the last id for everything past the limit
    if (names.size() + 1 == max) names.emplace_back("<overflow>");
    return max - 1;
  }
  auto id = static_cast<std::uint32_t>(names.size());
  names.emplace_back(name);
  ids.emplace(std::string(name), id);
  return id;
}

std::uint32_t MetricsRegistry::routeId(std::string_view route) {
  std::lock_guard<std::mutex> lock(mu_);
  return idFor(route_ids_, route_names_, kMaxRoutes, route);
}

std::uint32_t MetricsRegistry::upstreamId(std::string_view upstream) {
  std::lock_guard<std::mutex> lock(mu_);
  return idFor(upstream_ids_, upstream_names_, kMaxUpstreams, upstream);
}

MetricsRegistry::Cell* MetricsRegistry::cellFor(unsigned worker, std::uint32_t route,
                                                std::uint32_t upstream) {
  if (worker >= shards_.size() || route >= kMaxRoutes || upstream >= kMaxUpstreams)
    return nullptr;
  Shard& shard = *shards_[worker];
  RouteBlock* block = shard.routes[route].load(std::memory_order_acquire);
  if (block == nullptr) {  // first request of this route on this worker
    block = new RouteBlock();
    shard.routes[route].store(block, std::memory_order_release);
  }
  Cell* cell = block->by_upstream[upstream].load(std::memory_order_acquire);
  if (cell == nullptr) {
    cell = new Cell();
    block->by_upstream[upstream].store(cell, std::memory_order_release);
  }
  return cell;
}

void MetricsRegistry::onRequest(unsigned worker, const RequestSample& sample) {
  Cell* cell = cellFor(worker, sample.route, sample.upstream);
  if (cell == nullptr) return;  // misuse (unknown worker); never crash the data plane
  std::size_t cls = (sample.status >= 100 && sample.status <= 599)
                        ? static_cast<std::size_t>(sample.status / 100)
                        : 0;
  bump(cell->requests[cls]);
  if (sample.fallback) bump(cell->fallbacks);
  if (sample.upstream_error) bump(cell->upstream_errors);
  std::size_t b = 0;
  while (b < kBoundsUs.size() && sample.latency_us > kBoundsUs[b]) ++b;
  bump(cell->buckets[b]);
  bump(cell->latency_sum_us, sample.latency_us);
}

void MetricsRegistry::onConnectionOpen(unsigned worker) {
  if (worker < shards_.size()) bump(shards_[worker]->connections_opened);
}

void MetricsRegistry::onConnectionClose(unsigned worker) {
  if (worker < shards_.size()) bump(shards_[worker]->connections_closed);
}

void MetricsRegistry::onHealthChange(std::uint32_t upstream, std::string_view endpoint,
                                     bool healthy) {
  std::lock_guard<std::mutex> lock(mu_);
  ++health_changes_[upstream];
}

std::int64_t MetricsRegistry::openConnections() const {
  // Opened and closed are read separately; read closed first so a concurrent
  // open/close pair can only make the figure momentarily high, never negative.
  std::uint64_t closed = 0, opened = 0;
  for (const auto& s : shards_) closed += read(s->connections_closed);
  for (const auto& s : shards_) opened += read(s->connections_opened);
  return opened >= closed ? static_cast<std::int64_t>(opened - closed) : 0;
}

MetricsRegistry::RouteTotals MetricsRegistry::routeTotals(std::string_view route) const {
  RouteTotals t;
  std::uint32_t id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = route_ids_.find(route);
    if (it == route_ids_.end()) return t;
    id = it->second;
  }
  for (const auto& shard : shards_) {
    const RouteBlock* block = shard->routes[id].load(std::memory_order_acquire);
    if (block == nullptr) continue;
    for (const auto& slot : block->by_upstream) {
      const Cell* c = slot.load(std::memory_order_acquire);
      if (c == nullptr) continue;
      for (std::size_t k = 0; k < kCodeClasses; ++k) t.requests += read(c->requests[k]);
      t.errors += read(c->requests[0]) + read(c->requests[5]);
      t.fallbacks += read(c->fallbacks);
      t.upstream_errors += read(c->upstream_errors);
    }
  }
  return t;
}

std::string escapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  return out;
}

void MetricsRegistry::renderPrometheus(std::string& out) const {
  // Snapshot the names; ids never change meaning, so reading cells after
  // releasing the lock is safe.
  std::vector<std::string> routes, upstreams;
  std::map<std::uint32_t, std::uint64_t> health_changes;
  {
    std::lock_guard<std::mutex> lock(mu_);
    routes = route_names_;
    upstreams = upstream_names_;
    health_changes = health_changes_;
  }

  // Sum every (route, upstream) pair that has seen traffic on any worker.
  struct Sum {
    std::uint32_t route, upstream;
    std::uint64_t requests[kCodeClasses] = {};
    std::uint64_t fallbacks = 0, upstream_errors = 0, sum_us = 0;
    std::uint64_t buckets[kBuckets] = {};
  };
  std::vector<Sum> sums;
  for (std::uint32_t r = 0; r < routes.size(); ++r) {
    for (std::uint32_t u = 0; u < upstreams.size(); ++u) {
      Sum s{r, u};
      bool seen = false;
      for (const auto& shard : shards_) {
        const RouteBlock* block = shard->routes[r].load(std::memory_order_acquire);
        if (block == nullptr) continue;
        const Cell* c = block->by_upstream[u].load(std::memory_order_acquire);
        if (c == nullptr) continue;
        seen = true;
        for (std::size_t k = 0; k < kCodeClasses; ++k) s.requests[k] += read(c->requests[k]);
        s.fallbacks += read(c->fallbacks);
        s.upstream_errors += read(c->upstream_errors);
        s.sum_us += read(c->latency_sum_us);
        for (std::size_t b = 0; b < kBuckets; ++b) s.buckets[b] += read(c->buckets[b]);
      }
      if (seen) sums.push_back(s);
    }
  }

  auto labels = [&](const Sum& s) {
    return "route=\"" + escapeLabelValue(routes[s.route]) + "\",upstream=\"" +
           escapeLabelValue(upstreams[s.upstream]) + "\"";
  };

  header(out, "strangler_requests_total", "counter",
         "Client requests answered, by route, upstream that answered and status class.");
  for (const Sum& s : sums) {
    for (std::size_t k = 0; k < kCodeClasses; ++k) {
      if (s.requests[k] == 0) continue;
      out += "strangler_requests_total{" + labels(s) + ",code_class=\"" + kCodeClassLabel[k] +
             "\"} ";
      appendU64(out, s.requests[k]);
      out += '\n';
    }
  }

  header(out, "strangler_fallbacks_total", "counter",
         "Requests answered by legacy after a failed attempt on the service.");
  for (const Sum& s : sums) {
    out += "strangler_fallbacks_total{" + labels(s) + "} ";
    appendU64(out, s.fallbacks);
    out += '\n';
  }

  header(out, "strangler_upstream_errors_total", "counter",
         "Upstream attempts that failed (connect error, timeout, reset or 5xx).");
  for (const Sum& s : sums) {
    out += "strangler_upstream_errors_total{" + labels(s) + "} ";
    appendU64(out, s.upstream_errors);
    out += '\n';
  }

  header(out, "strangler_request_duration_seconds", "histogram",
         "Time from the first request byte to the last response byte.");
  for (const Sum& s : sums) {
    const std::string l = labels(s);
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < kBuckets; ++b) {
      cumulative += s.buckets[b];
      out += "strangler_request_duration_seconds_bucket{" + l + ",le=\"";
      if (b < kBucketBounds.size()) {
        appendDouble(out, kBucketBounds[b]);
      } else {
        out += "+Inf";
      }
      out += "\"} ";
      appendU64(out, cumulative);
      out += '\n';
    }
    out += "strangler_request_duration_seconds_sum{" + l + "} ";
    appendDouble(out, static_cast<double>(s.sum_us) / 1e6);
    out += "\nstrangler_request_duration_seconds_count{" + l + "} ";
    appendU64(out, cumulative);  // == +Inf bucket, by construction
    out += '\n';
  }

  header(out, "strangler_open_connections", "gauge", "Client connections currently open.");
  out += "strangler_open_connections ";
  appendU64(out, static_cast<std::uint64_t>(openConnections()));
  out += '\n';

  std::uint64_t opened = 0;
  for (const auto& shard : shards_) opened += read(shard->connections_opened);
  header(out, "strangler_connections_total", "counter", "Client connections accepted.");
  out += "strangler_connections_total ";
  appendU64(out, opened);
  out += '\n';

  header(out, "strangler_upstream_health_changes_total", "counter",
         "Endpoint health verdict changes (active checks and outlier ejection).");
  for (const auto& [id, n] : health_changes) {
    if (id >= upstreams.size()) continue;
    out += "strangler_upstream_health_changes_total{upstream=\"" +
           escapeLabelValue(upstreams[id]) + "\"} ";
    appendU64(out, n);
    out += '\n';
  }
}

void renderControlGauges(const std::vector<RouteStatus>& routes,
                         const std::vector<UpstreamStatus>& upstreams, std::string& out) {
  header(out, "strangler_route_weight", "gauge",
         "Share of the route's traffic sent to the service (0..1); 1 when migrated or retired.");
  for (const RouteStatus& r : routes) {
    double share = 0;
    switch (r.state) {
      case RouteState::kLegacy:
      case RouteState::kShadow: share = 0; break;
      case RouteState::kCanary: share = r.weight / 10000.0; break;
      case RouteState::kMigrated:
      case RouteState::kRetired: share = 1; break;
    }
    out += "strangler_route_weight{route=\"" + escapeLabelValue(r.name) + "\"} ";
    appendDouble(out, share);
    out += '\n';
  }

  header(out, "strangler_route_state", "gauge",
         "Migration state of each route: 1 for the current state, 0 for the others.");
  constexpr RouteState kStates[] = {RouteState::kLegacy, RouteState::kShadow,
                                    RouteState::kCanary, RouteState::kMigrated,
                                    RouteState::kRetired};
  for (const RouteStatus& r : routes) {
    for (RouteState s : kStates) {
      out += "strangler_route_state{route=\"" + escapeLabelValue(r.name) + "\",state=\"" +
             std::string(toString(s)) + "\"} ";
      out += (s == r.state) ? '1' : '0';
      out += '\n';
    }
  }

  // Shadow verification and automatic rollout (docs/strangler-config.md):
  // counters live in the data plane per route name, so they are monotonic
  // across reloads; routes that never mirrored or were never analysed are left out.
  header(out, "strangler_shadow_requests_total", "counter",
         "Mirrored requests of routes in state shadow, by comparison result.");
  for (const RouteStatus& r : routes) {
    const RouteStatus::Shadow& s = r.shadow;
    if (s.match + s.mismatch + s.noise + s.error + s.dropped == 0) continue;
    const std::pair<const char*, std::uint64_t> results[] = {
        {"match", s.match}, {"mismatch", s.mismatch}, {"noise", s.noise}, {"error", s.error}, {"dropped", s.dropped}};
    for (const auto& [result, value] : results) {
      out += "strangler_shadow_requests_total{route=\"" + escapeLabelValue(r.name) + "\",result=\"" + result + "\"} ";
      appendU64(out, value);
      out += '\n';
    }
  }
  header(out, "strangler_rollout_events_total", "counter",
         "Automatic rollout decisions per route: rollback, advance, failing (shadow marked failing).");
  for (const RouteStatus& r : routes) {
    if (!r.analysis.enabled) continue;
    const std::pair<const char*, std::uint64_t> events[] = {
        {"rollback", r.analysis.rollbacks}, {"advance", r.analysis.advances}, {"failing", r.analysis.failings}};
    for (const auto& [event, value] : events) {
      out += "strangler_rollout_events_total{route=\"" + escapeLabelValue(r.name) + "\",event=\"" + event + "\"} ";
      appendU64(out, value);
      out += '\n';
    }
  }
  header(out, "strangler_route_analysis_failing", "gauge",
         "1 when a route in shadow failed its analysis and has not had a clean window since.");
  for (const RouteStatus& r : routes) {
    if (!r.analysis.enabled) continue;
    out += "strangler_route_analysis_failing{route=\"" + escapeLabelValue(r.name) + "\"} ";
    out += r.analysis.failing ? '1' : '0';
    out += '\n';
  }

  header(out, "strangler_upstream_draining", "gauge",
         "1 when the upstream is drained (its routes go to legacy).");
  for (const UpstreamStatus& u : upstreams) {
    out += "strangler_upstream_draining{upstream=\"" + escapeLabelValue(u.name) + "\"} ";
    out += u.draining ? '1' : '0';
    out += '\n';
  }
  header(out, "strangler_upstream_circuit_open", "gauge",
         "1 when the upstream's circuit breaker is open.");
  for (const UpstreamStatus& u : upstreams) {
    out += "strangler_upstream_circuit_open{upstream=\"" + escapeLabelValue(u.name) + "\"} ";
    out += u.circuit_open ? '1' : '0';
    out += '\n';
  }
  header(out, "strangler_upstream_open_connections", "gauge",
         "Upstream connections open now (in flight, connecting, idle in the keep-alive pools).");
  for (const UpstreamStatus& u : upstreams) {
    out += "strangler_upstream_open_connections{upstream=\"" + escapeLabelValue(u.name) + "\"} ";
    appendU64(out, static_cast<std::uint64_t>(std::max<std::int64_t>(0, u.open_connections)));
    out += '\n';
  }
  header(out, "strangler_upstream_max_connections", "gauge",
         "The upstream's circuit_breaker.max_connections.");
  for (const UpstreamStatus& u : upstreams) {
    out += "strangler_upstream_max_connections{upstream=\"" + escapeLabelValue(u.name) + "\"} ";
    appendU64(out, u.max_connections);
    out += '\n';
  }
  header(out, "strangler_upstream_connection_overflows_total", "counter",
         "Requests and shadow calls that needed a new upstream connection at max_connections "
         "(service routes fell back to legacy, others got 503, shadow copies were dropped).");
  for (const UpstreamStatus& u : upstreams) {
    out += "strangler_upstream_connection_overflows_total{upstream=\"" + escapeLabelValue(u.name) + "\"} ";
    appendU64(out, u.connection_overflows);
    out += '\n';
  }
  header(out, "strangler_upstream_healthy", "gauge",
         "1 when the endpoint passes health checks and is not ejected.");
  for (const UpstreamStatus& u : upstreams) {
    for (const EndpointStatus& e : u.endpoints) {
      out += "strangler_upstream_healthy{upstream=\"" + escapeLabelValue(u.name) +
             "\",endpoint=\"" + escapeLabelValue(e.address) + "\"} ";
      out += (e.healthy && !e.ejected) ? '1' : '0';
      out += '\n';
    }
  }
  header(out, "strangler_upstream_ejected", "gauge",
         "1 when the endpoint is ejected by passive outlier detection.");
  for (const UpstreamStatus& u : upstreams) {
    for (const EndpointStatus& e : u.endpoints) {
      out += "strangler_upstream_ejected{upstream=\"" + escapeLabelValue(u.name) +
             "\",endpoint=\"" + escapeLabelValue(e.address) + "\"} ";
      out += e.ejected ? '1' : '0';
      out += '\n';
    }
  }
}

}  // namespace strangler
