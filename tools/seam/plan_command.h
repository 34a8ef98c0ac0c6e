// `seam plan`: ordered strangler extraction steps from a plan and a fact store,
// and `seam plan --show plan.json` to print a plan's summary.
#pragma once

#include <CLI/CLI.hpp>

namespace seam::cli {

/// Registers the `plan` subcommand on `app`.
void addPlanCommand(CLI::App& app);

}  // namespace seam::cli
