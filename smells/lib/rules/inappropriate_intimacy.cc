// SEAM002 inappropriate-intimacy: a service reads or writes tables another
// service owns, instead of calling that service.
#include "rule_util.h"

namespace seam::smells {
namespace {

const RuleInfo kInfo = {
    "SEAM002", "inappropriate-intimacy", "A service accesses another service's tables directly",
    "Code of one service reads or writes a table owned by another service (ownership as in SEAM001). "
    "Reported once per pair of services, listing the tables.",
    "Replace the direct SQL with a call to the owning service's API (or an event it publishes); if the "
    "access is the caller's core job, the table is probably owned by the wrong service.",
    Severity::kWarning};

class InappropriateIntimacy : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void check(const Context& ctx, std::vector<Finding>& out) const override {
    struct Pair {
      std::set<std::string> tables;
      bool writes = false;
      std::vector<const TableAccess*> accesses;
    };
    std::map<std::pair<int, int>, Pair> pairs;  // (accessor, owner)
    for (const auto& [table, use] : ctx.tables) {
      if (use.owner < 0) continue;
      for (const auto* m : {&use.writes, &use.reads}) {
        for (const auto& [s, list] : *m) {
          if (s == use.owner) continue;
          Pair& p = pairs[{s, use.owner}];
          p.tables.insert(table);
          if (m == &use.writes) p.writes = true;
          p.accesses.insert(p.accesses.end(), list.begin(), list.end());
        }
      }
    }
    for (const auto& [key, p] : pairs) {
      auto [accessor, owner] = key;
      Finding f = newFinding(kInfo, Severity::kWarning, ctx, accessor);
      std::string tables;
      for (const auto& t : p.tables) tables += (tables.empty() ? "'" : ", '") + t + "'";
      f.message = "'" + ctx.services.name(accessor) + "' " + (p.writes ? "writes" : "reads") + " " +
                  (p.tables.size() == 1 ? "table " : "tables ") + tables + " owned by '" +
                  ctx.services.name(owner) + "'";
      f.explanation = "'" + ctx.services.name(accessor) + "' bypasses the API of '" + ctx.services.name(owner) +
                      "' and depends on its private schema.";
      f.remedy = "Call '" + ctx.services.name(owner) + "' for this data instead of querying " + tables + ".";
      for (const TableAccess* a : p.accesses) {
        std::string who = ctx.facts.symbolName(a->symbol_id);
        addUnique(f.symbols, who);
        if (f.locations.size() < 2 * kEvidencePerService)
          f.locations.push_back(ctx.at(*a, who + " " + accessVerb(a->op) + " " + a->table));
      }
      f.services = sortedNames(ctx, {accessor, owner});
      f.tables.assign(p.tables.begin(), p.tables.end());
      f.key = ctx.services.name(accessor) + "->" + ctx.services.name(owner);
      out.push_back(std::move(f));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> makeInappropriateIntimacyRule() { return std::make_unique<InappropriateIntimacy>(); }

}  // namespace seam::smells
