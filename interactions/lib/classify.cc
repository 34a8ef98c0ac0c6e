// The interaction classifier: every call edge from a function of service A to
// a function of service B (A != B, neither the shared kernel) becomes a query,
// a command or a notification (rules in docs/interactions.md, "Classification").
//
//   notification  every call site discards the result, and what the callee
//                 does inside B writes tables, all of them B's own
//   command       otherwise, when the callee writes any table (transitively in B)
//   query         otherwise (reads only, or pure computation)
#include <algorithm>
#include <map>
#include <tuple>

#include "model.h"

namespace seam::interactions::internal {
namespace {

struct EdgeSum {
  int64_t sites = 0, discarded = 0;
  int64_t file_id = 0, line = 0;
};

std::string recommend(const Interaction& i) {
  switch (i.kind) {
    case Kind::kNotification:
      return "asynchronous event " + i.event + " published by " + i.to_service + " through a transactional outbox";
    case Kind::kCommand:
      return "command endpoint on " + i.to_service +
             (i.in_distributed_transaction ? " (a step of a distributed transaction: see the saga)" : "");
    case Kind::kQuery:
      if (!i.latency_routes.empty())
        return "local read model in " + i.from_service + " fed by " + i.to_service + "'s events (latency-critical route)";
      if (i.hot) return "local read model in " + i.from_service + " fed by " + i.to_service + "'s events (hot call)";
      return "synchronous API call to " + i.to_service;
  }
  return "";
}

}  // namespace

void classifyInteractions(Model& m, Analysis& a) {
  // One interaction per (caller, callee): call and virtual_call sites add up.
  std::map<std::pair<int64_t, int64_t>, EdgeSum> edges;
  for (const decomposer::FactEdge& e : m.facts.edges) {
    if (e.kind != "call" && e.kind != "virtual_call") continue;
    int from = m.serviceOf(e.src), to = m.serviceOf(e.dst);
    if (from == kNone || to == kNone || from == to) continue;
    EdgeSum& s = edges[{e.src, e.dst}];
    if (s.sites == 0) s.file_id = e.file_id, s.line = e.line;
    s.sites += e.count;
    auto d = m.discarded.find({e.src, e.dst, e.kind});
    if (d != m.discarded.end()) s.discarded += std::min<int64_t>(d->second, e.count);
  }

  // Transaction groups each call happens in, and which groups write which services.
  std::map<std::pair<int64_t, int64_t>, std::set<int64_t>> in_tx;
  for (const ScopeCall& c : m.tx.calls) in_tx[{c.caller_id, c.callee_id}].insert(c.transaction_id);
  std::map<int64_t, std::set<std::string>> tx_writes;
  for (const ScopeAccess& s : m.tx.accesses)
    if (isWrite(s.op)) tx_writes[s.transaction_id].insert(m.ownerOf(s.table));

  // Per route: the symbols its handler reaches (only when traffic or latency matter).
  std::vector<std::set<int64_t>> route_reach(m.facts.routes.size());
  bool need_reach = m.total_traffic > 0 ||
                    std::find(m.latency_critical.begin(), m.latency_critical.end(), true) != m.latency_critical.end();
  if (need_reach) {
    for (size_t r = 0; r < m.facts.routes.size(); ++r) {
      if (m.route_traffic[r] > 0 || m.latency_critical[r]) route_reach[r] = m.reach(m.facts.routes[r].handler_id);
    }
  }

  for (const auto& [key, sum] : edges) {
    const auto [caller, callee] = key;
    Interaction i;
    int from = m.serviceOf(caller), to = m.serviceOf(callee);
    i.from_service = m.serviceName(from);
    i.to_service = m.serviceName(to);
    i.caller = m.nameOf(caller);
    i.callee = m.nameOf(callee);
    i.caller_id = caller;
    i.callee_id = callee;
    i.sites = sum.sites;
    i.discarded_sites = sum.discarded;
    i.location = m.facts.location(sum.file_id, sum.line);
    i.callee_location = m.symbolLocation(callee);
    bool writes = false, foreign_write = false;
    for (const auto& [table, op] : m.closureTables(callee, to)) {
      std::string owner = m.ownerOf(table);
      i.tables.push_back({table, op, owner});
      if (isWrite(op)) {
        writes = true;
        if (owner != i.to_service) foreign_write = true;
      }
    }
    bool fire_and_forget = sum.sites > 0 && sum.discarded >= sum.sites;
    // A discarded call with no write is a check or a computation (it may throw): a query.
    if (fire_and_forget && writes && !foreign_write) {
      i.kind = Kind::kNotification;
      i.event = eventName(i.callee);
    } else if (writes) {
      i.kind = Kind::kCommand;
    } else {
      i.kind = Kind::kQuery;
    }

    for (size_t r = 0; r < route_reach.size(); ++r) {
      if (!route_reach[r].count(caller)) continue;
      i.traffic += m.route_traffic[r];
      if (m.latency_critical[r]) {
        i.latency_routes.push_back(m.facts.routes[r].method + " " + m.facts.routes[r].path);
      }
    }
    std::sort(i.latency_routes.begin(), i.latency_routes.end());
    i.latency_routes.erase(std::unique(i.latency_routes.begin(), i.latency_routes.end()), i.latency_routes.end());
    if (m.total_traffic > 0) {
      i.hot = static_cast<double>(i.traffic) >= m.options.hot_traffic_share * static_cast<double>(m.total_traffic) &&
              i.traffic > 0;
    } else {
      i.hot = i.sites >= m.options.hot_sites;
    }

    if (auto t = in_tx.find(key); t != in_tx.end()) {
      i.transactions.assign(t->second.begin(), t->second.end());
      for (int64_t id : t->second) {
        auto w = tx_writes.find(id);
        if (i.kind == Kind::kCommand && w != tx_writes.end() && w->second.count(i.from_service)) {
          i.in_distributed_transaction = true;
        }
      }
    }
    i.recommendation = recommend(i);
    a.interactions.push_back(std::move(i));
  }
  std::sort(a.interactions.begin(), a.interactions.end(), [](const Interaction& x, const Interaction& y) {
    return std::tie(x.from_service, x.to_service, x.caller, x.callee) <
           std::tie(y.from_service, y.to_service, y.caller, y.callee);
  });

  std::map<std::pair<std::string, std::string>, PairCounts> pairs;
  std::map<std::string, Event> events;
  for (const Interaction& i : a.interactions) {
    PairCounts& p = pairs[{i.from_service, i.to_service}];
    p.from = i.from_service;
    p.to = i.to_service;
    (i.kind == Kind::kQuery ? p.query : i.kind == Kind::kCommand ? p.command : p.notification)++;
    if (i.kind != Kind::kNotification) continue;
    Event& e = events[i.callee];
    e.name = i.event;
    e.publisher = i.to_service;
    e.callee = i.callee;
    e.callee_location = i.callee_location;
    e.tables = i.tables;
    e.sites += i.sites;
    if (std::find(e.producers.begin(), e.producers.end(), i.from_service) == e.producers.end())
      e.producers.push_back(i.from_service);
    e.callers.push_back(i.caller);
  }
  for (auto& [k, p] : pairs) a.pairs.push_back(p);
  for (auto& [callee, e] : events) {
    std::sort(e.producers.begin(), e.producers.end());
    std::sort(e.callers.begin(), e.callers.end());
    a.events.push_back(std::move(e));
  }
  std::sort(a.events.begin(), a.events.end(),
            [](const Event& x, const Event& y) { return std::tie(x.name, x.callee) < std::tie(y.name, y.callee); });
}

}  // namespace seam::interactions::internal
