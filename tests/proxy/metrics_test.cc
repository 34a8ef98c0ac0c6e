// MetricsRegistry: exposition text, per-worker sums, ids, label escaping.
#include "strangler/metrics.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace strangler {
namespace {

std::string render(const MetricsRegistry& m) {
  std::string out;
  m.renderPrometheus(out);
  return out;
}

bool contains(const std::string& text, const std::string& line) {
  return text.find(line) != std::string::npos;
}

TEST(ProxyMetricsTest, IdsAreStablePerName) {
  MetricsRegistry m;
  std::uint32_t a = m.routeId("a");
  std::uint32_t b = m.routeId("b");
  EXPECT_NE(a, b);
  EXPECT_EQ(m.routeId("a"), a);
  EXPECT_EQ(m.upstreamId("legacy"), m.upstreamId("legacy"));
}

TEST(ProxyMetricsTest, RendersCountersAndHistogram) {
  MetricsRegistry m;
  m.setWorkers(2);
  std::uint32_t route = m.routeId("catalog");
  std::uint32_t svc = m.upstreamId("catalog-svc");
  std::uint32_t legacy = m.upstreamId("legacy");
  m.onRequest(0, {route, svc, 200, 300, false, false});     // bucket 0.0005
  m.onRequest(1, {route, svc, 204, 2000, false, false});    // bucket 0.0025
  m.onRequest(1, {route, legacy, 200, 20000, true, true});  // fallback
  m.onRequest(0, {route, svc, 503, 50000, false, true});

  const std::string text = render(m);
  EXPECT_TRUE(contains(text, "# TYPE strangler_requests_total counter\n"));
  EXPECT_TRUE(contains(text,
      "strangler_requests_total{route=\"catalog\",upstream=\"catalog-svc\",code_class=\"2xx\"} 2\n"))
      << text;
  EXPECT_TRUE(contains(text,
      "strangler_requests_total{route=\"catalog\",upstream=\"catalog-svc\",code_class=\"5xx\"} 1\n"));
  EXPECT_TRUE(contains(text,
      "strangler_requests_total{route=\"catalog\",upstream=\"legacy\",code_class=\"2xx\"} 1\n"));
  EXPECT_TRUE(contains(text, "strangler_fallbacks_total{route=\"catalog\",upstream=\"legacy\"} 1\n"));
  EXPECT_TRUE(contains(text,
      "strangler_upstream_errors_total{route=\"catalog\",upstream=\"catalog-svc\"} 1\n"));
  EXPECT_TRUE(contains(text, "# TYPE strangler_request_duration_seconds histogram\n"));
  const std::string l = "{route=\"catalog\",upstream=\"catalog-svc\",";
  EXPECT_TRUE(contains(text, "strangler_request_duration_seconds_bucket" + l + "le=\"0.0005\"} 1\n"))
      << text;
  EXPECT_TRUE(contains(text, "strangler_request_duration_seconds_bucket" + l + "le=\"0.001\"} 1\n"));
  EXPECT_TRUE(contains(text, "strangler_request_duration_seconds_bucket" + l + "le=\"0.0025\"} 2\n"));
  EXPECT_TRUE(contains(text, "strangler_request_duration_seconds_bucket" + l + "le=\"0.05\"} 3\n"));
  EXPECT_TRUE(contains(text, "strangler_request_duration_seconds_bucket" + l + "le=\"+Inf\"} 3\n"));
  EXPECT_TRUE(contains(text,
      "strangler_request_duration_seconds_sum{route=\"catalog\",upstream=\"catalog-svc\"} 0.0523\n"))
      << text;
  EXPECT_TRUE(contains(text,
      "strangler_request_duration_seconds_count{route=\"catalog\",upstream=\"catalog-svc\"} 3\n"));

  auto totals = m.routeTotals("catalog");
  EXPECT_EQ(totals.requests, 4u);
  EXPECT_EQ(totals.errors, 1u);
  EXPECT_EQ(totals.fallbacks, 1u);
  EXPECT_EQ(totals.upstream_errors, 2u);
}

TEST(ProxyMetricsTest, EveryLineIsCommentOrSample) {
  MetricsRegistry m;
  m.onRequest(0, {m.routeId("r"), m.upstreamId("u"), 0, 10, false, true});
  const std::string text = render(m);
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    ASSERT_NE(end, std::string::npos) << "last line not terminated";
    std::string line = text.substr(start, end - start);
    ASSERT_FALSE(line.empty());
    if (line[0] != '#') {
      // name{labels} value  or  name value
      std::size_t sp = line.rfind(' ');
      ASSERT_NE(sp, std::string::npos) << line;
      std::string value = line.substr(sp + 1);
      EXPECT_NO_THROW((void)std::stod(value)) << line;
      EXPECT_EQ(line.rfind("strangler_", 0), 0u) << line;
    }
    start = end + 1;
  }
  EXPECT_TRUE(contains(text, "code_class=\"none\"} 1\n"));
}

TEST(ProxyMetricsTest, ConnectionsGauge) {
  MetricsRegistry m;
  m.setWorkers(3);
  m.onConnectionOpen(0);
  m.onConnectionOpen(2);
  m.onConnectionOpen(2);
  m.onConnectionClose(2);
  EXPECT_EQ(m.openConnections(), 2);
  const std::string text = render(m);
  EXPECT_TRUE(contains(text, "strangler_open_connections 2\n"));
  EXPECT_TRUE(contains(text, "strangler_connections_total 3\n"));
}

TEST(ProxyMetricsTest, WorkersWriteConcurrentlyAndScrapeSums) {
  MetricsRegistry m;
  constexpr unsigned kWorkers = 4;
  constexpr int kPerWorker = 20000;
  m.setWorkers(kWorkers);
  std::uint32_t r = m.routeId("r");
  std::uint32_t u = m.upstreamId("u");
  std::vector<std::thread> threads;
  for (unsigned w = 0; w < kWorkers; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kPerWorker; ++i) m.onRequest(w, {r, u, 200, 100, false, false});
    });
  }
  // Scrape while they write: must not crash or go backwards.
  std::uint64_t last = 0;
  for (int i = 0; i < 50; ++i) {
    auto t = m.routeTotals("r");
    EXPECT_GE(t.requests, last);
    last = t.requests;
    std::string text = render(m);
    EXPECT_FALSE(text.empty());
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(m.routeTotals("r").requests, kWorkers * kPerWorker);
}

TEST(ProxyMetricsTest, OutOfRangeIdsAndWorkersAreIgnored) {
  MetricsRegistry m;
  m.setWorkers(1);
  m.onRequest(5, {0, 0, 200, 1, false, false});  // unknown worker
  m.onRequest(0, {MetricsRegistry::kMaxRoutes + 3, 0, 200, 1, false, false});
  m.onConnectionOpen(9);
  EXPECT_EQ(m.openConnections(), 0);
}

TEST(ProxyMetricsTest, OverflowNamesShareLastId) {
  MetricsRegistry m;
  std::uint32_t last = 0;
  for (std::uint32_t i = 0; i < MetricsRegistry::kMaxUpstreams + 10; ++i)
    last = m.upstreamId("u" + std::to_string(i));
  EXPECT_EQ(last, MetricsRegistry::kMaxUpstreams - 1);
  m.onRequest(0, {m.routeId("r"), last, 200, 1, false, false});
  EXPECT_TRUE(contains(render(m), "upstream=\"<overflow>\""));
}

TEST(ProxyMetricsTest, EscapesLabelValues) {
  EXPECT_EQ(escapeLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  MetricsRegistry m;
  m.onRequest(0, {m.routeId("we\"ird"), m.upstreamId("u"), 200, 1, false, false});
  EXPECT_TRUE(contains(render(m), "route=\"we\\\"ird\""));
}

TEST(ProxyMetricsTest, ControlGauges) {
  std::vector<RouteStatus> routes(2);
  routes[0].name = "catalog";
  routes[0].state = RouteState::kCanary;
  routes[0].weight = 2500;
  routes[1].name = "orders";
  routes[1].state = RouteState::kMigrated;
  std::vector<UpstreamStatus> ups(1);
  ups[0].name = "catalog-svc";
  ups[0].draining = true;
  ups[0].endpoints = {{"127.0.0.1:1", true, false}, {"127.0.0.1:2", true, true}};
  ups[0].open_connections = 7;
  ups[0].max_connections = 100;
  ups[0].connection_overflows = 3;
  std::string out;
  renderControlGauges(routes, ups, out);
  EXPECT_TRUE(contains(out, "strangler_route_weight{route=\"catalog\"} 0.25\n")) << out;
  EXPECT_TRUE(contains(out, "strangler_route_weight{route=\"orders\"} 1\n"));
  EXPECT_TRUE(contains(out, "strangler_route_state{route=\"catalog\",state=\"canary\"} 1\n"));
  EXPECT_TRUE(contains(out, "strangler_route_state{route=\"catalog\",state=\"legacy\"} 0\n"));
  EXPECT_TRUE(contains(out, "strangler_upstream_draining{upstream=\"catalog-svc\"} 1\n"));
  EXPECT_TRUE(contains(out,
      "strangler_upstream_healthy{upstream=\"catalog-svc\",endpoint=\"127.0.0.1:1\"} 1\n"));
  EXPECT_TRUE(contains(out,
      "strangler_upstream_healthy{upstream=\"catalog-svc\",endpoint=\"127.0.0.1:2\"} 0\n"));
  EXPECT_TRUE(contains(out, "# TYPE strangler_upstream_open_connections gauge\n"));
  EXPECT_TRUE(contains(out, "strangler_upstream_open_connections{upstream=\"catalog-svc\"} 7\n"));
  EXPECT_TRUE(contains(out, "strangler_upstream_max_connections{upstream=\"catalog-svc\"} 100\n"));
  EXPECT_TRUE(contains(out, "strangler_upstream_connection_overflows_total{upstream=\"catalog-svc\"} 3\n"));
}

}  // namespace
}  // namespace strangler
