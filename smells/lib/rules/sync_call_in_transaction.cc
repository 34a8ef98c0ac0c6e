// SEAM013 sync-call-in-transaction: a synchronous call to another service made
// while a database transaction is open (docs/interactions.md).
#include "interaction_rules.h"

namespace seam::smells {
namespace {

const RuleInfo kInfo = {
    "SEAM013", "sync-call-in-transaction", "A transaction waits on a synchronous call to another service",
    "A call made inside a transaction scope (transitively) from code of one service into another service of the "
    "plan, classified as a query or a command (notifications become outbox events and are not reported). Once "
    "the services are apart, the transaction holds its locks for a network round trip and cannot roll the "
    "remote side back.",
    "Make the call before the transaction opens (queries), turn it into a saga step or an event published "
    "through a transactional outbox (commands), or keep both sides in one service.",
    Severity::kWarning};

class SyncCallInTransaction : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void check(const Context& ctx, std::vector<Finding>& out) const override {
    auto analysis = analyzeInteractions(ctx);
    if (!analysis) return;
    for (const auto& d : analysis->transactions) {
      for (const auto& r : d.remote_calls) {
        Finding f = newFinding(kInfo, Severity::kWarning, ctx, ctx.services.find(r.from_service));
        f.message = std::string(interactions::kindName(r.kind)) + " " + r.caller + " -> " + r.callee + " (" +
                    r.to_service + ") runs inside the transaction of " + d.entry;
        f.explanation = "After the split this is a network call inside an open database transaction: locks are "
                        "held for the round trip and the remote effect is not rolled back with it.";
        f.remedy = r.kind == interactions::Kind::kQuery
                       ? "Read from " + r.to_service + " before the transaction opens, or keep a local read model."
                       : "Make it a saga step of " + r.to_service + " with a compensation, or an outbox event.";
        f.locations.push_back(location(r.location, "call to " + r.callee + " (depth " + std::to_string(r.depth) + ")"));
        f.locations.push_back(location(d.location, "transaction opened by " + d.entry));
        f.services = {r.from_service, r.to_service};
        f.symbols = {r.caller, r.callee};
        f.key = "call:" + d.entry + ":" + r.caller + "->" + r.callee;
        out.push_back(std::move(f));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> makeSyncCallInTransactionRule() { return std::make_unique<SyncCallInTransaction>(); }

}  // namespace seam::smells
