// SEAM001 shared-persistence: a table written by several services (error), or
// written by one and read by several others (warning).
#include "rule_util.h"

namespace seam::smells {
namespace {

const RuleInfo kInfo = {
    "SEAM001", "shared-persistence", "A database table is shared between services",
    "A table written by more than one service (error), or owned by one service and read directly by "
    "`shared_read_min_services` (default 2) or more other services (warning). The owner is the declared "
    "owner (plan.json, services.yaml `tables:`), else the only service that creates it, else the one that "
    "writes it most.",
    "Give every table exactly one owning service. Other services call the owner's API or consume its "
    "events; move their SQL behind that API before extracting either service.",
    Severity::kError};

class SharedPersistence : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void check(const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& [table, use] : ctx.tables) {
      std::set<int> writers, readers;
      for (const auto& [s, list] : use.writes) writers.insert(s);
      for (const auto& [s, list] : use.reads) readers.insert(s);
      if (writers.size() >= 2) {
        int primary = use.owner >= 0 ? use.owner : *writers.begin();
        Finding f = newFinding(kInfo, Severity::kError, ctx, primary);
        f.message = "table '" + table + "' is written by " + std::to_string(writers.size()) +
                    " services: " + joinNames(ctx, writers);
        f.explanation = "Every writer can change rows of '" + table +
                        "' behind the others' backs, so their schemas, transactions and releases are coupled.";
        f.remedy = use.owner >= 0 ? "Make '" + ctx.services.name(use.owner) + "' (" + use.owner_reason +
                                        ") the only writer of '" + table + "'; the others call its API."
                                  : "Choose one owner for '" + table + "' and route the other writes through its API.";
        evidence(ctx, use.writes, f);
        std::set<int> all = writers;
        all.insert(readers.begin(), readers.end());
        f.services = sortedNames(ctx, all);
        f.tables = {table};
        f.key = "write:" + table;
        out.push_back(std::move(f));
        continue;
      }
      if (use.owner < 0) continue;
      std::set<int> foreign;
      for (int s : readers)
        if (s != use.owner) foreign.insert(s);
      if (static_cast<int>(foreign.size()) < ctx.config.shared_read_min_services) continue;
      Finding f = newFinding(kInfo, Severity::kWarning, ctx, use.owner);
      f.message = "table '" + table + "' of '" + ctx.services.name(use.owner) + "' is read directly by " +
                  std::to_string(foreign.size()) + " other services: " + joinNames(ctx, foreign);
      f.explanation = "Readers depend on the physical schema of '" + table + "', so its owner cannot change it alone.";
      f.remedy = "Expose the data the readers need through an API or a replicated read model owned by '" +
                 ctx.services.name(use.owner) + "'.";
      std::map<int, std::vector<const TableAccess*>> foreign_reads;
      for (int s : foreign) foreign_reads[s] = use.reads.at(s);
      evidence(ctx, foreign_reads, f);
      foreign.insert(use.owner);
      f.services = sortedNames(ctx, foreign);
      f.tables = {table};
      f.key = "read:" + table;
      out.push_back(std::move(f));
    }
  }

 private:
  static void evidence(const Context& ctx, const std::map<int, std::vector<const TableAccess*>>& by_service,
                       Finding& f) {
    for (const auto& [s, list] : by_service) {
      size_t shown = 0;
      for (const TableAccess* a : list) {
        std::string who = ctx.facts.symbolName(a->symbol_id);
        addUnique(f.symbols, who);
        if (shown++ < kEvidencePerService) {
          f.locations.push_back(ctx.at(*a, ctx.services.name(s) + ": " + who + " " + accessVerb(a->op) + " " + a->table));
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> makeSharedPersistenceRule() { return std::make_unique<SharedPersistence>(); }

}  // namespace seam::smells
