#include "seam/decomposer/ownership.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace seam::decomposer {

std::vector<TableOwnership> assignTableOwners(const CouplingGraph& g, const std::vector<uint32_t>& service,
                                              const std::set<uint32_t>& kernel) {
  std::map<std::string, std::map<uint32_t, TableAccessBy>> by_table;
  for (size_t v = 0; v < g.size(); ++v) {
    for (const auto& [table, use] : g.tables[v]) {
      TableAccessBy& a = by_table[table][service[v]];
      a.service = service[v];
      a.reads += use.reads;
      a.writes += use.writes;
      a.creates += use.creates;
      for (const std::string& loc : use.locations) {
        if (std::find(a.locations.begin(), a.locations.end(), loc) == a.locations.end()) a.locations.push_back(loc);
      }
    }
  }
  std::vector<TableOwnership> out;
  for (auto& [table, per_service] : by_table) {
    TableOwnership t;
    t.table = table;
    bool any_non_kernel = false;
    for (const auto& [s, a] : per_service) any_non_kernel |= !kernel.count(s);
    const TableAccessBy* best = nullptr;
    bool tie = false;
    auto key = [](const TableAccessBy& a) { return std::make_tuple(a.creates > 0, a.writes, a.reads); };
    for (const auto& [s, a] : per_service) {
      t.writing_services += a.writes > 0 ? 1 : 0;
      if (any_non_kernel && kernel.count(s)) continue;
      if (!best || key(a) > key(*best)) {
        best = &a;
        tie = false;
      } else if (key(a) == key(*best)) {
        tie = true;
      }
    }
    t.owner = best->service;
    if (best->creates > 0) {
      t.reason = "creates it (DDL) and writes it in " + std::to_string(best->writes) + " statement(s)";
    } else if (best->writes > 0) {
      t.reason = "writes it in " + std::to_string(best->writes) + " statement(s); no service creates it";
    } else {
      t.reason = "only reads it (" + std::to_string(best->reads) + " statement(s)); no service writes it";
    }
    if (tie) t.reason += "; tie broken by service name";
    if (any_non_kernel && per_service.size() > 1) {
      for (const auto& [s, a] : per_service) {
        if (kernel.count(s)) {
          t.reason += "; shared kernel access not counted";
          break;
        }
      }
    }
    for (auto& [s, a] : per_service) t.accesses.push_back(std::move(a));
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace seam::decomposer
