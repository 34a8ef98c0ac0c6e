// The rule list, in rule id order. Adding a rule: one file + one line here.
#include "rule_util.h"

namespace seam::smells {

std::vector<std::unique_ptr<Rule>> allRules() {
  std::vector<std::unique_ptr<Rule>> rules;
  rules.push_back(makeSharedPersistenceRule());     // SEAM001
  rules.push_back(makeInappropriateIntimacyRule()); // SEAM002
  rules.push_back(makeCyclicDependencyRule());      // SEAM003
  rules.push_back(makeHubLikeServiceRule());        // SEAM004
  rules.push_back(makeLockstepChangeRule());        // SEAM005
  rules.push_back(makeDeepSyncChainRule());         // SEAM006
  rules.push_back(makeChattyRouteRule());           // SEAM007
  rules.push_back(makeHardCodedEndpointRule());     // SEAM008
  rules.push_back(makeSharedDomainLibraryRule());   // SEAM009
  rules.push_back(makeTechnicalLayerCutRule());     // SEAM010
  rules.push_back(makeUnassignedCodeRule());        // SEAM011
  rules.push_back(makeDistributedTransactionRule()); // SEAM012 (through seam::interactions)
  rules.push_back(makeSyncCallInTransactionRule());  // SEAM013 (through seam::interactions)
  return rules;
}

}  // namespace seam::smells
