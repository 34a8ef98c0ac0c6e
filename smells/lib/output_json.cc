// JSON report (docs/smells.md, "JSON output"): services, unassigned modules, findings.
#include <nlohmann/json.hpp>

#include "seam/smells/smells.h"

namespace seam::smells {

void writeJson(const Report& report, std::ostream& out) {
  using nlohmann::json;
  json services = json::array();
  for (const auto& s : report.services) services.push_back({{"name", s.name}, {"modules", s.modules}});
  json findings = json::array();
  int counts[3] = {0, 0, 0};
  for (const auto& f : report.findings) {
    ++counts[static_cast<int>(f.severity)];
    json locations = json::array();
    for (const auto& l : f.locations)
      locations.push_back({{"file", l.file}, {"line", l.line}, {"column", l.col}, {"note", l.note}});
    findings.push_back({{"rule", f.rule_id},
                        {"name", f.rule_name},
                        {"level", severityName(f.severity)},
                        {"service", f.service},
                        {"services", f.services},
                        {"message", f.message},
                        {"explanation", f.explanation},
                        {"remedy", f.remedy},
                        {"locations", locations},
                        {"symbols", f.symbols},
                        {"tables", f.tables},
                        {"key", f.key},
                        {"fingerprint", f.fingerprint},
                        {"baselined", f.baselined}});
  }
  json j = {{"tool", "seam smells"},
            {"version", 1},
            {"origin", report.origin},
            {"services", services},
            {"unassigned_modules", report.unassigned_modules},
            {"summary", {{"error", counts[2]}, {"warning", counts[1]}, {"note", counts[0]}}},
            {"findings", findings}};
  out << j.dump(2) << "\n";
}

}  // namespace seam::smells
