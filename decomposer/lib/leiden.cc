// Leiden, following the paper's Algorithm A.2 (fast local moving, refinement,
// aggregation) with the termination rule of the reference implementation
// (leidenalg): stop aggregating when the refined partition no longer reduces
// the number of nodes.
//
// One formula serves both quality functions. With a node "mass" x_v (degree
// k_v for modularity, node size n_v for CPM) and gamma' (gamma / 2m for
// modularity, gamma for CPM), moving v into community C gains
//   w(v, C) - gamma' * x_v * X_C
// in unnormalised units; a set T is well connected inside S when
//   w(T, S - T) >= gamma' * X_T * (X_S - X_T).
#include "seam/decomposer/leiden.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <random>
#include <unordered_map>

namespace seam::decomposer {

double LeidenGraph::degree(size_t v) const {
  double k = 2 * self_loops[v];
  for (uint64_t e = offsets[v]; e < offsets[v + 1]; ++e) k += weights[e];
  return k;
}

LeidenGraph LeidenGraph::fromEdges(size_t n, const std::vector<std::tuple<uint32_t, uint32_t, double>>& edges) {
  LeidenGraph g;
  g.self_loops.assign(n, 0);
  g.node_size.assign(n, 1);
  std::vector<uint64_t> count(n + 1, 0);
  for (const auto& [a, b, w] : edges) {
    if (!(w > 0) || a >= n || b >= n) continue;
    if (a == b) continue;
    count[a + 1]++;
    count[b + 1]++;
  }
  for (size_t i = 0; i < n; ++i) count[i + 1] += count[i];
  std::vector<uint32_t> nbr(count[n]);
  std::vector<double> wt(count[n]);
  std::vector<uint64_t> pos(count.begin(), count.end() - 1);
  for (const auto& [a, b, w] : edges) {
    if (!(w > 0) || a >= n || b >= n) continue;
    if (a == b) {
      g.self_loops[a] += w;
      continue;
    }
    nbr[pos[a]] = b, wt[pos[a]++] = w;
    nbr[pos[b]] = a, wt[pos[b]++] = w;
  }
  // Merge parallel edges per node, keeping first-seen order.
  g.offsets.assign(n + 1, 0);
  std::vector<int64_t> slot(n, -1);
  for (size_t v = 0; v < n; ++v) {
    size_t start = g.neighbors.size();
    for (uint64_t e = count[v]; e < count[v + 1]; ++e) {
      uint32_t u = nbr[e];
      if (slot[u] >= 0) {
        g.weights[slot[u]] += wt[e];
      } else {
        slot[u] = static_cast<int64_t>(g.neighbors.size());
        g.neighbors.push_back(u);
        g.weights.push_back(wt[e]);
      }
    }
    for (size_t e = start; e < g.neighbors.size(); ++e) slot[g.neighbors[e]] = -1;
    g.offsets[v + 1] = g.neighbors.size();
  }
  return g;
}

LeidenGraph toLeidenGraph(const UndirectedGraph& ug) {
  std::vector<std::tuple<uint32_t, uint32_t, double>> edges;
  edges.reserve(boost::num_edges(ug));
  for (auto [it, end] = boost::edges(ug); it != end; ++it) {
    edges.emplace_back(static_cast<uint32_t>(boost::source(*it, ug)), static_cast<uint32_t>(boost::target(*it, ug)),
                       ug[*it].weight);
  }
  return LeidenGraph::fromEdges(boost::num_vertices(ug), edges);
}

namespace {

// Deterministic across standard libraries: no std::*_distribution.
class Rng {
 public:
  explicit Rng(uint64_t seed) : gen_(seed) {}
  uint64_t below(uint64_t n) { return gen_() % n; }
  double unit() { return static_cast<double>(gen_() >> 11) * 0x1.0p-53; }
  void shuffle(std::vector<uint32_t>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
  }

 private:
  std::mt19937_64 gen_;
};

// Apart constraints as tags: pair p gives tag 2p to one side and 2p+1 to the
// other; a community may not hold both tags of a pair.
class ApartTags {
 public:
  bool active() const { return active_; }
  void init(size_t nodes, const std::vector<std::vector<uint32_t>>& node_tags) {
    node_tags_ = node_tags;
    active_ = false;
    for (const auto& t : node_tags_) active_ |= !t.empty();
    node_tags_.resize(nodes);
  }
  const std::vector<uint32_t>& of(size_t v) const { return node_tags_[v]; }
  void resetCommunities(const std::vector<uint32_t>& comm) {
    count_.clear();
    if (!active_) return;
    for (size_t v = 0; v < comm.size(); ++v) add(v, comm[v], +1);
  }
  void add(size_t v, uint32_t c, int delta) {
    for (uint32_t t : node_tags_[v]) count_[key(c, t)] += delta;
  }
  bool forbidden(size_t v, uint32_t c) const {
    for (uint32_t t : node_tags_[v]) {
      auto it = count_.find(key(c, t ^ 1u));
      if (it != count_.end() && it->second > 0) return true;
    }
    return false;
  }
  /// Tags of aggregate nodes: the union of their members' tags.
  void aggregate(const std::vector<uint32_t>& map, size_t k) {
    if (!active_) return;
    std::vector<std::vector<uint32_t>> next(k);
    for (size_t v = 0; v < node_tags_.size(); ++v) {
      for (uint32_t t : node_tags_[v]) {
        auto& dst = next[map[v]];
        if (std::find(dst.begin(), dst.end(), t) == dst.end()) dst.push_back(t);
      }
    }
    node_tags_ = std::move(next);
  }

 private:
  static uint64_t key(uint32_t c, uint32_t t) { return (static_cast<uint64_t>(c) << 32) | t; }
  bool active_ = false;
  std::vector<std::vector<uint32_t>> node_tags_;
  std::unordered_map<uint64_t, int> count_;
};

struct Params {
  double gamma_prime = 1;  // gamma / 2m (modularity) or gamma (CPM)
  double scale = 1;        // turns unnormalised gains into quality units (theta's scale)
  double theta = 0.01;
  bool modularity = true;
};

std::vector<double> masses(const LeidenGraph& g, const Params& p) {
  std::vector<double> m(g.size());
  for (size_t v = 0; v < g.size(); ++v) m[v] = p.modularity ? g.degree(v) : g.node_size[v];
  return m;
}

// Renumbers ids to 0..k-1 by first appearance; returns k.
size_t renumber(std::vector<uint32_t>& ids) {
  std::unordered_map<uint32_t, uint32_t> map;
  map.reserve(ids.size());
  for (uint32_t& id : ids) {
    auto [it, inserted] = map.emplace(id, static_cast<uint32_t>(map.size()));
    id = it->second;
  }
  return map.size();
}

// Fast local moving (paper's MoveNodesFast). `comm` ids must be < n.
bool moveNodes(const LeidenGraph& g, const std::vector<double>& mass, std::vector<uint32_t>& comm,
               const Params& p, Rng& rng, ApartTags& tags) {
  const size_t n = g.size();
  std::vector<double> cmass(n, 0);
  std::vector<uint32_t> ccount(n, 0);
  for (size_t v = 0; v < n; ++v) cmass[comm[v]] += mass[v], ccount[comm[v]]++;
  std::vector<uint32_t> empty;
  for (size_t c = n; c-- > 0;) if (ccount[c] == 0) empty.push_back(static_cast<uint32_t>(c));
  tags.resetCommunities(comm);

  // Ring buffer queue; each node is in it at most once.
  std::vector<uint32_t> queue(n);
  std::iota(queue.begin(), queue.end(), 0);
  rng.shuffle(queue);
  std::vector<char> queued(n, 1);
  size_t head = 0, size = n;

  std::vector<double> nw(n, 0);
  std::vector<char> touched_flag(n, 0);
  std::vector<uint32_t> touched;
  bool moved = false;
  while (size > 0) {
    uint32_t v = queue[head];
    head = (head + 1) % n;
    --size;
    queued[v] = 0;
    const uint32_t old = comm[v];
    for (uint64_t e = g.offsets[v]; e < g.offsets[v + 1]; ++e) {
      uint32_t c = comm[g.neighbors[e]];
      if (!touched_flag[c]) touched_flag[c] = 1, touched.push_back(c);
      nw[c] += g.weights[e];
    }
    cmass[old] -= mass[v];
    ccount[old]--;
    if (tags.active()) tags.add(v, old, -1);

    uint32_t best = old;
    double best_gain = nw[old] - p.gamma_prime * mass[v] * cmass[old];
    for (uint32_t c : touched) {
      if (c == old) continue;
      if (tags.active() && tags.forbidden(v, c)) continue;
      double gain = nw[c] - p.gamma_prime * mass[v] * cmass[c];
      if (gain > best_gain + 1e-12 * std::max(1.0, std::abs(best_gain))) best = c, best_gain = gain;
    }
    bool to_empty = false;
    if (ccount[old] > 0 && !empty.empty() && 0.0 > best_gain + 1e-12 * std::max(1.0, std::abs(best_gain))) {
      best = empty.back();
      to_empty = true;
    }
    if (to_empty) empty.pop_back();
    cmass[best] += mass[v];
    ccount[best]++;
    if (tags.active()) tags.add(v, best, +1);
    if (best != old) {
      if (ccount[old] == 0) empty.push_back(old);
      comm[v] = best;
      moved = true;
      for (uint64_t e = g.offsets[v]; e < g.offsets[v + 1]; ++e) {
        uint32_t u = g.neighbors[e];
        if (!queued[u] && comm[u] != best) {
          queue[(head + size) % n] = u;
          ++size;
          queued[u] = 1;
        }
      }
    }
    for (uint32_t c : touched) nw[c] = 0, touched_flag[c] = 0;
    touched.clear();
  }
  return moved;
}

// Refinement (paper's RefinePartition / MergeNodesSubset, all subsets at once).
// Returns the refined membership; each refined community lies inside one of `comm`.
std::vector<uint32_t> refine(const LeidenGraph& g, const std::vector<double>& mass, const std::vector<uint32_t>& comm,
                             const Params& p, Rng& rng) {
  const size_t n = g.size();
  std::vector<uint32_t> r(n);
  std::iota(r.begin(), r.end(), 0);
  std::vector<double> rmass(mass), smass(n, 0), ext(n, 0);
  std::vector<uint32_t> rcount(n, 1);
  for (size_t v = 0; v < n; ++v) smass[comm[v]] += mass[v];
  for (size_t v = 0; v < n; ++v) {
    for (uint64_t e = g.offsets[v]; e < g.offsets[v + 1]; ++e) {
      if (comm[g.neighbors[e]] == comm[v]) ext[v] += g.weights[e];
    }
  }
  std::vector<double> rext(ext);

  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  rng.shuffle(order);
  std::vector<double> nw(n, 0);
  std::vector<char> touched_flag(n, 0);
  std::vector<uint32_t> touched;
  std::vector<std::pair<uint32_t, double>> candidates;
  for (uint32_t v : order) {
    if (rcount[r[v]] != 1) continue;  // only singletons move
    const uint32_t s = comm[v];
    if (ext[v] < p.gamma_prime * mass[v] * (smass[s] - mass[v])) continue;  // v not well connected in S
    for (uint64_t e = g.offsets[v]; e < g.offsets[v + 1]; ++e) {
      uint32_t u = g.neighbors[e];
      if (comm[u] != s) continue;
      uint32_t c = r[u];
      if (!touched_flag[c]) touched_flag[c] = 1, touched.push_back(c);
      nw[c] += g.weights[e];
    }
    const uint32_t own = r[v];
    rmass[own] = 0;
    rcount[own] = 0;
    candidates.clear();
    candidates.push_back({own, 0.0});
    double max_gain = 0;
    for (uint32_t c : touched) {
      if (c == own || rcount[c] == 0) continue;
      if (rext[c] < p.gamma_prime * rmass[c] * (smass[s] - rmass[c])) continue;  // C not well connected
      double gain = nw[c] - p.gamma_prime * mass[v] * rmass[c];
      if (gain < 0) continue;
      candidates.push_back({c, gain});
      max_gain = std::max(max_gain, gain);
    }
    uint32_t chosen = own;
    if (candidates.size() > 1) {
      double total = 0;
      for (auto& [c, gain] : candidates) {
        gain = std::exp((gain - max_gain) * p.scale / p.theta);
        total += gain;
      }
      double pick = rng.unit() * total;
      chosen = candidates.back().first;
      for (const auto& [c, weight] : candidates) {
        if (pick < weight) {
          chosen = c;
          break;
        }
        pick -= weight;
      }
    }
    if (chosen == own) {
      rmass[own] = mass[v];
      rcount[own] = 1;
    } else {
      r[v] = chosen;
      rcount[chosen]++;
      rmass[chosen] += mass[v];
      rext[chosen] += ext[v] - 2 * nw[chosen];
    }
    for (uint32_t c : touched) nw[c] = 0, touched_flag[c] = 0;
    touched.clear();
  }
  return r;
}

// Aggregate graph: node c = the members with map[v] == c (map ids 0..k-1).
LeidenGraph aggregate(const LeidenGraph& g, const std::vector<uint32_t>& map, size_t k) {
  const size_t n = g.size();
  LeidenGraph out;
  out.self_loops.assign(k, 0);
  out.node_size.assign(k, 0);
  out.offsets.assign(k + 1, 0);
  std::vector<uint32_t> start(k + 1, 0), members(n);
  for (size_t v = 0; v < n; ++v) start[map[v] + 1]++;
  for (size_t c = 0; c < k; ++c) start[c + 1] += start[c];
  std::vector<uint32_t> fill(start.begin(), start.end() - 1);
  for (size_t v = 0; v < n; ++v) members[fill[map[v]]++] = static_cast<uint32_t>(v);

  std::vector<double> nw(k, 0);
  std::vector<char> touched_flag(k, 0);
  std::vector<uint32_t> touched;
  out.neighbors.reserve(g.neighbors.size() / 2);
  out.weights.reserve(g.neighbors.size() / 2);
  for (size_t c = 0; c < k; ++c) {
    double internal = 0;
    for (uint32_t i = start[c]; i < start[c + 1]; ++i) {
      uint32_t v = members[i];
      out.self_loops[c] += g.self_loops[v];
      out.node_size[c] += g.node_size[v];
      for (uint64_t e = g.offsets[v]; e < g.offsets[v + 1]; ++e) {
        uint32_t d = map[g.neighbors[e]];
        if (d == c) {
          internal += g.weights[e];
          continue;
        }
        if (!touched_flag[d]) touched_flag[d] = 1, touched.push_back(d);
        nw[d] += g.weights[e];
      }
    }
    out.self_loops[c] += internal / 2;  // each internal edge was seen from both ends
    for (uint32_t d : touched) {
      out.neighbors.push_back(d);
      out.weights.push_back(nw[d]);
      nw[d] = 0;
      touched_flag[d] = 0;
    }
    touched.clear();
    out.offsets[c + 1] = out.neighbors.size();
  }
  return out;
}

// One Leiden pass from `membership` (ids < n); returns whether any node moved.
bool leidenPass(const LeidenGraph& base, std::vector<uint32_t>& membership, const Params& p, Rng& rng,
                const std::vector<std::vector<uint32_t>>& base_tags) {
  std::unique_ptr<LeidenGraph> owned;
  const LeidenGraph* g = &base;
  std::vector<uint32_t> comm = membership;
  renumber(comm);
  std::vector<uint32_t> to_level(base.size());
  std::iota(to_level.begin(), to_level.end(), 0);
  ApartTags tags;
  tags.init(base.size(), base_tags);
  bool any_moved = false;
  while (true) {
    std::vector<double> mass = masses(*g, p);
    any_moved |= moveNodes(*g, mass, comm, p, rng, tags);
    size_t communities = renumber(comm);
    if (communities == g->size()) break;
    std::vector<uint32_t> refined = refine(*g, mass, comm, p, rng);
    size_t k = renumber(refined);
    if (k == g->size()) break;  // refinement merged nothing: aggregating cannot help
    std::vector<uint32_t> next_comm(k);
    for (size_t v = 0; v < g->size(); ++v) next_comm[refined[v]] = comm[v];
    auto next = std::make_unique<LeidenGraph>(aggregate(*g, refined, k));
    tags.aggregate(refined, k);
    for (uint32_t& l : to_level) l = refined[l];
    owned = std::move(next);
    g = owned.get();
    comm = std::move(next_comm);
  }
  for (size_t v = 0; v < base.size(); ++v) membership[v] = comm[to_level[v]];
  return any_moved;
}

struct UnionFind {
  explicit UnionFind(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  uint32_t find(uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void unite(uint32_t a, uint32_t b) {
    a = find(a), b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
  std::vector<uint32_t> parent;
};

}  // namespace

double modularity(const LeidenGraph& g, const std::vector<uint32_t>& membership, double gamma) {
  const size_t n = g.size();
  if (n == 0) return 0;
  size_t k = 0;
  for (uint32_t c : membership) k = std::max<size_t>(k, c + 1);
  std::vector<double> in(k, 0), tot(k, 0);
  double two_m = 0;
  for (size_t v = 0; v < n; ++v) {
    double kv = g.degree(v);
    two_m += kv;
    tot[membership[v]] += kv;
    in[membership[v]] += 2 * g.self_loops[v];
    for (uint64_t e = g.offsets[v]; e < g.offsets[v + 1]; ++e) {
      if (membership[g.neighbors[e]] == membership[v]) in[membership[v]] += g.weights[e];
    }
  }
  if (two_m <= 0) return 0;
  double q = 0;
  for (size_t c = 0; c < k; ++c) q += in[c] - gamma * tot[c] * tot[c] / two_m;
  return q / two_m;
}

double cpmQuality(const LeidenGraph& g, const std::vector<uint32_t>& membership, double gamma) {
  size_t k = 0;
  for (uint32_t c : membership) k = std::max<size_t>(k, c + 1);
  std::vector<double> in(k, 0), size(k, 0);
  for (size_t v = 0; v < g.size(); ++v) {
    size[membership[v]] += g.node_size[v];
    in[membership[v]] += g.self_loops[v];
    for (uint64_t e = g.offsets[v]; e < g.offsets[v + 1]; ++e) {
      if (membership[g.neighbors[e]] == membership[v]) in[membership[v]] += g.weights[e] / 2;
    }
  }
  double h = 0;
  for (size_t c = 0; c < k; ++c) h += in[c] - gamma * size[c] * (size[c] - 1) / 2;
  return h;
}

Expected<LeidenResult> leiden(const LeidenGraph& graph, const LeidenOptions& options) {
  const size_t n = graph.size();
  if (!std::isfinite(options.resolution) || options.resolution < 0) {
    return badArgument("resolution must be a finite number >= 0");
  }
  if (!(options.theta > 0)) return badArgument("theta must be > 0");
  // Contract `together` groups.
  UnionFind uf(n);
  for (const auto& group : options.together) {
    for (uint32_t v : group) {
      if (v >= n) return badArgument("constraint names node " + std::to_string(v) + " outside the graph");
      uf.unite(group.front(), v);
    }
  }
  std::vector<uint32_t> contract(n);
  for (size_t v = 0; v < n; ++v) contract[v] = uf.find(static_cast<uint32_t>(v));
  size_t k = renumber(contract);
  std::vector<std::vector<uint32_t>> tags(k);
  for (size_t p = 0; p < options.apart.size(); ++p) {
    auto [a, b] = options.apart[p];
    if (a >= n || b >= n) return badArgument("constraint names a node outside the graph");
    if (contract[a] == contract[b]) return conflict("a pair is constrained both together and apart");
    tags[contract[a]].push_back(static_cast<uint32_t>(2 * p));
    tags[contract[b]].push_back(static_cast<uint32_t>(2 * p + 1));
  }
  LeidenGraph contracted;
  const LeidenGraph* g = &graph;
  if (k != n) {
    contracted = aggregate(graph, contract, k);
    g = &contracted;
  }

  Params p;
  p.modularity = options.quality == Quality::kModularity;
  p.theta = options.theta;
  double two_m = 0;
  for (size_t v = 0; v < g->size(); ++v) two_m += g->degree(v);
  if (p.modularity) {
    p.gamma_prime = two_m > 0 ? options.resolution / two_m : 0;
    p.scale = two_m > 0 ? 2.0 / two_m : 1;
  } else {
    p.gamma_prime = options.resolution;
    p.scale = 1;
  }

  Rng rng(options.seed);
  std::vector<uint32_t> membership(g->size());
  std::iota(membership.begin(), membership.end(), 0);
  LeidenResult result;
  while (g->size() > 0) {
    bool moved = leidenPass(*g, membership, p, rng, tags);
    ++result.iterations;
    if (!moved || (options.max_iterations > 0 && result.iterations >= options.max_iterations)) break;
  }
  result.membership.resize(n);
  for (size_t v = 0; v < n; ++v) result.membership[v] = membership[contract[v]];
  result.communities = renumber(result.membership);
  result.quality = p.modularity ? modularity(graph, result.membership, options.resolution)
                                : cpmQuality(graph, result.membership, options.resolution);
  return result;
}

std::vector<double> stability(const std::vector<uint32_t>& consensus, const std::vector<std::vector<uint32_t>>& runs) {
  const size_t n = consensus.size();
  std::vector<double> agree(n, 0);
  if (runs.empty()) return std::vector<double>(n, 1.0);
  for (const auto& run : runs) {
    // Each run community -> the consensus community it shares most nodes with.
    std::map<std::pair<uint32_t, uint32_t>, size_t> overlap;
    for (size_t v = 0; v < n; ++v) overlap[{run[v], consensus[v]}]++;
    std::unordered_map<uint32_t, std::pair<uint32_t, size_t>> best;
    for (const auto& [key, count] : overlap) {
      auto it = best.find(key.first);
      if (it == best.end() || count > it->second.second) best[key.first] = {key.second, count};
    }
    for (size_t v = 0; v < n; ++v) agree[v] += best[run[v]].first == consensus[v] ? 1 : 0;
  }
  for (double& a : agree) a /= static_cast<double>(runs.size());
  return agree;
}

}  // namespace seam::decomposer
