// Subcommands of `seam`. Each add*Command registers its options on the app
// and sets a callback that runs the library and stores the exit code.
#pragma once

#include <CLI/CLI.hpp>

namespace seam::cli {

/// Exit codes shared by every subcommand (documented in docs/exit-codes.md).
enum ExitCode : int {
  kOk = 0,          ///< success
  kFindings = 1,    ///< a gate failed (e.g. smells at or above --fail-on)
  kUsage = 2,       ///< bad command line
  kBadInput = 3,    ///< missing, unreadable or malformed input file or database
  kInterrupted = 4, ///< interrupted (SIGINT/SIGTERM); previous outputs left intact
  kInternal = 70,   ///< a bug in Seam
};

/// Where a subcommand callback stores its result for main() to return.
inline int& exitCode() {
  static int code = kOk;
  return code;
}

}  // namespace seam::cli
