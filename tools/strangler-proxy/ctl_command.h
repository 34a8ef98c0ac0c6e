// `strangler-proxy ctl ...`: registers the ctl subcommand's options on the
// driver's CLI11 app; the work is done by strangler::runCtl (lib/ctl.cc).
#pragma once

#include <CLI/CLI.hpp>

namespace strangler::cli {

/// Adds `ctl` to `app`. When the subcommand ran, *exit_code holds its result.
CLI::App* addCtlCommand(CLI::App& app, int* exit_code);

}  // namespace strangler::cli
