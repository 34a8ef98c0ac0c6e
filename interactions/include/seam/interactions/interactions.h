// Interactions: what every cut of a plan turns into at run time.
//
//   seam.db (facts + schema v2 transaction scopes, edges.discarded)
//   plan.json (services per node, tables[].owner)
//     --analyze--> Analysis
//        interactions   caller in A -> callee in B: query | command | notification
//        events         one per notification callee (published through an outbox)
//        transactions   every transaction group whose tables span services, with a
//                       saga (ordered steps + compensations) and the "keep together"
//                       alternative; synchronous remote calls inside it
//     --toJson / printSummary--> seam interactions, seam smells, seam report
//
// The rules (thresholds, ordering, naming, cost model) are in docs/interactions.md.
// Everything here is a plain value: analyze() reads its inputs once and the
// result is immutable and safe to share between threads.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "seam/decomposer/fact_store.h"
#include "seam/decomposer/status.h"
#include "seam/decomposer/traffic.h"

namespace seam::interactions {

using decomposer::Error;
using decomposer::Expected;

/// Output format of toJson (docs/interactions.md).
inline constexpr int kInteractionsVersion = 1;

enum class Kind { kQuery, kCommand, kNotification };
const char* kindName(Kind k);  ///< "query" | "command" | "notification"

/// One (table, op) with the service that owns the table ("" when no owner).
struct TableOp {
  std::string table;
  std::string op;     ///< read | insert | update | delete
  std::string owner;  ///< owning service from plan.json tables[].owner
  bool operator<(const TableOp& o) const;
  bool operator==(const TableOp& o) const = default;
};

/// A call from a function in one service to a function in another (one
/// call/virtual_call edge of the fact store whose ends fall in different,
/// non-kernel services).
struct Interaction {
  Kind kind = Kind::kQuery;
  std::string from_service;
  std::string to_service;
  std::string caller;  ///< qualified names
  std::string callee;
  int64_t caller_id = 0;
  int64_t callee_id = 0;
  int64_t sites = 0;            ///< call sites (edges.count)
  int64_t discarded_sites = 0;  ///< call sites whose result is unused (edges.discarded)
  std::string location;         ///< first call site, "file:line"
  std::string callee_location;  ///< definition of the callee, "file:line"
  /// What the callee does, transitively through calls that stay inside its
  /// service: every (table, op) reached. Sorted, unique.
  std::vector<TableOp> tables;
  bool hot = false;       ///< traffic share or call sites above the threshold
  int64_t traffic = 0;    ///< requests of the routes that reach the caller (with --traffic)
  std::vector<std::string> latency_routes;  ///< latency-critical routes that reach the caller
  std::string recommendation;               ///< one line: what the call becomes
  std::string event;                        ///< notification: the event name
  std::vector<int64_t> transactions;        ///< transaction groups this call happens in
  bool in_distributed_transaction = false;  ///< command inside a group that also writes the caller's tables
};

/// An asynchronous event, one per notification callee.
struct Event {
  std::string name;       ///< e.g. NotificationRequested (naming rule in docs/interactions.md)
  std::string publisher;  ///< service of the callee: it writes the outbox row and publishes
  std::string callee;     ///< the function the callers call today
  std::string callee_location;
  std::vector<std::string> producers;  ///< services whose code raises it today (the callers), sorted
  std::vector<std::string> callers;    ///< qualified names, sorted
  int64_t sites = 0;
  std::vector<TableOp> tables;  ///< what handling it writes/reads (the outbox, for the bookstore)
  /// Payload fields when the fact store knows them; empty = unknown (the
  /// store has no parameter lists yet; contracts mark it as unknown).
  std::vector<std::string> payload;
};

/// One table access inside a saga step, with its compensation.
struct StepAccess {
  std::string table;
  std::string op;
  std::vector<std::string> columns;  ///< updated columns (update), from table_access
  std::string function;              ///< qualified name of the function issuing it
  std::string location;              ///< statement "file:line"
  int64_t depth = 0;                 ///< call depth from the entry function
  std::string compensation;          ///< "" for reads
};

/// A saga step: what one service does inside the (former) transaction.
struct SagaStep {
  int order = 0;  ///< 1-based
  std::string service;
  bool local = false;  ///< the entry function's own service
  std::vector<StepAccess> accesses;  ///< in order of (anchor line, depth, line)
  bool compensable() const;          ///< writes something
};

/// A synchronous call to another service made inside a transaction scope.
struct RemoteCallInTransaction {
  std::string caller;
  std::string callee;
  std::string from_service;
  std::string to_service;
  Kind kind = Kind::kQuery;
  int64_t depth = 0;
  std::string location;
};

/// The alternative to a saga: move the foreign tables the group writes into
/// the entry function's service (cost model in docs/interactions.md).
struct KeepTogether {
  std::string service;              ///< where the tables would go
  std::vector<std::string> tables;  ///< tables that would move
  int64_t statements = 0;  ///< statements of other services that touch them (they would become remote)
  int64_t lines = 0;       ///< lines of the functions issuing those statements
  std::vector<std::string> functions;  ///< those functions, qualified
};

/// A transaction group whose tables span more than one service.
struct DistributedTransaction {
  int64_t id = 0;  ///< transactions.id
  std::string entry;  ///< qualified name of the function that opens the scope
  std::string entry_service;
  std::string kind;   ///< guard | statement | savepoint
  std::string guard;  ///< RAII guard class, "" otherwise
  std::string location;
  std::string certainty;  ///< exact | unbalanced | cross_function | nested
  std::string note;       ///< the uncertainty in words, "" when exact
  std::vector<std::string> routes;  ///< "METHOD /path" that lead to the entry
  int64_t traffic = 0;              ///< requests of those routes (with --traffic)
  std::vector<std::string> services;        ///< every service whose tables it touches, sorted
  std::vector<std::string> write_services;  ///< those it writes, sorted
  /// distributed: writes span 2+ services (a saga is needed);
  /// remote_reads: writes one service, reads others' tables (a consistency risk, no saga).
  std::string category;
  std::vector<TableOp> tables;
  std::vector<SagaStep> saga;
  KeepTogether keep_together;
  /// distributed: "saga" | "keep-together"; remote_reads: "local-transaction".
  std::string recommendation;
  std::string reason;          ///< why, one line
  std::vector<RemoteCallInTransaction> remote_calls;  ///< synchronous (non-notification) only
};

/// Counts per kind for one ordered pair of services.
struct PairCounts {
  std::string from;
  std::string to;
  int64_t query = 0, command = 0, notification = 0;
};

struct Options {
  /// Request counts per route (decomposer::parseTraffic). Empty: hotness by call sites.
  std::vector<decomposer::RouteCount> traffic;
  /// Without traffic: a query with at least this many call sites is hot.
  int64_t hot_sites = 3;
  /// With traffic: a query whose caller is reached by routes carrying at
  /// least this share of all requests is hot.
  double hot_traffic_share = 0.10;
  /// "METHOD /path" (or "/path" for every method): routes that must not wait
  /// on another service; queries on them become local read models.
  std::vector<std::string> latency_critical_routes;
};

struct Analysis {
  std::string store;  ///< fact store path
  std::string plan;   ///< plan path (or "" when given as JSON)
  std::string granularity;
  std::vector<std::string> services;  ///< plan order; the shared kernel is not a service here
  std::vector<Interaction> interactions;  ///< sorted by (from, to, caller, callee)
  std::vector<PairCounts> pairs;          ///< sorted by (from, to)
  std::vector<Event> events;              ///< sorted by name
  /// Transaction groups spanning services, ranked: traffic, then number of
  /// routes, then write services, then id. Uncertain ones are kept.
  std::vector<DistributedTransaction> transactions;
  int64_t transaction_groups = 0;  ///< all groups in the store
  std::vector<std::string> notes;  ///< what was assumed or could not be matched

  int64_t count(Kind k) const;
  /// Only the category "distributed" (what the smells rule reports).
  std::vector<const DistributedTransaction*> distributed() const;
};

/// The transaction facts of schema v2 that decomposer::Facts does not carry.
struct TransactionScope {
  int64_t id = 0;
  int64_t entry_symbol_id = 0;
  std::string kind, guard, certainty, note;
  int64_t file_id = 0, line = 0;
  int64_t parent_id = 0;
};
struct ScopeAccess {
  int64_t transaction_id = 0;
  std::string table, op;
  int64_t symbol_id = 0, statement_id = 0, depth = 0;
};
struct ScopeCall {
  int64_t transaction_id = 0;
  int64_t caller_id = 0, callee_id = 0, depth = 0, file_id = 0, line = 0;
};
struct TransactionFacts {
  std::vector<TransactionScope> scopes;
  std::vector<ScopeAccess> accesses;
  std::vector<ScopeCall> calls;
  std::vector<std::pair<int64_t, int64_t>> routes;  ///< (transaction_id, route_id)
  /// (src, dst, kind) of call edges -> discarded sites.
  std::vector<std::tuple<int64_t, int64_t, std::string, int64_t>> discarded;
  /// statement id -> (table, column) updated, for "restore the previous values".
  std::vector<std::tuple<int64_t, std::string, std::string>> updated_columns;
};

/// Reads the schema v2 tables. Fails with one line on a store without them
/// ("schema v1: re-run seam analyze").
Expected<TransactionFacts> loadTransactionFacts(const std::string& db_path);

/// The analysis over loaded inputs (pure: no I/O). `plan` is a seam-plan v1.
Expected<Analysis> analyze(const decomposer::Facts& facts, const TransactionFacts& tx, const nlohmann::json& plan,
                           const Options& options);

/// Loads the store and the plan, then analyze(). The plan file may also be a
/// ground truth in the architecture.yaml format (planFromTruth).
Expected<Analysis> analyzeFiles(const std::string& db_path, const std::string& plan_path, const Options& options);

/// A minimal seam-plan (module granularity) from a ground truth in the
/// architecture.yaml format: services with their modules as nodes, tables
/// owned as declared. Lets the target architecture be analysed as is.
Expected<nlohmann::json> planFromTruthFile(const std::string& path);

/// The event name for a notification callee (docs/interactions.md):
/// "bookstore::notifications::enqueue" -> "NotificationRequested".
std::string eventName(const std::string& qualified_callee);

/// The compensation of one write: insert -> delete, update -> restore, delete -> re-insert; "" for reads.
std::string compensationFor(const std::string& op, const std::string& table, const std::vector<std::string>& columns);

nlohmann::json toJson(const Analysis& a);
/// The terminal summary of `seam interactions`.
void printSummary(const Analysis& a, std::ostream& out);

}  // namespace seam::interactions
