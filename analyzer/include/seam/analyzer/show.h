// seam show: read-only views of a fact store, for terminals (aligned text)
// and scripts (--json, nlohmann-json).
//
//   modules      modules with files, lines, symbols, fan-out and fan-in
//   edges        module -> module coupling, weight per edge kind
//   tables       module x table ownership matrix (C create, R read, W write)
//   routes       HTTP routes with handler symbol and handler module
//   symbols      symbols with kind, module and definition location
//   diagnostics  parse errors per TU
//   transactions transaction scopes: entry, routes, certainty, (table, op) group
#pragma once

#include <optional>
#include <string>

#include "llvm/Support/Error.h"

namespace seam::analyzer {

enum class ShowView { kModules, kEdges, kTables, kRoutes, kSymbols, kDiagnostics, kTransactions };

std::optional<ShowView> parseShowView(const std::string& name);

struct ShowOptions {
  bool json = false;
  bool include_external = false;  ///< external:* modules (std, sqlite3, ...) too
  std::string module;             ///< only this module (symbols, edges)
};

/// Renders a view. The store is opened read-only and validated first.
llvm::Expected<std::string> show(const std::string& db_path, ShowView view, const ShowOptions& options);

}  // namespace seam::analyzer
