// `seam show`: see show_command.cc and docs/analyzer.md.
#pragma once

#include <CLI/CLI.hpp>

namespace seam::cli {

/// Registers the `show` subcommand on `app`.
void addShowCommand(CLI::App& app);

}  // namespace seam::cli
