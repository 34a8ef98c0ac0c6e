// `seam decompose`: fact store (or edge list) -> plan.json + summary.
#pragma once

#include <CLI/CLI.hpp>

namespace seam::cli {

/// Registers the `decompose` subcommand on `app`.
void addDecomposeCommand(CLI::App& app);

}  // namespace seam::cli
