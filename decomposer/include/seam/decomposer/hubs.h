// Hub (utility) detection: nodes that most others depend on while depending on
// few themselves, like src/common. Gluing them into one service would make it
// a god service; they are reported as shared-kernel candidates instead and,
// by default, left out of the clustering.
//
// A node v is a hub when (directed structural dependencies, distinct nodes):
//   fan_in(v)  >= max(2, ceil(min_fan_in_share * (n - 1)))   and
//   I(v) = fan_out / (fan_in + fan_out) <= max_instability    (Martin's instability)
// and the graph has at least 4 nodes.
#pragma once

#include <cstddef>
#include <vector>

#include "seam/decomposer/coupling_graph.h"

namespace seam::decomposer {

struct HubOptions {
  double min_fan_in_share = 0.5;
  double max_instability = 0.25;
};

struct NodeFan {
  size_t node = 0;
  size_t fan_in = 0;
  size_t fan_out = 0;
  double instability = 0;
};

/// Fan-in/out of every node (distinct neighbours over dependencies with weight > 0).
std::vector<NodeFan> fans(const CouplingGraph& g);
/// The hubs, in node order.
std::vector<NodeFan> detectHubs(const CouplingGraph& g, const HubOptions& options = {});

}  // namespace seam::decomposer
