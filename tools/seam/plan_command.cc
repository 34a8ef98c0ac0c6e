// `seam plan`: a thin driver over seam::decomposer's extraction planner.
//   seam plan --show plan.json                         print a plan's summary
//   seam plan --db seam.db --plan plan.json [-o F]     recompute the ordered
//       strangler steps for the (possibly hand-edited) plan against the fact
//       store; writes them as JSON to F, or prints them.
// Room is left for `--legacy URL --service NAME=URL --step K` (proxy config).
#include "plan_command.h"

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "commands.h"
#include "seam/decomposer/coupling_graph.h"
#include "seam/decomposer/fact_store.h"
#include "seam/decomposer/inputs.h"
#include "seam/decomposer/plan.h"

namespace seam::cli {
namespace {

namespace dec = seam::decomposer;

struct PlanArgs {
  std::string show;
  std::string db = "seam.db";
  std::string plan = "plan.json";
  std::string output;
};

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "seam plan: %s\n", message.c_str());
  return code;
}

int runPlan(const PlanArgs& a) {
  if (!a.show.empty()) {
    auto plan = dec::readPlanFile(a.show);
    if (!plan) return fail(kBadInput, plan.error().message);
    dec::printPlanSummary(*plan, std::cout);
    return kOk;
  }
  auto plan = dec::readPlanFile(a.plan);
  if (!plan) return fail(kBadInput, plan.error().message);
  auto facts = dec::loadFactStore(a.db);
  if (!facts) return fail(kBadInput, facts.error().message);
  std::string gran = (*plan)["input"].value("granularity", "module");
  auto granularity = dec::parseGranularity(gran);
  if (!granularity) return fail(kBadInput, a.plan + ": unknown granularity '" + gran + "'");
  dec::Weights weights;
  if ((*plan)["input"].contains("weights") && (*plan)["input"]["weights"].is_object()) {
    for (const auto& [kind, w] : (*plan)["input"]["weights"].items()) {
      if (!w.is_number()) return fail(kBadInput, a.plan + ": weight '" + kind + "' is not a number");
      if (dec::Status s = weights.set(kind, w.get<double>()); !s) return fail(kBadInput, a.plan + ": " + s.error().message);
    }
  }
  dec::CouplingGraph g = dec::buildCouplingGraph(*facts, *granularity, weights);
  auto assignment = dec::assignmentFromPlan(*plan, g);
  if (!assignment) return fail(kBadInput, a.plan + ": " + assignment.error().message);
  auto steps = dec::extractionSteps(g, *assignment, &*facts);
  nlohmann::json out = {{"format", "seam-steps"}, {"version", dec::kPlanVersion}, {"plan", a.plan},
                        {"steps", dec::stepsToJson(steps)}};
  if (a.output.empty()) {
    for (const auto& s : steps) {
      std::cout << s.index << ". extract " << s.service << "  (risk " << s.risk << ", depended on " << s.depended_on
                << ")\n";
      for (const auto& r : s.routes) std::cout << "     route    " << r << "\n";
      for (const auto& t : s.migrate_tables) std::cout << "     migrate  " << t << "\n";
      for (const auto& t : s.replicate_tables) std::cout << "     replicate " << t << "\n";
      for (const auto& c : s.remote_calls) {
        std::cout << "     remote   " << c.from << " -> " << c.to << ": " << c.callee << " (" << c.sites << ")\n";
      }
    }
    return kOk;
  }
  if (dec::Status s = dec::writeTextFileAtomically(a.output, out.dump(2) + "\n"); !s) {
    return fail(kBadInput, s.error().message);
  }
  return kOk;
}

}  // namespace

void addPlanCommand(CLI::App& app) {
  auto args = std::make_shared<PlanArgs>();
  CLI::App* cmd = app.add_subcommand(
      "plan",
      "Order the services of a plan into strangler extraction steps (least depended-on first): routes to move behind\n"
      "the proxy, tables to migrate or replicate, in-process calls that become remote, a risk score per step.\n"
      "Or print a plan's summary with --show. Docs: docs/decomposer.md, docs/plan-format.md.");
  cmd->add_option("--show", args->show, "print the summary of this plan.json and exit");
  cmd->add_option("--db", args->db, "fact store written by `seam analyze`")->capture_default_str();
  cmd->add_option("--plan", args->plan, "plan written by `seam decompose` (may be edited by hand)")
      ->capture_default_str();
  cmd->add_option("-o,--output", args->output, "write the steps as JSON here instead of printing them");
  cmd->callback([args] { exitCode() = runPlan(*args); });
}

}  // namespace seam::cli
