#include "seam/decomposer/plan.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>

#include "seam/decomposer/inputs.h"

namespace seam::decomposer {
namespace {

using nlohmann::json;

double round6(double x) { return std::round(x * 1e6) / 1e6; }

json metricsJson(const Metrics& m) {
  json j = {
      {"services", m.services},
      {"modularity", round6(m.modularity)},
      {"turbo_mq", round6(m.turbo_mq)},
      {"sm", round6(m.sm)},
      {"icp", round6(m.icp)},
      {"ifn", round6(m.ifn)},
      {"ned", round6(m.ned)},
      {"bcp", round6(m.bcp)},
      {"single_writer_share", round6(m.single_writer_share)},
      {"cross_service_table_accesses", m.cross_service_table_accesses},
  };
  if (m.mojofm) j["mojofm"] = round6(*m.mojofm);
  if (m.c2c_coverage) j["c2c_coverage"] = round6(*m.c2c_coverage);
  return j;
}

std::string calleeName(const Facts* facts, const CouplingGraph& g, const CallSite& c) {
  if (facts) {
    if (const FactSymbol* s = facts->symbol(c.callee)) return s->qualified_name;
  }
  return g.node(c.to).name;
}

std::string routeName(const Facts* facts, size_t r) {
  if (!facts || r >= facts->routes.size()) return {};
  return facts->routes[r].method + " " + facts->routes[r].path;
}

}  // namespace

std::set<uint32_t> ServiceAssignment::nonServices() const {
  std::set<uint32_t> out = outside;
  if (kernel) out.insert(*kernel);
  return out;
}

double riskScore(const RiskInputs& in) {
  double c = static_cast<double>(in.remote_calls), d = static_cast<double>(in.data_accesses),
         r = static_cast<double>(in.routes);
  return round6(0.35 * c / (c + 10) + 0.30 * d / (d + 5) + 0.15 * r / (r + 5) +
                0.20 * std::clamp(in.instability, 0.0, 1.0));
}

std::vector<ExtractionStep> extractionSteps(const CouplingGraph& g, const ServiceAssignment& a, const Facts* facts) {
  const size_t k = a.names.size();
  // Service-level coupling: weight[x][y] = dependency weight from x into y.
  std::vector<std::vector<double>> weight(k, std::vector<double>(k, 0));
  for (const Dependency& d : g.dependencies) {
    uint32_t x = a.service[d.from], y = a.service[d.to];
    if (x != y) weight[x][y] += d.weight;
  }
  // Data coupling counts both ways (no direction): a shared table is shared.
  for (auto [it, end] = boost::edges(g.graph); it != end; ++it) {
    uint32_t x = a.service[boost::source(*it, g.graph)], y = a.service[boost::target(*it, g.graph)];
    if (x == y) continue;
    weight[x][y] += g.graph[*it].data / 2;
    weight[y][x] += g.graph[*it].data / 2;
  }
  const std::set<uint32_t> non_services = a.nonServices();
  std::vector<TableOwnership> owners = assignTableOwners(g, a.service, non_services);
  std::set<uint32_t> remaining;
  for (uint32_t s = 0; s < k; ++s) {
    if (!non_services.count(s)) remaining.insert(s);
  }
  std::vector<double> stab_sum(k, 0), stab_n(k, 0);
  for (size_t v = 0; v < g.size(); ++v) {
    stab_sum[a.service[v]] += v < a.stability.size() ? a.stability[v] : 1.0;
    stab_n[a.service[v]] += 1;
  }

  std::vector<ExtractionStep> steps;
  while (remaining.size() > 1) {  // the last one left is the monolith itself
    uint32_t pick = 0;
    double best_in = INFINITY, best_total = INFINITY;
    for (uint32_t s : remaining) {
      double in = 0, total = 0;
      for (uint32_t t : remaining) {
        if (t == s) continue;
        in += weight[t][s];
        total += weight[t][s] + weight[s][t];
      }
      if (std::tie(in, total) < std::tie(best_in, best_total)) pick = s, best_in = in, best_total = total;
    }
    ExtractionStep step;
    step.index = static_cast<int>(steps.size()) + 1;
    step.service = a.names[pick];
    step.depended_on = round6(best_in);
    step.entanglement = round6(best_total);
    std::set<std::string> routes;
    for (size_t v = 0; v < g.size(); ++v) {
      if (a.service[v] != pick) continue;
      for (size_t r : g.routes[v]) routes.insert(routeName(facts, r));
    }
    routes.erase("");
    step.routes.assign(routes.begin(), routes.end());
    for (const TableOwnership& t : owners) {
      bool uses = false;
      for (const TableAccessBy& acc : t.accesses) {
        if (acc.service != pick) continue;
        uses = true;
        if (t.owner != pick) step.risk_inputs.data_accesses += acc.reads + acc.writes;
      }
      if (t.owner == pick) {
        step.migrate_tables.push_back(t.table);
        for (const TableAccessBy& acc : t.accesses) {
          if (acc.service != pick && remaining.count(acc.service)) step.risk_inputs.data_accesses += acc.reads + acc.writes;
        }
      } else if (uses) {
        step.replicate_tables.push_back(t.table + " (" + a.names[t.owner] + ")");
      }
    }
    std::map<std::tuple<std::string, std::string, std::string>, int64_t> remote;
    for (const CallSite& c : g.calls) {
      uint32_t x = a.service[c.from], y = a.service[c.to];
      if (x == y) continue;
      bool crosses = (x == pick && remaining.count(y)) || (y == pick && remaining.count(x));
      if (!crosses) continue;
      remote[{a.names[x], a.names[y], calleeName(facts, g, c)}] += c.count;
      step.risk_inputs.remote_calls += c.count;
    }
    for (const auto& [key, sites] : remote) {
      step.remote_calls.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), sites});
    }
    step.risk_inputs.routes = static_cast<int64_t>(step.routes.size());
    step.risk_inputs.instability = stab_n[pick] > 0 ? 1 - stab_sum[pick] / stab_n[pick] : 0;
    step.risk = riskScore(step.risk_inputs);
    steps.push_back(std::move(step));
    remaining.erase(pick);
  }
  return steps;
}

json stepsToJson(const std::vector<ExtractionStep>& steps) {
  json out = json::array();
  for (const ExtractionStep& s : steps) {
    json calls = json::array();
    for (const RemoteCall& c : s.remote_calls) {
      calls.push_back({{"from", c.from}, {"to", c.to}, {"callee", c.callee}, {"sites", c.sites}});
    }
    out.push_back({
        {"step", s.index},
        {"service", s.service},
        {"routes", s.routes},
        {"migrate_tables", s.migrate_tables},
        {"replicate_tables", s.replicate_tables},
        {"remote_calls", calls},
        {"depended_on", s.depended_on},
        {"entanglement", s.entanglement},
        {"risk", s.risk},
        {"risk_inputs",
         {{"remote_calls", s.risk_inputs.remote_calls},
          {"data_accesses", s.risk_inputs.data_accesses},
          {"routes", s.risk_inputs.routes},
          {"instability", round6(s.risk_inputs.instability)}}},
    });
  }
  return out;
}

json toPlanJson(const Decomposition& d, const Facts* facts, const std::string& source) {
  const CouplingGraph& g = d.graph;
  const size_t k = d.service_names.size();
  json plan;
  plan["format"] = "seam-plan";
  plan["version"] = kPlanVersion;
  json weights = json::object();
  for (const auto& [kind, w] : d.options.weights.by_kind) weights[kind] = w;
  plan["input"] = {
      {"source", source},
      {"granularity", granularityName(g.granularity)},
      {"quality", d.options.quality == Quality::kModularity ? "modularity" : "cpm"},
      {"resolution", round6(d.resolution)},
      {"seed", d.options.seed},
      {"seeds", d.options.seeds},
      {"keep_hubs", d.options.keep_hubs},
      {"keep_roots", d.options.keep_roots},
      {"exclude", d.options.exclude},
      {"data_coupling", d.options.data_model == DataModel::kPairs ? "pairs" : "owner"},
      {"weights", weights},
      {"nodes", g.size()},
      {"edges", boost::num_edges(g.graph)},
  };
  if (d.options.services) plan["input"]["services"] = *d.options.services;

  // Services.
  std::vector<std::vector<size_t>> members(k);
  for (size_t v = 0; v < g.size(); ++v) members[d.service[v]].push_back(v);
  std::map<uint32_t, std::vector<std::string>> owned;
  for (const TableOwnership& t : d.ownership) owned[t.owner].push_back(t.table);
  json services = json::array();
  const std::set<uint32_t> non_services = nonServiceGroups(d);
  for (uint32_t s = 0; s < k; ++s) {
    if (non_services.count(s)) continue;
    json nodes = json::array();
    std::set<std::string> modules, files;
    int64_t lines = 0;
    double stab = 0;
    json routes = json::array();
    for (size_t v : members[s]) {
      nodes.push_back(g.node(v).name);
      modules.insert(g.node(v).module);
      lines += g.node(v).lines;
      stab += d.stability[v];
      for (size_t r : g.routes[v]) {
        if (!facts) continue;
        const FactRoute& route = facts->routes[r];
        const FactSymbol* h = facts->symbol(route.handler_id);
        routes.push_back({{"method", route.method},
                          {"path", route.path},
                          {"handler", h ? h->qualified_name : ""},
                          {"location", facts->location(route.file_id, route.line)}});
      }
    }
    if (facts) {
      for (const FactFile& f : facts->files) {
        const FactModule* m = facts->module(f.module_id);
        if (m && modules.count(m->name)) files.insert(f.path);
      }
      if (g.granularity == Granularity::kFile) {
        for (size_t v : members[s]) files.insert(g.node(v).name);
      }
    }
    // API surface: functions of this service called from other services.
    std::map<std::string, std::pair<int64_t, std::set<std::string>>> api;
    for (const CallSite& c : g.calls) {
      if (d.service[c.to] != s || d.service[c.from] == s) continue;
      auto& entry = api[calleeName(facts, g, c)];
      entry.first += c.count;
      entry.second.insert(d.service_names[d.service[c.from]]);
    }
    json functions = json::array();
    for (const auto& [name, e] : api) {
      functions.push_back({{"name", name}, {"sites", e.first}, {"callers", std::vector<std::string>(e.second.begin(), e.second.end())}});
    }
    services.push_back({
        {"name", d.service_names[s]},
        {"nodes", nodes},
        {"modules", std::vector<std::string>(modules.begin(), modules.end())},
        {"files", std::vector<std::string>(files.begin(), files.end())},
        {"lines", lines},
        {"stability", round6(members[s].empty() ? 1.0 : stab / members[s].size())},
        {"tables", owned[s]},
        {"api", {{"functions", functions}, {"routes", routes}}},
    });
  }
  plan["services"] = services;

  json kernel = json::array();
  for (const NodeFan& h : d.hubs) {
    kernel.push_back({{"node", g.node(h.node).name},
                      {"fan_in", h.fan_in},
                      {"fan_out", h.fan_out},
                      {"instability", round6(h.instability)}});
  }
  plan["shared_kernel"] = kernel;
  json roots = json::array();
  for (const NodeFan& r : d.roots) {
    roots.push_back({{"node", g.node(r.node).name}, {"fan_in", r.fan_in}, {"fan_out", r.fan_out}});
  }
  plan["composition_roots"] = roots;
  json excluded = json::array();
  for (size_t v : d.excluded) excluded.push_back(g.node(v).name);
  plan["excluded"] = excluded;

  json tables = json::array();
  for (const TableOwnership& t : d.ownership) {
    json accesses = json::array();
    for (const TableAccessBy& a : t.accesses) {
      accesses.push_back({{"service", d.service_names[a.service]},
                          {"reads", a.reads},
                          {"writes", a.writes},
                          {"creates", a.creates},
                          {"locations", a.locations}});
    }
    tables.push_back({{"name", t.table}, {"owner", d.service_names[t.owner]}, {"reason", t.reason}, {"accesses", accesses}});
  }
  plan["tables"] = tables;

  // Cross-service dependencies: code (directed) and data (access to another's table).
  json deps = json::array();
  std::map<std::pair<uint32_t, uint32_t>, Dependency> code;
  for (const Dependency& dep : g.dependencies) {
    uint32_t x = d.service[dep.from], y = d.service[dep.to];
    if (x == y) continue;
    Dependency& agg = code[{x, y}];
    agg.weight += dep.weight;
    agg.calls += dep.calls;
    for (const auto& [kind, n] : dep.kinds) agg.kinds[kind] += n;
    for (const std::string& e : dep.evidence) {
      if (agg.evidence.size() < 5) agg.evidence.push_back(e);
    }
  }
  for (const auto& [key, dep] : code) {
    deps.push_back({{"from", d.service_names[key.first]},
                    {"to", d.service_names[key.second]},
                    {"kind", "code"},
                    {"weight", round6(dep.weight)},
                    {"calls", dep.calls},
                    {"sites", dep.kinds},
                    {"evidence", dep.evidence}});
  }
  for (const TableOwnership& t : d.ownership) {
    for (const TableAccessBy& a : t.accesses) {
      if (a.service == t.owner) continue;
      deps.push_back({{"from", d.service_names[a.service]},
                      {"to", d.service_names[t.owner]},
                      {"kind", "data"},
                      {"table", t.table},
                      {"reads", a.reads},
                      {"writes", a.writes},
                      {"evidence", a.locations}});
    }
  }
  plan["dependencies"] = deps;

  plan["metrics"] = metricsJson(d.metrics);
  json baselines = json::array();
  for (const Baseline& b : d.baselines) baselines.push_back({{"name", b.name}, {"metrics", metricsJson(b.metrics)}});
  plan["baselines"] = baselines;

  ServiceAssignment a{d.service, d.service_names, d.kernel, d.stability, {}};
  if (d.outside) a.outside.insert(*d.outside);
  plan["steps"] = stepsToJson(extractionSteps(g, a, facts));
  plan["notes"] = d.notes;
  return plan;
}

Expected<json> readPlanFile(const std::string& path) {
  Expected<std::string> text = readTextFile(path);
  if (!text) return text.error();
  json plan = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (plan.is_discarded()) return badInput(path + ": not valid JSON");
  if (!plan.is_object() || plan.value("format", "") != "seam-plan") return badInput(path + ": not a Seam plan (format)");
  if (!plan["version"].is_number_integer() || plan["version"].get<int>() != kPlanVersion) {
    return badInput(path + ": plan version is not " + std::to_string(kPlanVersion));
  }
  if (!plan["services"].is_array()) return badInput(path + ": plan has no services array");
  return plan;
}

Expected<ServiceAssignment> assignmentFromPlan(const json& plan, const CouplingGraph& g) {
  ServiceAssignment a;
  a.service.assign(g.size(), UINT32_MAX);
  a.stability.assign(g.size(), 1.0);
  size_t matched = 0;
  for (const json& s : plan["services"]) {
    if (!s.is_object() || !s["name"].is_string() || !s["nodes"].is_array()) {
      return badInput("plan: every service needs a name and a nodes array");
    }
    uint32_t id = static_cast<uint32_t>(a.names.size());
    a.names.push_back(s["name"].get<std::string>());
    double stab = s.value("stability", 1.0);
    for (const json& n : s["nodes"]) {
      if (!n.is_string()) return badInput("plan: node names must be strings");
      if (auto v = g.find(n.get<std::string>())) {
        a.service[*v] = id, a.stability[*v] = stab;
        ++matched;
      }
    }
  }
  // Composition roots and excluded code stay outside the services.
  for (const char* key : {"composition_roots", "excluded"}) {
    if (!plan.contains(key) || !plan[key].is_array()) continue;
    for (const json& n : plan[key]) {
      std::string name = n.is_string() ? n.get<std::string>() : n.is_object() ? n.value("node", "") : "";
      auto v = g.find(name);
      if (!v || a.service[*v] != UINT32_MAX) continue;
      if (a.outside.empty()) {
        a.outside.insert(static_cast<uint32_t>(a.names.size()));
        a.names.push_back("outside-services");
      }
      a.service[*v] = *a.outside.begin();
    }
  }
  // Unassigned nodes (the kernel, or nodes new since the plan) go to the shared kernel.
  bool any_unassigned = std::count(a.service.begin(), a.service.end(), UINT32_MAX) > 0;
  if (any_unassigned) {
    a.kernel = static_cast<uint32_t>(a.names.size());
    a.names.push_back("shared-kernel");
    for (uint32_t& s : a.service) {
      if (s == UINT32_MAX) s = *a.kernel;
    }
  }
  if (matched == 0) return badInput("plan: none of its services' nodes is in the fact store (other granularity?)");
  return a;
}

void printPlanSummary(const json& plan, std::ostream& out) {
  auto num = [](const json& j, const char* key) { return j.contains(key) ? j[key].get<double>() : 0.0; };
  const json& in = plan["input"];
  out << "plan: " << plan["services"].size() << " services at " << in.value("granularity", "?")
      << " granularity, resolution " << in.value("resolution", 0.0) << ", " << in.value("nodes", 0) << " nodes\n\n";
  for (const json& s : plan["services"]) {
    out << "  " << std::left << std::setw(18) << s.value("name", "?") << " " << std::setw(4) << s["nodes"].size()
        << " node(s) " << std::setw(7) << s.value("lines", 0) << " lines  stability " << std::fixed
        << std::setprecision(2) << s.value("stability", 1.0) << "\n";
    std::string nodes;
    for (const json& n : s["nodes"]) nodes += (nodes.empty() ? "" : ", ") + n.get<std::string>();
    out << "      nodes:  " << nodes << "\n";
    if (!s["tables"].empty()) {
      std::string t;
      for (const json& x : s["tables"]) t += (t.empty() ? "" : ", ") + x.get<std::string>();
      out << "      tables: " << t << "\n";
    }
    const json& api = s["api"];
    if (!api["routes"].empty() || !api["functions"].empty()) {
      out << "      api:    " << api["routes"].size() << " route(s), " << api["functions"].size()
          << " function(s) called from other services\n";
    }
  }
  if (!plan["shared_kernel"].empty()) {
    out << "\n  shared kernel (hubs, left out of clustering):";
    for (const json& h : plan["shared_kernel"]) {
      out << " " << h.value("node", "?") << " (fan-in " << h.value("fan_in", 0) << ", fan-out " << h.value("fan_out", 0)
          << ")";
    }
    out << "\n";
  }
  auto listNodes = [&](const char* key, const char* title) {
    if (!plan.contains(key) || plan[key].empty()) return;
    out << "\n  " << title << ":";
    for (const json& r : plan[key]) out << " " << (r.is_string() ? r.get<std::string>() : r.value("node", "?"));
    out << "\n";
  };
  listNodes("composition_roots", "composition roots (wire everything, left out of clustering)");
  listNodes("excluded", "excluded (non-production code)");
  size_t data_deps = 0, code_deps = 0;
  for (const json& d : plan["dependencies"]) (d.value("kind", "") == "data" ? data_deps : code_deps)++;
  out << "\n  cross-service dependencies: " << code_deps << " code, " << data_deps << " data\n";

  out << "\n  " << std::left << std::setw(30) << "metric" << std::right;
  std::vector<std::pair<std::string, const json*>> cols{{"result", &plan["metrics"]}};
  for (const json& b : plan["baselines"]) cols.push_back({b.value("name", "?"), &b["metrics"]});
  for (const auto& [name, m] : cols) out << std::setw(20) << name;
  out << "\n";
  const char* keys[] = {"services", "modularity", "turbo_mq", "sm", "icp", "ifn", "ned", "bcp",
                        "single_writer_share", "cross_service_table_accesses", "mojofm", "c2c_coverage"};
  for (const char* key : keys) {
    if (!plan["metrics"].contains(key)) continue;
    out << "  " << std::left << std::setw(30) << key << std::right;
    for (const auto& [name, m] : cols) {
      out << std::setw(20) << std::setprecision(3) << num(*m, key);
    }
    out << "\n";
  }
  if (!plan["steps"].empty()) {
    out << "\n  extraction steps (least depended-on first):\n";
    for (const json& s : plan["steps"]) {
      out << "    " << s.value("step", 0) << ". " << std::left << std::setw(18) << s.value("service", "?") << std::right
          << " risk " << std::setprecision(2) << s.value("risk", 0.0) << "  routes " << s["routes"].size()
          << "  tables " << s["migrate_tables"].size() << " migrate / " << s["replicate_tables"].size()
          << " replicate  remote calls " << s["remote_calls"].size() << "\n";
    }
  }
  for (const json& n : plan["notes"]) out << "\n  note: " << n.get<std::string>();
  out << std::defaultfloat << "\n";
}

}  // namespace seam::decomposer
