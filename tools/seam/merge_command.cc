// `seam merge`: a thin driver over seam::analyzer::mergeStores(): combines
// shard stores from `seam analyze --shard I/N` into one store equal to a
// single full run.
#include "merge_command.h"

#include <cstdio>
#include <memory>
#include <system_error>

#include "commands.h"
#include "seam/analyzer/merge.h"

namespace seam::cli {
namespace {

struct MergeCli {
  std::vector<std::string> inputs;
  std::string output = "seam.db";
  analyzer::SqlOptions sql;
};

int runMerge(const MergeCli& cli) {
  auto result = analyzer::mergeStores(cli.inputs, cli.output, cli.sql);
  if (!result) {
    std::string message = llvm::toString(result.takeError());
    std::fprintf(stderr, "seam merge: %s\n", message.c_str());
    return kBadInput;
  }
  std::fprintf(stderr, "seam merge: %zu stores -> %s: %zu TUs, %zu symbols, %zu edges\n", result->inputs,
               cli.output.c_str(), result->tus, result->symbols, result->edges);
  return kOk;
}

}  // namespace

void addMergeCommand(CLI::App& app) {
  auto cli = std::make_shared<MergeCli>();
  CLI::App* cmd = app.add_subcommand(
      "merge",
      "Combine fact stores written by `seam analyze --shard I/N` into one store, equal to what a\n"
      "single full run writes. Inputs are only read; the output is written atomically.");
  cmd->add_option("inputs", cli->inputs, "Shard stores")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", cli->output, "Merged store")->capture_default_str();
  cmd->add_option("--schema", cli->sql.schema_path, "Database schema (FILE.sql or FILE.db) used to resolve SQL");
  cmd->callback([cli] { exitCode() = runMerge(*cli); });
}

}  // namespace seam::cli
