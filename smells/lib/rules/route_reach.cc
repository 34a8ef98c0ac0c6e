#include "route_reach.h"

#include <deque>

namespace seam::smells {

CallGraph::CallGraph(const Context& ctx) : ctx_(ctx) {
  for (const auto& e : ctx.facts.edges) {
    if (Context::isCallKind(e.kind)) calls_[e.src].push_back(&e);
    if (e.kind == "override") overriders_[e.dst].push_back(e.src);
  }
}

RouteReach CallGraph::reach(int64_t handler) const {
  RouteReach r;
  r.service = ctx_.services.serviceOfSymbol(handler);
  // Per visited symbol: the chain of services crossed from the handler.
  std::unordered_map<int64_t, std::vector<int>> chain;
  std::deque<int64_t> queue{handler};
  chain[handler] = {};
  auto visit = [&](int64_t from, int64_t to, const Edge* via) {
    if (chain.count(to)) return;
    std::vector<int> c = chain[from];
    int sf = ctx_.services.serviceOfSymbol(from), st = ctx_.services.serviceOfSymbol(to);
    if (st >= 0 && st != sf && (c.empty() || c.back() != st)) {
      c.push_back(st);
      if (st != r.service && !r.chains.count(st)) {
        r.chains[st] = c;
        r.entry[st] = via;
      }
    }
    chain[to] = std::move(c);
    queue.push_back(to);
  };
  while (!queue.empty()) {
    int64_t v = queue.front();
    queue.pop_front();
    auto it = calls_.find(v);
    if (it == calls_.end()) continue;
    for (const Edge* e : it->second) {
      int sa = ctx_.services.serviceOfSymbol(e->src), sb = ctx_.services.serviceOfSymbol(e->dst);
      if (sa >= 0 && sb >= 0 && sa != sb) r.cross_calls.push_back(e);
      visit(v, e->dst, e);
      if (e->kind == "virtual_call") {
        if (auto o = overriders_.find(e->dst); o != overriders_.end())
          for (int64_t impl : o->second) visit(v, impl, e);
      }
    }
  }
  return r;
}

}  // namespace seam::smells
