// The `seam interactions` document -> ReportModel::interactions. Keeps only
// what the page renders, with the types it expects, so a hand-edited or
// foreign document can neither break the page nor smuggle markup into it.
#include "json_util.h"
#include "read_file.h"
#include "seam/reports/inputs.h"

namespace seam::reports {
namespace {

using nlohmann::json;

std::string s(const json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}
int64_t n(const json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_number() ? j[key].get<int64_t>() : 0;
}
bool b(const json& j, const char* key) { return j.is_object() && j.contains(key) && j[key].is_boolean() && j[key]; }
json strings(const json& j, const char* key) {
  json out = json::array();
  if (j.is_object() && j.contains(key) && j[key].is_array())
    for (const auto& x : j[key])
      if (x.is_string()) out.push_back(x);
  return out;
}
const json& array(const json& j, const char* key) {
  static const json empty = json::array();
  return j.is_object() && j.contains(key) && j[key].is_array() ? j[key] : empty;
}

}  // namespace

Status applyInteractionsJson(const std::string& text, ReportModel& model) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || s(doc, "format") != "seam-interactions") {
    return Error{"interactions: not a seam-interactions document"};
  }
  json view = {{"counts", json::object()}, {"pairs", json::array()}, {"events", json::array()},
               {"transactions", json::array()}};
  for (const char* k : {"query", "command", "notification", "transaction_groups", "distributed_transactions"})
    view["counts"][k] = n(doc.value("counts", json::object()), k);
  for (const auto& p : array(doc, "pairs")) {
    view["pairs"].push_back({{"from", s(p, "from")}, {"to", s(p, "to")}, {"query", n(p, "query")},
                             {"command", n(p, "command")}, {"notification", n(p, "notification")}});
  }
  for (const auto& e : array(doc, "events")) {
    view["events"].push_back({{"name", s(e, "name")}, {"publisher", s(e, "publisher")}, {"callee", s(e, "callee")},
                              {"producers", strings(e, "producers")}, {"sites", n(e, "sites")}});
  }
  for (const auto& t : array(doc, "transactions")) {
    json saga = json::array();
    for (const auto& st : array(t, "saga")) {
      json accesses = json::array();
      for (const auto& a : array(st, "accesses")) {
        accesses.push_back({{"table", s(a, "table")}, {"op", s(a, "op")}, {"function", s(a, "function")},
                            {"location", s(a, "location")}, {"compensation", s(a, "compensation")}});
      }
      saga.push_back({{"step", n(st, "step")}, {"service", s(st, "service")}, {"local", b(st, "local")},
                      {"accesses", std::move(accesses)}});
    }
    json remote = json::array();
    for (const auto& r : array(t, "remote_calls")) {
      remote.push_back({{"caller", s(r, "caller")}, {"callee", s(r, "callee")}, {"to", s(r, "to")},
                        {"kind", s(r, "kind")}, {"location", s(r, "location")}});
    }
    json keep = t.value("keep_together", json::object());
    view["transactions"].push_back({{"category", s(t, "category")},
                                    {"entry", s(t, "entry")},
                                    {"entry_service", s(t, "entry_service")},
                                    {"location", s(t, "location")},
                                    {"certainty", s(t, "certainty")},
                                    {"note", s(t, "note")},
                                    {"routes", strings(t, "routes")},
                                    {"write_services", strings(t, "write_services")},
                                    {"saga", std::move(saga)},
                                    {"keep_together",
                                     {{"service", s(keep, "service")},
                                      {"tables", strings(keep, "tables")},
                                      {"statements", n(keep, "statements")},
                                      {"lines", n(keep, "lines")}}},
                                    {"recommendation", s(t, "recommendation")},
                                    {"reason", s(t, "reason")},
                                    {"remote_calls", std::move(remote)}});
  }
  model.interactions.present = true;
  model.interactions.data = std::move(view);
  return {};
}

Status applyInteractionsFile(const std::string& path, ReportModel& model) {
  auto text = internal::readFile(path);
  if (!text) return Error{text.error()};
  Status st = applyInteractionsJson(*text, model);
  if (!st.ok()) return Error{path + ": " + st.error()};
  return st;
}

}  // namespace seam::reports
