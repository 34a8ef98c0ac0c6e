// SARIF 2.1.0 for GitHub code scanning: one run, the rule table as
// tool.driver.rules, one result per finding with a repo-relative primary
// location (uriBaseId %SRCROOT%), the rest of the evidence as relatedLocations,
// and our line-independent fingerprint as partialFingerprints.
#include <nlohmann/json.hpp>

#include "seam/smells/smells.h"

namespace seam::smells {
namespace {

constexpr const char* kInformationUri = "https://github.com/seam-tools/seam/blob/main/docs/smells.md";

// RFC 3986 path encoding of what may appear in file names.
std::string uriPath(const std::string& path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~' || c == '+' || c == ':') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

nlohmann::json physical(const Location& l) {
  nlohmann::json artifact;
  if (!l.file.empty() && l.file.front() == '/') {
    artifact = {{"uri", "file://" + uriPath(l.file)}};
  } else {
    artifact = {{"uri", uriPath(l.file)}, {"uriBaseId", "%SRCROOT%"}};
  }
  return {{"artifactLocation", artifact}, {"region", {{"startLine", l.line}, {"startColumn", l.col}}}};
}

}  // namespace

void writeSarif(const Report& report, std::ostream& out) {
  using nlohmann::json;
  json rules = json::array();
  std::map<std::string, int> rule_index;
  for (const auto& r : report.rules) {
    rule_index[r.id] = static_cast<int>(rules.size());
    std::string markdown = std::string("**") + r.short_description + "**\n\n" + r.full_description +
                           "\n\n**Remedy.** " + r.remedy + "\n\nSee [docs/smells.md](" + kInformationUri + "#" +
                           r.id + ").";
    rules.push_back({{"id", r.id},
                     {"name", r.name},
                     {"shortDescription", {{"text", r.short_description}}},
                     {"fullDescription", {{"text", r.full_description}}},
                     {"help", {{"text", std::string(r.full_description) + " Remedy: " + r.remedy}, {"markdown", markdown}}},
                     {"helpUri", std::string(kInformationUri) + "#" + r.id},
                     {"defaultConfiguration", {{"level", severityName(r.default_severity)}}},
                     {"properties", {{"tags", {"architecture", "microservices", "maintainability"}}}}});
  }
  json results = json::array();
  for (const auto& f : report.findings) {
    const Location& primary = f.locations.front();
    json related = json::array();
    for (size_t i = 1; i < f.locations.size(); ++i) {
      json loc = {{"id", static_cast<int>(i)}, {"physicalLocation", physical(f.locations[i])}};
      if (!f.locations[i].note.empty()) loc["message"] = {{"text", f.locations[i].note}};
      related.push_back(loc);
    }
    std::string text = f.message;
    if (!f.remedy.empty()) text += ". " + f.remedy;
    json result = {{"ruleId", f.rule_id},
                   {"ruleIndex", rule_index.count(f.rule_id) ? rule_index[f.rule_id] : 0},
                   {"level", severityName(f.severity)},
                   {"message", {{"text", text}}},
                   {"locations", json::array({{{"physicalLocation", physical(primary)}}})},
                   {"partialFingerprints", {{"primaryLocationLineHash", f.fingerprint + ":1"}, {"seamFindingKey/v1", f.fingerprint}}},
                   {"properties",
                    {{"service", f.service}, {"services", f.services}, {"tables", f.tables}, {"symbols", f.symbols}}}};
    if (!related.empty()) result["relatedLocations"] = related;
    if (f.baselined) result["baselineState"] = "unchanged";
    results.push_back(result);
  }
  std::string root = report.source_root;
  if (root.empty() || root.back() != '/') root += '/';
  json sarif = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       json::array({{{"tool",
                      {{"driver",
                        {{"name", "seam-smells"},
                         {"version", "0.1.0"},
                         {"semanticVersion", "0.1.0"},
                         {"informationUri", kInformationUri},
                         {"rules", rules}}}}},
                     {"originalUriBaseIds", {{"%SRCROOT%", {{"uri", "file://" + uriPath(root)}}}}},
                     {"columnKind", "utf16CodeUnits"},
                     {"results", results}}})}};
  out << sarif.dump(2) << "\n";
}

}  // namespace seam::smells
