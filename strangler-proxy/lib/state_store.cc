// SQLite-backed StateStore. See state_store.h for the contract.
#include "strangler/state_store.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <chrono>
#include <utility>

namespace strangler {
namespace {

// "STRN": marks the file as ours so we never write into someone else's DB.
constexpr int kApplicationId = 0x5354524E;
// 1: route_state, route_event. 2: + shadow_diff (added in place: every
// statement is CREATE ... IF NOT EXISTS, so a version 1 file upgrades on open).
constexpr int kSchemaVersion = 2;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS route_state (
  route       TEXT PRIMARY KEY,
  state       TEXT NOT NULL CHECK (state IN ('legacy','shadow','canary','migrated','retired')),
  weight_bp   INTEGER NOT NULL CHECK (weight_bp BETWEEN 0 AND 10000),
  updated_at  INTEGER NOT NULL,
  reason      TEXT NOT NULL DEFAULT '',
  actor       TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS route_event (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  route          TEXT NOT NULL,
  old_state      TEXT NOT NULL DEFAULT '',
  old_weight_bp  INTEGER NOT NULL DEFAULT 0,
  new_state      TEXT NOT NULL,
  new_weight_bp  INTEGER NOT NULL,
  at             INTEGER NOT NULL,
  reason         TEXT NOT NULL DEFAULT '',
  actor          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS route_event_by_route ON route_event(route, id);
CREATE TABLE IF NOT EXISTS shadow_diff (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  route        TEXT NOT NULL,
  at           INTEGER NOT NULL,
  request_id   TEXT NOT NULL DEFAULT '',
  request      TEXT NOT NULL,
  legacy       TEXT NOT NULL,
  service      TEXT NOT NULL,
  differences  TEXT NOT NULL  -- JSON: [{"where": ..., "legacy": ..., "service": ...}]
);
CREATE INDEX IF NOT EXISTS shadow_diff_by_route ON shadow_diff(route, id);
)sql";

// RAII for a prepared statement.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr); }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool prepared() const { return rc_ == SQLITE_OK && s_ != nullptr; }
  sqlite3_stmt* get() { return s_; }
  void text(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void integer(int i, std::int64_t v) { sqlite3_bind_int64(s_, i, v); }
  int step() { return sqlite3_step(s_); }
  std::string columnText(int i) {
    const unsigned char* t = sqlite3_column_text(s_, i);
    return t ? std::string(reinterpret_cast<const char*>(t),
                           static_cast<size_t>(sqlite3_column_bytes(s_, i)))
             : std::string();
  }
  std::int64_t columnInt(int i) { return sqlite3_column_int64(s_, i); }

 private:
  sqlite3_stmt* s_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

Status dbError(sqlite3* db, std::string_view what) {
  return Status::error(std::string(what) + ": " + sqlite3_errmsg(db));
}

// Reads a single-integer PRAGMA.
bool pragmaInt(sqlite3* db, const char* sql, int* out) {
  Stmt s(db, sql);
  if (!s.prepared() || s.step() != SQLITE_ROW) return false;
  *out = static_cast<int>(s.columnInt(0));
  return true;
}

// The innermost live Annotation of this thread (see state_store.h).
thread_local const StateStore::Annotation* t_annotation = nullptr;

}  // namespace

StateStore::Annotation::Annotation(std::string reason, std::string actor)
    : previous_(t_annotation), reason_(std::move(reason)), actor_(std::move(actor)) {
  t_annotation = this;
}

StateStore::Annotation::~Annotation() { t_annotation = previous_; }

std::int64_t nowUnixMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Expected<std::unique_ptr<StateStore>> StateStore::open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return Status::error("state file " + path + ": " + msg);
  }
  std::unique_ptr<StateStore> store(new StateStore(db, path));
  sqlite3_busy_timeout(db, 2000);

  // Identify the file before writing anything: a foreign or corrupt file is
  // refused untouched.
  int app_id = 0, version = 0, tables = 0;
  if (!pragmaInt(db, "PRAGMA application_id", &app_id) ||
      !pragmaInt(db, "PRAGMA user_version", &version) ||
      !pragmaInt(db, "SELECT count(*) FROM sqlite_schema", &tables)) {
    return Status::error("state file " + path + ": not a readable SQLite database (" +
                         sqlite3_errmsg(db) + ")");
  }
  if (app_id != kApplicationId && !(app_id == 0 && tables == 0)) {
    return Status::error("state file " + path +
                         ": belongs to another application (refusing to modify it)");
  }
  if (app_id == kApplicationId && version > kSchemaVersion) {
    return Status::error("state file " + path + ": schema version " + std::to_string(version) +
                         " is newer than this proxy understands (" +
                         std::to_string(kSchemaVersion) + ")");
  }

  if (path != ":memory:" && !path.empty()) {
    if (Status s = store->exec("PRAGMA journal_mode=WAL"); !s.isOk()) return s;
  }
  if (Status s = store->exec("PRAGMA synchronous=NORMAL"); !s.isOk()) return s;
  if (Status s = store->exec("BEGIN IMMEDIATE"); !s.isOk()) return s;
  if (Status s = store->exec(kSchema); !s.isOk()) {
    store->exec("ROLLBACK");
    return s;
  }
  std::string ids = "PRAGMA application_id=" + std::to_string(kApplicationId) +
                    "; PRAGMA user_version=" + std::to_string(kSchemaVersion);
  if (Status s = store->exec(ids.c_str()); !s.isOk()) {
    store->exec("ROLLBACK");
    return s;
  }
  if (Status s = store->exec("COMMIT"); !s.isOk()) return s;
  return store;
}

StateStore::~StateStore() { sqlite3_close(db_); }

Status StateStore::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = "state file " + path_ + ": " + (err ? err : sqlite3_errmsg(db_));
    sqlite3_free(err);
    return Status::error(std::move(msg));
  }
  return Status();
}

Expected<std::vector<RouteStateRecord>> StateStore::loadAll() {
  std::lock_guard<std::mutex> lock(mu_);
  Stmt s(db_, "SELECT route, state, weight_bp, updated_at, reason, actor FROM route_state "
              "ORDER BY route");
  if (!s.prepared()) return dbError(db_, "state file " + path_);
  std::vector<RouteStateRecord> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    RouteStateRecord r;
    r.route = s.columnText(0);
    std::string state = s.columnText(1);
    if (!parseRouteState(state, r.state))
      return Status::error("state file " + path_ + ": route " + r.route + " has unknown state '" +
                           state + "'");
    r.weight_bp = static_cast<std::uint32_t>(s.columnInt(2));
    r.updated_at_ms = s.columnInt(3);
    r.reason = s.columnText(4);
    r.actor = s.columnText(5);
    out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return dbError(db_, "state file " + path_);
  return out;
}

Status StateStore::save(const RouteStateRecord& record) {
  if (record.route.empty()) return Status::error("route name is empty");
  if (record.weight_bp > 10000)
    return Status::error("weight must be 0..10000 basis points");
  const std::int64_t at = record.updated_at_ms ? record.updated_at_ms : nowUnixMillis();

  std::lock_guard<std::mutex> lock(mu_);
  if (Status s = exec("BEGIN IMMEDIATE"); !s.isOk()) return s;
  auto fail = [&](std::string_view what) {
    Status st = dbError(db_, "state file " + path_ + ": " + std::string(what));
    exec("ROLLBACK");
    return st;
  };

  std::string old_state;
  std::int64_t old_weight = 0;
  {
    Stmt q(db_, "SELECT state, weight_bp FROM route_state WHERE route = ?1");
    if (!q.prepared()) return fail("read");
    q.text(1, record.route);
    int rc = q.step();
    if (rc == SQLITE_ROW) {
      old_state = q.columnText(0);
      old_weight = q.columnInt(1);
    } else if (rc != SQLITE_DONE) {
      return fail("read");
    }
  }
  {
    Stmt u(db_,
           "INSERT INTO route_state(route, state, weight_bp, updated_at, reason, actor) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
           "ON CONFLICT(route) DO UPDATE SET state = excluded.state, "
           "weight_bp = excluded.weight_bp, updated_at = excluded.updated_at, "
           "reason = excluded.reason, actor = excluded.actor");
    if (!u.prepared()) return fail("write");
    u.text(1, record.route);
    u.text(2, toString(record.state));
    u.integer(3, record.weight_bp);
    u.integer(4, at);
    u.text(5, record.reason);
    u.text(6, record.actor);
    // The CHECK constraint rejects an unknown state name here.
    if (u.step() != SQLITE_DONE) return fail("write");
  }
  {
    Stmt e(db_,
           "INSERT INTO route_event(route, old_state, old_weight_bp, new_state, "
           "new_weight_bp, at, reason, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!e.prepared()) return fail("history");
    e.text(1, record.route);
    e.text(2, old_state);
    e.integer(3, old_weight);
    e.text(4, toString(record.state));
    e.integer(5, record.weight_bp);
    e.integer(6, at);
    e.text(7, record.reason);
    e.text(8, record.actor);
    if (e.step() != SQLITE_DONE) return fail("history");
  }
  return exec("COMMIT");
}

Expected<std::map<std::string, RouteRollout>> StateStore::load() {
  auto all = loadAll();
  if (!all) return all.status();
  std::map<std::string, RouteRollout> out;
  for (const RouteStateRecord& r : *all) out[r.route] = RouteRollout{r.state, r.weight_bp};
  return out;
}

Status StateStore::save(std::string_view route, const RouteRollout& rollout) {
  RouteStateRecord r;
  r.route = std::string(route);
  r.state = rollout.state;
  r.weight_bp = rollout.weight;
  r.actor = "proxy";
  if (t_annotation != nullptr) {
    r.reason = t_annotation->reason_;
    r.actor = t_annotation->actor_;
  }
  return save(r);
}

Status StateStore::erase(std::string_view route, std::string_view reason,
                         std::string_view actor) {
  std::lock_guard<std::mutex> lock(mu_);
  if (Status s = exec("BEGIN IMMEDIATE"); !s.isOk()) return s;
  auto fail = [&]() {
    Status st = dbError(db_, "state file " + path_);
    exec("ROLLBACK");
    return st;
  };
  Stmt e(db_,
         "INSERT INTO route_event(route, old_state, old_weight_bp, new_state, new_weight_bp, "
         "at, reason, actor) SELECT route, state, weight_bp, '', 0, ?2, ?3, ?4 "
         "FROM route_state WHERE route = ?1");
  if (!e.prepared()) return fail();
  e.text(1, route);
  e.integer(2, nowUnixMillis());
  e.text(3, reason);
  e.text(4, actor);
  if (e.step() != SQLITE_DONE) return fail();
  Stmt d(db_, "DELETE FROM route_state WHERE route = ?1");
  if (!d.prepared()) return fail();
  d.text(1, route);
  if (d.step() != SQLITE_DONE) return fail();
  return exec("COMMIT");
}

Expected<std::vector<RouteStateEvent>> StateStore::history(std::string_view route, int limit) {
  std::lock_guard<std::mutex> lock(mu_);
  Stmt s(db_,
         "SELECT id, route, old_state, old_weight_bp, new_state, new_weight_bp, at, reason, "
         "actor FROM route_event WHERE (?1 = '' OR route = ?1) ORDER BY id DESC LIMIT ?2");
  if (!s.prepared()) return dbError(db_, "state file " + path_);
  s.text(1, route);
  s.integer(2, limit > 0 ? limit : 100);
  std::vector<RouteStateEvent> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    RouteStateEvent ev;
    ev.id = s.columnInt(0);
    ev.route = s.columnText(1);
    ev.old_state = s.columnText(2);
    ev.old_weight_bp = static_cast<std::uint32_t>(s.columnInt(3));
    ev.new_state = s.columnText(4);
    ev.new_weight_bp = static_cast<std::uint32_t>(s.columnInt(5));
    ev.at_ms = s.columnInt(6);
    ev.reason = s.columnText(7);
    ev.actor = s.columnText(8);
    out.push_back(std::move(ev));
  }
  if (rc != SQLITE_DONE) return dbError(db_, "state file " + path_);
  return out;
}

Status StateStore::saveShadowDiff(const ShadowDiffRecord& diff, std::size_t keep) {
  if (diff.route.empty()) return Status::error("route name is empty");
  if (keep == 0) return Status::ok();
  nlohmann::json list = nlohmann::json::array();
  for (const Difference& d : diff.differences)
    list.push_back({{"where", d.where}, {"legacy", d.legacy}, {"service", d.service}});
  // Bodies may hold any bytes: invalid UTF-8 is replaced rather than refused.
  std::string differences = list.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);

  std::lock_guard<std::mutex> lock(mu_);
  if (Status s = exec("BEGIN IMMEDIATE"); !s.isOk()) return s;
  auto fail = [&](std::string_view what) {
    Status st = dbError(db_, "state file " + path_ + ": " + std::string(what));
    exec("ROLLBACK");
    return st;
  };
  {
    Stmt i(db_,
           "INSERT INTO shadow_diff(route, at, request_id, request, legacy, service, differences) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!i.prepared()) return fail("shadow diff");
    i.text(1, diff.route);
    i.integer(2, diff.at_ms ? diff.at_ms : nowUnixMillis());
    i.text(3, diff.request_id);
    i.text(4, diff.request);
    i.text(5, diff.legacy);
    i.text(6, diff.service);
    i.text(7, differences);
    if (i.step() != SQLITE_DONE) return fail("shadow diff");
  }
  {
    // Bounded: only the newest `keep` pairs of the route stay.
    Stmt d(db_,
           "DELETE FROM shadow_diff WHERE route = ?1 AND id NOT IN "
           "(SELECT id FROM shadow_diff WHERE route = ?1 ORDER BY id DESC LIMIT ?2)");
    if (!d.prepared()) return fail("shadow diff");
    d.text(1, diff.route);
    d.integer(2, static_cast<std::int64_t>(keep));
    if (d.step() != SQLITE_DONE) return fail("shadow diff");
  }
  return exec("COMMIT");
}

Expected<std::vector<ShadowDiffRecord>> StateStore::shadowDiffs(std::string_view route, int limit) {
  std::lock_guard<std::mutex> lock(mu_);
  Stmt s(db_,
         "SELECT id, route, at, request_id, request, legacy, service, differences FROM shadow_diff "
         "WHERE (?1 = '' OR route = ?1) ORDER BY id DESC LIMIT ?2");
  if (!s.prepared()) return dbError(db_, "state file " + path_);
  s.text(1, route);
  s.integer(2, limit > 0 ? limit : 20);
  std::vector<ShadowDiffRecord> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    ShadowDiffRecord r;
    r.id = s.columnInt(0);
    r.route = s.columnText(1);
    r.at_ms = s.columnInt(2);
    r.request_id = s.columnText(3);
    r.request = s.columnText(4);
    r.legacy = s.columnText(5);
    r.service = s.columnText(6);
    nlohmann::json list = nlohmann::json::parse(s.columnText(7), nullptr, false);
    if (list.is_array()) {
      for (const auto& d : list) {
        if (!d.is_object()) continue;
        r.differences.push_back({d.value("where", std::string()), d.value("legacy", std::string()),
                                 d.value("service", std::string())});
      }
    }
    out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return dbError(db_, "state file " + path_);
  return out;
}

}  // namespace strangler
