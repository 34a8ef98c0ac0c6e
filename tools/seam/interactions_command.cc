// `seam interactions`: a thin driver over seam::interactions. Parses options,
// reads the optional traffic file, runs the analysis and prints the summary
// or the JSON document.
#include "interactions_command.h"

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "commands.h"
#include "seam/decomposer/inputs.h"
#include "seam/interactions/interactions.h"

namespace seam::cli {
namespace {

struct InteractionsOptions {
  std::string db;
  std::string plan;
  std::string traffic;
  bool json = false;
  interactions::Options run;
};

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "seam interactions: %s\n", message.c_str());
  return code;
}

int runInteractions(InteractionsOptions& o) {
  if (!o.traffic.empty()) {
    auto text = decomposer::readTextFile(o.traffic);
    if (!text) return fail(kBadInput, text.error().message);
    auto counts = decomposer::parseTraffic(*text, o.traffic);
    if (!counts) return fail(kBadInput, counts.error().message);
    o.run.traffic = std::move(*counts);
  }
  auto analysis = interactions::analyzeFiles(o.db, o.plan, o.run);
  if (!analysis) return fail(kBadInput, analysis.error().message);
  if (o.json) {
    std::cout << interactions::toJson(*analysis).dump(2) << "\n";
  } else {
    interactions::printSummary(*analysis, std::cout);
  }
  std::cout.flush();
  return std::cout ? kOk : fail(kBadInput, "cannot write to stdout");
}

}  // namespace

void addInteractionsCommand(CLI::App& app) {
  auto opts = std::make_shared<InteractionsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "interactions", "Classify cross-service calls (query, command, event) and the transactions a plan breaks");
  cmd->footer(
      "\nFor every call from one service of the plan into another:\n"
      "  query         the callee only reads: a synchronous API call, or a local read model\n"
      "                fed by the owner's events when hot (--hot-sites, --traffic) or on a\n"
      "                --latency-critical route\n"
      "  command       the callee writes its tables: a command endpoint on the owner\n"
      "  notification  every call site discards the result and the callee writes only its\n"
      "                own tables: an event published through a transactional outbox\n"
      "Transaction groups (schema v2 fact store) whose tables span services come with a saga\n"
      "(steps and compensations) and the cost of keeping their tables in one service.\n"
      "--plan takes a plan.json or a ground truth in the architecture.yaml format.\n"
      "Exit codes: 0 ok, 2 usage, 3 bad input (missing/foreign/old store, plan not matching it).\n"
      "Details: docs/interactions.md");
  cmd->add_option("--db", opts->db, "Fact store written by `seam analyze` (schema v2)")->required();
  cmd->add_option("--plan", opts->plan, "plan.json from `seam decompose`, or an architecture.yaml")->required();
  cmd->add_flag("--json", opts->json, "Print the JSON document (format seam-interactions) instead of the summary");
  cmd->add_option("--traffic", opts->traffic,
                  "Request counts per route (JSON lines or TSV, as for `seam decompose --traffic`)");
  cmd->add_option("--hot-sites", opts->run.hot_sites, "Without --traffic: a query with this many call sites is hot")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--hot-share", opts->run.hot_traffic_share,
                  "With --traffic: a query reached by this share of all requests is hot")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--latency-critical", opts->run.latency_critical_routes,
                  "Route ('METHOD /path' or '/path') whose queries must not wait on another service (repeatable)");
  cmd->callback([opts]() { exitCode() = runInteractions(*opts); });
}

}  // namespace seam::cli
