// Helpers for the rule implementations (private to the smells library).
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "seam/smells/rule.h"

namespace seam::smells {

inline Finding newFinding(const RuleInfo& info, Severity severity, const Context& ctx, int service) {
  Finding f;
  f.rule_id = info.id;
  f.rule_name = info.name;
  f.severity = severity;
  f.service = ctx.services.name(service);
  return f;
}

inline std::string joinNames(const Context& ctx, const std::set<int>& services, const char* sep = ", ") {
  std::set<std::string> names;
  for (int s : services) names.insert(ctx.services.name(s));
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : sep) + n;
  return out;
}

inline std::vector<std::string> sortedNames(const Context& ctx, const std::set<int>& services) {
  std::set<std::string> names;
  for (int s : services) names.insert(ctx.services.name(s));
  return {names.begin(), names.end()};
}

inline void addUnique(std::vector<std::string>& v, const std::string& s) {
  for (const auto& x : v)
    if (x == s) return;
  v.push_back(s);
}

/// "reads" / "inserts into" / ... for evidence notes.
inline const char* accessVerb(const std::string& op) {
  if (op == "read") return "reads";
  if (op == "insert") return "inserts into";
  if (op == "update") return "updates";
  if (op == "delete") return "deletes from";
  if (op == "create") return "creates";
  return "accesses";
}

/// How many evidence locations a finding lists per participant.
constexpr size_t kEvidencePerService = 3;

// One factory per rule (one file each).
std::unique_ptr<Rule> makeSharedPersistenceRule();
std::unique_ptr<Rule> makeInappropriateIntimacyRule();
std::unique_ptr<Rule> makeCyclicDependencyRule();
std::unique_ptr<Rule> makeHubLikeServiceRule();
std::unique_ptr<Rule> makeLockstepChangeRule();
std::unique_ptr<Rule> makeDeepSyncChainRule();
std::unique_ptr<Rule> makeChattyRouteRule();
std::unique_ptr<Rule> makeHardCodedEndpointRule();
std::unique_ptr<Rule> makeSharedDomainLibraryRule();
std::unique_ptr<Rule> makeTechnicalLayerCutRule();
std::unique_ptr<Rule> makeUnassignedCodeRule();
std::unique_ptr<Rule> makeDistributedTransactionRule();
std::unique_ptr<Rule> makeSyncCallInTransactionRule();

}  // namespace seam::smells
