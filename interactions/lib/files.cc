// File entry points: analyzeFiles() loads the fact store (the decomposer's
// reader plus the v2 transaction tables) and the plan, or a ground truth in
// the architecture.yaml format turned into a minimal plan.
#include <set>

#include "seam/decomposer/inputs.h"
#include "seam/decomposer/plan.h"
#include "seam/interactions/interactions.h"

namespace seam::interactions {
namespace dec = seam::decomposer;
using nlohmann::json;

Expected<json> planFromTruthFile(const std::string& path) {
  Expected<dec::Truth> truth = dec::readTruthFile(path);
  if (!truth) return truth.error();
  std::map<std::string, std::vector<std::string>> nodes;
  for (const auto& [item, cluster] : truth->cluster_of) {
    if (cluster != "shared_kernel") nodes[cluster].push_back(item);
  }
  if (nodes.empty()) return dec::badInput(path + ": the ground truth names no service");
  json plan = {{"format", "seam-plan"},
               {"version", dec::kPlanVersion},
               {"input", {{"source", path}, {"granularity", "module"}}},
               {"services", json::array()},
               {"tables", json::array()}};
  std::set<std::string> owned;
  for (const auto& [name, items] : nodes) {
    std::vector<std::string> tables;
    if (auto t = truth->tables.find(name); t != truth->tables.end()) tables = t->second;
    plan["services"].push_back({{"name", name}, {"nodes", items}, {"modules", items}, {"tables", tables}});
    for (const auto& t : tables) {
      if (!owned.insert(t).second) return dec::badInput(path + ": table '" + t + "' is owned by two services");
      plan["tables"].push_back({{"name", t}, {"owner", name}, {"reason", "declared in " + path}});
    }
  }
  return plan;
}

Expected<Analysis> analyzeFiles(const std::string& db_path, const std::string& plan_path, const Options& options) {
  Expected<dec::Facts> facts = dec::loadFactStore(db_path);
  if (!facts) return facts.error();
  Expected<TransactionFacts> tx = loadTransactionFacts(db_path);
  if (!tx) return tx.error();
  bool yaml = plan_path.ends_with(".yaml") || plan_path.ends_with(".yml");
  Expected<json> plan = yaml ? planFromTruthFile(plan_path) : dec::readPlanFile(plan_path);
  if (!plan) return plan.error();
  Expected<Analysis> a = analyze(*facts, *tx, *plan, options);
  if (!a) return dec::badInput(plan_path + ": " + a.error().message);
  a->store = db_path;
  a->plan = plan_path;
  return a;
}

}  // namespace seam::interactions
