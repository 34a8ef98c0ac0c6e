// Leiden: planted partitions, determinism, constraints, quality values.
#include "seam/decomposer/leiden.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace seam::decomposer {
namespace {

using Edges = std::vector<std::tuple<uint32_t, uint32_t, double>>;

// k groups of size s: dense inside (p_in), sparse across (p_out).
Edges planted(uint32_t k, uint32_t s, double p_in, double p_out, uint64_t seed) {
  std::mt19937_64 gen(seed);
  Edges e;
  for (uint32_t a = 0; a < k * s; ++a) {
    for (uint32_t b = a + 1; b < k * s; ++b) {
      double p = a / s == b / s ? p_in : p_out;
      if (static_cast<double>(gen() >> 11) * 0x1.0p-53 < p) e.emplace_back(a, b, 1.0);
    }
  }
  return e;
}

TEST(DecomposerLeiden, ModularityOfTwoTrianglesMatchesHandComputation) {
  // Two triangles joined by one edge: m = 7; each triangle has 3 internal
  // edges and degree sum 7: Q = 2 * (6/14 - (7/14)^2) = 0.357142857...
  LeidenGraph g = LeidenGraph::fromEdges(6, {{0, 1, 1}, {1, 2, 1}, {0, 2, 1}, {3, 4, 1}, {4, 5, 1}, {3, 5, 1}, {2, 3, 1}});
  EXPECT_NEAR(modularity(g, {0, 0, 0, 1, 1, 1}), 2 * (6.0 / 14 - 0.25), 1e-12);
  EXPECT_NEAR(modularity(g, {0, 0, 0, 0, 0, 0}), 0.0, 1e-12);
  auto r = leiden(g, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->communities, 2u);
  EXPECT_EQ(r->membership, (std::vector<uint32_t>{0, 0, 0, 1, 1, 1}));
  EXPECT_NEAR(r->quality, 2 * (6.0 / 14 - 0.25), 1e-12);
}

TEST(DecomposerLeiden, RecoversPlantedPartitionExactly) {
  const uint32_t k = 8, s = 25;
  LeidenGraph g = LeidenGraph::fromEdges(k * s, planted(k, s, 0.5, 0.01, 7));
  auto r = leiden(g, {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->communities, k);
  for (uint32_t v = 0; v < k * s; ++v) EXPECT_EQ(r->membership[v], r->membership[(v / s) * s]) << v;
  std::set<uint32_t> distinct;
  for (uint32_t c = 0; c < k; ++c) distinct.insert(r->membership[c * s]);
  EXPECT_EQ(distinct.size(), k);
}

TEST(DecomposerLeiden, SameSeedSameResultAndCommunitiesAreConnected) {
  LeidenGraph g = LeidenGraph::fromEdges(300, planted(10, 30, 0.15, 0.02, 3));
  LeidenOptions o;
  o.seed = 42;
  auto a = leiden(g, o), b = leiden(g, o);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->membership, b->membership);
  EXPECT_EQ(a->quality, b->quality);
  // Leiden's guarantee: every community induces a connected subgraph.
  for (uint32_t c = 0; c < a->communities; ++c) {
    std::vector<uint32_t> members;
    for (uint32_t v = 0; v < g.size(); ++v) if (a->membership[v] == c) members.push_back(v);
    std::set<uint32_t> seen{members[0]};
    std::vector<uint32_t> stack{members[0]};
    while (!stack.empty()) {
      uint32_t v = stack.back();
      stack.pop_back();
      for (uint64_t e = g.offsets[v]; e < g.offsets[v + 1]; ++e) {
        uint32_t u = g.neighbors[e];
        if (a->membership[u] == c && seen.insert(u).second) stack.push_back(u);
      }
    }
    EXPECT_EQ(seen.size(), members.size()) << "community " << c << " is disconnected";
  }
}

TEST(DecomposerLeiden, HigherResolutionGivesMoreCommunities) {
  LeidenGraph g = LeidenGraph::fromEdges(200, planted(4, 50, 0.2, 0.02, 5));
  LeidenOptions lo, hi;
  lo.resolution = 0.05;
  hi.resolution = 4.0;
  auto a = leiden(g, lo), b = leiden(g, hi);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_LT(a->communities, b->communities);
}

TEST(DecomposerLeiden, CpmRecoversCliques) {
  Edges e;
  for (uint32_t c = 0; c < 3; ++c)
    for (uint32_t a = 0; a < 5; ++a)
      for (uint32_t b = a + 1; b < 5; ++b) e.emplace_back(c * 5 + a, c * 5 + b, 1.0);
  e.emplace_back(4, 5, 1.0);
  e.emplace_back(9, 10, 1.0);
  LeidenGraph g = LeidenGraph::fromEdges(15, e);
  LeidenOptions o;
  o.quality = Quality::kCpm;
  o.resolution = 0.5;
  auto r = leiden(g, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->communities, 3u);
  // CPM = sum_c e_c - gamma * n_c (n_c - 1) / 2 = 3 * (10 - 0.5 * 10)
  EXPECT_NEAR(r->quality, 15.0, 1e-9);
}

TEST(DecomposerLeiden, PinAndApartConstraintsHold) {
  LeidenGraph g = LeidenGraph::fromEdges(200, planted(4, 50, 0.3, 0.01, 11));
  LeidenOptions o;
  o.together = {{0, 60}};  // different planted groups, kept together
  o.apart = {{100, 101}};  // same planted group, kept apart
  auto r = leiden(g, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->membership[0], r->membership[60]);
  EXPECT_NE(r->membership[100], r->membership[101]);
}

TEST(DecomposerLeiden, ContradictoryConstraintsAreAnError) {
  LeidenGraph g = LeidenGraph::fromEdges(4, {{0, 1, 1}, {2, 3, 1}});
  LeidenOptions o;
  o.together = {{0, 1}, {1, 2}};
  o.apart = {{0, 2}};
  auto r = leiden(g, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  LeidenOptions bad;
  bad.resolution = -1;
  EXPECT_FALSE(leiden(g, bad).ok());
}

TEST(DecomposerLeiden, StabilityCountsRunsAgreeingWithConsensus) {
  std::vector<uint32_t> consensus{0, 0, 1, 1};
  std::vector<std::vector<uint32_t>> runs{{0, 0, 1, 1}, {5, 5, 7, 7}, {0, 1, 1, 1}};
  std::vector<double> s = stability(consensus, runs);
  EXPECT_DOUBLE_EQ(s[0], 1.0);
  EXPECT_DOUBLE_EQ(s[1], 2.0 / 3);  // third run puts node 1 with the other community
  EXPECT_DOUBLE_EQ(s[2], 1.0);
}

TEST(DecomposerLeiden, EmptyAndEdgelessGraphs) {
  auto r = leiden(LeidenGraph::fromEdges(0, {}), {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->communities, 0u);
  auto s = leiden(LeidenGraph::fromEdges(3, {}), {});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->communities, 3u);
}

}  // namespace
}  // namespace seam::decomposer
