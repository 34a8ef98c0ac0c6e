// Prometheus figures of the proxy: a MetricsRecorder the workers write to and
// a scrape that renders text exposition format 0.0.4 for GET /metrics.
//
//   worker w --onRequest(w, sample)--> shard[w] cell(route, upstream)   (no lock)
//   admin    --renderPrometheus()-->   sum over shards                    (mutex for names only)
//
// Invariants and thread safety:
//  - Each worker owns one shard and is the only thread that writes to it, so a
//    counter increment is a relaxed load + relaxed store (no locked RMW, no
//    cache line shared with another writer). The scrape reads with relaxed
//    loads: it may see a request in one counter and not yet in another, which
//    Prometheus tolerates; every counter is monotonic.
//  - A shard's cells are allocated lazily by their worker on the first request
//    of a (route, upstream) pair and published with a release store; they are
//    freed only when the registry is destroyed, which must outlive workers.
//  - routeId/upstreamId may be called from any thread at any time (table
//    build on reload); ids are stable for the life of the registry. Names past
//    kMaxRoutes / kMaxUpstreams share the last id, labelled "<overflow>".
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "strangler/control.h"

namespace strangler {

class MetricsRegistry final : public MetricsRecorder {
 public:
  static constexpr std::uint32_t kMaxRoutes = 1024;
  static constexpr std::uint32_t kMaxUpstreams = 128;
  /// Upper bounds (seconds) of the latency histogram buckets; +Inf implied.
  static constexpr std::array<double, 14> kBucketBounds = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  MetricsRegistry();
  ~MetricsRegistry() override;
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  void setWorkers(unsigned count) override;
  std::uint32_t routeId(std::string_view route) override;
  std::uint32_t upstreamId(std::string_view upstream) override;
  void onRequest(unsigned worker, const RequestSample& sample) override;
  void onConnectionOpen(unsigned worker) override;
  void onConnectionClose(unsigned worker) override;
  void onHealthChange(std::uint32_t upstream, std::string_view endpoint, bool healthy) override;

  /// Appends every series in Prometheus text format 0.0.4 to `out`.
  void renderPrometheus(std::string& out) const;

  /// Totals of one route over all upstreams and workers (admin GET /routes).
  struct RouteTotals {
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;  ///< 5xx or no status
    std::uint64_t fallbacks = 0;
    std::uint64_t upstream_errors = 0;
  };
  RouteTotals routeTotals(std::string_view route) const;

  /// Current open client connections over all workers.
  std::int64_t openConnections() const;

 private:
  struct Cell;
  struct RouteBlock;
  struct Shard;

  Cell* cellFor(unsigned worker, std::uint32_t route, std::uint32_t upstream);
  std::uint32_t idFor(std::map<std::string, std::uint32_t, std::less<>>& ids,
                      std::vector<std::string>& names, std::uint32_t max, std::string_view name);

  mutable std::mutex mu_;  // guards the name tables and health_, not the shards
  std::map<std::string, std::uint32_t, std::less<>> route_ids_;
  std::vector<std::string> route_names_;
  std::map<std::string, std::uint32_t, std::less<>> upstream_ids_;
  std::vector<std::string> upstream_names_;
  std::map<std::uint32_t, std::uint64_t> health_changes_;  // by upstream id

  // Fixed before workers start (setWorkers); never resized afterwards.
  std::vector<std::unique_ptr<Shard>> shards_;
};

/// Appends gauges that describe the live configuration, from the data
/// plane's view (ProxyControl): strangler_route_weight, strangler_route_state,
/// strangler_upstream_draining, strangler_upstream_circuit_open,
/// strangler_upstream_open_connections, strangler_upstream_max_connections,
/// strangler_upstream_connection_overflows_total, and per endpoint
/// strangler_upstream_healthy (1 = passes health checks and is not ejected)
/// and strangler_upstream_ejected.
void renderControlGauges(const std::vector<RouteStatus>& routes,
                         const std::vector<UpstreamStatus>& upstreams, std::string& out);

/// Escapes a label value for the text format (backslash, quote, newline).
std::string escapeLabelValue(std::string_view value);

}  // namespace strangler
