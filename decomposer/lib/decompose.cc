#include "seam/decomposer/decompose.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <sstream>
#include <string_view>

#include "seam/decomposer/mojo.h"

namespace seam::decomposer {
namespace {

struct Clustering {
  std::vector<uint32_t> membership;
  std::vector<double> stability;
  double resolution = 1;
  double quality = 0;
  size_t communities = 0;
};

struct Constraints {
  std::vector<std::vector<uint32_t>> together;
  std::vector<std::pair<uint32_t, uint32_t>> apart;
  std::map<uint32_t, std::string> fixed_service;  // clustered node -> fixed service name
};

// Union-find over node ids, path halving (iterative: graphs have 100k+ nodes).
class DisjointSets {
 public:
  explicit DisjointSets(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0u); }
  uint32_t find(uint32_t v) {
    while (parent_[v] != v) v = parent_[v] = parent_[parent_[v]];
    return v;
  }
  void join(uint32_t a, uint32_t b) { parent_[find(a)] = find(b); }

 private:
  std::vector<uint32_t> parent_;
};

// Runs K seeds at one resolution; the best quality run is the consensus.
Expected<Clustering> clusterSeeds(const LeidenGraph& lg, const DecomposeOptions& o, const Constraints& c,
                                  double resolution) {
  LeidenOptions lo;
  lo.quality = o.quality;
  lo.resolution = resolution;
  lo.together = c.together;
  lo.apart = c.apart;
  std::vector<std::vector<uint32_t>> runs;
  Clustering best;
  best.quality = -INFINITY;
  for (int k = 0; k < std::max(1, o.seeds); ++k) {
    lo.seed = o.seed + static_cast<uint64_t>(k);
    Expected<LeidenResult> r = leiden(lg, lo);
    if (!r) return r.error();
    if (r->quality > best.quality) {
      best.membership = r->membership;
      best.quality = r->quality;
      best.communities = r->communities;
    }
    runs.push_back(std::move(r->membership));
  }
  best.resolution = resolution;
  best.stability = stability(best.membership, runs);
  return best;
}

// The services --services counts: communities holding coupled code. A node
// without any edge (all its coupling went to the kernel) is alone whatever
// the resolution, so counting it would let a search for N services end in
// one giant community plus the uncoupled nodes.
size_t coupledCommunities(const LeidenGraph& lg, const std::vector<uint32_t>& membership) {
  std::set<uint32_t> communities;
  for (size_t v = 0; v < lg.size(); ++v) {
    if (lg.degree(v) > 0) communities.insert(membership[v]);
  }
  return communities.size();
}

// Connected parts of the coupled nodes: no resolution merges two of them.
size_t coupledComponents(const LeidenGraph& lg) {
  DisjointSets parts(lg.size());
  for (size_t v = 0; v < lg.size(); ++v) {
    for (uint64_t e = lg.offsets[v]; e < lg.offsets[v + 1]; ++e) parts.join(static_cast<uint32_t>(v), lg.neighbors[e]);
  }
  std::set<uint32_t> roots;
  for (size_t v = 0; v < lg.size(); ++v) {
    if (lg.degree(v) > 0) roots.insert(parts.find(static_cast<uint32_t>(v)));
  }
  return roots.size();
}

// Bisection on the resolution for `target` coupled communities (more with
// higher gamma).
Expected<Clustering> clusterToCount(const LeidenGraph& lg, const DecomposeOptions& o, const Constraints& c,
                                    size_t target, std::vector<std::string>& notes) {
  DecomposeOptions single = o;
  single.seeds = 1;
  auto count = [&](double gamma) -> Expected<Clustering> { return clusterSeeds(lg, single, c, gamma); };
  auto services = [&](const Clustering& r) { return coupledCommunities(lg, r.membership); };
  double lo = 0, hi = 1;
  Expected<Clustering> at_hi = count(hi);
  if (!at_hi) return at_hi.error();
  for (int i = 0; i < 30 && services(*at_hi) < target; ++i) {
    lo = hi;
    hi *= 2;
    at_hi = count(hi);
    if (!at_hi) return at_hi.error();
  }
  auto distance = [&](const Clustering& r) {
    size_t n = services(r);
    return n > target ? n - target : target - n;
  };
  double best_gamma = hi;
  size_t best_diff = distance(*at_hi);
  for (int i = 0; i < 40 && best_diff != 0; ++i) {
    double mid = (lo + hi) / 2;
    Expected<Clustering> r = count(mid);
    if (!r) return r.error();
    if (size_t diff = distance(*r); diff < best_diff) best_diff = diff, best_gamma = mid;
    if (services(*r) < target) lo = mid;
    else hi = mid;
  }
  if (size_t parts = coupledComponents(lg); target <= parts) {
    notes.push_back("the coupled code falls into " + std::to_string(parts) +
                    " unconnected parts: asking for " + std::to_string(target) +
                    " services or fewer gives one service per part");
  }
  if (best_diff != 0) {
    notes.push_back("no resolution gives exactly " + std::to_string(target) + " services; using the closest");
  }
  return clusterSeeds(lg, o, c, best_gamma);
}

std::string lastComponent(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  size_t pos = s.find_last_of("/:");
  return pos == std::string::npos ? s : s.substr(pos + 1);
}

// Service labels ordered by name, kernel last.
void nameServices(Decomposition& d, const std::vector<uint32_t>& raw, size_t clusters,
                  const std::map<uint32_t, std::string>& fixed_by_node, const std::vector<size_t>& old_index) {
  std::vector<std::string> names(clusters);
  std::vector<int64_t> best_lines(clusters, -1);
  for (const auto& [v, name] : fixed_by_node) names[raw[v]] = name;
  for (size_t v = 0; v < raw.size(); ++v) {
    const NodeInfo& info = d.graph.node(old_index[v]);
    int64_t size = std::max<int64_t>(info.lines, 0) * 1000 + info.symbols;
    if (!fixed_by_node.empty() && fixed_by_node.count(static_cast<uint32_t>(v))) continue;
    bool fixed_cluster = false;
    for (const auto& [fv, fname] : fixed_by_node) fixed_cluster |= raw[fv] == raw[v];
    if (fixed_cluster) continue;
    if (size > best_lines[raw[v]]) {
      best_lines[raw[v]] = size;
      names[raw[v]] = readableName(info.module.empty() ? info.name : info.module);
    }
  }
  std::map<std::string, int> seen;
  for (std::string& n : names) {
    if (n.empty() || n == "shared-kernel" || n == "outside-services") n = "service";
    int k = ++seen[n];
    if (k > 1) n += "-" + std::to_string(k);
  }
  // Order services by name.
  std::vector<uint32_t> order(clusters);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return names[a] < names[b]; });
  std::vector<uint32_t> rank(clusters);
  for (size_t i = 0; i < clusters; ++i) rank[order[i]] = static_cast<uint32_t>(i);
  d.service_names.clear();
  for (uint32_t c : order) d.service_names.push_back(names[c]);
  d.service.assign(d.graph.size(), 0);
  for (size_t v = 0; v < raw.size(); ++v) d.service[old_index[v]] = rank[raw[v]];
  if (!d.hubs.empty()) {
    d.kernel = static_cast<uint32_t>(d.service_names.size());
    d.service_names.push_back("shared-kernel");
    for (const NodeFan& h : d.hubs) d.service[h.node] = *d.kernel;
  }
  if (!d.roots.empty() || !d.excluded.empty()) {
    d.outside = static_cast<uint32_t>(d.service_names.size());
    d.service_names.push_back("outside-services");
    for (const NodeFan& r : d.roots) d.service[r.node] = *d.outside;
    for (size_t v : d.excluded) d.service[v] = *d.outside;
  }
}

Expected<Constraints> resolveConstraints(const CouplingGraph& cg, const DecomposeOptions& o) {
  Constraints c;
  auto lookup = [&](const std::string& name, const char* what) -> Expected<uint32_t> {
    auto v = cg.find(name);
    if (!v) return badArgument(std::string(what) + ": '" + name + "' is not a node of the graph (or is a hub; use --keep-hubs)");
    return static_cast<uint32_t>(*v);
  };
  DisjointSets pinned(cg.size());
  for (const auto& group : o.pin) {
    std::vector<uint32_t> ids;
    for (const std::string& name : group) {
      Expected<uint32_t> v = lookup(name, "--pin");
      if (!v) return v.error();
      ids.push_back(*v);
    }
    for (uint32_t v : ids) pinned.join(v, ids.front());
    c.together.push_back(std::move(ids));
  }
  std::map<std::string, std::vector<uint32_t>> fixed_groups;
  for (const auto& [name, service] : o.fixed) {
    Expected<uint32_t> v = lookup(name, "--fixed");
    if (!v) return v.error();
    fixed_groups[service].push_back(*v);
    c.fixed_service[*v] = service;
  }
  for (const auto& [service, ids] : fixed_groups) {
    for (uint32_t v : ids) pinned.join(v, ids.front());
    c.together.push_back(ids);
  }
  // Different fixed services stay apart.
  for (auto a = fixed_groups.begin(); a != fixed_groups.end(); ++a) {
    for (auto b = std::next(a); b != fixed_groups.end(); ++b) {
      if (pinned.find(a->second.front()) == pinned.find(b->second.front())) {
        return conflict("--fixed services '" + a->first + "' and '" + b->first + "' are pinned together");
      }
      c.apart.push_back({a->second.front(), b->second.front()});
    }
  }
  for (const auto& [x, y] : o.apart) {
    Expected<uint32_t> a = lookup(x, "--apart");
    if (!a) return a.error();
    Expected<uint32_t> b = lookup(y, "--apart");
    if (!b) return b.error();
    if (pinned.find(*a) == pinned.find(*b)) {
      return conflict("'" + x + "' and '" + y + "' must be apart but are pinned (or fixed) together");
    }
    c.apart.push_back({*a, *b});
  }
  return c;
}

std::vector<uint32_t> denseLabels(const std::vector<std::string>& keys) {
  std::map<std::string, uint32_t> ids;
  std::vector<uint32_t> out;
  for (const std::string& k : keys) out.push_back(ids.emplace(k, static_cast<uint32_t>(ids.size())).first->second);
  return out;
}

void addTruthMetrics(const CouplingGraph& g, const Truth& truth, const std::vector<uint32_t>& service, Metrics& m) {
  std::vector<uint32_t> a;
  std::vector<std::string> b;
  for (size_t v = 0; v < g.size(); ++v) {
    std::string cluster = truth.clusterOfNode(g.node(v));
    if (cluster.empty()) continue;
    a.push_back(service[v]);
    b.push_back(cluster);
  }
  if (a.empty()) return;
  std::vector<uint32_t> bl = denseLabels(b);
  m.mojofm = mojoFm(a, bl);
  m.c2c_coverage = c2cCoverage(a, bl, 0.5);
}

}  // namespace

std::string readableName(const std::string& module) { return lastComponent(module); }

std::vector<std::string> defaultExcludes() {
  return {"tests", "test", "testing", "tools", "bench", "benchmarks", "examples", "fuzz"};
}

bool hasPathComponent(const std::string& path, const std::vector<std::string>& components) {
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    std::string_view part(path.data() + start, slash - start);
    for (const std::string& c : components) {
      if (part == c) return true;
    }
    start = slash + 1;
  }
  return false;
}

std::set<uint32_t> nonServiceGroups(const Decomposition& d) {
  std::set<uint32_t> out;
  if (d.kernel) out.insert(*d.kernel);
  if (d.outside) out.insert(*d.outside);
  return out;
}

std::string directoryPrefix(const NodeInfo& node) {
  // File and class nodes of a fact store: their module (a directory).
  if (!node.module.empty() && node.module != node.name) return node.module;
  const std::string& s = node.name;
  size_t slash = s.rfind('/');
  std::string_view last = slash == std::string::npos ? std::string_view(s) : std::string_view(s).substr(slash + 1);
  // A file (its last component has an extension): its directory, "." at the root.
  if (last.find('.') != std::string_view::npos) return slash == std::string::npos ? "." : s.substr(0, slash);
  // A qualified class name: its namespace.
  if (size_t colons = s.rfind("::"); slash == std::string::npos && colons != std::string::npos) {
    return s.substr(0, colons);
  }
  return s;  // a module is a directory: its own group
}

Expected<Decomposition> decompose(CouplingGraph graph, const DecomposeOptions& o, const CouplingGraph* structure_only) {
  if (graph.size() == 0) return badInput("the coupling graph has no nodes");
  if (o.seeds < 1 || o.seeds > 1000) return badArgument("--seeds must be in 1..1000");
  if (!std::isfinite(o.resolution) || o.resolution < 0) return badArgument("--resolution must be a number >= 0");
  Decomposition d;
  d.options = o;
  d.graph = std::move(graph);
  if (o.truth) d.notes = o.truth->warnings;

  // Hubs, except nodes the user constrained explicitly.
  std::set<std::string> constrained;
  for (const auto& g : o.pin) constrained.insert(g.begin(), g.end());
  for (const auto& [a, b] : o.apart) constrained.insert(a), constrained.insert(b);
  for (const auto& [n, s] : o.fixed) constrained.insert(n);
  auto isConstrained = [&](const NodeFan& f) { return constrained.count(d.graph.node(f.node).name) > 0; };
  std::vector<NodeFan> hubs = detectHubs(d.graph, o.hubs);
  std::vector<NodeFan> all_hubs = hubs;
  std::erase_if(hubs, isConstrained);
  if (!o.keep_hubs) d.hubs = hubs;
  std::set<size_t> removed;
  for (const NodeFan& h : d.hubs) removed.insert(h.node);
  // Non-production code first (a test driver that calls everything is excluded
  // as such, not reported as a root), then composition roots.
  for (size_t v = 0; v < d.graph.size(); ++v) {
    const NodeInfo& n = d.graph.node(v);
    if (removed.count(v) || constrained.count(n.name)) continue;
    if (hasPathComponent(n.module.empty() ? n.name : n.module, o.exclude)) d.excluded.push_back(v);
  }
  removed.insert(d.excluded.begin(), d.excluded.end());
  if (!o.keep_roots) {
    std::set<size_t> hub_nodes;
    for (const NodeFan& h : all_hubs) hub_nodes.insert(h.node);
    for (const NodeFan& r : detectCompositionRoots(d.graph, hub_nodes, o.roots)) {
      if (!removed.count(r.node) && !isConstrained(r)) d.roots.push_back(r);
    }
  }
  for (const NodeFan& r : d.roots) removed.insert(r.node);
  if (removed.size() == d.graph.size()) {
    d.hubs.clear();
    d.roots.clear();
    d.excluded.clear();
    removed.clear();
    d.notes.push_back("every node is a hub, a composition root or excluded; clustering all of them");
  }
  std::vector<size_t> old_index;
  CouplingGraph clustered = d.graph.without(removed, &old_index);

  Expected<Constraints> constraints = resolveConstraints(clustered, o);
  if (!constraints) return constraints.error();
  LeidenGraph lg = toLeidenGraph(clustered.graph);
  size_t uncoupled = 0;
  for (size_t v = 0; v < lg.size(); ++v) uncoupled += lg.degree(v) > 0 ? 0 : 1;
  if (o.services && (*o.services == 0 || *o.services > clustered.size() - uncoupled)) {
    return conflict("--services " + std::to_string(*o.services) + " is impossible: the graph has " +
                    std::to_string(clustered.size() - uncoupled) + " clusterable nodes with coupling" +
                    (uncoupled ? " (and " + std::to_string(uncoupled) + " without)" : ""));
  }
  if (uncoupled > 0) {
    d.notes.push_back(std::to_string(uncoupled) +
                      " node(s) have no coupling once the shared kernel, composition roots and excluded code are "
                      "set aside: each is a service of its own, not counted by --services");
  }
  auto run = [&](const LeidenGraph& graph, const DecomposeOptions& opts) -> Expected<Clustering> {
    if (opts.services) return clusterToCount(graph, opts, *constraints, *opts.services, d.notes);
    return clusterSeeds(graph, opts, *constraints, opts.resolution);
  };
  Expected<Clustering> best = run(lg, o);
  if (!best) return best.error();
  d.resolution = best->resolution;
  d.quality = best->quality;
  if (o.quality == Quality::kCpm && lg.size() > 1 && best->communities == lg.size()) {
    // CPM's resolution is an edge-density threshold, not a scale around 1.
    const double n = static_cast<double>(lg.size());
    std::ostringstream hint;
    hint << "cpm at resolution " << best->resolution << " left every node alone; the graph's edge density is "
         << clustered.totalWeight() / (n * (n - 1) / 2) << ": try --resolution below it";
    d.notes.push_back(hint.str());
  }
  nameServices(d, best->membership, best->communities, constraints->fixed_service, old_index);
  d.stability.assign(d.graph.size(), 1.0);
  for (size_t v = 0; v < old_index.size(); ++v) d.stability[old_index[v]] = best->stability[v];

  const std::set<uint32_t> kernel = nonServiceGroups(d);
  d.ownership = assignTableOwners(d.graph, d.service, kernel);
  d.metrics = computeMetrics(d.graph, d.service, kernel);
  if (o.truth) addTruthMetrics(d.graph, *o.truth, d.service, d.metrics);
  if (!o.baselines) return d;

  auto addBaseline = [&](std::string name, std::vector<uint32_t> service, const std::set<uint32_t>& k) {
    Baseline b;
    b.name = std::move(name);
    b.metrics = computeMetrics(d.graph, service, k);
    if (o.truth) addTruthMetrics(d.graph, *o.truth, service, b.metrics);
    b.service = std::move(service);
    d.baselines.push_back(std::move(b));
  };
  addBaseline("one-service", std::vector<uint32_t>(d.graph.size(), 0), {});
  {
    std::vector<std::string> prefix;
    for (size_t v = 0; v < d.graph.size(); ++v) prefix.push_back(directoryPrefix(d.graph.node(v)));
    addBaseline("directory-prefix", denseLabels(prefix), {});
  }
  // Structure-only and the other hub choice: the same pipeline, one change each.
  struct Variant {
    std::vector<uint32_t> service;
    std::set<uint32_t> non_services;
  };
  auto variant = [&](const CouplingGraph& source, bool keep_hubs) -> Expected<Variant> {
    DecomposeOptions v = o;
    v.truth.reset();
    v.baselines = false;
    v.keep_hubs = keep_hubs;
    v.seeds = 1;
    Expected<Decomposition> r = decompose(source, v, nullptr);
    if (!r) return r.error();
    return Variant{r->service, nonServiceGroups(*r)};
  };
  if (structure_only && structure_only->size() == d.graph.size()) {
    Expected<Variant> s = variant(*structure_only, o.keep_hubs);
    if (s) addBaseline("structure-only", s->service, s->non_services);
  } else {
    // Without data facts (edge lists) the structure is all there is.
    addBaseline("structure-only", d.service, kernel);
  }
  if (!all_hubs.empty()) {
    Expected<Variant> s = variant(d.graph, !o.keep_hubs);
    if (s) addBaseline(o.keep_hubs ? "leiden-without-hubs" : "leiden-keep-hubs", s->service, s->non_services);
  }
  return d;
}

}  // namespace seam::decomposer
