// Comparing a decomposition with a ground truth.
//
// MoJo (Tzerpos & Holt 1999): the least number of Move (an object to another
// cluster, possibly a new one) and Join (two clusters) operations turning
// partition A into partition B. mno(A, B) is computed with Wen & Tzerpos'
// optimal algorithm (IWPC 2003): tag each object of A with its B cluster, let
// every A cluster keep its most frequent tag(s), and find a maximum bipartite
// matching between A clusters and B clusters over those "max tag" edges; then
//   moves = sum_i (|A_i| - max_j |A_i ∩ B_j|),  joins = l - g,
// with l the number of A clusters and g the matching size.
//
// MoJoFM (Wen & Tzerpos 2004): (1 - mno(A,B) / max_A mno(A,B)) * 100, where
// the maximum over all partitions A of the same objects is n - g_max and
// g_max is found greedily from B's cluster sizes in ascending order.
//
// c2c coverage (Bittencourt & Guerrero 2009; as used by Garcia et al. 2013):
// c2c(a, b) = |a ∩ b| / max(|a|, |b|);
// c2c_cvg(A, B) = |{a in A : exists b in B with c2c(a, b) > th}| / |B| * 100.
//
// Partitions are label vectors over the same n objects (label = cluster id).
#pragma once

#include <cstdint>
#include <vector>

namespace seam::decomposer {

/// mno(A, B): one-directional MoJo distance from A to B.
int64_t mojoDistance(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b);
/// max over all partitions A of mno(A, B).
int64_t maxMojoDistance(const std::vector<uint32_t>& b);
/// MoJoFM(A, B) in percent; 100 when B has a single object or A equals B.
double mojoFm(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b);
/// c2c_cvg(A, B) in percent, threshold in 0..1 (0.5 = the usual 50%).
double c2cCoverage(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b, double threshold = 0.5);

}  // namespace seam::decomposer
