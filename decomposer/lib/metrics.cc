#include "seam/decomposer/metrics.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "seam/decomposer/leiden.h"
#include "seam/decomposer/ownership.h"

namespace seam::decomposer {
namespace {

size_t serviceCount(const std::vector<uint32_t>& service) {
  size_t k = 0;
  for (uint32_t s : service) k = std::max<size_t>(k, s + 1);
  return k;
}

}  // namespace

double turboMq(const CouplingGraph& g, const std::vector<uint32_t>& service) {
  size_t k = serviceCount(service);
  std::vector<double> intra(k, 0), inter(k, 0);
  for (auto [it, end] = boost::edges(g.graph); it != end; ++it) {
    size_t a = service[boost::source(*it, g.graph)], b = service[boost::target(*it, g.graph)];
    double w = g.graph[*it].weight;
    if (a == b) {
      intra[a] += w;
    } else {
      inter[a] += w;
      inter[b] += w;
    }
  }
  double mq = 0;
  for (size_t i = 0; i < k; ++i) {
    if (intra[i] > 0) mq += 2 * intra[i] / (2 * intra[i] + inter[i]);
  }
  return mq;
}

double structuralModularity(const CouplingGraph& g, const std::vector<uint32_t>& service) {
  size_t k = serviceCount(service);
  if (k == 0) return 0;
  std::vector<double> size(k, 0), mu(k, 0);
  std::map<std::pair<size_t, size_t>, double> sigma;
  for (uint32_t s : service) size[s] += 1;
  for (const Dependency& d : g.dependencies) {
    size_t a = service[d.from], b = service[d.to];
    if (a == b) mu[a] += 1;
    else sigma[{std::min(a, b), std::max(a, b)}] += 1;
  }
  double coh = 0;
  for (size_t i = 0; i < k; ++i) {
    if (size[i] > 0) coh += mu[i] / (size[i] * size[i]);
  }
  coh /= static_cast<double>(k);
  double cop = 0;
  if (k > 1) {
    for (const auto& [pair, count] : sigma) cop += count / (2 * size[pair.first] * size[pair.second]);
    cop /= static_cast<double>(k) * static_cast<double>(k - 1) / 2;
  }
  return coh - cop;
}

double interPartitionCallPercentage(const CouplingGraph& g, const std::vector<uint32_t>& service) {
  double inter = 0, total = 0;
  for (const CallSite& c : g.calls) {
    total += static_cast<double>(c.count);
    if (service[c.from] != service[c.to]) inter += static_cast<double>(c.count);
  }
  return total > 0 ? inter / total : 0;
}

double interfaceNumber(const CouplingGraph& g, const std::vector<uint32_t>& service) {
  size_t k = serviceCount(service);
  if (k == 0) return 0;
  std::vector<std::set<int64_t>> interfaces(k);
  for (const CallSite& c : g.calls) {
    if (service[c.from] != service[c.to]) interfaces[service[c.to]].insert(c.callee);
  }
  double total = 0;
  for (const auto& i : interfaces) total += static_cast<double>(i.size());
  return total / static_cast<double>(k);
}

double nonExtremeDistribution(const CouplingGraph& g, const std::vector<uint32_t>& service) {
  size_t k = serviceCount(service);
  std::vector<double> classes(k, 0);
  double total = 0;
  bool any_classes = false;
  for (size_t v = 0; v < g.size(); ++v) any_classes |= g.node(v).classes > 0;
  for (size_t v = 0; v < g.size(); ++v) {
    // Classes as in Mono2Micro; graphs without class facts count nodes.
    double c = any_classes ? static_cast<double>(g.node(v).classes) : 1.0;
    classes[service[v]] += c;
    total += c;
  }
  if (total == 0) return 0;
  double non_extreme = 0;
  for (double c : classes) {
    if (c >= 5 && c <= 20) non_extreme += c;
  }
  return 1 - non_extreme / total;
}

double businessContextPurity(const CouplingGraph& g, const std::vector<uint32_t>& service) {
  size_t k = serviceCount(service);
  if (k == 0) return 0;
  // counts[s][route] = nodes of service s reached by the route.
  std::vector<std::map<size_t, double>> counts(k);
  for (size_t r = 0; r < g.route_reach.size(); ++r) {
    for (size_t v : g.route_reach[r]) counts[service[v]][r] += 1;
  }
  double sum = 0;
  for (const auto& per_route : counts) {
    double total = 0;
    for (const auto& [r, c] : per_route) total += c;
    double h = 0;
    for (const auto& [r, c] : per_route) h -= (c / total) * std::log2(c / total);
    sum += h;
  }
  return sum / static_cast<double>(k);
}

Metrics computeMetrics(const CouplingGraph& g, const std::vector<uint32_t>& service, const std::set<uint32_t>& kernel) {
  Metrics m;
  // The shared kernel is a library every service links, not a service: the
  // structural metrics are computed over the other nodes (calls into the
  // kernel are not inter-service calls); the data metrics keep it.
  std::set<size_t> removed;
  for (size_t v = 0; v < g.size(); ++v) {
    if (kernel.count(service[v])) removed.insert(v);
  }
  std::vector<size_t> old_index;
  CouplingGraph sub = removed.empty() ? CouplingGraph() : g.without(removed, &old_index);
  const CouplingGraph& sg = removed.empty() ? g : sub;
  std::vector<uint32_t> labels;
  {
    std::map<uint32_t, uint32_t> dense;
    for (size_t v = 0; v < sg.size(); ++v) {
      uint32_t s = service[removed.empty() ? v : old_index[v]];
      labels.push_back(dense.emplace(s, static_cast<uint32_t>(dense.size())).first->second);
    }
  }
  m.services = serviceCount(labels);
  if (sg.size() > 0) {
    m.modularity = modularity(toLeidenGraph(sg.graph), labels, 1.0);
    m.turbo_mq = turboMq(sg, labels);
    m.sm = structuralModularity(sg, labels);
    m.icp = interPartitionCallPercentage(sg, labels);
    m.ifn = interfaceNumber(sg, labels);
    m.ned = nonExtremeDistribution(sg, labels);
    m.bcp = businessContextPurity(sg, labels);
  }
  int written = 0, single = 0;
  for (const TableOwnership& t : assignTableOwners(g, service, kernel)) {
    if (t.writing_services > 0) {
      ++written;
      single += t.writing_services == 1 ? 1 : 0;
    }
    for (const TableAccessBy& a : t.accesses) {
      if (a.service != t.owner) m.cross_service_table_accesses += a.reads + a.writes;
    }
  }
  m.single_writer_share = written > 0 ? static_cast<double>(single) / written : 1.0;
  return m;
}

}  // namespace seam::decomposer
