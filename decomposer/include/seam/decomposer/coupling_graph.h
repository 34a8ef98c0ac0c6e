// The coupling graph: what the clustering sees.
//
//   Facts --(granularity: module | file | class)--> nodes
//         --(Weights per evidence kind)-----------> undirected weighted edges
//                                                   + directed dependencies
//
// Undirected edges (a Boost.Graph adjacency_list) carry the combined weight used
// for clustering. Directed dependencies keep the direction of structural
// coupling (who calls whom), for hubs, API surfaces and extraction order.
// Invariants: at most one undirected edge per node pair, no self-loops, every
// weight > 0; node names are unique.
#pragma once

#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "seam/decomposer/fact_store.h"
#include "seam/decomposer/weights.h"

namespace seam::decomposer {

enum class Granularity { kModule, kFile, kClass };

/// How shared tables couple nodes (docs/decomposer.md): kPairs (the default)
/// couples every pair of accessors (ServiceCutter); kOwnerDirected couples
/// each accessor of a table to the table's owner, the one node that both
/// creates and writes it (measured on the bookstore: docs/decomposer.md).
enum class DataModel { kOwnerDirected, kPairs };
std::optional<DataModel> parseDataModel(const std::string& s);  ///< "owner" | "pairs"
std::optional<Granularity> parseGranularity(const std::string& s);
const char* granularityName(Granularity g);

struct NodeInfo {
  std::string name;    ///< module name, file path or class qualified name
  std::string module;  ///< the module it belongs to (itself at module granularity)
  int64_t lines = 0;
  int64_t symbols = 0;
  int64_t classes = 0;  ///< class/struct definitions inside (for NED)
};

struct EdgeInfo {
  double weight = 0;      ///< total, the clustering weight
  double structural = 0;  ///< calls, types, includes, globals
  double data = 0;        ///< shared tables
  double co_change = 0;   ///< git co-change
};

using UndirectedGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, NodeInfo, EdgeInfo>;

/// from -> to: `from` depends on `to` (calls, uses its types, includes it...).
struct Dependency {
  size_t from = 0;
  size_t to = 0;
  double weight = 0;
  int64_t calls = 0;                      ///< call + virtual_call sites
  std::map<std::string, int64_t> kinds;   ///< sites per edge kind
  std::vector<std::string> evidence;      ///< a few "file:line caller -> callee" samples
};

/// Per-node use of one table, counted in statements.
struct TableUse {
  int64_t reads = 0;
  int64_t writes = 0;   ///< insert + update + delete
  int64_t creates = 0;
  std::vector<std::string> locations;  ///< file:line of the statements
};

/// A symbol-level call crossing nodes, kept for API surfaces and ICP/IFN.
struct CallSite {
  size_t from = 0;
  size_t to = 0;
  int64_t callee = 0;  ///< symbol id
  int64_t caller = 0;
  int64_t count = 0;
};

struct CouplingGraph {
  Granularity granularity = Granularity::kModule;
  UndirectedGraph graph;
  std::vector<Dependency> dependencies;  ///< sorted by (from, to)
  std::vector<std::map<std::string, TableUse>> tables;  ///< per node
  std::vector<std::vector<size_t>> routes;              ///< per node: indexes into Facts::routes
  std::vector<CallSite> calls;  ///< calls between distinct nodes, plus intra-node (from == to)
  std::unordered_map<int64_t, size_t> symbol_node;  ///< symbol id -> node
  /// Per route (index into Facts::routes): the nodes its handler reaches
  /// through calls (the route's business context, for BCP). Sorted.
  std::vector<std::vector<size_t>> route_reach;

  size_t size() const { return boost::num_vertices(graph); }
  const NodeInfo& node(size_t v) const { return graph[v]; }
  std::optional<size_t> find(const std::string& name) const;
  /// Adds `delta` to the undirected edge {u, v} (created on first use). u != v.
  void addWeight(size_t u, size_t v, const EdgeInfo& delta);
  double totalWeight() const;
  std::vector<std::string> nodeNames() const;
  /// Subgraph without the `removed` nodes; `old_index[i]` maps new -> old node.
  CouplingGraph without(const std::set<size_t>& removed, std::vector<size_t>* old_index) const;

  std::unordered_map<std::string, size_t> name_index;
};

/// Builds the graph from the fact store. External modules and their symbols
/// are left out; so are views, triggers and indexes as tables (their accesses
/// arrive resolved to base tables). Data coupling: with kOwnerDirected, a
/// table created and written by exactly one node couples each other accessor to that
/// owner (owner_write / owner_read); otherwise each pair of nodes that both
/// write it gets co_write, a writer and a reader read_write, two readers
/// co_read. Create statements decide ownership, they are not coupling.
CouplingGraph buildCouplingGraph(const Facts& facts, Granularity granularity, const Weights& weights,
                                 DataModel model = DataModel::kPairs);

}  // namespace seam::decomposer
