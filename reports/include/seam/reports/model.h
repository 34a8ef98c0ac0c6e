// The report's data model: everything the HTML page, `--format json` and
// `--format dot` show, aggregated from the fact store (symbol level) to modules
// and, when a plan is given, to services.
//
//   seam.db --load--> ReportModel <--apply-- plan.json, smells.json, proxy state
//                         |
//                         +--> json_writer (the page's embedded data) --> html_writer
//                         +--> dot_writer
//
// Invariants once loading finished: every index field (ModuleEdge::source,
// Route::module, Service::modules, ...) is a valid index into the vector it
// names, or -1 where documented; modules are sorted by name; strings are
// untrusted (they come from the analysed code) and are escaped by the writers.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "seam/reports/interactions_view.h"

namespace seam::reports {

/// A place in the analysed code. line == 0 means unknown.
struct Location {
  std::string file;
  int line = 0;
};

/// A symbol listed in a module's details (the largest definitions first).
struct SymbolInfo {
  std::string qualified_name;
  std::string kind;
  Location location;
  int lines = 0;
};

struct Module {
  std::string name;
  int files = 0;
  int lines = 0;
  int symbols = 0;  ///< all symbols of the module (symbol_details holds at most a few)
  std::vector<SymbolInfo> symbol_details;
  int service = -1;  ///< index into ReportModel::services, -1 without a plan
};

/// One symbol-level dependency that explains a module edge.
struct EdgeEvidence {
  std::string from;  ///< qualified name of the source symbol
  std::string to;
  std::string kind;  ///< call | type_use | inherit | ... (edges.kind)
  int count = 0;
  Location location;  ///< first site seen
};

/// Aggregated coupling from one module to another (direction: source uses target).
struct ModuleEdge {
  int source = -1;
  int target = -1;
  int64_t weight = 0;                    ///< sum of edge site counts over all kinds
  std::map<std::string, int64_t> kinds;  ///< weight per edge kind
  std::vector<EdgeEvidence> evidence;    ///< the heaviest few symbol edges
};

/// A statement site that accesses a table (shown when a matrix cell is opened).
struct AccessSite {
  Location location;
  std::string function;  ///< qualified name of the issuing function
  std::string sql;
};

/// What one module does to one table.
struct TableAccess {
  int module = -1;
  int table = -1;
  bool create = false, read = false, write = false;
  int statements = 0;
  std::vector<AccessSite> sites;  ///< the first few
};

struct Table {
  std::string name;
  Location defined;   ///< where its CREATE statement was seen, when it was
  int owner_module = -1;   ///< the plan's owner (mapped to a module) or the heaviest writer
  int owner_service = -1;  ///< index into services, -1 without a plan
  bool owner_from_plan = false;
};

struct Route {
  std::string method;
  std::string path;
  std::string framework;
  std::string handler;  ///< qualified name of the handler
  Location location;
  int module = -1;
};

struct Service {
  std::string name;
  std::vector<int> modules;  ///< indices into ReportModel::modules
  std::vector<int> tables;   ///< owned tables, indices into ReportModel::tables
};

/// One set of decomposition metrics: the plan's result or a baseline.
struct MetricSet {
  std::string name;  ///< e.g. "plan", "one service", "directory prefix", "structure only"
  int services = 0;
  std::map<std::string, double> values;  ///< metric name -> value (docs/metrics.md)
};

struct Smell {
  std::string rule;      ///< rule id, e.g. SEAM001
  std::string name;      ///< rule name, e.g. shared-table
  std::string severity;  ///< error | warning | note (anything else sorts last)
  std::string message;
  std::string remedy;
  double score = 0;      ///< higher is worse; ties broken by severity
  std::vector<Location> locations;
  std::vector<std::string> subjects;  ///< modules/services/tables the smell is about
};

struct PlanStep {
  int order = 0;
  std::string title;
  std::string service;
  std::string detail;
  std::vector<std::string> routes;
  std::vector<std::string> tables;
};

/// Migration state of one proxied route.
struct RouteProgress {
  std::string route;   ///< "METHOD /path" or the proxy's route name
  std::string state;   ///< legacy | shadow | canary | migrated | retired | ...
  double percent = 0;  ///< canary weight, 0..100
  std::string service;
  std::string updated;
};

/// A mismatching pair sampled by the proxy's shadow verification
/// (state file table shadow_diff, written by strangler-proxy/lib/state_store.cc).
struct ShadowDiff {
  struct Entry {
    std::string where;  ///< "status", "header:NAME", "$.a[0].b", "body"
    std::string legacy, service;
  };
  std::string route;
  std::string at;          ///< "YYYY-MM-DD HH:MM:SS UTC"
  std::string request_id;
  std::string request;     ///< request line + headers (+ body prefix)
  std::string legacy, service;  ///< both responses, truncated by the proxy
  std::vector<Entry> differences;
};

struct Summary {
  int files = 0, headers = 0, lines = 0, symbols = 0, translation_units = 0;
  int modules = 0, external_modules = 0, tables = 0, routes = 0;
  int statements = 0, complete_statements = 0, diagnostics = 0;
};

struct ReportModel {
  std::string project_root;
  std::string seam_version;
  Summary summary;
  std::vector<std::string> external_modules;
  std::vector<Module> modules;
  std::vector<ModuleEdge> edges;
  std::vector<Table> tables;
  std::vector<TableAccess> accesses;
  std::vector<Route> routes;
  std::vector<Service> services;
  std::vector<MetricSet> metrics;  ///< plan first, then baselines
  std::vector<Smell> smells;       ///< worst first
  std::vector<PlanStep> steps;
  std::vector<RouteProgress> progress;
  std::vector<ShadowDiff> shadow_diffs;  ///< newest first, from the proxy state
  InteractionsView interactions;   ///< `seam interactions` over the plan (docs/interactions.md)
  std::vector<std::string> notes;  ///< what was missing or degraded, shown on the page
  bool has_plan = false, has_smells = false, has_proxy_state = false;

  /// Index of the module named `name`, or -1.
  int moduleIndex(const std::string& name) const;
  /// Index of the table named `name` (case-insensitive), or -1.
  int tableIndex(const std::string& name) const;
};

}  // namespace seam::reports
