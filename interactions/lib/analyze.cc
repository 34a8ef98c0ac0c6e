// analyze(): resolves the plan against the fact store (the decomposer's own
// graph builder and plan reader, so node names mean exactly what they mean
// there), builds the Model, then runs the classifier and the transaction advisor.
#include <algorithm>
#include <cctype>
#include <deque>
#include <tuple>

#include "model.h"
#include "seam/decomposer/coupling_graph.h"
#include "seam/decomposer/inputs.h"
#include "seam/decomposer/plan.h"

namespace seam::interactions {
namespace dec = seam::decomposer;

const char* kindName(Kind k) {
  switch (k) {
    case Kind::kQuery: return "query";
    case Kind::kCommand: return "command";
    case Kind::kNotification: return "notification";
  }
  return "query";
}

bool TableOp::operator<(const TableOp& o) const {
  return std::tie(table, op, owner) < std::tie(o.table, o.op, o.owner);
}

bool SagaStep::compensable() const {
  return std::any_of(accesses.begin(), accesses.end(), [](const StepAccess& s) { return internal::isWrite(s.op); });
}

int64_t Analysis::count(Kind k) const {
  return std::count_if(interactions.begin(), interactions.end(), [k](const Interaction& i) { return i.kind == k; });
}

std::vector<const DistributedTransaction*> Analysis::distributed() const {
  std::vector<const DistributedTransaction*> out;
  for (const auto& t : transactions)
    if (t.category == "distributed") out.push_back(&t);
  return out;
}

namespace internal {

bool isWrite(const std::string& op) { return op == "insert" || op == "update" || op == "delete"; }

int Model::serviceOf(int64_t symbol) const {
  auto it = symbol_service.find(symbol);
  return it == symbol_service.end() ? kNone : it->second;
}

std::string Model::ownerOf(const std::string& table) const {
  auto it = table_owner.find(table);
  return it == table_owner.end() ? std::string() : it->second;
}

std::string Model::nameOf(int64_t symbol) const {
  const dec::FactSymbol* s = facts.symbol(symbol);
  return s ? s->qualified_name : "#" + std::to_string(symbol);
}

std::string Model::symbolLocation(int64_t symbol) const {
  const dec::FactSymbol* s = facts.symbol(symbol);
  return s ? facts.location(s->file_id, s->line) : "?";
}

std::string Model::statementLocation(int64_t statement) const {
  auto it = statement_at.find(statement);
  return it == statement_at.end() ? "?" : facts.location(it->second.first, it->second.second);
}

const std::set<std::pair<std::string, std::string>>& Model::closureTables(int64_t fn, int service) {
  auto key = std::make_pair(fn, service);
  if (auto it = closure_cache.find(key); it != closure_cache.end()) return it->second;
  std::set<std::pair<std::string, std::string>> out;
  std::set<int64_t> seen{fn};
  std::deque<int64_t> queue{fn};
  while (!queue.empty()) {
    int64_t f = queue.front();
    queue.pop_front();
    if (auto t = tables_of.find(f); t != tables_of.end()) out.insert(t->second.begin(), t->second.end());
    auto c = calls_from.find(f);
    if (c == calls_from.end()) continue;
    for (const auto& [dst, edge] : c->second) {
      if (serviceOf(dst) == service && seen.insert(dst).second) queue.push_back(dst);
    }
  }
  return closure_cache[key] = std::move(out);
}

std::set<int64_t> Model::reach(int64_t fn) const {
  std::set<int64_t> seen{fn};
  std::deque<int64_t> queue{fn};
  while (!queue.empty()) {
    int64_t f = queue.front();
    queue.pop_front();
    auto c = calls_from.find(f);
    if (c == calls_from.end()) continue;
    for (const auto& [dst, edge] : c->second)
      if (seen.insert(dst).second) queue.push_back(dst);
  }
  return seen;
}

namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool methodMatches(const std::string& want, const std::string& route_method) {
  return want.empty() || want == "ANY" || upper(route_method) == "ANY" || upper(route_method) == want;
}

}  // namespace
}  // namespace internal

Expected<Analysis> analyze(const dec::Facts& facts, const TransactionFacts& tx, const nlohmann::json& plan,
                           const Options& options) {
  using namespace internal;
  if (!plan.is_object() || plan.value("format", "") != "seam-plan") {
    return dec::badInput("plan: not a seam-plan document (format)");
  }
  if (!plan.contains("services") || !plan["services"].is_array()) return dec::badInput("plan: no services array");
  for (const auto& s : plan["services"]) {  // assignmentFromPlan indexes these without checking
    if (!s.is_object() || !s.contains("name") || !s["name"].is_string() || !s.contains("nodes") ||
        !s["nodes"].is_array())
      return dec::badInput("plan: every service needs a name and a nodes array");
  }
  std::string granularity = "module";
  if (plan.contains("input") && plan["input"].is_object()) granularity = plan["input"].value("granularity", "module");
  std::optional<dec::Granularity> g = dec::parseGranularity(granularity);
  if (!g) return dec::badInput("plan: unknown granularity '" + granularity + "'");

  dec::CouplingGraph graph = dec::buildCouplingGraph(facts, *g, dec::Weights());
  Expected<dec::ServiceAssignment> assignment = dec::assignmentFromPlan(plan, graph);
  if (!assignment) return assignment.error();

  Model m(facts, tx, options);
  Analysis a;
  a.granularity = granularity;
  for (size_t s = 0; s < assignment->names.size(); ++s) {
    if (assignment->kernel && *assignment->kernel == s) continue;
    m.names.push_back(assignment->names[s]);
  }
  a.services = m.names;
  for (const auto& [symbol, node] : graph.symbol_node) {
    uint32_t s = assignment->service[node];
    if (assignment->kernel && *assignment->kernel == s) continue;
    m.symbol_service[symbol] = static_cast<int>(s);  // kernel is last, so indexes agree with m.names
  }
  if (plan.contains("tables") && plan["tables"].is_array()) {
    for (const auto& t : plan["tables"]) {
      if (!t.is_object() || !t.contains("name") || !t["name"].is_string()) continue;
      std::string owner = t.contains("owner") && t["owner"].is_string() ? t["owner"].get<std::string>() : "";
      m.table_owner[t["name"].get<std::string>()] = owner;
    }
  }
  if (m.table_owner.empty()) a.notes.push_back("plan.json declares no table owners: transactions cannot span services");

  for (size_t i = 0; i < facts.edges.size(); ++i) {
    const dec::FactEdge& e = facts.edges[i];
    if (e.kind == "call" || e.kind == "virtual_call") m.calls_from[e.src].push_back({e.dst, i});
  }
  for (const dec::FactTableAccess& t : facts.table_accesses) {
    m.statement_at.emplace(t.statement_id, std::make_pair(t.file_id, t.line));
    if (t.op == "create" || t.symbol_id == 0) continue;
    m.tables_of[t.symbol_id].insert({t.table, t.op});
  }
  for (const auto& [src, dst, kind, n] : tx.discarded) m.discarded[{src, dst, kind}] = n;
  for (const auto& [statement, table, column] : tx.updated_columns) {
    auto& cols = m.updated_columns[{statement, table}];
    if (std::find(cols.begin(), cols.end(), column) == cols.end()) cols.push_back(column);
  }

  // Route traffic and latency-critical routes, matched like the decomposer's --traffic.
  m.route_traffic.assign(facts.routes.size(), 0);
  m.latency_critical.assign(facts.routes.size(), false);
  size_t unmatched = 0;
  for (const dec::RouteCount& rc : options.traffic) {
    bool matched = false;
    for (size_t r = 0; r < facts.routes.size(); ++r) {
      if (facts.routes[r].path != rc.path || !methodMatches(rc.method, facts.routes[r].method)) continue;
      m.route_traffic[r] += rc.count;
      matched = true;
    }
    if (matched) m.total_traffic += rc.count;
    else ++unmatched;
  }
  if (unmatched) a.notes.push_back("traffic: " + std::to_string(unmatched) + " record(s) matched no route");
  for (const std::string& spec : options.latency_critical_routes) {
    std::string method, path = spec;
    if (auto sp = spec.find(' '); sp != std::string::npos) method = upper(spec.substr(0, sp)), path = spec.substr(sp + 1);
    bool matched = false;
    for (size_t r = 0; r < facts.routes.size(); ++r) {
      if (facts.routes[r].path == path && methodMatches(method, facts.routes[r].method)) {
        m.latency_critical[r] = true;
        matched = true;
      }
    }
    if (!matched) a.notes.push_back("latency-critical route '" + spec + "' matches no route of the fact store");
  }

  classifyInteractions(m, a);
  adviseTransactions(m, a);
  return a;
}

}  // namespace seam::interactions
