#include "stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace bookstore::load {
namespace {

std::string statusClass(int status) {
  if (status <= 0) return "transport";
  if (status < 300) return "2xx";
  if (status < 400) return "3xx";
  if (status < 500) return "4xx";
  return "5xx";
}

}  // namespace

void Stats::record(const std::string& endpoint, int status, double latency_ms) {
  latencies_ms_.push_back(latency_ms);
  ++by_class_[statusClass(status)];
  ++by_endpoint_[endpoint];
}

void Stats::merge(const Stats& other) {
  latencies_ms_.insert(latencies_ms_.end(), other.latencies_ms_.begin(), other.latencies_ms_.end());
  for (const auto& [k, v] : other.by_class_) by_class_[k] += v;
  for (const auto& [k, v] : other.by_endpoint_) by_endpoint_[k] += v;
}

double Stats::percentile(double p) const {
  if (latencies_ms_.empty()) return 0;
  std::vector<double> sorted = latencies_ms_;
  std::sort(sorted.begin(), sorted.end());
  // Nearest-rank percentile.
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

std::string summarize(const Stats& stats, double seconds, int concurrency, bool json) {
  double rate = seconds > 0 ? static_cast<double>(stats.requests()) / seconds : 0;
  auto count = [&stats](const char* cls) {
    auto it = stats.byClass().find(cls);
    return it == stats.byClass().end() ? int64_t{0} : it->second;
  };
  if (json) {
    nlohmann::json out = {
        {"requests", stats.requests()},
        {"duration_s", seconds},
        {"concurrency", concurrency},
        {"requests_per_s", rate},
        {"status", {{"2xx", count("2xx")}, {"3xx", count("3xx")}, {"4xx", count("4xx")}, {"5xx", count("5xx")},
                    {"transport", count("transport")}}},
        {"latency_ms", {{"p50", stats.percentile(50)}, {"p90", stats.percentile(90)}, {"p99", stats.percentile(99)},
                        {"max", stats.percentile(100)}}},
        {"endpoints", stats.byEndpoint()},
    };
    return out.dump(2) + "\n";
  }
  char buffer[1024];
  std::snprintf(buffer, sizeof buffer,
                "requests:     %lld in %.2f s with %d connections\n"
                "throughput:   %.1f req/s\n"
                "status:       2xx %lld, 3xx %lld, 4xx %lld, 5xx %lld, transport errors %lld\n"
                "latency (ms): p50 %.2f, p90 %.2f, p99 %.2f, max %.2f\n",
                static_cast<long long>(stats.requests()), seconds, concurrency, rate,
                static_cast<long long>(count("2xx")), static_cast<long long>(count("3xx")),
                static_cast<long long>(count("4xx")), static_cast<long long>(count("5xx")),
                static_cast<long long>(count("transport")), stats.percentile(50), stats.percentile(90),
                stats.percentile(99), stats.percentile(100));
  std::string text = buffer;
  text += "endpoints:\n";
  for (const auto& [endpoint, n] : stats.byEndpoint()) {
    std::snprintf(buffer, sizeof buffer, "  %-34s %lld\n", endpoint.c_str(), static_cast<long long>(n));
    text += buffer;
  }
  return text;
}

}  // namespace bookstore::load
