// The analysis' working view of its inputs, built once by analyze() and then
// read by the interaction classifier and the transaction advisor:
//
//   Facts + plan --(CouplingGraph at the plan's granularity + assignmentFromPlan)-->
//     symbol -> service, table -> owner, call adjacency, per-function tables
//
// Private to the library. Services are indexes into `names`; the shared
// kernel (nodes no service lists) and unknown symbols are kNone, so calls into
// shared libraries are never interactions.
#pragma once

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "seam/interactions/interactions.h"

namespace seam::interactions::internal {

inline constexpr int kNone = -1;

struct Model {
  Model(const decomposer::Facts& f, const TransactionFacts& t, const Options& o) : facts(f), tx(t), options(o) {}
  const decomposer::Facts& facts;
  const TransactionFacts& tx;
  const Options& options;

  std::vector<std::string> names;                 ///< services in plan order
  std::unordered_map<int64_t, int> symbol_service;  ///< kNone when absent
  std::map<std::string, std::string> table_owner;  ///< table -> service name ("" unknown)
  /// Call/virtual_call adjacency: src -> (dst, position in facts.edges).
  std::unordered_map<int64_t, std::vector<std::pair<int64_t, size_t>>> calls_from;
  std::unordered_map<int64_t, std::set<std::pair<std::string, std::string>>> tables_of;  ///< symbol -> (table, op)
  std::map<std::tuple<int64_t, int64_t, std::string>, int64_t> discarded;  ///< edge -> discarded sites
  std::unordered_map<int64_t, std::pair<int64_t, int64_t>> statement_at;    ///< statement -> (file, line)
  std::map<std::pair<int64_t, std::string>, std::vector<std::string>> updated_columns;  ///< (statement, table)

  /// Requests per route (index into facts.routes), filled from options.traffic.
  std::vector<int64_t> route_traffic;
  int64_t total_traffic = 0;
  std::vector<bool> latency_critical;  ///< per route

  int serviceOf(int64_t symbol) const;
  std::string serviceName(int s) const { return s == kNone ? std::string() : names[static_cast<size_t>(s)]; }
  std::string ownerOf(const std::string& table) const;
  std::string nameOf(int64_t symbol) const;      ///< qualified name, or "#id"
  std::string symbolLocation(int64_t symbol) const;
  std::string statementLocation(int64_t statement) const;
  /// (table, op) reached from `fn` through calls that stay in `service` (memoized).
  const std::set<std::pair<std::string, std::string>>& closureTables(int64_t fn, int service);
  /// Symbols reached from `fn` through calls of any service (fn included).
  std::set<int64_t> reach(int64_t fn) const;

  std::map<std::pair<int64_t, int>, std::set<std::pair<std::string, std::string>>> closure_cache;
};

bool isWrite(const std::string& op);

/// Fills a.interactions, a.pairs and a.events.
void classifyInteractions(Model& m, Analysis& a);
/// Fills a.transactions and a.transaction_groups (needs a.interactions).
void adviseTransactions(Model& m, Analysis& a);

}  // namespace seam::interactions::internal
