// seam.yaml: how files map to modules, what is excluded, extra route and SQL
// patterns. Parsed once with yaml-cpp into an immutable AnalyzerConfig.
//
//   modules:
//     strategy: directory        # directory (default) | namespace
//     depth: 0                   # directory levels kept below a root; 0 = all
//     roots: [src, lib]          # optional: module = root/<first `depth` dirs>
//     namespace_depth: 2         # namespace strategy: leading namespaces kept
//     rules:                     # first match wins, before the strategy
//       - match: "^src/legacy/"  # ECMAScript regex on the stored path
//         module: legacy
//   exclude: ["^third_party/"]   # regexes: matching files are external
//   routes:                      # extra route registration functions
//     - callee: "myfw::Router::add"   # qualified name
//       method: GET                   # or method_arg: 0
//       path_arg: 1
//       handler_arg: 2
//   sql:
//     sinks: [{callee: "Db::run", arg: 0}]
//     builders:                  # query-builder classes (sql_builder.h)
//       - class: "bookstore::Select"
//         constructor: [from]
//         methods: {where: where, orderBy: order_by}
//         render: {sql: select, countSql: count}
//   transactions:                # besides what is detected (docs/fact-store.md#transactions)
//     guards: ["mydb::TxGuard"]  # RAII guard classes (qualified names)
//     begin: ["mydb::beginTx"]   # functions that begin / commit / roll back
//     commit: ["mydb::commitTx"]
//     rollback: ["mydb::rollbackTx"]
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "llvm/Support/Error.h"
#include "seam/analyzer/sql_builder.h"
#include "seam/analyzer/sql_resolve.h"

namespace seam::analyzer {

struct ModuleRule {
  std::string match;   ///< regex on the stored (root-relative) path
  std::string module;
};

struct RouteRule {
  std::string callee;           ///< qualified name of the registering function/method
  std::string method;           ///< fixed HTTP method, when method_arg is unset
  std::optional<unsigned> method_arg;
  unsigned path_arg = 0;
  unsigned handler_arg = 1;
};

/// Transaction guards and begin/commit/rollback functions named in seam.yaml,
/// for frameworks whose SQL Seam cannot see (qualified names, exact match).
struct TransactionConfig {
  std::vector<std::string> guards;
  std::vector<std::string> begin;
  std::vector<std::string> commit;
  std::vector<std::string> rollback;
};

struct AnalyzerConfig {
  enum class Strategy { kDirectory, kNamespace };
  Strategy strategy = Strategy::kDirectory;
  unsigned depth = 0;
  std::vector<std::string> roots;
  unsigned namespace_depth = 2;
  std::vector<ModuleRule> rules;
  std::vector<std::string> exclude;
  std::vector<RouteRule> routes;
  std::vector<SinkSpec> sql_sinks;
  std::vector<SqlBuilderSpec> sql_builders;
  TransactionConfig transactions;
};

/// Parses seam.yaml. Unknown keys are errors (a typo must not silently change
/// the modules); so are invalid regexes.
llvm::Expected<AnalyzerConfig> loadConfig(const std::string& path);
llvm::Expected<AnalyzerConfig> parseConfig(const std::string& yaml_text);

}  // namespace seam::analyzer
