// `seam interactions`: fact store + plan -> queries, commands, events and the
// transactions a cut breaks (with sagas).
#pragma once

#include <CLI/CLI.hpp>

namespace seam::cli {

/// Registers the `interactions` subcommand on `app`.
void addInteractionsCommand(CLI::App& app);

}  // namespace seam::cli
