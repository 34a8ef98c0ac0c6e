// The smells pipeline:
//   seam.db -> Facts ; services.yaml | plan.json -> Assignment ; seam.yaml -> Config
//   [git log] -> Commits ; all -> Context -> rules -> findings (sorted, fingerprinted)
//   findings + baseline -> gate ; findings -> text | JSON | SARIF
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "seam/smells/expected.h"
#include "seam/smells/finding.h"

namespace seam::smells {

struct Options {
  std::string db_path;
  std::string plan_path;      // one of plan_path / services_path
  std::string services_path;
  std::string git_repo;       // empty: no change-coupling rule
  std::string config_path;    // empty: defaults
  std::string source_root;    // empty: meta.project_root of the fact store
  std::string baseline_path;  // empty: no baseline
};

struct ServiceSummary {
  std::string name;
  std::vector<std::string> modules;
};

struct Report {
  std::string origin;       // services.yaml or plan.json path
  std::string source_root;  // absolute directory the findings' relative paths start from
  std::vector<ServiceSummary> services;
  std::vector<std::string> unassigned_modules;
  std::vector<RuleInfo> rules;     // every rule that ran, id order
  std::vector<Finding> findings;   // worst first, then rule id, then key
};

Expected<Report> analyze(const Options& options);

/// The rule table (for docs, SARIF and --help).
std::vector<RuleInfo> ruleCatalog();

/// Stable fingerprint of a finding: 16 hex digits of FNV-1a over rule id and key.
std::string fingerprintOf(const std::string& rule_id, const std::string& key);

// Output formats (output_text.cc, output_json.cc, sarif.cc).
void writeText(const Report& report, std::ostream& out);
void writeJson(const Report& report, std::ostream& out);
void writeSarif(const Report& report, std::ostream& out);

// Baseline: a JSON file of fingerprints (baseline.cc).
Expected<std::vector<std::string>> readBaseline(const std::string& path);
Status writeBaseline(const Report& report, const std::string& path);

/// True when some finding not in the baseline is at or above `threshold`
/// (std::nullopt = never fail).
bool gateFails(const Report& report, std::optional<Severity> threshold);

}  // namespace seam::smells
