// `seam analyze`: a thin driver over seam::analyzer::analyze(). Parses the
// options, installs the SIGINT/SIGTERM handler that cancels the run (the
// library then discards <db>.tmp), prints the ninja-style progress line on a
// terminal, and maps library errors to exit codes.
#include "analyze_command.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>
#include <system_error>

#include "commands.h"
#include "seam/analyzer/analyze.h"

namespace seam::cli {
namespace {

std::atomic<bool> g_cancel{false};

extern "C" void onSignal(int) { g_cancel.store(true); }

struct AnalyzeCli {
  analyzer::AnalyzeOptions options;
  std::string shard;
  bool quiet = false;
};

/// Interrupted runs exit 4; everything else the library reports is about an
/// input or output file (bad compile database, foreign store, unwritable
/// directory) and exits 3. Bugs surface as exceptions in main() (70).
int exitFor(const std::error_code& ec) { return ec == std::errc::interrupted ? kInterrupted : kBadInput; }

int runAnalyze(AnalyzeCli& cli) {
  if (!cli.shard.empty()) {
    unsigned i = 0, n = 0;
    char slash = 0;
    if (std::sscanf(cli.shard.c_str(), "%u%c%u", &i, &slash, &n) != 3 || slash != '/' || n == 0 || i >= n) {
      std::fprintf(stderr, "seam analyze: --shard must be I/N with 0 <= I < N, got '%s'\n", cli.shard.c_str());
      return kUsage;
    }
    cli.options.shard_index = i;
    cli.options.shard_count = n;
  }
  const bool tty = ::isatty(STDERR_FILENO) && !cli.quiet;
  if (tty) {
    cli.options.on_progress = [](size_t done, size_t total, const std::string& file) {
      std::fprintf(stderr, "\r\033[K[%zu/%zu] %s", done, total, file.c_str());
      std::fflush(stderr);
    };
  }
  g_cancel = false;
  cli.options.cancel = &g_cancel;
  auto previous_int = std::signal(SIGINT, onSignal);
  auto previous_term = std::signal(SIGTERM, onSignal);
  auto result = analyzer::analyze(cli.options);
  std::signal(SIGINT, previous_int);
  std::signal(SIGTERM, previous_term);
  if (tty) std::fprintf(stderr, "\r\033[K");
  if (!result) {
    std::error_code ec;
    std::string message;
    llvm::handleAllErrors(result.takeError(), [&](const llvm::ErrorInfoBase& e) {
      ec = e.convertToErrorCode();
      message = e.message();
    });
    std::fprintf(stderr, "seam analyze: %s\n", message.c_str());
    return exitFor(ec);
  }
  const analyzer::AnalyzeSummary& s = *result;
  if (!cli.quiet) {
    if (cli.options.config_path.empty() && !s.config_path.empty()) {
      std::fprintf(stderr, "seam analyze: using %s\n", s.config_path.c_str());
    }
    if (s.up_to_date) {
      std::fprintf(stderr, "seam analyze: %s is up to date (%zu TUs unchanged)\n", cli.options.db_path.c_str(),
                   s.tus_unchanged);
    } else {
      std::fprintf(stderr,
                   "seam analyze: %zu TUs (%zu parsed, %zu unchanged, %zu removed, %zu with errors) -> %s: "
                   "%zu files, %zu symbols, %zu edges, %zu routes, %zu SQL statements, %zu diagnostics in %.2fs\n",
                   s.tus_total, s.tus_parsed, s.tus_unchanged, s.tus_removed, s.tus_with_errors,
                   cli.options.db_path.c_str(), s.files, s.symbols, s.edges, s.routes, s.statements,
                   s.diagnostics, s.seconds);
    }
  }
  return kOk;
}

}  // namespace

void addAnalyzeCommand(CLI::App& app) {
  auto cli = std::make_shared<AnalyzeCli>();
  CLI::App* cmd = app.add_subcommand(
      "analyze",
      "Parse every translation unit of a compile database with Clang and write the fact store\n"
      "(files, modules, symbols, edges, routes, SQL, diagnostics) to --db.\n"
      "Incremental: only TUs whose file, included files or compile command changed are re-parsed.\n"
      "The store is written to <db>.tmp and renamed over <db> on success; an interrupted run leaves\n"
      "the previous store intact. See docs/analyzer.md and docs/fact-store.md.");
  cmd->add_option("-p,--compile-db", cli->options.compile_db,
                  "Build directory containing compile_commands.json, or the file itself\n"
                  "(CMake: -DCMAKE_EXPORT_COMPILE_COMMANDS=ON; other builds: bear -- make)")
      ->required();
  cmd->add_option("--db", cli->options.db_path, "Fact store to create or update")->capture_default_str();
  cmd->add_option("-j,--jobs", cli->options.jobs, "Parser threads (0 = one per CPU)")->capture_default_str();
  cmd->add_option("--config", cli->options.config_path, "seam.yaml: module rules, excludes, routes, SQL sinks and builders, transactions\n"
                  "(default: seam.yaml at the project root, when there is one)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--root", cli->options.root,
                  "Project root (default: CMAKE_HOME_DIRECTORY from CMakeCache.txt beside the compile\n"
                  "database, else the common ancestor of all TUs)");
  cmd->add_option("--schema", cli->options.schema, "Database schema (FILE.sql or FILE.db) used to resolve SQL");
  cmd->add_option("--shard", cli->shard, "Analyse only shard I of N (hash of the TU path); merge with `seam merge`");
  cmd->add_option("--resource-dir", cli->options.resource_dir,
                  "Clang resource directory (default: found beside libclang-cpp at runtime)");
  cmd->add_flag("--full", cli->options.full, "Ignore the previous store and re-parse every TU");
  cmd->add_flag("-q,--quiet", cli->quiet, "No progress line and no summary");
  cmd->add_option("files", cli->options.file_globs,
                  "Only TUs matching these globs (on the root-relative or absolute path)");
  cmd->callback([cli] { exitCode() = runAnalyze(*cli); });
}

}  // namespace seam::cli
