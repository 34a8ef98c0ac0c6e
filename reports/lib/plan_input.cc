// plan.json -> services, module membership, table ownership, metrics, steps.
// Tolerant of the shapes the decomposer may write (docs/plan-format.md):
// services as an array of objects or an object keyed by name; members as
// "modules" (module names) with files mapped to their module by path prefix.
#include <algorithm>
#include <cmath>
#include <map>

#include "json_util.h"
#include "read_file.h"
#include "seam/reports/inputs.h"

namespace seam::reports {
namespace {

using internal::field;
using internal::str;
using nlohmann::json;

std::vector<std::string> stringList(const json* j, std::initializer_list<const char*> object_keys) {
  std::vector<std::string> out;
  if (!j || !j->is_array()) return out;
  for (const auto& e : *j) {
    if (e.is_string()) out.push_back(e.get<std::string>());
    else if (e.is_object()) {
      std::string s = str(e, object_keys);
      if (!s.empty()) out.push_back(s);
    }
  }
  return out;
}

// The module for a plan member: an exact module name, else the longest module
// name that prefixes a member path (a file or directory inside the module).
int memberModule(const ReportModel& m, const std::string& member) {
  int exact = m.moduleIndex(member);
  if (exact >= 0) return exact;
  int best = -1;
  size_t best_len = 0;
  for (size_t i = 0; i < m.modules.size(); ++i) {
    const std::string& name = m.modules[i].name;
    if (name.size() > best_len && member.size() > name.size() && member.compare(0, name.size(), name) == 0 &&
        member[name.size()] == '/') {
      best = static_cast<int>(i);
      best_len = name.size();
    }
  }
  return best;
}

// A one-line summary of a decomposer step's risk inputs (docs/plan-format.md).
std::string stepDetail(const json& s) {
  std::string out;
  auto add = [&](const std::string& part) { out += (out.empty() ? "" : " \u00b7 ") + part; };
  auto number = [](double v) {
    std::string t = std::to_string(std::round(v * 100) / 100);
    t.erase(t.find_last_not_of('0') + 1);
    if (!t.empty() && t.back() == '.') t.pop_back();
    return t;
  };
  if (const json* risk = field(s, {"risk"}); risk && risk->is_number()) add("risk " + number(risk->get<double>()));
  if (const json* e = field(s, {"entanglement"}); e && e->is_number()) add("entanglement " + number(e->get<double>()));
  auto replicate = stringList(field(s, {"replicate_tables"}), {"name", "table"});
  if (!replicate.empty()) {
    std::string t;
    for (const auto& r : replicate) t += (t.empty() ? "" : ", ") + r;
    add("still reads " + t);
  }
  if (const json* calls = field(s, {"remote_calls"}); calls && calls->is_array() && !calls->empty()) {
    add(std::to_string(calls->size()) + " remote call(s) to replace");
  }
  return out;
}

MetricSet metricSet(const std::string& name, const json& j) {
  MetricSet set;
  set.name = name;
  const json* values = field(j, {"metrics", "values"});
  if (!values) values = &j;
  if (values->is_object()) {
    for (const auto& [k, v] : values->items()) {
      if (v.is_number() && k != "services" && k != "service_count") set.values[k] = v.get<double>();
    }
  }
  set.services = internal::integer(j, {"services", "service_count"},
                                   internal::integer(*values, {"services", "service_count"}));
  return set;
}

}  // namespace

Status applyPlanJson(const std::string& plan_json, ReportModel& m) {
  std::string error;
  json plan = internal::parse(plan_json, error);
  if (!error.empty()) return Error{error};
  if (!plan.is_object()) return Error{"a plan must be a JSON object"};
  if (const json* format = field(plan, {"format"})) {
    if (!format->is_string() || format->get<std::string>() != "seam-plan") {
      return Error{"not a seam plan (\"format\" is not \"seam-plan\")"};
    }
    if (internal::integer(plan, {"version"}) != 1) return Error{"plan version is not supported (expected 1)"};
  }
  const json* services = field(plan, {"services"});
  if (!services || !(services->is_array() || services->is_object())) {
    return Error{"the plan has no \"services\""};
  }

  // Services and membership.
  std::vector<std::pair<std::string, const json*>> entries;
  if (services->is_array()) {
    for (const auto& s : *services) {
      if (s.is_object()) entries.push_back({str(s, {"name", "id"}), &s});
    }
  } else {
    for (const auto& [name, s] : services->items()) entries.push_back({name, &s});
  }
  m.services.clear();
  for (auto& mod : m.modules) mod.service = -1;
  int unknown_members = 0;
  for (auto& [name, s] : entries) {
    Service svc;
    svc.name = name.empty() ? "service-" + std::to_string(m.services.size() + 1) : name;
    int index = static_cast<int>(m.services.size());
    const json* members = s->is_array() ? s : field(*s, {"modules", "members", "files"});
    for (const auto& member : stringList(members, {"name", "module", "path"})) {
      int mod = memberModule(m, member);
      if (mod < 0) {
        ++unknown_members;
        continue;
      }
      if (m.modules[mod].service < 0) {
        m.modules[mod].service = index;
        svc.modules.push_back(mod);
      }
    }
    m.services.push_back(std::move(svc));
  }
  // Hubs the decomposer left out of the clustering.
  if (const json* kernel = field(plan, {"shared_kernel"}); kernel && kernel->is_array() && !kernel->empty()) {
    std::string names;
    for (const auto& k : stringList(kernel, {"node", "name", "module"})) names += (names.empty() ? "" : ", ") + k;
    m.notes.push_back("shared kernel (hubs left out of the services): " + names);
  }
  if (unknown_members) {
    m.notes.push_back(std::to_string(unknown_members) +
                      " plan member(s) name no module of the fact store (a plan from another analysis?)");
  }

  // Table ownership: per service ("tables"/"owns"), or a top-level map/array.
  auto own = [&](const std::string& table, int service) {
    int t = m.tableIndex(table);
    if (t < 0 || service < 0) return;
    m.tables[t].owner_service = service;
    m.tables[t].owner_from_plan = true;
  };
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].second->is_object()) {
      for (const auto& t : stringList(field(*entries[i].second, {"tables", "owned_tables", "owns"}), {"name", "table"})) {
        own(t, static_cast<int>(i));
      }
    }
  }
  auto serviceIndex = [&](const std::string& name) {
    for (size_t i = 0; i < m.services.size(); ++i)
      if (m.services[i].name == name) return static_cast<int>(i);
    return -1;
  };
  if (const json* ownership = field(plan, {"ownership", "table_owners", "tables"})) {
    if (ownership->is_object()) {
      for (const auto& [table, owner] : ownership->items()) {
        own(table, serviceIndex(owner.is_string() ? owner.get<std::string>() : str(owner, {"owner", "service"})));
      }
    } else if (ownership->is_array()) {
      for (const auto& o : *ownership) own(str(o, {"table", "name"}), serviceIndex(str(o, {"owner", "service"})));
    }
  }
  // Owners from the plan map to the owning service's module that accesses the table most.
  for (size_t t = 0; t < m.tables.size(); ++t) {
    Table& table = m.tables[t];
    if (table.owner_service < 0) {
      if (table.owner_module >= 0) table.owner_service = m.modules[table.owner_module].service;
      continue;
    }
    int best = -1, best_n = -1;
    for (const auto& a : m.accesses) {
      if (a.table == static_cast<int>(t) && m.modules[a.module].service == table.owner_service &&
          a.statements > best_n) {
        best = a.module;
        best_n = a.statements;
      }
    }
    table.owner_module = best;
  }
  for (auto& svc : m.services) svc.tables.clear();
  for (size_t t = 0; t < m.tables.size(); ++t) {
    if (m.tables[t].owner_service >= 0) m.services[m.tables[t].owner_service].tables.push_back(static_cast<int>(t));
  }

  // Metrics: the plan's, then the baselines.
  m.metrics.clear();
  if (const json* metrics = field(plan, {"metrics"})) {
    if (metrics->is_object()) {
      MetricSet set = metricSet("plan", *metrics);
      if (!set.services) set.services = static_cast<int>(m.services.size());
      m.metrics.push_back(std::move(set));
    }
  }
  const json* baselines = field(plan, {"baselines"});
  if (!baselines) {
    if (const json* metrics = field(plan, {"metrics"})) baselines = field(*metrics, {"baselines"});
  }
  if (baselines && baselines->is_array()) {
    for (const auto& b : *baselines) m.metrics.push_back(metricSet(str(b, {"name", "id"}), b));
  } else if (baselines && baselines->is_object()) {
    for (const auto& [name, b] : baselines->items()) m.metrics.push_back(metricSet(name, b));
  }

  // Extraction steps, in order.
  m.steps.clear();
  if (const json* steps = field(plan, {"steps", "extraction_steps", "extraction"})) {
    if (steps->is_array()) {
      int order = 0;
      for (const auto& s : *steps) {
        PlanStep step;
        step.order = internal::integer(s, {"order", "step", "index"}, ++order);
        step.service = str(s, {"service", "extract"});
        step.title = str(s, {"title", "name", "summary"});
        if (step.title.empty() && !step.service.empty()) step.title = "Extract " + step.service;
        step.detail = str(s, {"detail", "description", "rationale", "why"});
        step.routes = stringList(field(s, {"routes"}), {"path", "route", "name"});
        step.tables = stringList(field(s, {"tables", "migrate_tables"}), {"name", "table"});
        if (step.detail.empty()) step.detail = stepDetail(s);
        m.steps.push_back(std::move(step));
      }
      std::stable_sort(m.steps.begin(), m.steps.end(),
                       [](const PlanStep& a, const PlanStep& b) { return a.order < b.order; });
    }
  }
  m.has_plan = true;
  return Status::Ok();
}

Status applyPlanFile(const std::string& plan_path, ReportModel& model) {
  auto text = internal::readFile(plan_path);
  if (!text.ok()) return Error{text.error()};
  Status s = applyPlanJson(*text, model);
  if (!s.ok()) return Error{plan_path + ": " + s.error()};
  return s;
}

}  // namespace seam::reports
