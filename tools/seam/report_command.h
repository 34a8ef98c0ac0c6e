// `seam report`: fact store (+ plan, smells, proxy state) -> HTML, JSON or DOT.
#pragma once

#include <CLI/CLI.hpp>

namespace seam::cli {

/// Registers the `report` subcommand on `app`.
void addReportCommand(CLI::App& app);

}  // namespace seam::cli
