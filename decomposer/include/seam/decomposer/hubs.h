// Hub (utility) detection: nodes that most others depend on while depending on
// few themselves, like src/common. Gluing them into one service would make it
// a god service; they are reported as shared-kernel candidates instead and,
// by default, left out of the clustering.
//
// A node v is a hub when (directed structural dependencies, distinct nodes):
//   fan_in(v)  >= max(2, ceil(min_fan_in_share * (n - 1)))   and
//   I(v) = fan_out / (fan_in + fan_out) <= max_instability    (Martin's instability)
// and the graph has at least 4 nodes.
//
// Composition roots are the mirror image: main(), the wiring that registers
// every module's routes, seeding, a test or load driver. Nobody depends on
// them and they depend on most others, so clustering them would glue the
// services they wire into one (or invent a service made of main.cc). A node
// v is a composition root when, with hubs left out of n and of fan_out,
//   fan_in(v) == 0   and   fan_out(v) >= max(2, ceil(min_fan_out_share * (n - 1)))
// and n >= 4. They are reported, not clustered.
#pragma once

#include <cstddef>
#include <set>
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

struct RootOptions {
  double min_fan_out_share = 0.5;
};

/// Fan-in/out of every node (distinct neighbours over dependencies with weight > 0).
std::vector<NodeFan> fans(const CouplingGraph& g);
/// The hubs, in node order.
std::vector<NodeFan> detectHubs(const CouplingGraph& g, const HubOptions& options = {});
/// The composition roots, in node order. `hubs` are left out of n and of the
/// fan-out (everything depends on the kernel; that makes no node a root).
std::vector<NodeFan> detectCompositionRoots(const CouplingGraph& g, const std::set<size_t>& hubs = {},
                                           const RootOptions& options = {});

}  // namespace seam::decomposer
