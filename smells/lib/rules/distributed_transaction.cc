// SEAM012 distributed-transaction: a transaction group whose writes fall into
// more than one service of the plan. Computed by seam::interactions (saga,
// compensations, keep-together alternative: docs/interactions.md).
#include "interaction_rules.h"

namespace seam::smells {
namespace {

const RuleInfo kInfo = {
    "SEAM012", "distributed-transaction", "A database transaction writes tables of several services",
    "A transaction scope (BEGIN..COMMIT or an RAII guard, recorded by `seam analyze`, schema v2) whose group "
    "of (table, operation) writes tables owned by two or more services of the plan (plan.json tables[].owner). "
    "Needs a plan and a fact store with transaction scopes; uncertain scopes are reported with their certainty.",
    "Replace the transaction by a saga (ordered local steps, each with its compensating action), or keep the "
    "tables in one service when that is cheaper; `seam interactions` prints both with their costs.",
    Severity::kError};

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

class DistributedTransaction : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void check(const Context& ctx, std::vector<Finding>& out) const override {
    auto analysis = analyzeInteractions(ctx);
    if (!analysis) return;
    for (const interactions::DistributedTransaction* d : analysis->distributed()) {
      int service = ctx.services.find(d->entry_service);
      Finding f = newFinding(kInfo, Severity::kError, ctx, service);
      f.message = "transaction in " + d->entry + " writes tables of " + std::to_string(d->write_services.size()) +
                  " services: " + join(d->write_services) +
                  (d->certainty == "exact" ? "" : " (" + d->certainty + ": " + d->note + ")");
      f.explanation = "One database transaction cannot span services once they own separate databases: "
                      "a failure half-way would leave " + join(d->write_services) + " inconsistent.";
      std::string steps;
      for (const auto& s : d->saga) {
        if (!s.compensable()) continue;
        steps += (steps.empty() ? "" : " -> ") + s.service;
      }
      const auto& k = d->keep_together;
      f.remedy = d->recommendation == "keep-together"
                     ? "Keep " + join(k.tables) + " in " + k.service + " (" + d->reason + ")."
                     : "Saga " + steps + ", each step with its compensation (" + d->reason +
                           "); see `seam interactions`.";
      f.locations.push_back(location(d->location, "transaction opened by " + d->entry));
      for (const auto& s : d->saga) {
        for (const auto& a : s.accesses) {
          if (a.compensation.empty()) continue;
          f.locations.push_back(location(a.location, s.service + ": " + a.function + " " + accessVerb(a.op) + " " +
                                                         a.table + "; compensate: " + a.compensation));
          break;  // the first write of each step
        }
      }
      f.services = d->services;
      f.symbols = {d->entry};
      std::vector<std::string> written;
      for (const auto& t : d->tables)
        if (t.op != "read" && std::find(written.begin(), written.end(), t.table) == written.end())
          written.push_back(t.table);
      f.tables = written;
      f.key = "tx:" + d->entry + ":" + join(written);
      out.push_back(std::move(f));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> makeDistributedTransactionRule() { return std::make_unique<DistributedTransaction>(); }

}  // namespace seam::smells
