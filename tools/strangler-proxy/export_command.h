// `strangler-proxy export ...`: registers the export subcommand on the
// driver's CLI11 app; the work is done by strangler::exportGatewayApi.
#pragma once

#include <CLI/CLI.hpp>

namespace strangler::cli {

/// Adds `export` to `app`. When the subcommand ran, *exit_code holds its result.
CLI::App* addExportCommand(CLI::App& app, int* exit_code);

}  // namespace strangler::cli
