// The smells pipeline (see smells.h): load, resolve, run the rules, order.
#include "seam/smells/smells.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <tuple>

#include "seam/smells/config.h"
#include "seam/smells/context.h"
#include "seam/smells/facts.h"
#include "seam/smells/git_history.h"
#include "seam/smells/rule.h"
#include "seam/smells/services.h"

namespace seam::smells {

const char* severityName(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
  }
  return "note";
}

std::string fingerprintOf(const std::string& rule_id, const std::string& key) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a 64
  auto mix = [&h](const std::string& s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
  };
  mix(rule_id);
  mix(std::string(1, '\0'));
  mix(key);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::vector<RuleInfo> ruleCatalog() {
  std::vector<RuleInfo> out;
  for (const auto& r : allRules()) out.push_back(r->info());
  return out;
}

bool gateFails(const Report& report, std::optional<Severity> threshold) {
  if (!threshold) return false;
  for (const auto& f : report.findings)
    if (!f.baselined && f.severity >= *threshold) return true;
  return false;
}

Expected<Report> analyze(const Options& opt) {
  namespace fs = std::filesystem;
  auto facts = loadFacts(opt.db_path);
  if (!facts) return facts.error();
  auto spec = opt.plan_path.empty() ? loadServicesYaml(opt.services_path) : loadPlanJson(opt.plan_path);
  if (!spec) return spec.error();
  auto services = Assignment::resolve(*spec, *facts);
  if (!services) return services.error();
  Config config;
  if (!opt.config_path.empty()) {
    auto c = loadConfig(opt.config_path);
    if (!c) return c.error();
    config = *c;
  }
  std::vector<Commit> history;
  if (!opt.git_repo.empty()) {
    auto h = readGitHistory(opt.git_repo, config.lockstep_max_commits);
    if (!h) return h.error();
    history = std::move(*h);
  }
  std::set<std::string> disabled(config.disabled_rules.begin(), config.disabled_rules.end());
  auto rules = allRules();
  for (const auto& d : disabled) {
    bool known = std::any_of(rules.begin(), rules.end(),
                             [&](const auto& r) { return d == r->info().id || d == r->info().name; });
    if (!known) return badInput(opt.config_path + ": smells.disabled_rules: unknown rule '" + d + "'");
  }

  Context ctx(*facts, *services, config);
  if (!opt.git_repo.empty()) ctx.git = &history;
  std::error_code ec;
  fs::path root = !opt.source_root.empty() ? fs::path(opt.source_root) : fs::path(facts->project_root);
  if (root.empty()) root = fs::current_path(ec);
  root = fs::absolute(root, ec).lexically_normal();
  ctx.source_root = root.string();
  ctx.db_path = opt.db_path;
  ctx.plan_path = opt.plan_path;

  Report report;
  report.origin = spec->origin;
  report.source_root = ctx.source_root;
  for (int s = 0; s < services->size(); ++s) {
    ServiceSummary summary{services->name(s), {}};
    for (int64_t mid : services->modulesOf()[s])
      if (const Module* m = facts->module(mid)) summary.modules.push_back(m->name);
    report.services.push_back(std::move(summary));
  }
  for (int64_t mid : services->unassignedModules())
    if (const Module* m = facts->module(mid)) report.unassigned_modules.push_back(m->name);

  for (const auto& rule : rules) {
    const RuleInfo& info = rule->info();
    report.rules.push_back(info);
    if (disabled.count(info.id) || disabled.count(info.name)) continue;
    std::vector<Finding> found;
    rule->check(ctx, found);
    for (auto& f : found) {
      f.fingerprint = fingerprintOf(f.rule_id, f.key);
      // Evidence without a file cannot be shown or uploaded; every finding keeps one location.
      std::erase_if(f.locations, [](const Location& l) { return l.file.empty(); });
      // One statement can read and write several columns: show each site and note once.
      std::set<std::tuple<std::string, int, int, std::string>> seen_sites;
      std::erase_if(f.locations, [&](const Location& l) { return !seen_sites.insert({l.file, l.line, l.col, l.note}).second; });
      if (f.locations.empty()) f.locations.push_back({spec->origin, 1, 1, "declared in " + spec->origin});
      for (auto& l : f.locations) {
        l.line = std::max(l.line, 1);
        l.col = std::max(l.col, 1);
      }
      report.findings.push_back(std::move(f));
    }
  }

  if (!opt.baseline_path.empty()) {
    auto baseline = readBaseline(opt.baseline_path);
    if (!baseline) return baseline.error();
    std::set<std::string> known(baseline->begin(), baseline->end());
    for (auto& f : report.findings) f.baselined = known.count(f.fingerprint) > 0;
  }

  std::stable_sort(report.findings.begin(), report.findings.end(), [](const Finding& a, const Finding& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    if (a.rule_id != b.rule_id) return a.rule_id < b.rule_id;
    if (a.service != b.service) return a.service < b.service;
    return a.key < b.key;
  });
  return report;
}

}  // namespace seam::smells
