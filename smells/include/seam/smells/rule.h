// One smell = one small class: static RuleInfo + check(). Rules are listed
// explicitly in allRules() (rules.cc), in rule id order; no static registration.
#pragma once

#include <memory>
#include <vector>

#include "seam/smells/context.h"
#include "seam/smells/finding.h"

namespace seam::smells {

class Rule {
 public:
  virtual ~Rule() = default;
  virtual const RuleInfo& info() const = 0;
  /// Appends findings; rule id/name/severity defaults are filled in by the caller
  /// when left empty. Must be deterministic (iterate ordered containers).
  virtual void check(const Context& ctx, std::vector<Finding>& out) const = 0;
};

std::vector<std::unique_ptr<Rule>> allRules();

}  // namespace seam::smells
