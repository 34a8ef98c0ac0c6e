// Smell findings -> ReportModel::smells, worst first. Accepts the JSON of
// `seam smells --format json` (smells/lib/output_json.cc: {"tool": "seam smells",
// "findings": [{rule, name, level, message, remedy, locations, services, tables}]}),
// a bare array of findings, and SARIF 2.1.0 (runs[].results[]).
#include <algorithm>

#include "json_util.h"
#include "read_file.h"
#include "seam/reports/inputs.h"

namespace seam::reports {
namespace {

using internal::field;
using internal::str;
using nlohmann::json;

int severityRank(const std::string& s) {
  if (s == "error" || s == "high" || s == "critical") return 0;
  if (s == "warning" || s == "medium") return 1;
  if (s == "note" || s == "info" || s == "low") return 2;
  return 3;
}

Location location(const json& l) {
  // SARIF: physicalLocation.artifactLocation.uri + region.startLine.
  if (const json* phys = field(l, {"physicalLocation"})) {
    Location loc;
    if (const json* art = field(*phys, {"artifactLocation"})) loc.file = str(*art, {"uri"});
    if (const json* region = field(*phys, {"region"})) loc.line = internal::integer(*region, {"startLine"});
    return loc;
  }
  return {str(l, {"file", "path", "uri"}), internal::integer(l, {"line", "start_line", "startLine"})};
}

Smell smell(const json& f) {
  Smell s;
  s.rule = str(f, {"rule", "ruleId", "rule_id", "id", "kind"});
  s.severity = str(f, {"severity", "level"});
  s.name = str(f, {"name", "rule_name"});
  s.message = str(f, {"message", "description", "title"});
  s.remedy = str(f, {"remedy", "fix"});
  s.score = internal::num(f, {"score", "weight", "rank"});
  if (const json* props = field(f, {"properties"}); props && s.score == 0) s.score = internal::num(*props, {"score"});
  if (const json* locs = field(f, {"locations", "evidence"}); locs && locs->is_array()) {
    for (const auto& l : *locs) {
      if (l.is_object()) s.locations.push_back(location(l));
    }
  } else if (const json* loc = field(f, {"location"})) {
    s.locations.push_back(location(*loc));
  } else if (field(f, {"file"})) {
    s.locations.push_back(location(f));
  }
  // What the finding is about: `seam smells` lists services, symbols and tables.
  for (const char* key : {"subjects", "services", "modules", "tables", "subject", "service", "module"}) {
    const json* subjects = field(f, {key});
    if (!subjects) continue;
    if (subjects->is_string() && !subjects->get<std::string>().empty()) s.subjects.push_back(subjects->get<std::string>());
    if (subjects->is_array()) {
      for (const auto& x : *subjects) {
        if (x.is_string()) s.subjects.push_back(x.get<std::string>());
      }
    }
  }
  std::sort(s.subjects.begin(), s.subjects.end());
  s.subjects.erase(std::unique(s.subjects.begin(), s.subjects.end()), s.subjects.end());
  return s;
}

}  // namespace

Status applySmellsJson(const std::string& smells_json, ReportModel& m) {
  std::string error;
  json doc = internal::parse(smells_json, error);
  if (!error.empty()) return Error{error};
  std::vector<Smell> out;
  if (const json* runs = field(doc, {"runs"}); runs && runs->is_array()) {  // SARIF
    for (const auto& run : *runs) {
      const json* results = field(run, {"results"});
      if (!results || !results->is_array()) continue;
      for (const auto& r : *results) {
        if (r.is_object()) out.push_back(smell(r));
      }
    }
  } else {
    const json* list = doc.is_array() ? &doc : field(doc, {"findings", "smells", "results"});
    if (!list || !list->is_array()) {
      return Error{"expected an array of findings, an object with \"findings\", or SARIF"};
    }
    for (const auto& f : *list) {
      if (f.is_object()) out.push_back(smell(f));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Smell& a, const Smell& b) {
    int ra = severityRank(a.severity), rb = severityRank(b.severity);
    if (ra != rb) return ra < rb;
    return a.score > b.score;
  });
  m.smells = std::move(out);
  m.has_smells = true;
  return Status::Ok();
}

Status applySmellsFile(const std::string& smells_path, ReportModel& model) {
  auto text = internal::readFile(smells_path);
  if (!text.ok()) return Error{text.error()};
  Status s = applySmellsJson(*text, model);
  if (!s.ok()) return Error{smells_path + ": " + s.error()};
  return s;
}

}  // namespace seam::reports
