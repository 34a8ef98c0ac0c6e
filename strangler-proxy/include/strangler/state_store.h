// The rollout state of every route, persisted in a small SQLite file so that a
// restart keeps a migration where the operator left it.
//
//   admin API (PUT /routes/{name}) -> StateStore::save -> route_state + route_event
//   startup                         -> StateStore::loadAll -> overrides config
//
// Thread safety: every method may be called from any thread; one connection is
// shared under a mutex. Writes happen only on the control plane (the admin
// handler, at most a few per second) and never on a worker's request path, so
// the mutex is never contended by traffic.
//
// Durability: WAL journal with synchronous=NORMAL. A power loss may lose the
// last committed change but never corrupts the file; a process crash loses
// nothing that save() returned success for.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "strangler/config.h"
#include "strangler/control.h"
#include "strangler/status.h"

struct sqlite3;

namespace strangler {

/// One route's persisted rollout position. `weight_bp` is the share sent to
/// the service in basis points (0..10000). In the file the state is stored by
/// its config name (`legacy`, `shadow`, `canary`, `migrated`, `retired`).
struct RouteStateRecord {
  std::string route;
  RouteState state = RouteState::kLegacy;
  std::uint32_t weight_bp = 0;
  std::int64_t updated_at_ms = 0;  ///< Unix epoch milliseconds
  std::string reason;              ///< free text given by the operator
  std::string actor;               ///< who asked (admin token label, "config", ...)
};

/// One entry in the append-only history of changes.
struct RouteStateEvent {
  std::int64_t id = 0;
  std::string route;
  std::string old_state;  ///< empty for the first record of a route
  std::uint32_t old_weight_bp = 0;
  std::string new_state;   ///< empty when the route was erased
  std::uint32_t new_weight_bp = 0;
  std::int64_t at_ms = 0;
  std::string reason;
  std::string actor;
};

class StateStore final : public RouteStateStore {
 public:
  /// Opens (creating if needed) the state file at `path`. Refuses a file that
  /// is not a SQLite database or belongs to another application, without
  /// modifying it. ":memory:" gives a private in-memory store for tests.
  static Expected<std::unique_ptr<StateStore>> open(const std::string& path);

  ~StateStore() override;
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  /// Every persisted route, ordered by name.
  Expected<std::vector<RouteStateRecord>> loadAll();

  // RouteStateStore: what the data plane needs at startup and on a change.
  Expected<std::map<std::string, RouteRollout>> load() override;
  Status save(std::string_view route, const RouteRollout& rollout) override;

  /// Upserts `record` and appends an event, atomically. `updated_at_ms` of 0
  /// means "now". A save that changes nothing (same state and weight) still
  /// records the event so the history shows who confirmed what.
  Status save(const RouteStateRecord& record);

  /// Forgets a route (e.g. removed from the config). Recorded in the history.
  Status erase(std::string_view route, std::string_view reason, std::string_view actor);

  /// The newest `limit` events, newest first; for one route when `route` is
  /// not empty.
  Expected<std::vector<RouteStateEvent>> history(std::string_view route, int limit);

  /// Shadow verification: stores a mismatching pair and keeps only the
  /// newest `keep` of its route (table shadow_diff, schema version 2).
  Status saveShadowDiff(const ShadowDiffRecord& diff, std::size_t keep) override;
  /// The newest `limit` stored pairs (default 20), newest first; for one
  /// route when `route` is not empty.
  Expected<std::vector<ShadowDiffRecord>> shadowDiffs(std::string_view route, int limit);

  const std::string& path() const { return path_; }

  /// Tags the saves this thread makes through the RouteStateStore interface
  /// while the object lives with a reason and an actor. The admin API wraps
  /// ProxyControl::setRouteRollout (which saves synchronously on the calling
  /// thread) in one, so the history says who changed what and why without
  /// widening the data plane's interface.
  class Annotation {
   public:
    Annotation(std::string reason, std::string actor);
    ~Annotation();
    Annotation(const Annotation&) = delete;
    Annotation& operator=(const Annotation&) = delete;

   private:
    const Annotation* previous_;
    friend class StateStore;
    std::string reason_, actor_;
  };

 private:
  StateStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status exec(const char* sql);

  std::mutex mu_;
  sqlite3* db_;  // owned; guarded by mu_
  std::string path_;
};

/// Milliseconds since the Unix epoch, from the system clock.
std::int64_t nowUnixMillis();

}  // namespace strangler
