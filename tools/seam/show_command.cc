// `seam show`: a thin driver over seam::analyzer::show(): prints one view of
// a fact store as aligned text or, with --json, as JSON. `seam show plan`
// prints a plan.json's summary (seam::decomposer), like `seam plan --show`.
#include "show_command.h"

#include <cstdio>
#include <iostream>
#include <memory>
#include <system_error>

#include "commands.h"
#include "seam/analyzer/show.h"
#include "seam/decomposer/plan.h"

namespace seam::cli {
namespace {

struct ShowCli {
  std::string view;
  std::string db = "seam.db";
  std::string plan = "plan.json";
  analyzer::ShowOptions options;
};

int runShowPlan(const ShowCli& cli) {
  auto plan = decomposer::readPlanFile(cli.plan);
  if (!plan) {
    std::fprintf(stderr, "seam show: %s\n", plan.error().message.c_str());
    return kBadInput;
  }
  if (cli.options.json) std::cout << plan->dump(2) << "\n";
  else decomposer::printPlanSummary(*plan, std::cout);
  std::cout.flush();
  return kOk;
}

int runShow(const ShowCli& cli) {
  if (cli.view == "plan") return runShowPlan(cli);
  auto view = analyzer::parseShowView(cli.view);
  if (!view) {
    std::fprintf(stderr, "seam show: unknown view '%s'\n", cli.view.c_str());
    return kUsage;
  }
  auto text = analyzer::show(cli.db, *view, cli.options);
  if (!text) {
    std::string message = llvm::toString(text.takeError());
    std::fprintf(stderr, "seam show: %s\n", message.c_str());
    return kBadInput;
  }
  std::cout << *text;
  std::cout.flush();
  return kOk;
}

}  // namespace

void addShowCommand(CLI::App& app) {
  auto cli = std::make_shared<ShowCli>();
  CLI::App* cmd = app.add_subcommand("show",
                                     "Print a view of a fact store:\n"
                                     "  modules      modules with files, lines, symbols, fan-out and fan-in\n"
                                     "  edges        module -> module coupling, weight per edge kind\n"
                                     "  tables       module x table matrix (C create, R read, W write)\n"
                                     "  routes       HTTP routes with their handler and its module\n"
                                     "  symbols      symbols with kind, module and location\n"
                                     "  diagnostics  TUs that did not parse cleanly, with their errors\n"
                                     "  transactions transaction scopes: entry function, routes, certainty and\n"
                                     "               the (table, op) group (docs/fact-store.md#transactions)\n"
                                     "Or of a plan: plan  the summary of plan.json (--plan) written by seam decompose");
  cmd->add_option("view", cli->view,
                  "modules | edges | tables | routes | symbols | diagnostics | transactions | plan")
      ->required()
      ->check(CLI::IsMember({"modules", "edges", "tables", "routes", "symbols", "diagnostics", "transactions", "plan"}));
  cmd->add_option("--db", cli->db, "Fact store to read")->capture_default_str();
  cmd->add_option("--plan", cli->plan, "plan.json to read (view plan)")->capture_default_str();
  cmd->add_flag("--json", cli->options.json, "Machine-readable JSON instead of text");
  cmd->add_flag("--external", cli->options.include_external,
                "Include external modules (external:std, external:sqlite3, ...)");
  cmd->add_option("--module", cli->options.module, "Only this module (edges, symbols, transactions)");
  cmd->callback([cli] { exitCode() = runShow(*cli); });
}

}  // namespace seam::cli
