// Plain-text inputs besides the fact store:
//   --graph FILE  a weighted edge list (TSV "from<TAB>to<TAB>weight", weight
//                 optional = 1) or RSF ("depends A B" lines, weight 1 each);
//   --truth FILE  a ground truth: the bookstore's architecture.yaml format
//                 (services: {NAME: {modules: [...], tables: [...]}},
//                 shared_kernel: [...]) or RSF "contain CLUSTER ITEM" lines;
//   --fixed FILE  already-extracted modules: "SERVICE MODULE" lines, or
//                 the architecture.yaml format.
// Parsers are pure functions over text; the *File wrappers read the file.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "seam/decomposer/coupling_graph.h"
#include "seam/decomposer/status.h"

namespace seam::decomposer {

/// Builds a coupling graph from an edge list (TSV or RSF, detected per line).
/// Lines starting with '#' and blank lines are skipped.
Expected<CouplingGraph> parseEdgeList(const std::string& text, const std::string& source);
Expected<CouplingGraph> readEdgeListFile(const std::string& path);
/// The undirected weighted edges the clustering sees, one TSV line
/// "from<TAB>to<TAB>weight" each (parseEdgeList reads it back; the direction
/// of dependencies is not kept).
std::string toEdgeList(const CouplingGraph& g);

struct Truth {
  std::map<std::string, std::string> cluster_of;  ///< item (module, file, class) -> cluster
  std::map<std::string, std::vector<std::string>> tables;  ///< cluster -> tables it owns
  std::vector<std::string> shared_kernel;  ///< items of the shared kernel (cluster "shared_kernel")
  /// Items listed in more than one cluster (the last listing wins), one line
  /// each: published ground truths have them, and they skew every score.
  std::vector<std::string> warnings;
  /// The truth cluster of a graph node: exact name, else its module, else the
  /// longest item that is a path prefix of the name. "" when none.
  std::string clusterOfNode(const NodeInfo& node) const;
};

Expected<Truth> parseTruth(const std::string& text, const std::string& source);
Expected<Truth> readTruthFile(const std::string& path);

Expected<std::string> readTextFile(const std::string& path);
/// Writes through "<path>.tmp" + rename, so readers never see half a file and
/// a failed run leaves the previous output intact.
Status writeTextFileAtomically(const std::string& path, const std::string& text);

}  // namespace seam::decomposer
