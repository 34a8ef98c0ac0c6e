// Per-worker request statistics, merged at the end of a run.
//
// Each worker owns one Stats (no locking on the hot path); merge() combines
// them after the workers have joined.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bookstore::load {

class Stats {
 public:
  /// status 0 = transport error (connection refused, timeout...).
  void record(const std::string& endpoint, int status, double latency_ms);
  void merge(const Stats& other);

  int64_t requests() const { return static_cast<int64_t>(latencies_ms_.size()); }
  /// Requests by status class: "2xx", "3xx", "4xx", "5xx", "transport".
  const std::map<std::string, int64_t>& byClass() const { return by_class_; }
  const std::map<std::string, int64_t>& byEndpoint() const { return by_endpoint_; }
  /// Latency percentile in ms (p in [0, 100]); sorts a copy.
  double percentile(double p) const;

 private:
  std::vector<double> latencies_ms_;
  std::map<std::string, int64_t> by_class_;
  std::map<std::string, int64_t> by_endpoint_;
};

/// The summary printed at the end: human-readable, or one JSON object.
std::string summarize(const Stats& stats, double seconds, int concurrency, bool json);

}  // namespace bookstore::load
