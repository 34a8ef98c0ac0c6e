// Baseline files: the fingerprints of accepted findings, so CI fails only on new ones.
//   {"version": 1, "findings": [{"fingerprint": "...", "rule": "SEAM001", "message": "..."}]}
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "seam/smells/smells.h"

namespace seam::smells {

Expected<std::vector<std::string>> readBaseline(const std::string& path) {
  std::ifstream in(path);
  if (!in) return badInput(path + ": cannot read baseline");
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || !j.contains("findings") || !j["findings"].is_array()) {
    return badInput(path + ": not a seam smells baseline (expected {\"version\": 1, \"findings\": [...]})");
  }
  std::vector<std::string> out;
  for (const auto& f : j["findings"]) {
    if (!f.is_object() || !f.contains("fingerprint") || !f["fingerprint"].is_string()) {
      return badInput(path + ": every baseline finding needs a string \"fingerprint\"");
    }
    out.push_back(f["fingerprint"].get<std::string>());
  }
  return out;
}

Status writeBaseline(const Report& report, const std::string& path) {
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& f : report.findings) {
    findings.push_back({{"fingerprint", f.fingerprint}, {"rule", f.rule_id}, {"message", f.message}});
  }
  nlohmann::json j = {{"version", 1}, {"tool", "seam smells"}, {"findings", findings}};
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    std::ofstream out(path);  // a device or pipe: write in place, never rename over it
    out << j.dump(2) << "\n";
    if (!out.flush()) return badInput(path + ": cannot write baseline");
    return Ok{};
  }
  // Write a sibling file and rename it over the target, so a failure never leaves half a baseline.
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return badInput(path + ": cannot write baseline");
    out << j.dump(2) << "\n";
    if (!out.flush()) return badInput(path + ": cannot write baseline");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return badInput(path + ": cannot write baseline");
  }
  return Ok{};
}

}  // namespace seam::smells
