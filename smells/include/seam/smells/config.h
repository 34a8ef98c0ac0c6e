// Thresholds of the smell rules. Defaults are documented in docs/smells.md;
// `seam.yaml` overrides them in its `smells:` section.
#pragma once

#include <string>
#include <vector>

#include "seam/smells/expected.h"

namespace seam::smells {

struct Config {
  // SEAM001: a single-writer table read by at least this many non-owner services.
  int shared_read_min_services = 2;
  // SEAM004: fan-in and fan-out (distinct services) both >= max(hub_min_degree,
  // hub_factor * median) and strictly above the median; needs hub_min_services services.
  double hub_factor = 1.5;
  int hub_min_degree = 2;
  int hub_min_services = 4;
  // SEAM005: a pair of services changed together in at least lockstep_min_shared
  // commits and in at least lockstep_min_degree of the commits of the less
  // frequently changed one; commits touching more than lockstep_max_files files
  // (mass edits, reformatting) and more than lockstep_max_commits are ignored.
  int lockstep_min_shared = 3;
  double lockstep_min_degree = 0.5;
  int lockstep_max_files = 50;
  int lockstep_max_commits = 5000;
  // SEAM006: a route whose synchronous call graph reaches this many other services.
  int chain_min_services = 3;
  // SEAM007: a route whose call graph has at least this many distinct cross-service call sites.
  int chatty_min_calls = 6;
  // SEAM009: a domain module used by at least this many services other than its own.
  int shared_library_min_services = 2;
  // Modules whose last path component (or namespace) is one of these are utilities (SEAM009).
  std::vector<std::string> utility_modules = {"util", "utils", "utility", "utilities", "common_util",
                                              "log", "logging", "strings", "base", "support"};
  // SEAM010: technical-layer names; a service all of whose modules carry them is a layer cut.
  // (A gateway or BFF named web/http/api is a legitimate service, so those names are not listed.)
  std::vector<std::string> handler_layer_names = {"handlers", "handler", "controllers", "controller", "routes",
                                                  "endpoints", "views"};
  std::vector<std::string> data_layer_names = {"dao", "daos", "dal", "db", "data", "repository",
                                               "repositories", "repo", "persistence", "storage", "sql"};
  // SEAM010 (from facts): share of a service's defined functions that access tables directly.
  double layer_data_fraction = 0.8;
  int layer_min_functions = 3;
  // Rule ids or names switched off.
  std::vector<std::string> disabled_rules;
};

/// Reads the `smells:` section of seam.yaml (absent section = defaults).
/// Unknown keys are errors, so a typo never silently keeps a default.
Expected<Config> loadConfig(const std::string& path);

}  // namespace seam::smells
