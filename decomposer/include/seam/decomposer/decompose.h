// The decomposition pipeline:
//
//   CouplingGraph --hubs--> shared-kernel candidates (left out unless keep_hubs)
//                 --composition roots, non-production code--> outside the services
//                 --constraints (pin / apart / fixed)--> Leiden, K seeds
//                 --(--services N: bisection on the resolution)
//                 --consensus + stability--> services (named after their
//                   dominant module) --> table owners --> metrics, baselines
//
// The result is pure data; plan.h turns it into plan.json.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "seam/decomposer/coupling_graph.h"
#include "seam/decomposer/hubs.h"
#include "seam/decomposer/inputs.h"
#include "seam/decomposer/leiden.h"
#include "seam/decomposer/metrics.h"
#include "seam/decomposer/ownership.h"
#include "seam/decomposer/status.h"

namespace seam::decomposer {

/// tests, test, testing, tools, bench, benchmarks, examples, fuzz: code that
/// drives or checks the product and ships in no service.
std::vector<std::string> defaultExcludes();

struct DecomposeOptions {
  Quality quality = Quality::kModularity;
  double resolution = 1.0;
  uint64_t seed = 1;
  int seeds = 5;                      ///< runs combined into the stability score
  std::optional<size_t> services;     ///< search the resolution giving this many services
  std::vector<std::vector<std::string>> pin;                 ///< groups of node names kept together
  std::vector<std::pair<std::string, std::string>> apart;    ///< node names kept apart
  std::map<std::string, std::string> fixed;                  ///< node name -> service already extracted
  bool keep_hubs = false;
  HubOptions hubs;
  bool keep_roots = false;            ///< cluster composition roots like any node
  RootOptions roots;
  /// Path components that mark non-production code: a node whose module (or
  /// name) has one of them as a directory component is left out of the
  /// clustering and listed as excluded. Empty: nothing is excluded.
  std::vector<std::string> exclude = defaultExcludes();
  std::optional<Truth> truth;
  bool baselines = true;
  Weights weights;  ///< recorded in plan.json (the graph was already built with them)
  DataModel data_model = DataModel::kPairs;  ///< recorded in plan.json, like the weights
};

struct Baseline {
  std::string name;  ///< one-service | directory-prefix | structure-only | leiden-keep-hubs | leiden-without-hubs
  std::vector<uint32_t> service;
  Metrics metrics;
};

struct Decomposition {
  CouplingGraph graph;
  std::vector<uint32_t> service;            ///< per node
  std::vector<std::string> service_names;   ///< per service; the kernel group is "shared-kernel"
  std::optional<uint32_t> kernel;           ///< service index of the shared kernel, if any
  /// Service index of the group of composition roots and excluded nodes
  /// ("outside-services"), if any: like the kernel, not a service.
  std::optional<uint32_t> outside;
  std::vector<NodeFan> hubs;
  std::vector<NodeFan> roots;               ///< composition roots, left out of the clustering
  std::vector<size_t> excluded;             ///< non-production nodes (options.exclude), left out
  std::vector<double> stability;            ///< per node, 0..1 (1 for hubs)
  double resolution = 1.0;                  ///< the resolution used (searched with --services)
  double quality = 0;                       ///< Leiden's quality value on the clustered graph
  Metrics metrics;
  std::vector<Baseline> baselines;
  std::vector<TableOwnership> ownership;
  std::vector<std::string> notes;           ///< things the user should know (one line each)
  DecomposeOptions options;
};

/// `structure_only`, when given, is the same graph (same node order) built
/// with data weights 0, for the structure-only baseline.
Expected<Decomposition> decompose(CouplingGraph graph, const DecomposeOptions& options,
                                  const CouplingGraph* structure_only = nullptr);

/// The groups of a decomposition that are not services (kernel, outside).
std::set<uint32_t> nonServiceGroups(const Decomposition& d);

/// True when a path component of `path` (split at '/') is one of `components`.
bool hasPathComponent(const std::string& path, const std::vector<std::string>& components);

/// The directory-prefix baseline's group of a node: the directory holding
/// it. A file or class node of a fact store: its module; a file name
/// (`builtins/cd.c`): its directory ("." at the root); a class name: its
/// namespace; a module (a directory): itself.
std::string directoryPrefix(const NodeInfo& node);

/// A readable service name from a module or file name: "src/catalog" -> "catalog".
std::string readableName(const std::string& module);

}  // namespace seam::decomposer
