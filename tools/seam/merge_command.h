// `seam merge`: see merge_command.cc and docs/analyzer.md.
#pragma once

#include <CLI/CLI.hpp>

namespace seam::cli {

/// Registers the `merge` subcommand on `app`.
void addMergeCommand(CLI::App& app);

}  // namespace seam::cli
