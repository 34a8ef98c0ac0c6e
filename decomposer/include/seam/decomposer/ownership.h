// Data ownership: every table gets exactly one owner service, and every other
// service's access to it becomes a cross-service data dependency.
//
// Owner rule (docs/decomposer.md): among the services that touch the table,
// leaving out the shared kernel unless only the kernel touches it, the owner is
// the service that creates it (its DDL: a module's own schema); among several
// creators, or when none creates it, the one with the most writing statements
// (insert/update/delete); then the most reads; then the lowest service index
// (services are numbered by name, so this is alphabetical).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "seam/decomposer/coupling_graph.h"

namespace seam::decomposer {

struct TableAccessBy {
  uint32_t service = 0;
  int64_t reads = 0;
  int64_t writes = 0;
  int64_t creates = 0;
  std::vector<std::string> locations;  ///< file:line of the statements
};

struct TableOwnership {
  std::string table;
  uint32_t owner = 0;
  std::string reason;  ///< why this owner, one line
  std::vector<TableAccessBy> accesses;  ///< every service's access, owner included, by service
  int writing_services = 0;
};

/// `service[v]` is node v's service; services in `kernel` are shared-kernel groups.
std::vector<TableOwnership> assignTableOwners(const CouplingGraph& g, const std::vector<uint32_t>& service,
                                              const std::set<uint32_t>& kernel = {});

}  // namespace seam::decomposer
