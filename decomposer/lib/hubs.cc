#include "seam/decomposer/hubs.h"

#include <cmath>
#include <set>

namespace seam::decomposer {

std::vector<NodeFan> fans(const CouplingGraph& g) {
  std::vector<std::set<size_t>> in(g.size()), out(g.size());
  for (const Dependency& d : g.dependencies) {
    if (d.from == d.to || !(d.weight > 0)) continue;
    out[d.from].insert(d.to);
    in[d.to].insert(d.from);
  }
  std::vector<NodeFan> result(g.size());
  for (size_t v = 0; v < g.size(); ++v) {
    NodeFan& f = result[v];
    f.node = v;
    f.fan_in = in[v].size();
    f.fan_out = out[v].size();
    f.instability = f.fan_in + f.fan_out > 0 ? static_cast<double>(f.fan_out) / (f.fan_in + f.fan_out) : 0;
  }
  return result;
}

std::vector<NodeFan> detectHubs(const CouplingGraph& g, const HubOptions& options) {
  std::vector<NodeFan> hubs;
  const size_t n = g.size();
  if (n < 4) return hubs;
  size_t min_in = std::max<size_t>(2, static_cast<size_t>(std::ceil(options.min_fan_in_share * (n - 1))));
  for (const NodeFan& f : fans(g)) {
    if (f.fan_in >= min_in && f.instability <= options.max_instability) hubs.push_back(f);
  }
  return hubs;
}

std::vector<NodeFan> detectCompositionRoots(const CouplingGraph& g, const std::set<size_t>& hubs,
                                           const RootOptions& options) {
  std::vector<NodeFan> roots;
  const size_t n = g.size() - std::min(hubs.size(), g.size());
  if (n < 4) return roots;
  size_t min_out = std::max<size_t>(2, static_cast<size_t>(std::ceil(options.min_fan_out_share * (n - 1))));
  // Fan-out to hubs does not count: every module calls the kernel.
  std::vector<std::set<size_t>> out(g.size());
  for (const Dependency& d : g.dependencies) {
    if (d.from != d.to && d.weight > 0 && !hubs.count(d.to)) out[d.from].insert(d.to);
  }
  for (const NodeFan& f : fans(g)) {
    if (hubs.count(f.node) || f.fan_in != 0) continue;
    if (out[f.node].size() >= min_out) roots.push_back(f);
  }
  return roots;
}

}  // namespace seam::decomposer
