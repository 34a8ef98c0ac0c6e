// Metrics against hand-computed values; MoJo against brute force.
#include "seam/decomposer/metrics.h"

#include <gtest/gtest.h>

#include <map>
#include <queue>
#include <random>
#include <set>

#include "seam/decomposer/mojo.h"
#include "seam/decomposer/ownership.h"

namespace seam::decomposer {
namespace {

// a -> b -> c, a -> c inside {a, b, c}; c -> d across; d -> e inside {d, e}.
CouplingGraph smallGraph() {
  CouplingGraph g;
  for (const char* n : {"a", "b", "c", "d", "e"}) {
    NodeInfo info;
    info.name = info.module = n;
    info.classes = 1;
    g.name_index[n] = boost::add_vertex(info, g.graph);
    g.tables.emplace_back();
    g.routes.emplace_back();
  }
  auto dep = [&](size_t f, size_t t, double w) {
    g.addWeight(f, t, {w, w, 0, 0});
    Dependency d;
    d.from = f, d.to = t, d.weight = w, d.calls = 1, d.kinds["call"] = 1;
    g.dependencies.push_back(d);
  };
  dep(0, 1, 2);
  dep(1, 2, 1);
  dep(0, 2, 1);
  dep(2, 3, 1);
  dep(3, 4, 3);
  // Calls (symbol level): callee ids are arbitrary distinct numbers.
  g.calls = {{0, 1, 101, 1, 4}, {1, 2, 102, 2, 2}, {2, 3, 103, 3, 1}, {2, 3, 104, 3, 1}, {3, 4, 105, 4, 2},
             {0, 0, 106, 5, 3}};
  return g;
}

TEST(DecomposerMetrics, TurboMqByHand) {
  CouplingGraph g = smallGraph();
  // Cluster {a,b,c}: intra 4, inter 1 -> 8/9. Cluster {d,e}: intra 3, inter 1 -> 6/7.
  EXPECT_NEAR(turboMq(g, {0, 0, 0, 1, 1}), 8.0 / 9 + 6.0 / 7, 1e-12);
  // Singletons: no intra weight anywhere -> 0.
  EXPECT_NEAR(turboMq(g, {0, 1, 2, 3, 4}), 0.0, 1e-12);
}

TEST(DecomposerMetrics, StructuralModularityByHand) {
  CouplingGraph g = smallGraph();
  // scoh = 3/9 and 1/4; scop(0,1) = 1 / (2*3*2); K = 2.
  double expected = (3.0 / 9 + 1.0 / 4) / 2 - (1.0 / 12) / 1;
  EXPECT_NEAR(structuralModularity(g, {0, 0, 0, 1, 1}), expected, 1e-12);
}

TEST(DecomposerMetrics, IcpAndIfnByHand) {
  CouplingGraph g = smallGraph();
  // Calls total 4+2+1+1+2+3 = 13; across {abc}|{de}: 1+1 = 2.
  EXPECT_NEAR(interPartitionCallPercentage(g, {0, 0, 0, 1, 1}), 2.0 / 13, 1e-12);
  // Interfaces: service 1 exposes callees 103 and 104; service 0 none -> 2/2.
  EXPECT_NEAR(interfaceNumber(g, {0, 0, 0, 1, 1}), 1.0, 1e-12);
}

TEST(DecomposerMetrics, NedCountsClassesOutsideFiveToTwenty) {
  CouplingGraph g = smallGraph();
  for (size_t v = 0; v < 5; ++v) g.graph[v].classes = v < 3 ? 2 : 10;  // 6 and 20 classes
  EXPECT_NEAR(nonExtremeDistribution(g, {0, 0, 0, 1, 1}), 0.0, 1e-12);
  g.graph[0].classes = 0;  // 4 and 20: the first is extreme
  EXPECT_NEAR(nonExtremeDistribution(g, {0, 0, 0, 1, 1}), 1 - 20.0 / 24, 1e-12);
}

TEST(DecomposerMetrics, BcpIsMeanRouteEntropy) {
  CouplingGraph g = smallGraph();
  g.route_reach = {{0, 1}, {1, 3}};
  // Service 0 {a,b,c}: route0 reaches 2 nodes, route1 one -> H(2/3, 1/3).
  // Service 1 {d,e}: only route1 -> 0.
  double h = -(2.0 / 3) * std::log2(2.0 / 3) - (1.0 / 3) * std::log2(1.0 / 3);
  EXPECT_NEAR(businessContextPurity(g, {0, 0, 0, 1, 1}), h / 2, 1e-12);
}

TEST(DecomposerMetrics, TableMetricsUseOwnership) {
  CouplingGraph g = smallGraph();
  g.tables[0]["t"].writes = 2;
  g.tables[3]["t"].writes = 1;
  g.tables[4]["t"].reads = 4;
  g.tables[1]["u"].writes = 1;
  Metrics m = computeMetrics(g, {0, 0, 0, 1, 1});
  EXPECT_NEAR(m.single_writer_share, 0.5, 1e-12);  // t has two writing services, u one
  EXPECT_EQ(m.cross_service_table_accesses, 5);    // service 1's 1 write + 4 reads of t (owned by 0)
}

TEST(DecomposerMetrics, OwnerIsTheCreatorThenTheMostWrites) {
  CouplingGraph g = smallGraph();
  g.tables[3]["v"].creates = 1;  // d's own schema
  g.tables[3]["v"].writes = 1;
  g.tables[0]["v"].writes = 3;   // a writes it more, but does not define it
  g.tables[0]["w"].writes = 1;
  g.tables[4]["w"].writes = 2;
  g.tables[1]["x"].reads = 1;
  g.tables[3]["x"].reads = 1;    // tie: only reads, one each -> first service by index
  std::map<std::string, TableOwnership> by;
  for (auto& t : assignTableOwners(g, {0, 0, 0, 1, 1})) by[t.table] = t;
  EXPECT_EQ(by["v"].owner, 1u);
  EXPECT_EQ(by["w"].owner, 1u);
  EXPECT_EQ(by["x"].owner, 0u);
  EXPECT_NE(by["x"].reason.find("tie"), std::string::npos);
  // The shared kernel owns a table only when nobody else touches it.
  g.tables[2]["y"].creates = 1;
  g.tables[2]["y"].writes = 5;
  g.tables[4]["y"].reads = 1;
  for (auto& t : assignTableOwners(g, {0, 0, 2, 1, 1}, {2})) by[t.table] = t;
  EXPECT_EQ(by["y"].owner, 1u);
}

// --- MoJo -----------------------------------------------------------------

using Partition = std::vector<std::set<int>>;

// Canonical form of a partition of objects 0..n-1 as labels by first appearance.
std::vector<uint32_t> canon(const std::vector<uint32_t>& labels) {
  std::map<uint32_t, uint32_t> m;
  std::vector<uint32_t> out;
  for (uint32_t l : labels) out.push_back(m.emplace(l, static_cast<uint32_t>(m.size())).first->second);
  return out;
}

// Breadth-first search over Move and Join operations: the true MoJo distance.
int bruteMojo(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  const size_t n = a.size();
  std::map<std::vector<uint32_t>, int> dist;
  std::queue<std::vector<uint32_t>> q;
  auto target = canon(b);
  dist[canon(a)] = 0;
  q.push(canon(a));
  while (!q.empty()) {
    auto cur = q.front();
    q.pop();
    int d = dist[cur];
    if (cur == target) return d;
    uint32_t k = *std::max_element(cur.begin(), cur.end()) + 1;
    std::vector<std::vector<uint32_t>> next;
    for (size_t o = 0; o < n; ++o) {
      for (uint32_t c = 0; c <= k; ++c) {  // c == k: a new cluster
        if (c == cur[o]) continue;
        auto x = cur;
        x[o] = c;
        next.push_back(canon(x));
      }
    }
    for (uint32_t c1 = 0; c1 < k; ++c1) {
      for (uint32_t c2 = c1 + 1; c2 < k; ++c2) {
        auto x = cur;
        for (auto& l : x) if (l == c2) l = c1;
        next.push_back(canon(x));
      }
    }
    for (auto& x : next) {
      if (dist.emplace(x, d + 1).second) q.push(x);
    }
  }
  return -1;
}

// All partitions of n objects as restricted growth strings.
void allPartitions(size_t n, std::vector<uint32_t>& cur, std::vector<std::vector<uint32_t>>& out) {
  if (cur.size() == n) {
    out.push_back(cur);
    return;
  }
  uint32_t k = cur.empty() ? 0 : *std::max_element(cur.begin(), cur.end()) + 1;
  for (uint32_t c = 0; c <= k; ++c) {
    cur.push_back(c);
    allPartitions(n, cur, out);
    cur.pop_back();
  }
}

TEST(DecomposerMojo, OptimalAlgorithmEqualsBruteForceOnAllPairsOfFiveObjects) {
  std::vector<std::vector<uint32_t>> parts;
  std::vector<uint32_t> cur;
  allPartitions(5, cur, parts);  // 52 partitions (Bell number B5)
  ASSERT_EQ(parts.size(), 52u);
  for (const auto& b : parts) {
    int64_t max_seen = 0;
    for (const auto& a : parts) {
      int64_t fast = mojoDistance(a, b);
      ASSERT_EQ(fast, bruteMojo(a, b));
      max_seen = std::max(max_seen, fast);
    }
    // The closed form of max mno(all A, B) used by MoJoFM.
    ASSERT_EQ(maxMojoDistance(b), max_seen);
  }
}

TEST(DecomposerMojo, MojoFmOnKnownExamples) {
  // Identical partitions -> 100; A one cluster vs B of singletons -> 0 (A is the farthest).
  std::vector<uint32_t> b{0, 0, 0, 1, 1, 1, 2, 2};
  EXPECT_DOUBLE_EQ(mojoFm(b, b), 100.0);
  EXPECT_DOUBLE_EQ(mojoFm({0, 1, 2, 3}, {0, 1, 2, 3}), 100.0);
  // Tzerpos & Holt's example shape: one object misplaced costs one move.
  // B = {1,2,3}{4,5,6}{7,8}; A moves object 3 into the second cluster.
  std::vector<uint32_t> a{0, 0, 1, 1, 1, 1, 2, 2};
  EXPECT_EQ(mojoDistance(a, b), 1);
  // max mno(., B): sizes 2,3,3 -> g = 3, n - g = 5.
  EXPECT_EQ(maxMojoDistance(b), 5);
  EXPECT_DOUBLE_EQ(mojoFm(a, b), (1 - 1.0 / 5) * 100);
}

TEST(DecomposerMojo, C2cCoverage) {
  // Truth {0,1,2,3}{4,5}{6,7}; result {0,1,2}{3,4,5}{6,7}.
  std::vector<uint32_t> truth{0, 0, 0, 0, 1, 1, 2, 2}, result{0, 0, 0, 1, 1, 1, 2, 2};
  // c2c: {0,1,2} vs {0..3}: 3/4 > .5 yes; {3,4,5} vs {4,5}: 2/3 yes; {6,7}: 1.
  EXPECT_DOUBLE_EQ(c2cCoverage(result, truth, 0.5), 100.0);
  // At a 0.7 threshold only two of the three recovered clusters match.
  EXPECT_NEAR(c2cCoverage(result, truth, 0.7), 200.0 / 3, 1e-9);
}

}  // namespace
}  // namespace seam::decomposer
