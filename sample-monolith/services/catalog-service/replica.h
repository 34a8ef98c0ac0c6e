// The catalog service's data: its own SQLite file, filled from the monolith's.
//
//   monolith.db (opened read-only, ATTACHed as `legacy`)
//      |  seed(): CREATE each table with the monolith's own DDL, copy all rows
//      v
//   catalog.db  owned tables      books, authors, book_authors, categories, reviews
//               replicated tables stock, customers, addresses, orders, order_items
//      ^  sync(): every interval, copy only the rows that differ (both ways:
//      |          changed/new rows upserted, rows gone from the monolith deleted)
//
// Two phases, as in the plan (docs/plan-format.md: migrate_tables vs
// replicate_tables):
//   * replicating (route in shadow/canary): the monolith still writes every
//     table, so sync() refreshes owned AND replicated tables; the service is
//     a read replica that lags by at most one interval.
//   * owning (after cutover(), route migrated): the service is the only
//     writer of its owned tables, so sync() no longer touches them; it keeps
//     refreshing the replicated ones (data of other services it still reads).
//
// Thread safety: one Replica is driven by one thread (the sync thread); the
// HTTP handlers never touch it, they use their own pooled connections. The
// sync connection has foreign keys off: it copies whole tables whose parents
// may arrive in a later statement of the same transaction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

struct sqlite3;

namespace catalog_service {

struct ReplicaTables {
  std::vector<std::string> owned;       // copied once, then written by the service after cutover
  std::vector<std::string> replicated;  // always refreshed from the monolith
  std::vector<std::string> views;       // re-created from the monolith's DDL when their tables exist
};

/// The bookstore's catalog service: catalog + reviews modules, and what they read from others.
ReplicaTables catalogTables();

struct SyncStats {
  int64_t syncs = 0;          // completed sync() calls (seed included)
  int64_t rows_upserted = 0;  // over all syncs
  int64_t rows_deleted = 0;
  int64_t last_changes = 0;   // rows changed by the last sync
  std::string last_error;     // empty when the last sync succeeded
};

class Replica {
 public:
  /// Opens `service_db` (created when missing) and attaches `monolith_db`
  /// read-only. Throws std::runtime_error with the sqlite message on failure.
  Replica(const std::string& service_db, const std::string& monolith_db, ReplicaTables tables);
  ~Replica();
  Replica(const Replica&) = delete;
  Replica& operator=(const Replica&) = delete;

  /// Creates missing tables, indexes, triggers and views with the monolith's
  /// DDL, then copies every table. Throws std::runtime_error.
  void seed();
  /// One incremental refresh in one transaction. Never throws: a failure (the
  /// monolith busy, gone, or its schema changed) is kept in stats().last_error
  /// and the previous data stays (the transaction rolls back).
  void sync();
  /// From now on the owned tables are the service's own: sync() leaves them alone.
  void cutover() { owning_ = true; }
  bool owning() const { return owning_; }
  const SyncStats& stats() const { return stats_; }

 private:
  void exec(const std::string& sql);
  std::vector<std::string> columns(const std::string& schema, const std::string& table);
  std::vector<std::string> primaryKey(const std::string& table);
  void createFromMonolith(const std::string& type, const std::string& name, bool with_dependents);
  /// Copies the rows of `table` that differ; returns rows upserted + deleted.
  int64_t refresh(const std::string& table);

  sqlite3* db_ = nullptr;
  ReplicaTables tables_;
  bool owning_ = false;
  SyncStats stats_;
};

}  // namespace catalog_service
