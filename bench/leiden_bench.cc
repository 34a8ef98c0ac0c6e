// seam-bench-leiden: times this Leiden on a TSV edge list ("from to [weight]"),
// the same way bench/decomposer.sh times leidenalg: the graph is loaded into
// the Boost.Graph coupling graph and converted first, then only the
// clustering is timed. Prints one JSON line: nodes, edges, seconds, modularity,
// communities.
//   seam-bench-leiden GRAPH.tsv [--seed N] [--iterations K]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "seam/decomposer/inputs.h"
#include "seam/decomposer/leiden.h"

int main(int argc, char** argv) {
  namespace dec = seam::decomposer;
  if (argc < 2) {
    std::fprintf(stderr, "usage: seam-bench-leiden GRAPH.tsv [--seed N] [--iterations K]\n");
    return 2;
  }
  dec::LeidenOptions options;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--seed") == 0) options.seed = std::strtoull(argv[i + 1], nullptr, 10);
    else if (std::strcmp(argv[i], "--iterations") == 0) options.max_iterations = std::atoi(argv[i + 1]);
  }
  auto load_start = std::chrono::steady_clock::now();
  auto graph = dec::readEdgeListFile(argv[1]);
  if (!graph) {
    std::fprintf(stderr, "seam-bench-leiden: %s\n", graph.error().message.c_str());
    return 3;
  }
  dec::LeidenGraph lg = dec::toLeidenGraph(graph->graph);
  double load = std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count();
  auto start = std::chrono::steady_clock::now();
  auto result = dec::leiden(lg, options);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!result) {
    std::fprintf(stderr, "seam-bench-leiden: %s\n", result.error().message.c_str());
    return 3;
  }
  std::printf("{\"nodes\": %zu, \"edges\": %zu, \"load_seconds\": %.3f, \"seconds\": %.4f, \"modularity\": %.6f, "
              "\"communities\": %zu, \"iterations\": %d}\n",
              lg.size(), boost::num_edges(graph->graph), load, seconds, result->quality, result->communities,
              result->iterations);
  return 0;
}
