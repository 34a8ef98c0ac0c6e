// `seam contracts`: fact store + plan -> OpenAPI 3.1 / AsyncAPI 3.0 per service.
#pragma once

#include <CLI/CLI.hpp>

namespace seam::cli {

/// Registers the `contracts` subcommand on `app`.
void addContractsCommand(CLI::App& app);

}  // namespace seam::cli
