// Quality metrics of a decomposition, as the literature defines them
// (formulas and sources in docs/metrics.md). Every metric takes the coupling
// graph and a service per node. computeMetrics leaves the shared-kernel
// groups out of the structural metrics (a kernel is a library each service
// links, so calls into it are not inter-service calls) and keeps them in the
// data metrics (a kernel's table access still crosses a boundary).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <vector>

#include "seam/decomposer/coupling_graph.h"

namespace seam::decomposer {

struct Metrics {
  size_t services = 0;
  double modularity = 0;    ///< Newman, weighted, gamma = 1 (higher is better)
  double turbo_mq = 0;      ///< Mitchell & Mancoridis, weighted (higher is better)
  double sm = 0;            ///< Structural Modularity, Jin et al. / Mono2Micro (higher is better)
  double icp = 0;           ///< Inter-partition call percentage, 0..1 (lower is better)
  double ifn = 0;           ///< Interface number: mean interfaces per service (lower is better)
  double ned = 0;           ///< Non-extreme distribution, 0..1 (lower is better)
  double bcp = 0;           ///< Business-context purity: mean route entropy per service, bits (lower is better)
  double single_writer_share = 1;   ///< tables written by exactly one service / tables written
  int64_t cross_service_table_accesses = 0;  ///< statements touching a table another service owns
  std::optional<double> mojofm;      ///< with --truth
  std::optional<double> c2c_coverage;
};

Metrics computeMetrics(const CouplingGraph& g, const std::vector<uint32_t>& service,
                       const std::set<uint32_t>& kernel = {});

double turboMq(const CouplingGraph& g, const std::vector<uint32_t>& service);
double structuralModularity(const CouplingGraph& g, const std::vector<uint32_t>& service);
double interPartitionCallPercentage(const CouplingGraph& g, const std::vector<uint32_t>& service);
double interfaceNumber(const CouplingGraph& g, const std::vector<uint32_t>& service);
double nonExtremeDistribution(const CouplingGraph& g, const std::vector<uint32_t>& service);
double businessContextPurity(const CouplingGraph& g, const std::vector<uint32_t>& service);

}  // namespace seam::decomposer
