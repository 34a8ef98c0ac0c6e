// seam analyze: compile database => fact store.
//
//   compile_commands.json => TU list (shard / glob filters)
//   => plan: unchanged TUs (same command hash, same content hashes of every
//      file they read) are skipped; changed TUs have their facts cleared
//   => parse changed TUs on a pool of `jobs` threads, one FactBatch each
//   => ONE writer (the calling thread) merges batches into <db>.tmp
//   => rebuild derived tables, resolve SQL, rename <db>.tmp over <db>
//
// An interrupted run (cancel flag, SIGINT in the CLI) discards <db>.tmp; the
// previous <db> is never opened for writing.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "llvm/Support/Error.h"

namespace seam::analyzer {

struct AnalyzeOptions {
  std::string compile_db;     ///< build directory or compile_commands.json
  std::string db_path = "seam.db";
  unsigned jobs = 0;          ///< 0 = number of CPUs
  std::string config_path;    ///< seam.yaml; empty = <root>/seam.yaml when it exists, else defaults
  std::string root;           ///< project root; empty = CMake source dir, else common ancestor
  std::string schema;         ///< --schema FILE.sql|FILE.db for SQL resolution
  unsigned shard_index = 0;   ///< --shard I/N: only TUs with hash(path) % N == I
  unsigned shard_count = 1;
  std::vector<std::string> file_globs;  ///< only TUs whose path matches one (stored or absolute path)
  bool full = false;          ///< ignore the previous store's incremental state
  std::string resource_dir;   ///< Clang resource directory; empty = found at runtime
  const std::atomic<bool>* cancel = nullptr;
  /// Called on the writer thread after each TU: (done, total, stored path).
  std::function<void(size_t, size_t, const std::string&)> on_progress;
};

struct AnalyzeSummary {
  std::string root;
  std::string config_path;    ///< the seam.yaml applied; empty = defaults
  size_t tus_total = 0;       ///< TUs selected from the compile database
  size_t tus_parsed = 0;      ///< re-parsed in this run
  size_t tus_unchanged = 0;   ///< skipped: inputs unchanged
  size_t tus_removed = 0;     ///< in the old store, gone from the compile database
  size_t tus_with_errors = 0; ///< parsed with errors (facts kept) or failed
  size_t files = 0, symbols = 0, edges = 0, routes = 0, statements = 0, diagnostics = 0;
  bool up_to_date = false;    ///< nothing changed; the store was not rewritten
  double seconds = 0;
};

/// Errors: std::errc::invalid_argument for bad input (missing or malformed
/// compile database, foreign --db, bad seam.yaml), std::errc::interrupted
/// when cancelled, anything else for I/O failures.
llvm::Expected<AnalyzeSummary> analyze(const AnalyzeOptions& options);

/// The Clang resource directory (builtin headers such as stddef.h) matching
/// the libclang-cpp we run with; empty if none was found.
std::string findResourceDir();

}  // namespace seam::analyzer
