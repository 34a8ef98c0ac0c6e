// Observed traffic: request counts per route (from the strangler proxy's access
// log or any gateway) strengthen the coupling a busy route creates.
//
// Input, one record per line (docs/decomposer.md):
//   JSON lines: {"method": "GET", "path": "/books/:id", "count": 1200}
//               or {"route": "GET /books/:id", "count": 1200}
//   TSV:        GET<TAB>/books/:id<TAB>1200
// For route r with share s_r = count_r / total, handler node h and every node
// u != h the handler reaches through calls:  w(h, u) += traffic * s_r * mean_w,
// mean_w the mean edge weight before the change (so the scale is the graph's).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "seam/decomposer/coupling_graph.h"
#include "seam/decomposer/fact_store.h"
#include "seam/decomposer/status.h"

namespace seam::decomposer {

struct RouteCount {
  std::string method;  ///< upper case; "ANY" matches every method
  std::string path;
  int64_t count = 0;
};

struct TrafficResult {
  size_t matched_routes = 0;
  size_t unmatched_records = 0;
  std::string summary;
};

Expected<std::vector<RouteCount>> parseTraffic(const std::string& text, const std::string& source);
TrafficResult applyTraffic(CouplingGraph& g, const Facts& facts, const std::vector<RouteCount>& counts, double weight);
Expected<TrafficResult> addTrafficWeights(CouplingGraph& g, const Facts& facts, const std::string& path, double weight);

}  // namespace seam::decomposer
