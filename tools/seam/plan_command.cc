// `seam plan`: a thin driver over seam::decomposer's extraction planner.
//   seam plan --show plan.json                         print a plan's summary
//   seam plan --db seam.db --plan plan.json [-o F]     recompute the ordered
//       strangler steps for the (possibly hand-edited) plan against the fact
//       store; writes them as JSON to F, or prints them.
//   seam plan --db seam.db --plan plan.json --legacy URL --service NAME=URL
//       --step K|NAME -o strangler.yaml
//       the strangler-proxy configuration for extraction step K
//       (seam::decomposer::buildProxyConfig, docs/plan-format.md).
#include "plan_command.h"

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "seam/decomposer/coupling_graph.h"
#include "seam/decomposer/fact_store.h"
#include "seam/decomposer/inputs.h"
#include "seam/decomposer/plan.h"
#include "seam/decomposer/proxy_config.h"

namespace seam::cli {
namespace {

namespace dec = seam::decomposer;

struct PlanArgs {
  std::string show;
  std::string db = "seam.db";
  std::string plan = "plan.json";
  std::string output;
  // --step: the proxy configuration for one extraction step.
  std::string step;
  std::string legacy;
  std::vector<std::string> services;  // NAME=URL
  dec::ProxyConfigOptions proxy;
};

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "seam plan: %s\n", message.c_str());
  return code;
}

// --step K|NAME: resolve the step, attribute the fact store's routes, render strangler.yaml.
int writeProxyConfig(const PlanArgs& a, const nlohmann::json& plan, const dec::Facts& facts,
                     const std::vector<dec::ExtractionStep>& steps) {
  dec::ProxyConfigOptions o = a.proxy;
  o.legacy_url = a.legacy;
  if (o.legacy_url.empty()) return fail(kUsage, "--step needs --legacy URL (the monolith)");
  for (const auto& s : a.services) {
    size_t eq = s.find('=');
    if (eq == std::string::npos || eq == 0) return fail(kUsage, "--service '" + s + "': expected NAME=URL");
    o.service_urls.emplace_back(s.substr(0, eq), s.substr(eq + 1));
  }
  bool numeric = !a.step.empty() && a.step.find_first_not_of("0123456789") == std::string::npos;
  if (numeric) {
    size_t k = std::stoul(a.step.size() > 6 ? std::string("0") : a.step);
    if (k < 1 || k > steps.size()) {
      return fail(kUsage, "--step " + a.step + ": the plan has steps 1.." + std::to_string(steps.size()));
    }
    o.step = static_cast<int>(k);
    o.service = steps[k - 1].service;
    for (size_t i = 0; i + 1 < k; ++i) o.earlier.push_back(steps[i].service);
  } else {
    o.service = a.step;
    for (size_t i = 0; i < steps.size(); ++i) {
      if (steps[i].service == a.step) {
        o.step = static_cast<int>(i + 1);
        break;
      }
      o.earlier.push_back(steps[i].service);
    }
    if (o.step == 0) {
      o.earlier.clear();
      bool known = false;
      for (const auto& s : plan["services"]) known = known || (s.is_object() && s.value("name", "") == a.step);
      if (!known) return fail(kUsage, "--step " + a.step + ": no such step number or service in " + a.plan);
      std::fprintf(stderr, "seam plan: note: '%s' is not an ordered step of this plan (it is left for last); "
                           "earlier steps are not included\n", a.step.c_str());
    }
  }
  std::vector<dec::AttributedRoute> fact_routes;
  for (const auto& r : facts.routes) {
    if (r.handler_id == 0) continue;
    const dec::FactSymbol* h = facts.symbol(r.handler_id);
    fact_routes.push_back({r.method, r.path, "", h ? h->qualified_name : "?", facts.location(r.file_id, r.line)});
  }
  auto config = dec::buildProxyConfig(dec::attributedRoutes(plan, fact_routes), o);
  if (!config) return fail(kUsage, config.error().message);
  for (const auto& note : config->notes) std::fprintf(stderr, "seam plan: note: %s\n", note.c_str());
  if (a.output.empty() || a.output == "-") {
    std::cout << config->yaml;
    return kOk;
  }
  if (dec::Status s = dec::writeTextFileAtomically(a.output, config->yaml); !s) return fail(kBadInput, s.error().message);
  std::string which = o.step > 0 ? "step " + std::to_string(o.step) + " (" + o.service + ")" : o.service;
  std::fprintf(stderr, "seam plan: %s: %d route(s) -> %s\n", which.c_str(), config->routes, a.output.c_str());
  return kOk;
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
  if (!a.step.empty()) return writeProxyConfig(a, *plan, *facts, steps);
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
  cmd->add_option("-o,--output", args->output,
                  "write the steps as JSON here instead of printing them (with --step: the strangler.yaml)");
  cmd->add_option("--step", args->step,
                  "write the strangler-proxy configuration for this extraction step (its number, or a service name):\n"
                  "the service's routes from the fact store, reads in shadow with an analysis policy, writes on\n"
                  "legacy until cutover; earlier steps' services with a --service URL are migrated");
  cmd->add_option("--legacy", args->legacy, "with --step: the monolith's URL, http://HOST:PORT");
  cmd->add_option("--service", args->services, "with --step: NAME=URL of an extracted service (repeatable)");
  cmd->add_option("--listen", args->proxy.listen, "with --step: the proxy's listener address")->capture_default_str();
  cmd->add_option("--admin", args->proxy.admin, "with --step: the admin listener address ('' = none)")
      ->capture_default_str();
  cmd->add_option("--state-file", args->proxy.state_file, "with --step: the proxy's state file (rollouts persist)");
  cmd->add_option("--window", args->proxy.window, "with --step: the analysis window of shadowed routes")
      ->capture_default_str();
  cmd->add_option("--min-requests", args->proxy.min_requests, "with --step: requests a window needs to judge")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--max-mismatch-rate", args->proxy.max_mismatch_rate,
                  "with --step: shadow mismatches tolerated per window")
      ->capture_default_str();
  cmd->add_flag("--auto-advance", args->proxy.auto_advance,
                "with --step: clean windows advance reads shadow -> canary 5/25/50% -> migrated by themselves");
  cmd->callback([args] { exitCode() = runPlan(*args); });
}

}  // namespace seam::cli
