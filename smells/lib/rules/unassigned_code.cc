// SEAM011 unassigned-code: modules no declared service covers. A note, so a
// partial services.yaml is visible rather than silently ignored.
#include "rule_util.h"

namespace seam::smells {
namespace {

const RuleInfo kInfo = {
    "SEAM011", "unassigned-code", "A module belongs to no declared service",
    "A (non-external) module with files that no entry of services.yaml / plan.json covers. Its code is "
    "listed as `unassigned` and takes no part in the other rules.",
    "Add the module to the service that owns it, or to a service for shared code, so the other rules can "
    "judge its dependencies.",
    Severity::kNote};

class UnassignedCode : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void check(const Context& ctx, std::vector<Finding>& out) const override {
    for (int64_t mid : ctx.services.unassignedModules()) {
      const Module* m = ctx.facts.module(mid);
      if (!m) continue;
      Finding f = newFinding(kInfo, Severity::kNote, ctx, Assignment::kUnassigned);
      int files = 0;
      for (const auto& file : ctx.facts.files) {
        if (file.module_id != mid || ctx.services.serviceOfFile(file.id) >= 0) continue;
        if (files++ == 0) f.locations.push_back({file.path, 1, 1, "first unassigned file of " + m->name});
      }
      f.message = "module '" + m->name + "' (" + std::to_string(files) + " files) belongs to no declared service";
      f.explanation = "Code outside every service is invisible to the other rules.";
      f.remedy = kInfo.remedy;
      f.services = {ctx.services.name(Assignment::kUnassigned)};
      f.key = m->name;
      out.push_back(std::move(f));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> makeUnassignedCodeRule() { return std::make_unique<UnassignedCode>(); }

}  // namespace seam::smells
