// What a route's handler reaches through synchronous calls: a BFS over call
// and virtual-call edges (a virtual call also reaches the overriders of its
// target). Shared by SEAM006 (depth) and SEAM007 (chattiness).
#pragma once

#include <map>
#include <unordered_map>
#include <vector>

#include "seam/smells/context.h"

namespace seam::smells {

struct RouteReach {
  int service = -1;                            // the handler's service
  std::map<int, std::vector<int>> chains;      // reached service -> services crossed to get there (first hop first)
  std::map<int, const Edge*> entry;            // reached service -> first edge into it
  std::vector<const Edge*> cross_calls;        // distinct call edges between different services
};

class CallGraph {
 public:
  explicit CallGraph(const Context& ctx);
  RouteReach reach(int64_t handler) const;

 private:
  const Context& ctx_;
  std::unordered_map<int64_t, std::vector<const Edge*>> calls_;       // caller -> call edges
  std::unordered_map<int64_t, std::vector<int64_t>> overriders_;      // base method -> overriding methods
};

}  // namespace seam::smells
