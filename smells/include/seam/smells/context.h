// What every rule sees: facts, service assignment, thresholds, optional git
// history, and the views derived from them once (service dependency graph,
// per-table use). Built once per run, then read-only.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "seam/smells/config.h"
#include "seam/smells/facts.h"
#include "seam/smells/finding.h"
#include "seam/smells/git_history.h"
#include "seam/smells/services.h"

namespace seam::smells {

/// Service-to-service dependencies from symbol edges that cross services.
struct ServiceGraph {
  // deps[a][b] = edges from code in a to code in b, heaviest first (evidence).
  std::vector<std::map<int, std::vector<const Edge*>>> deps;
  std::vector<std::set<int>> out, in;  // distinct neighbours
};

/// Who touches a table, by service.
struct TableUse {
  std::string table;
  std::map<int, std::vector<const TableAccess*>> writes;  // insert/update/delete
  std::map<int, std::vector<const TableAccess*>> reads;
  std::map<int, std::vector<const TableAccess*>> creates;
  int owner = Assignment::kUnassigned;
  std::string owner_reason;  // "declared in plan.json" | "creates it" | "writes it most"
};

struct Context {
  const Facts& facts;
  const Assignment& services;
  const Config& config;
  const std::vector<Commit>* git = nullptr;  // null without --git
  std::string source_root;                   // where the files' relative paths start
  std::string db_path;    // the fact store, for rules that analyse beyond Facts (SEAM012/013)
  std::string plan_path;  // plan.json; empty with services.yaml

  ServiceGraph graph;
  std::map<std::string, TableUse> tables;
  std::set<int64_t> handlers;  // route handler symbol ids

  Context(const Facts& f, const Assignment& s, const Config& c);

  /// Evidence location of an edge / access / symbol.
  Location at(const Edge& e, std::string note) const;
  Location at(const TableAccess& a, std::string note) const;
  Location atSymbol(int64_t symbol_id, std::string note) const;
  /// Dependency edge kinds that make one service depend on another.
  static bool isDependencyKind(const std::string& kind);
  static bool isCallKind(const std::string& kind);
};

}  // namespace seam::smells
