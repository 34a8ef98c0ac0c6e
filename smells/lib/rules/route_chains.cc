// SEAM006 deep-sync-chain and SEAM007 chatty-route: what one request does
// across services when the monolith is cut as declared.
#include "route_reach.h"
#include "rule_util.h"

namespace seam::smells {
namespace {

const RuleInfo kDeepInfo = {
    "SEAM006", "deep-sync-chain", "A route's handler reaches many other services synchronously",
    "Breadth-first search over call and virtual-call edges from a route's handler reaches code in "
    "`chain_min_services` (3) or more services other than the handler's own. The finding shows the longest "
    "chain of services crossed.",
    "Each synchronous hop adds latency and a failure mode to the request. Let the handler's service own the "
    "data it needs (replicated read models, events), or call one composing service instead of many.",
    Severity::kWarning};

const RuleInfo kChattyInfo = {
    "SEAM007", "chatty-route", "A route makes many fine-grained calls across services",
    "The calls reachable from a route's handler include `chatty_min_calls` (6) or more distinct call sites "
    "whose caller and callee are in different services: each becomes a network round trip.",
    "Replace fine-grained calls with coarse-grained ones (batch, aggregate endpoints), or move the code "
    "that needs them to the service that owns the data.",
    Severity::kWarning};

std::string routeName(const Route& r) { return r.method + " " + r.path; }

Location routeLocation(const Context& ctx, const Route& r) {
  Location l{std::string(ctx.facts.path(r.file_id)), r.line, 1, "route " + routeName(r)};
  if (l.file.empty()) return ctx.atSymbol(r.handler_id, l.note);
  return l;
}

class DeepSyncChain : public Rule {
 public:
  const RuleInfo& info() const override { return kDeepInfo; }
  void check(const Context& ctx, std::vector<Finding>& out) const override {
    CallGraph graph(ctx);
    for (const Route& route : ctx.facts.routes) {
      if (!route.handler_id) continue;
      RouteReach r = graph.reach(route.handler_id);
      if (r.service < 0 || static_cast<int>(r.chains.size()) < ctx.config.chain_min_services) continue;
      const std::vector<int>* longest = nullptr;
      for (const auto& [s, c] : r.chains)
        if (!longest || c.size() > longest->size()) longest = &c;
      std::string chain = ctx.services.name(r.service);
      for (int s : *longest) chain += " -> " + ctx.services.name(s);
      std::set<int> reached;
      for (const auto& [s, c] : r.chains) reached.insert(s);
      Finding f = newFinding(kDeepInfo, Severity::kWarning, ctx, r.service);
      f.message = "route " + routeName(route) + " reaches " + std::to_string(reached.size()) +
                  " other services synchronously (" + joinNames(ctx, reached) + "); longest chain " + chain;
      f.explanation = "The request's latency and availability become the product of " +
                      std::to_string(reached.size() + 1) + " services'.";
      f.remedy = kDeepInfo.remedy;
      f.locations.push_back(routeLocation(ctx, route));
      for (const auto& [s, e] : r.entry) {
        f.locations.push_back(ctx.at(*e, "enters " + ctx.services.name(s) + ": " + ctx.facts.symbolName(e->src) +
                                             " calls " + ctx.facts.symbolName(e->dst)));
        addUnique(f.symbols, ctx.facts.symbolName(e->dst));
      }
      f.symbols.insert(f.symbols.begin(), ctx.facts.symbolName(route.handler_id));
      reached.insert(r.service);
      f.services = sortedNames(ctx, reached);
      f.key = routeName(route);
      out.push_back(std::move(f));
    }
  }
};

class ChattyRoute : public Rule {
 public:
  const RuleInfo& info() const override { return kChattyInfo; }
  void check(const Context& ctx, std::vector<Finding>& out) const override {
    CallGraph graph(ctx);
    for (const Route& route : ctx.facts.routes) {
      if (!route.handler_id) continue;
      RouteReach r = graph.reach(route.handler_id);
      if (r.service < 0 || static_cast<int>(r.cross_calls.size()) < ctx.config.chatty_min_calls) continue;
      int sites = 0;
      std::set<int> involved{r.service};
      for (const Edge* e : r.cross_calls) {
        sites += e->count;
        involved.insert(ctx.services.serviceOfSymbol(e->src));
        involved.insert(ctx.services.serviceOfSymbol(e->dst));
      }
      Finding f = newFinding(kChattyInfo, Severity::kWarning, ctx, r.service);
      f.message = "route " + routeName(route) + " makes " + std::to_string(r.cross_calls.size()) +
                  " distinct cross-service calls (" + std::to_string(sites) + " call sites) among " +
                  joinNames(ctx, involved);
      f.explanation = "Each cross-service call becomes a network round trip with its own latency and failure.";
      f.remedy = kChattyInfo.remedy;
      f.locations.push_back(routeLocation(ctx, route));
      f.symbols.push_back(ctx.facts.symbolName(route.handler_id));
      for (const Edge* e : r.cross_calls) {
        std::string note = ctx.services.name(ctx.services.serviceOfSymbol(e->src)) + " -> " +
                           ctx.services.name(ctx.services.serviceOfSymbol(e->dst)) + ": " +
                           ctx.facts.symbolName(e->src) + " calls " + ctx.facts.symbolName(e->dst);
        if (f.locations.size() < 10) f.locations.push_back(ctx.at(*e, note));
        addUnique(f.symbols, ctx.facts.symbolName(e->dst));
      }
      f.services = sortedNames(ctx, involved);
      f.key = routeName(route);
      out.push_back(std::move(f));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> makeDeepSyncChainRule() { return std::make_unique<DeepSyncChain>(); }
std::unique_ptr<Rule> makeChattyRouteRule() { return std::make_unique<ChattyRoute>(); }

}  // namespace seam::smells
