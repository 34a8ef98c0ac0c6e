// `seam contracts`: a thin driver over seam::contracts. Reads the fact store
// and the plan, builds one OpenAPI 3.1 document per service (and an AsyncAPI
// 3.0 document for the services with events), writes them all or nothing,
// prints a summary line per service. Exit codes: docs/exit-codes.md.
#include "contracts_command.h"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "seam/contracts/contracts.h"
#include "seam/contracts/facts.h"

namespace seam::cli {
namespace {

namespace con = seam::contracts;

struct ContractsArgs {
  std::string db = "seam.db";
  std::string plan = "plan.json";
  std::string output = "contracts";
  std::string format = "yaml";
  bool quiet = false;
};

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "seam contracts: %s\n", message.c_str());
  return code;
}

int runContracts(const ContractsArgs& a) {
  auto facts = con::readFacts(a.db);
  if (!facts) return fail(kBadInput, facts.error().message);
  auto plan = con::readPlan(a.plan);
  if (!plan) return fail(kBadInput, plan.error().message);
  // The plan must match the store before anything else is derived from both.
  auto contracts = con::buildContracts(*facts, *plan, {});
  if (!contracts) return fail(kBadInput, contracts.error().message);
  // Events are an addition: without them the OpenAPI documents still stand.
  auto events = con::eventsFromInteractions(a.db, a.plan);
  if (!events) {
    std::fprintf(stderr, "seam contracts: note: no AsyncAPI documents: %s\n", events.error().message.c_str());
  } else if (!events->empty()) {
    contracts = con::buildContracts(*facts, *plan, *events);
    if (!contracts) return fail(kBadInput, contracts.error().message);
  }
  auto written = con::writeContracts(*contracts, a.output, a.format == "json" ? con::Format::kJson : con::Format::kYaml);
  if (!written) return fail(kBadInput, written.error().message);
  if (!a.quiet) {
    for (const con::ServiceContract& c : *contracts) {
      const con::ContractCounts& n = c.counts;
      std::printf("%-16s routes %3d  internal %3d  request derived/unknown %d/%d  response derived/unknown %d/%d  "
                  "events sent/received %d/%d\n",
                  c.service.c_str(), n.routes, n.internal, n.request_derived, n.request_unknown, n.response_derived,
                  n.response_unknown, n.events_sent, n.events_received);
    }
    std::printf("wrote %zu file(s) to %s\n", written->size(), a.output.c_str());
  }
  return kOk;
}

}  // namespace

void addContractsCommand(CLI::App& app) {
  auto args = std::make_shared<ContractsArgs>();
  CLI::App* cmd = app.add_subcommand(
      "contracts",
      "Write an OpenAPI 3.1 document per proposed service (the HTTP routes it takes over and the internal\n"
      "endpoints its cross-boundary callers need) and an AsyncAPI 3.0 document for the events it sends or\n"
      "receives. Request/response schemas come from the C++ (JSON keys read and built, signatures); what the\n"
      "code does not show is marked `x-seam-unknown: true`, never invented. Docs: docs/contracts.md.");
  cmd->add_option("--db", args->db, "fact store written by `seam analyze`")->capture_default_str();
  cmd->add_option("--plan", args->plan, "plan written by `seam decompose` (or edited by hand)")->capture_default_str();
  cmd->add_option("-o,--output", args->output, "directory for <service>.openapi.yaml / .asyncapi.yaml")
      ->capture_default_str();
  cmd->add_option("--format", args->format, "document format")
      ->check(CLI::IsMember({"yaml", "json"}))
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", args->quiet, "write the documents without printing the summary");
  cmd->callback([args] { exitCode() = runContracts(*args); });
}

}  // namespace seam::cli
