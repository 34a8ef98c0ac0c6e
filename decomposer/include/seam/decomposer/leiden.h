// Leiden community detection (Traag, Waltman & van Eck, "From Louvain to
// Leiden: guaranteeing well-connected communities", Sci. Rep. 9, 2019).
//
//   repeat until no node moves:
//     fast local moving (queue)   -> partition P
//     refinement of P             -> partition R (R refines P; well-connected)
//     aggregate by R, start the next level from P
//
// Quality functions: modularity with resolution gamma (normalised by 2m, as in
// the paper) and the Constant Potts Model. Everything random comes from one
// std::mt19937_64 seeded by LeidenOptions::seed, and every loop is in index
// order, so equal inputs and seeds give equal outputs on every platform.
//
// Constraints: `together` groups are contracted into one node before the
// search (so they can never be split); `apart` pairs tag nodes and a move is
// refused if the target community holds the other side of a pair. The
// refinement only splits communities, so it cannot violate either.
#pragma once

#include <cstdint>
#include <tuple>
#include <utility>
#include <vector>

#include "seam/decomposer/coupling_graph.h"
#include "seam/decomposer/status.h"

namespace seam::decomposer {

/// Compressed adjacency (CSR) used by the algorithm. Undirected: each edge is
/// listed under both endpoints; self-loops are kept apart in `self_loops`
/// (a loop of weight w adds 2w to the node's degree, as in igraph).
struct LeidenGraph {
  std::vector<uint64_t> offsets;  ///< size n + 1
  std::vector<uint32_t> neighbors;
  std::vector<double> weights;
  std::vector<double> self_loops;  ///< size n
  std::vector<double> node_size;   ///< size n; CPM's node weights (1 per original node)

  size_t size() const { return self_loops.size(); }
  double degree(size_t v) const;
  /// Merges parallel edges; drops edges with weight <= 0. Loops go to self_loops.
  static LeidenGraph fromEdges(size_t n, const std::vector<std::tuple<uint32_t, uint32_t, double>>& edges);
};

/// The Boost.Graph coupling graph in CSR form (vertex i -> node i).
LeidenGraph toLeidenGraph(const UndirectedGraph& g);

enum class Quality { kModularity, kCpm };

struct LeidenOptions {
  Quality quality = Quality::kModularity;
  double resolution = 1.0;  ///< gamma
  uint64_t seed = 1;
  int max_iterations = -1;  ///< outer iterations; -1 = until no node moves
  double theta = 0.01;      ///< randomness of the refinement (paper's theta)
  std::vector<std::vector<uint32_t>> together;        ///< node groups kept in one community
  std::vector<std::pair<uint32_t, uint32_t>> apart;   ///< pairs kept in different communities
};

struct LeidenResult {
  std::vector<uint32_t> membership;  ///< community per node, numbered by first node
  size_t communities = 0;
  double quality = 0;  ///< modularity (gamma = resolution) or CPM value
  int iterations = 0;
};

/// Fails (kConflict) when a pair is both together and apart, or on
/// out-of-range node indexes; (kBadArgument) on a negative or non-finite resolution.
Expected<LeidenResult> leiden(const LeidenGraph& graph, const LeidenOptions& options);

/// Newman's weighted modularity with resolution gamma:
///   Q = 1/(2m) * sum_ij (A_ij - gamma * k_i k_j / (2m)) * delta(c_i, c_j)
double modularity(const LeidenGraph& graph, const std::vector<uint32_t>& membership, double gamma = 1.0);
/// CPM: sum_c (e_c - gamma * n_c (n_c - 1) / 2), e_c the internal edge weight.
double cpmQuality(const LeidenGraph& graph, const std::vector<uint32_t>& membership, double gamma);

/// Stability of each node over several runs: the fraction of runs in which the
/// node's community, mapped to the consensus community it overlaps most, is the
/// node's consensus community. `runs` must all have the consensus's size.
std::vector<double> stability(const std::vector<uint32_t>& consensus, const std::vector<std::vector<uint32_t>>& runs);

}  // namespace seam::decomposer
