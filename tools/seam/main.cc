// seam: the command-line driver. Parses options with CLI11 and dispatches to
// the subcommand registered in its own *_command.cc; all logic lives in the
// libraries (analyzer/, decomposer/, reports/).
#include <cstdio>
#include <exception>

#include "analyze_command.h"
#include "commands.h"
#include "contracts_command.h"
#include "decompose_command.h"
#include "interactions_command.h"
#include "plan_command.h"
#include "merge_command.h"
#include "report_command.h"
#include "show_command.h"
#include "smells_command.h"

int main(int argc, char** argv) {
  CLI::App app{
      "seam: take a C++ monolith apart into services, safely and step by step.\n"
      "  seam analyze   -> fact store (seam.db)\n"
      "  seam decompose -> plan.json     seam smells -> findings     seam report -> HTML"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "seam 0.1.0");

  // Registered explicitly, in pipeline order.
  seam::cli::addAnalyzeCommand(app);
  seam::cli::addShowCommand(app);
  seam::cli::addMergeCommand(app);
  seam::cli::addDecomposeCommand(app);
  seam::cli::addPlanCommand(app);
  seam::cli::addInteractionsCommand(app);
  seam::cli::addSmellsCommand(app);
  seam::cli::addReportCommand(app);
  seam::cli::addContractsCommand(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? seam::cli::kOk : seam::cli::kUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "seam: internal error: %s\n", e.what());
    return seam::cli::kInternal;
  }
  return seam::cli::exitCode();
}
