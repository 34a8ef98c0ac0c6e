// Which code belongs to which service: the declarations (services.yaml or the
// decomposer's plan.json) and their resolution against the fact store.
//
//   services.yaml / plan.json -> ServiceSpec -> (with Facts) -> Assignment
//
// An entry is a module name or a path (directory or file). Paths match by
// component-wise suffix, so with files stored as "src/orders/cart.cc" both
// "src/orders" and "sample-monolith/src/orders" name that directory
// (docs/smells.md, "Declaring services").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "seam/smells/expected.h"
#include "seam/smells/facts.h"

namespace seam::smells {

struct ServiceDecl {
  std::string name;
  std::vector<std::string> entries;       // module names or paths
  std::vector<std::string> owned_tables;  // declared owners (plan.json, or services.yaml long form)
  // Entries are module names only (plan.json at module granularity): "src"
  // then means the module "src", not every file below the directory src/.
  bool modules_only = false;
};

struct ServiceSpec {
  std::string origin;  // the file it came from, for messages
  std::vector<ServiceDecl> services;
};

/// services.yaml: `services: {name: [entry, ...]}` or the long form
/// `services: {name: {paths: [...], tables: [...]}}`.
Expected<ServiceSpec> loadServicesYaml(const std::string& path);
/// The decomposer's plan.json (docs/plan-format.md): services with modules and owned tables.
Expected<ServiceSpec> loadPlanJson(const std::string& path);

/// True when the shorter of `a` and `b` is a component-wise suffix of the other
/// ("src/orders" ~ "sample-monolith/src/orders", but not "rc/orders").
bool pathSuffixMatch(std::string_view a, std::string_view b);

/// A resolved mapping from files and symbols to service indexes.
class Assignment {
 public:
  static constexpr int kUnassigned = -1;

  /// Fails on an entry that matches nothing, on a file claimed by two services,
  /// on duplicate service names and on a table owned by two services.
  static Expected<Assignment> resolve(const ServiceSpec& spec, const Facts& facts);

  const std::vector<std::string>& names() const { return names_; }
  int size() const { return static_cast<int>(names_.size()); }
  const std::string& name(int service) const;  // "unassigned" for kUnassigned
  int find(std::string_view name) const;       // -1 when unknown

  int serviceOfFile(int64_t file_id) const;
  int serviceOfSymbol(int64_t symbol_id) const;
  int serviceOfModule(int64_t module_id) const;  // -1 when unassigned or split across services
  /// For paths from outside the fact store (git history): first a stored file
  /// path that matches by suffix, then the declared path entries.
  int serviceOfPath(std::string_view path) const;

  /// Modules (non-external) of each service, and those no service covers.
  const std::vector<std::vector<int64_t>>& modulesOf() const { return modules_of_; }
  const std::vector<int64_t>& unassignedModules() const { return unassigned_modules_; }
  /// Declared table owners (lower-case table -> service).
  const std::unordered_map<std::string, int>& declaredOwners() const { return declared_owners_; }

 private:
  std::vector<std::string> names_;
  std::vector<std::vector<std::string>> path_entries_;  // per service
  std::unordered_map<int64_t, int> file_service_;
  std::unordered_map<int64_t, int> symbol_service_;
  std::unordered_map<int64_t, int> module_service_;
  std::unordered_map<std::string, int> path_suffix_service_;  // every suffix of every stored path; -2 = ambiguous
  std::vector<std::vector<int64_t>> modules_of_;
  std::vector<int64_t> unassigned_modules_;
  std::unordered_map<std::string, int> declared_owners_;
};

}  // namespace seam::smells
