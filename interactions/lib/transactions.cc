// The transaction advisor: every transaction group whose tables belong to more
// than one service, with a saga, the keep-together alternative and the
// synchronous remote calls it makes (docs/interactions.md, "Transactions").
//
// Saga order: each access gets an anchor, the line in the entry function where
// it happens (its own line at depth 0, else the line of the depth-0 call that
// leads to it); accesses sort by (anchor, depth, statement line). A service's
// step sits at its first write (its first access when it only reads): reads
// needed before a write are queries, the step is where state changes.
#include <algorithm>
#include <climits>
#include <map>
#include <tuple>

#include "model.h"

namespace seam::interactions::internal {
namespace {

using Key = std::tuple<int64_t, int64_t, int64_t>;  // (anchor, depth, line)

struct Placed {
  Key key;
  StepAccess access;
};

// Anchor line per symbol reached inside scope `id`.
std::map<int64_t, int64_t> anchors(const Model& m, int64_t id) {
  std::vector<const ScopeCall*> calls;
  for (const ScopeCall& c : m.tx.calls)
    if (c.transaction_id == id) calls.push_back(&c);
  std::sort(calls.begin(), calls.end(), [](const ScopeCall* a, const ScopeCall* b) {
    return std::tie(a->depth, a->line, a->callee_id) < std::tie(b->depth, b->line, b->callee_id);
  });
  std::map<int64_t, int64_t> anchor;
  for (const ScopeCall* c : calls) {
    int64_t line = c->depth == 0 ? c->line : INT64_MAX;
    if (c->depth > 0) {
      auto p = anchor.find(c->caller_id);
      if (p != anchor.end()) line = p->second;
    }
    auto [it, fresh] = anchor.emplace(c->callee_id, line);
    if (!fresh) it->second = std::min(it->second, line);
  }
  return anchor;
}

}  // namespace

std::string compensationText(const StepAccess& s) { return compensationFor(s.op, s.table, s.columns); }

void adviseTransactions(Model& m, Analysis& a) {
  std::map<int64_t, const TransactionScope*> scopes;
  for (const TransactionScope& t : m.tx.scopes) scopes[t.id] = &t;
  a.transaction_groups = static_cast<int64_t>(scopes.size());
  std::map<int64_t, std::vector<const ScopeAccess*>> group;
  for (const ScopeAccess& s : m.tx.accesses) group[s.transaction_id].push_back(&s);
  std::map<int64_t, std::vector<int64_t>> routes_of;
  for (const auto& [t, r] : m.tx.routes) routes_of[t].push_back(r);
  std::map<int64_t, size_t> route_index;
  for (size_t r = 0; r < m.facts.routes.size(); ++r) route_index[m.facts.routes[r].id] = r;
  std::map<std::pair<int64_t, int64_t>, const Interaction*> interaction;
  for (const Interaction& i : a.interactions) interaction[{i.caller_id, i.callee_id}] = &i;

  for (const auto& [id, scope] : scopes) {
    auto g = group.find(id);
    if (g == group.end()) continue;
    DistributedTransaction d;
    d.id = id;
    d.entry = m.nameOf(scope->entry_symbol_id);
    int entry_service = m.serviceOf(scope->entry_symbol_id);
    d.entry_service = m.serviceName(entry_service);
    d.kind = scope->kind;
    d.guard = scope->guard;
    d.location = m.facts.location(scope->file_id, scope->line);
    d.certainty = scope->certainty;
    d.note = scope->note;

    std::set<TableOp> tables;
    std::set<std::string> services, writers;
    std::map<std::tuple<int64_t, std::string, std::string>, const ScopeAccess*> unique;  // (statement, table, op)
    for (const ScopeAccess* s : g->second) {
      std::string owner = m.ownerOf(s->table);
      tables.insert({s->table, s->op, owner});
      if (!owner.empty()) {
        services.insert(owner);
        if (isWrite(s->op)) writers.insert(owner);
      }
      auto [it, fresh] = unique.emplace(std::make_tuple(s->statement_id, s->table, s->op), s);
      if (!fresh && s->depth < it->second->depth) it->second = s;
    }
    if (services.size() < 2) continue;
    d.category = writers.size() >= 2 ? "distributed" : "remote_reads";
    d.tables.assign(tables.begin(), tables.end());
    d.services.assign(services.begin(), services.end());
    d.write_services.assign(writers.begin(), writers.end());

    for (int64_t r : routes_of[id]) {
      auto ri = route_index.find(r);
      if (ri == route_index.end()) continue;
      const auto& route = m.facts.routes[ri->second];
      d.routes.push_back(route.method + " " + route.path);
      d.traffic += m.route_traffic[ri->second];
    }
    std::sort(d.routes.begin(), d.routes.end());
    d.routes.erase(std::unique(d.routes.begin(), d.routes.end()), d.routes.end());

    // Saga: accesses placed in entry-function order, grouped per owning service.
    std::map<int64_t, int64_t> anchor = anchors(m, id);
    std::map<std::string, std::vector<Placed>> per_service;
    for (const auto& [k, s] : unique) {
      std::string service = m.ownerOf(s->table);
      if (service.empty()) service = m.serviceName(m.serviceOf(s->symbol_id));
      if (service.empty()) continue;  // neither owned nor issued by a service: listed in tables only
      int64_t line = 0;
      if (auto at = m.statement_at.find(s->statement_id); at != m.statement_at.end()) line = at->second.second;
      int64_t anchor_line = INT64_MAX;
      if (s->symbol_id == scope->entry_symbol_id || s->depth == 0) anchor_line = line;
      else if (auto an = anchor.find(s->symbol_id); an != anchor.end()) anchor_line = an->second;
      StepAccess step;
      step.table = s->table;
      step.op = s->op;
      if (auto c = m.updated_columns.find({s->statement_id, s->table}); c != m.updated_columns.end() && s->op == "update")
        step.columns = c->second;
      step.function = m.nameOf(s->symbol_id);
      step.location = m.statementLocation(s->statement_id);
      step.depth = s->depth;
      step.compensation = compensationText(step);
      per_service[service].push_back({Key{anchor_line, s->depth, line}, std::move(step)});
    }
    std::vector<std::pair<Key, SagaStep>> steps;
    for (auto& [service, list] : per_service) {
      std::sort(list.begin(), list.end(), [](const Placed& x, const Placed& y) {
        return std::tie(x.key, x.access.table, x.access.op) < std::tie(y.key, y.access.table, y.access.op);
      });
      Key first{INT64_MAX, INT64_MAX, INT64_MAX}, first_write = first;
      SagaStep step;
      step.service = service;
      step.local = service == d.entry_service;
      bool writes = false;
      for (Placed& p : list) {
        first = std::min(first, p.key);
        if (isWrite(p.access.op)) first_write = std::min(first_write, p.key), writes = true;
        step.accesses.push_back(std::move(p.access));
      }
      steps.push_back({writes ? first_write : first, std::move(step)});
    }
    std::sort(steps.begin(), steps.end(), [](const auto& x, const auto& y) {
      return std::tie(x.first, x.second.service) < std::tie(y.first, y.second.service);
    });
    for (auto& [key, step] : steps) {
      step.order = static_cast<int>(d.saga.size()) + 1;
      d.saga.push_back(std::move(step));
    }

    // Keep together: move the foreign tables the group writes into the entry's service.
    KeepTogether& k = d.keep_together;
    k.service = d.entry_service;
    if (k.service.empty()) {  // entry outside every service: the service writing most
      std::map<std::string, int> w;
      for (const auto& t : d.tables)
        if (isWrite(t.op) && !t.owner.empty()) w[t.owner]++;
      int best = -1;
      for (const auto& [s, n] : w)
        if (n > best) best = n, k.service = s;
    }
    std::set<std::string> move;
    for (const auto& t : d.tables)
      if (isWrite(t.op) && !t.owner.empty() && t.owner != k.service) move.insert(t.table);
    k.tables.assign(move.begin(), move.end());
    std::set<int64_t> statements, functions;
    for (const decomposer::FactTableAccess& t : m.facts.table_accesses) {
      if (t.op == "create" || !move.count(t.table)) continue;
      if (m.serviceName(m.serviceOf(t.symbol_id)) == k.service) continue;
      statements.insert(t.statement_id);
      if (t.symbol_id) functions.insert(t.symbol_id);
    }
    k.statements = static_cast<int64_t>(statements.size());
    for (int64_t f : functions) {
      if (const decomposer::FactSymbol* s = m.facts.symbol(f)) k.lines += s->lines;
      k.functions.push_back(m.nameOf(f));
    }
    std::sort(k.functions.begin(), k.functions.end());

    int64_t compensations = 0;
    for (const SagaStep& s : d.saga) {
      if (s.local) continue;
      std::set<std::pair<std::string, std::string>> writes;
      for (const StepAccess& x : s.accesses)
        if (isWrite(x.op)) writes.insert({x.table, x.op});
      compensations += static_cast<int64_t>(writes.size());
    }
    if (d.category == "distributed") {
      if (k.statements <= compensations) {
        d.recommendation = "keep-together";
        d.reason = "moving " + std::to_string(k.tables.size()) + " table(s) into " + k.service + " changes " +
                   std::to_string(k.statements) + " statement(s) elsewhere, no more than the " +
                   std::to_string(compensations) + " compensation(s) a saga needs";
      } else {
        d.recommendation = "saga";
        d.reason = std::to_string(compensations) + " compensation(s) instead of moving " +
                   std::to_string(k.tables.size()) + " table(s) used by " + std::to_string(k.statements) +
                   " statement(s) (" + std::to_string(k.lines) + " lines) of other services";
      }
    } else {
      d.recommendation = "local-transaction";
      d.reason = "writes one service only; the reads of other services' tables become queries (possibly stale)";
    }

    // Synchronous remote calls inside the scope (notifications are asynchronous by then).
    std::set<std::pair<int64_t, int64_t>> seen;
    for (const ScopeCall& c : m.tx.calls) {
      if (c.transaction_id != id || !seen.insert({c.caller_id, c.callee_id}).second) continue;
      auto it = interaction.find({c.caller_id, c.callee_id});
      if (it == interaction.end() || it->second->kind == Kind::kNotification) continue;
      RemoteCallInTransaction r;
      r.caller = it->second->caller;
      r.callee = it->second->callee;
      r.from_service = it->second->from_service;
      r.to_service = it->second->to_service;
      r.kind = it->second->kind;
      r.depth = c.depth;
      r.location = m.facts.location(c.file_id, c.line);
      d.remote_calls.push_back(std::move(r));
    }
    std::sort(d.remote_calls.begin(), d.remote_calls.end(), [](const auto& x, const auto& y) {
      return std::tie(x.depth, x.location, x.callee) < std::tie(y.depth, y.location, y.callee);
    });
    a.transactions.push_back(std::move(d));
  }
  std::sort(a.transactions.begin(), a.transactions.end(), [](const auto& x, const auto& y) {
    int cx = x.category == "distributed", cy = y.category == "distributed";
    return std::make_tuple(-cx, -x.traffic, -static_cast<int64_t>(x.routes.size()),
                           -static_cast<int64_t>(x.write_services.size()), x.id) <
           std::make_tuple(-cy, -y.traffic, -static_cast<int64_t>(y.routes.size()),
                           -static_cast<int64_t>(y.write_services.size()), y.id);
  });
}

}  // namespace seam::interactions::internal
