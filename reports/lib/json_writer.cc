// ReportModel -> the report's JSON data model ("format": "seam-report",
// "version": 1; docs/report.md). Indices refer to positions in the sibling
// arrays; -1 is written as null.
#include <nlohmann/json.hpp>

#include "seam/reports/writers.h"

namespace seam::reports {
namespace {

using nlohmann::json;

json index(int i) { return i < 0 ? json(nullptr) : json(i); }

json location(const Location& l, json j = json::object()) {
  j["file"] = l.file;
  j["line"] = l.line > 0 ? json(l.line) : json(nullptr);
  return j;
}

}  // namespace

json toJson(const ReportModel& m) {
  json out;
  out["format"] = "seam-report";
  out["version"] = 1;
  out["project_root"] = m.project_root;
  out["seam_version"] = m.seam_version;
  out["inputs"] = {{"plan", m.has_plan}, {"smells", m.has_smells}, {"proxy_state", m.has_proxy_state}};
  out["notes"] = m.notes;
  out["interactions"] = m.interactions.present ? m.interactions.data : nlohmann::json(nullptr);
  const Summary& s = m.summary;
  out["summary"] = {{"files", s.files},
                    {"headers", s.headers},
                    {"lines", s.lines},
                    {"symbols", s.symbols},
                    {"translation_units", s.translation_units},
                    {"modules", s.modules},
                    {"external_modules", s.external_modules},
                    {"tables", s.tables},
                    {"routes", s.routes},
                    {"statements", s.statements},
                    {"complete_statements", s.complete_statements},
                    {"diagnostics", s.diagnostics},
                    {"services", static_cast<int>(m.services.size())}};
  out["external_modules"] = m.external_modules;

  json modules = json::array();
  for (const auto& mod : m.modules) {
    json symbols = json::array();
    for (const auto& sym : mod.symbol_details) {
      symbols.push_back(location(sym.location, {{"name", sym.qualified_name}, {"kind", sym.kind}, {"lines", sym.lines}}));
    }
    modules.push_back({{"name", mod.name},
                       {"files", mod.files},
                       {"lines", mod.lines},
                       {"symbols", mod.symbols},
                       {"service", index(mod.service)},
                       {"symbol_details", std::move(symbols)}});
  }
  out["modules"] = std::move(modules);

  json services = json::array();
  for (const auto& svc : m.services) {
    services.push_back({{"name", svc.name}, {"modules", svc.modules}, {"tables", svc.tables}});
  }
  out["services"] = std::move(services);

  json edges = json::array();
  for (const auto& e : m.edges) {
    json evidence = json::array();
    for (const auto& ev : e.evidence) {
      evidence.push_back(location(ev.location, {{"from", ev.from}, {"to", ev.to}, {"kind", ev.kind}, {"count", ev.count}}));
    }
    edges.push_back({{"source", e.source},
                     {"target", e.target},
                     {"weight", e.weight},
                     {"kinds", e.kinds},
                     {"evidence", std::move(evidence)}});
  }
  out["edges"] = std::move(edges);

  json tables = json::array();
  for (const auto& t : m.tables) {
    tables.push_back(location(t.defined, {{"name", t.name},
                                          {"owner_module", index(t.owner_module)},
                                          {"owner_service", index(t.owner_service)},
                                          {"owner_from_plan", t.owner_from_plan}}));
  }
  out["tables"] = std::move(tables);

  json accesses = json::array();
  for (const auto& a : m.accesses) {
    const Table& t = m.tables[a.table];
    int service = m.modules[a.module].service;
    json sites = json::array();
    for (const auto& site : a.sites) {
      sites.push_back(location(site.location, {{"function", site.function}, {"sql", site.sql}}));
    }
    accesses.push_back({{"module", a.module},
                        {"table", a.table},
                        {"create", a.create},
                        {"read", a.read},
                        {"write", a.write},
                        {"statements", a.statements},
                        // Another module than the owner touches the table / another service does.
                        {"foreign", t.owner_module >= 0 && t.owner_module != a.module},
                        {"cross_service", t.owner_service >= 0 && service >= 0 && service != t.owner_service},
                        {"sites", std::move(sites)}});
  }
  out["accesses"] = std::move(accesses);

  json routes = json::array();
  for (const auto& r : m.routes) {
    routes.push_back(location(r.location, {{"method", r.method},
                                           {"path", r.path},
                                           {"framework", r.framework},
                                           {"handler", r.handler},
                                           {"module", index(r.module)}}));
  }
  out["routes"] = std::move(routes);

  json metrics = json::array();
  for (const auto& set : m.metrics) {
    metrics.push_back({{"name", set.name}, {"services", set.services}, {"values", set.values}});
  }
  out["metrics"] = std::move(metrics);

  json smells = json::array();
  for (const auto& sm : m.smells) {
    json locs = json::array();
    for (const auto& l : sm.locations) locs.push_back(location(l));
    smells.push_back({{"rule", sm.rule},
                      {"name", sm.name},
                      {"remedy", sm.remedy},
                      {"severity", sm.severity},
                      {"message", sm.message},
                      {"score", sm.score},
                      {"locations", std::move(locs)},
                      {"subjects", sm.subjects}});
  }
  out["smells"] = std::move(smells);

  json steps = json::array();
  for (const auto& st : m.steps) {
    steps.push_back({{"order", st.order},
                     {"title", st.title},
                     {"service", st.service},
                     {"detail", st.detail},
                     {"routes", st.routes},
                     {"tables", st.tables}});
  }
  out["steps"] = std::move(steps);

  json progress = json::array();
  for (const auto& p : m.progress) {
    progress.push_back({{"route", p.route},
                        {"state", p.state},
                        {"percent", p.percent},
                        {"service", p.service},
                        {"updated", p.updated}});
  }
  out["progress"] = std::move(progress);

  json diffs = json::array();
  for (const auto& d : m.shadow_diffs) {
    json entries = json::array();
    for (const auto& e : d.differences)
      entries.push_back({{"where", e.where}, {"legacy", e.legacy}, {"service", e.service}});
    diffs.push_back({{"route", d.route},
                     {"at", d.at},
                     {"request_id", d.request_id},
                     {"request", d.request},
                     {"legacy", d.legacy},
                     {"service", d.service},
                     {"differences", std::move(entries)}});
  }
  out["shadow_diffs"] = std::move(diffs);
  return out;
}

}  // namespace seam::reports
