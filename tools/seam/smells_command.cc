// `seam smells`: a thin driver over seam::smells. Parses options, runs the
// rules, writes one format (atomically when -o is given), and turns the
// findings into the exit code of the --fail-on gate.
#include "smells_command.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "commands.h"
#include "seam/smells/smells.h"

namespace seam::cli {
namespace {

struct SmellsOptions {
  smells::Options run;
  std::string format = "text";
  std::string output = "-";
  std::string fail_on = "error";
  std::string write_baseline;
};

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "seam smells: %s\n", message.c_str());
  return code;
}

int runSmells(const SmellsOptions& o) {
  auto report = smells::analyze(o.run);
  if (!report) {
    return fail(report.error().kind == smells::Error::kUsage ? kUsage : kBadInput, report.error().message);
  }
  std::ostringstream text;
  if (o.format == "json") {
    smells::writeJson(*report, text);
  } else if (o.format == "sarif") {
    smells::writeSarif(*report, text);
  } else {
    smells::writeText(*report, text);
  }
  std::error_code ec;
  auto status = std::filesystem::status(o.output, ec);
  if (o.output == "-") {
    std::cout << text.str();
    std::cout.flush();
  } else if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    // A device or pipe (/dev/null, /dev/stdout, a FIFO): write in place; never rename over it.
    std::ofstream out(o.output, std::ios::binary);
    out << text.str();
    if (!out.flush()) return fail(kBadInput, o.output + ": cannot write");
  } else {
    std::string tmp = o.output + ".tmp";
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text.str();
    out.close();
    if (!out || (std::filesystem::rename(tmp, o.output, ec), ec)) {
      std::filesystem::remove(tmp, ec);
      return fail(kBadInput, o.output + ": cannot write");
    }
  }
  if (!o.write_baseline.empty()) {
    if (auto s = smells::writeBaseline(*report, o.write_baseline); !s) return fail(kBadInput, s.error().message);
  }
  std::optional<smells::Severity> threshold;
  if (o.fail_on == "error") threshold = smells::Severity::kError;
  if (o.fail_on == "warning") threshold = smells::Severity::kWarning;
  return smells::gateFails(*report, threshold) ? kFindings : kOk;
}

std::string ruleTable() {
  std::string out = "Rules:\n";
  for (const auto& r : smells::ruleCatalog()) {
    out += "  " + std::string(r.id) + " " + r.name + " (" + smells::severityName(r.default_severity) + "): " +
           r.short_description + "\n";
  }
  return out;
}

}  // namespace

void addSmellsCommand(CLI::App& app) {
  auto opts = std::make_shared<SmellsOptions>();
  CLI::App* cmd = app.add_subcommand("smells", "Find distributed-monolith smells for a set of services");
  cmd->footer(
      "\nServices come from a plan (`seam decompose`) or a services.yaml:\n"
      "  services:\n"
      "    catalog: [src/catalog]\n"
      "    sales: [src/orders, src/cart]\n"
      "Entries are module names or paths, matched by path suffix. Thresholds: seam.yaml `smells:`.\n"
      "Exit codes: 0 ok, 1 findings at or above --fail-on not in the baseline, 2 usage, 3 bad input.\n\n" +
      ruleTable() + "Details: docs/smells.md");
  cmd->add_option("--db", opts->run.db_path, "Fact store written by `seam analyze`")->required();
  // Input files are checked by the library, so a missing one is bad input (3), not usage (2).
  auto* plan = cmd->add_option("--plan", opts->run.plan_path, "plan.json from `seam decompose`");
  auto* services = cmd->add_option("--services", opts->run.services_path, "services.yaml declaring existing services");
  plan->excludes(services);
  services->excludes(plan);
  cmd->add_option("--git", opts->run.git_repo, "Git work tree whose history feeds the lockstep-change rule");
  cmd->add_option("--format", opts->format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", opts->output, "Output file ('-' = stdout)")->capture_default_str();
  cmd->add_option("--fail-on", opts->fail_on, "Exit 1 when a finding at or above this level is not in the baseline")
      ->check(CLI::IsMember({"error", "warning", "never"}))
      ->capture_default_str();
  cmd->add_option("--baseline", opts->run.baseline_path, "Accepted findings (from --write-baseline); they do not fail");
  cmd->add_option("--write-baseline", opts->write_baseline, "Record the current findings' fingerprints to this file");
  cmd->add_option("--config", opts->run.config_path, "seam.yaml with a `smells:` section of thresholds");
  cmd->add_option("--root", opts->run.source_root,
                  "Directory the fact store's relative paths start from (default: its project_root)");
  cmd->callback([opts]() {
    if (opts->run.plan_path.empty() && opts->run.services_path.empty()) {
      throw CLI::RequiredError("--plan or --services");
    }
    exitCode() = runSmells(*opts);
  });
}

}  // namespace seam::cli
