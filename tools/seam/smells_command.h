// `seam smells`: fact store + service declarations -> distributed-monolith smells.
#pragma once

#include <CLI/CLI.hpp>

namespace seam::cli {

/// Registers the `smells` subcommand on `app`.
void addSmellsCommand(CLI::App& app);

}  // namespace seam::cli
