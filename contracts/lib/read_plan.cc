// readPlan: the parts of plan.json (docs/plan-format.md) contracts need:
// services, their modules and the functions other services call.
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "seam/contracts/facts.h"

namespace seam::contracts {

Expected<Plan> readPlan(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return badInput(path + ": cannot read plan (run seam decompose)");
  std::stringstream buffer;
  buffer << in.rdbuf();
  nlohmann::json doc = nlohmann::json::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return badInput(path + ": not a JSON object");
  if (doc.value("format", "") != "seam-plan") return badInput(path + ": not a seam plan (format is not 'seam-plan')");
  if (!doc.contains("version") || !doc["version"].is_number_integer() || doc["version"].get<int64_t>() != 1) {
    return badInput(path + ": unsupported plan version (expected 1)");
  }
  if (!doc.contains("services") || !doc["services"].is_array()) return badInput(path + ": plan has no services array");
  auto strings = [](const nlohmann::json& a) {
    std::vector<std::string> out;
    if (!a.is_array()) return out;
    for (const auto& v : a) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
    return out;
  };
  Plan plan;
  for (const auto& s : doc["services"]) {
    if (!s.is_object() || !s.contains("name") || !s["name"].is_string() || s["name"].get<std::string>().empty()) {
      return badInput(path + ": a service without a name");
    }
    PlanService service;
    service.name = s["name"].get<std::string>();
    service.modules = strings(s.value("modules", nlohmann::json::array()));
    if (service.modules.empty()) service.modules = strings(s.value("nodes", nlohmann::json::array()));
    const nlohmann::json api = s.value("api", nlohmann::json::object());
    if (api.is_object() && api.contains("functions") && api["functions"].is_array()) {
      for (const auto& f : api["functions"]) {
        if (!f.is_object() || !f.contains("name") || !f["name"].is_string()) continue;
        PlanService::Function fn;
        fn.name = f["name"].get<std::string>();
        fn.callers = strings(f.value("callers", nlohmann::json::array()));
        if (f.contains("sites") && f["sites"].is_number_integer()) fn.sites = f["sites"].get<int>();
        service.functions.push_back(std::move(fn));
      }
    }
    plan.services.push_back(std::move(service));
  }
  return plan;
}

}  // namespace seam::contracts
