// Strangler proxy state database -> per-route migration progress.
// The proxy owns that schema; we read it by introspection so a column added
// or renamed on their side degrades to "unknown" here rather than failing:
// the first table among the known names that has a state-like column is
// read, with route / method / percent / service / updated columns optional.
// Today's proxy (strangler-proxy/lib/state_store.cc) writes
//   route_state(route, state, weight_bp, updated_at /* Unix ms */, reason, actor).
#include <nlohmann/json.hpp>

#include <set>

#include "seam/reports/inputs.h"
#include "sqlite_db.h"

namespace seam::reports {
namespace {

using internal::ReadOnlyDb;
using internal::Row;

std::string pick(const std::set<std::string>& cols, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    if (cols.count(n)) return n;
  }
  return {};
}

std::string quoted(const std::string& ident) {
  std::string out = "\"";
  for (char c : ident) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

/// Shadow verification's sampled mismatches (proxy schema version 2), the
/// newest kMaxShadowDiffs; a state file without the table has none.
constexpr int kMaxShadowDiffs = 50;

Status applyShadowDiffs(ReadOnlyDb& db, const std::string& path, ReportModel& m) {
  m.shadow_diffs.clear();
  if (!db.hasTable("shadow_diff")) return Status::Ok();
  Status s = db.query(
      "SELECT route, strftime('%Y-%m-%d %H:%M:%S', at / 1000, 'unixepoch') || ' UTC', request_id, request, legacy,"
      " service, differences FROM shadow_diff ORDER BY id DESC LIMIT " + std::to_string(kMaxShadowDiffs),
      [&](const Row& r) {
        ShadowDiff d;
        d.route = r.text(0);
        d.at = r.text(1);
        d.request_id = r.text(2);
        d.request = r.text(3);
        d.legacy = r.text(4);
        d.service = r.text(5);
        nlohmann::json list = nlohmann::json::parse(r.text(6), nullptr, false);
        if (list.is_array()) {
          for (const auto& x : list) {
            if (!x.is_object()) continue;
            d.differences.push_back({x.value("where", std::string()), x.value("legacy", std::string()),
                                     x.value("service", std::string())});
          }
        }
        m.shadow_diffs.push_back(std::move(d));
      });
  if (!s.ok()) return Error{path + ": shadow_diff: " + s.error()};
  return Status::Ok();
}

}  // namespace

Status applyProxyState(const std::string& path, ReportModel& m) {
  ReadOnlyDb db;
  Status s = db.open(path);
  if (!s.ok()) return s;
  for (const char* table : {"route_state", "route_states", "routes", "rollout", "rollouts", "migration"}) {
    if (!db.hasTable(table)) continue;
    std::set<std::string> cols;
    s = db.query("SELECT name FROM pragma_table_info(" + quoted(table) + ")",
                 [&](const Row& r) { cols.insert(r.text(0)); });
    if (!s.ok()) return Error{path + ": " + s.error()};
    std::string state = pick(cols, {"state", "mode", "stage", "phase"});
    std::string route = pick(cols, {"route", "name", "route_name", "path", "prefix", "match"});
    if (state.empty() || route.empty()) continue;
    std::string method = pick(cols, {"method"});
    std::string service = pick(cols, {"service", "upstream", "target"});
    auto col = [&](const std::string& c) { return c.empty() ? std::string("NULL") : quoted(c); };
    // The strangler proxy stores weights in basis points (0..10000) and times in Unix milliseconds.
    std::string percent = cols.count("weight_bp") ? "weight_bp / 100.0"
                                                  : col(pick(cols, {"percent", "canary_percent", "weight"}));
    std::string updated = col(pick(cols, {"updated_at", "updated", "changed_at", "since"}));
    if (updated != "NULL") {
      updated = "CASE WHEN typeof(" + updated + ") = 'integer' THEN strftime('%Y-%m-%d %H:%M:%S', " + updated +
                " / (CASE WHEN " + updated + " > 100000000000 THEN 1000 ELSE 1 END), 'unixepoch') || ' UTC' ELSE " +
                updated + " END";
    }
    std::string sql = "SELECT " + col(route) + ", " + col(method) + ", " + col(state) + ", " + percent + ", " +
                      col(service) + ", " + updated + " FROM " + quoted(table) + " ORDER BY 1";
    m.progress.clear();
    s = db.query(sql, [&](const Row& r) {
      RouteProgress p;
      p.route = r.isNull(1) ? r.text(0) : r.text(1) + " " + r.text(0);
      p.state = r.text(2);
      p.percent = r.real(3);
      p.service = r.text(4);
      p.updated = r.text(5);
      m.progress.push_back(std::move(p));
    });
    if (!s.ok()) return Error{path + ": " + s.error()};
    m.has_proxy_state = true;
    return applyShadowDiffs(db, path, m);
  }
  return Error{path + ": no route state table found (not a strangler proxy state database?)"};
}

}  // namespace seam::reports
