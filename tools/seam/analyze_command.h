// `seam analyze`: see analyze_command.cc and docs/analyzer.md.
#pragma once

#include <CLI/CLI.hpp>

namespace seam::cli {

/// Registers the `analyze` subcommand on `app`.
void addAnalyzeCommand(CLI::App& app);

}  // namespace seam::cli
