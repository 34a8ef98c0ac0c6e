// `seam decompose`: a thin driver over seam::decomposer. Parses options, loads
// the fact store (or an edge list), runs the pipeline, writes plan.json
// atomically and prints the summary. Exit codes: docs/exit-codes.md.
#include "decompose_command.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "commands.h"
#include "seam/decomposer/cochange.h"
#include "seam/decomposer/decompose.h"
#include "seam/decomposer/fact_store.h"
#include "seam/decomposer/inputs.h"
#include "seam/decomposer/plan.h"
#include "seam/decomposer/project_config.h"
#include "seam/decomposer/traffic.h"

namespace seam::cli {
namespace {

namespace dec = seam::decomposer;

struct DecomposeArgs {
  std::string db = "seam.db";
  std::string graph;
  std::string output = "plan.json";
  std::string granularity = "module";
  std::string weights;
  std::string config;
  std::string quality = "modularity";
  double resolution = 1.0;
  uint64_t seed = 1;
  int seeds = 5;
  size_t services = 0;
  std::vector<std::string> pin;
  std::vector<std::string> apart;
  std::string fixed;
  bool keep_hubs = false;
  bool keep_roots = false;
  std::string exclude;
  bool exclude_given = false;
  bool resolution_given = false;
  bool quality_given = false;
  bool data_coupling_given = false;
  std::string data_coupling = "pairs";
  std::string truth;
  std::string git;
  dec::CoChangeOptions cochange;
  std::string traffic;
  std::string dump_graph;
  bool quiet = false;
};

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "seam decompose: %s\n", message.c_str());
  return code;
}

int exitFor(const dec::Error& e) {
  switch (e.code) {
    case dec::ErrorCode::kBadArgument: return kUsage;
    case dec::ErrorCode::kBadInput:
    case dec::ErrorCode::kConflict:
    case dec::ErrorCode::kIo: return kBadInput;
  }
  return kBadInput;
}

std::vector<std::string> splitCommas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// The project's seam.yaml: --config, else ./seam.yaml, else the one at the
// analysed project's root (meta.project_root), as `seam analyze` finds it.
// Returns "" when there is none.
std::string projectConfigPath(const DecomposeArgs& a, const dec::Facts* facts) {
  if (!a.config.empty()) return a.config;
  if (std::filesystem::exists("seam.yaml")) return "seam.yaml";
  if (facts && !facts->project_root.empty()) {
    std::filesystem::path p = std::filesystem::path(facts->project_root) / "seam.yaml";
    if (std::filesystem::exists(p)) return p.string();
  }
  return {};
}

std::string joinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

int runDecompose(const DecomposeArgs& a) {
  auto granularity = dec::parseGranularity(a.granularity);
  if (!granularity) return fail(kUsage, "--granularity must be module, file or class");

  // The input first: the fact store knows where the project's seam.yaml is.
  std::unique_ptr<dec::Facts> facts;
  dec::CouplingGraph graph, structure_only;
  std::string source;
  if (!a.graph.empty()) {
    auto g = dec::readEdgeListFile(a.graph);
    if (!g) return fail(kBadInput, g.error().message);
    graph = std::move(*g);
    source = a.graph;
  } else {
    auto f = dec::loadFactStore(a.db);
    if (!f) return fail(kBadInput, f.error().message);
    facts = std::make_unique<dec::Facts>(std::move(*f));
    source = a.db;
  }

  // seam.yaml first, the command line over it: scalars replace, pin and
  // apart add to the project's decisions.
  dec::ProjectConfig project;
  const std::string config = projectConfigPath(a, facts.get());
  if (!config.empty()) {
    auto c = dec::readProjectConfig(config);
    if (!c) return fail(kBadInput, c.error().message);
    project = std::move(*c);
  }
  dec::Weights weights = project.weights;
  if (dec::Status s = weights.apply(a.weights); !s) return fail(kUsage, s.error().message);
  auto data_model =
      dec::parseDataModel(a.data_coupling_given ? a.data_coupling : project.data_coupling.value_or(a.data_coupling));
  if (!data_model) return fail(kUsage, "--data-coupling must be owner or pairs");

  dec::DecomposeOptions o;
  o.weights = weights;
  std::string quality = a.quality_given ? a.quality : project.quality.value_or(a.quality);
  o.quality = quality == "cpm" ? dec::Quality::kCpm : dec::Quality::kModularity;
  o.resolution = a.resolution_given ? a.resolution : project.resolution.value_or(a.resolution);
  o.seed = a.seed;
  o.seeds = a.seeds;
  if (a.services > 0) o.services = a.services;
  else if (project.services && !a.resolution_given) o.services = project.services;
  o.keep_hubs = a.keep_hubs;
  o.keep_roots = a.keep_roots;
  o.data_model = *data_model;
  // Non-production code is a fact-store notion (paths of modules); a plain
  // --graph is clustered as given unless --exclude says otherwise.
  if (a.exclude_given) o.exclude = splitCommas(a.exclude);
  else if (!a.graph.empty()) o.exclude.clear();
  o.pin = project.pin;
  o.apart = project.apart;
  for (const std::string& p : a.pin) {
    std::vector<std::string> group = splitCommas(p);
    if (group.size() < 2) return fail(kUsage, "--pin needs at least two names: A,B");
    o.pin.push_back(group);
  }
  for (const std::string& p : a.apart) {
    std::vector<std::string> pair = splitCommas(p);
    if (pair.size() != 2) return fail(kUsage, "--apart needs exactly two names: A,B");
    if (pair[0] == pair[1]) return fail(kBadInput, "--apart " + p + ": a node cannot be apart from itself");
    o.apart.push_back({pair[0], pair[1]});
  }
  if (!a.fixed.empty()) {
    auto fixed = dec::readTruthFile(a.fixed);
    if (!fixed) return fail(kBadInput, "--fixed " + fixed.error().message);
    o.fixed = fixed->cluster_of;
  }
  std::vector<std::string> extra_notes;
  if (!a.truth.empty()) {
    auto truth = dec::readTruthFile(a.truth);
    if (!truth) return fail(kBadInput, truth.error().message);
    o.truth = std::move(*truth);
  }

  if (project.hasDecisions()) {
    std::string line = "decisions from " + config + ":";
    for (const auto& g : project.pin) line += " pin " + joinNames(g) + ";";
    for (const auto& [x, y] : project.apart) line += " apart " + x + "," + y + ";";
    if (project.services) line += " services " + std::to_string(*project.services) + ";";
    if (project.resolution) {
      std::ostringstream r;
      r << *project.resolution;
      line += " resolution " + r.str() + ";";
    }
    line.pop_back();
    extra_notes.push_back(line);
  }
  bool have_structure_only = false;
  if (facts) {
    graph = dec::buildCouplingGraph(*facts, *granularity, weights, *data_model);
    structure_only = dec::buildCouplingGraph(*facts, *granularity, weights.structureOnly(), *data_model);
    have_structure_only = true;
  }
  if (!a.git.empty()) {
    if (!facts) return fail(kUsage, "--git needs the fact store (--db) to map files to nodes");
    auto added = dec::addCoChangeCoupling(graph, *facts, a.git, a.cochange, weights["co_change"]);
    if (!added) return fail(kBadInput, added.error().message);
    extra_notes.push_back("git co-change: " + added->summary);
  }
  if (!a.traffic.empty()) {
    if (!facts) return fail(kUsage, "--traffic needs the fact store (--db) to find route handlers");
    auto added = dec::addTrafficWeights(graph, *facts, a.traffic, weights["traffic"]);
    if (!added) return fail(kBadInput, added.error().message);
    extra_notes.push_back("traffic: " + added->summary);
  }

  if (!a.dump_graph.empty()) {
    if (dec::Status s = dec::writeTextFileAtomically(a.dump_graph, dec::toEdgeList(graph)); !s) {
      return fail(kBadInput, s.error().message);
    }
  }
  auto d = dec::decompose(std::move(graph), o, have_structure_only ? &structure_only : nullptr);
  if (!d) return fail(exitFor(d.error()), d.error().message);
  d->notes.insert(d->notes.end(), extra_notes.begin(), extra_notes.end());
  nlohmann::json plan = dec::toPlanJson(*d, facts.get(), source);
  if (dec::Status s = dec::writeTextFileAtomically(a.output, plan.dump(2) + "\n"); !s) {
    return fail(kBadInput, s.error().message);
  }
  if (!a.quiet) {
    dec::printPlanSummary(plan, std::cout);
    std::cout << "\nwrote " << a.output << "\n";
  }
  return kOk;
}

}  // namespace

void addDecomposeCommand(CLI::App& app) {
  auto args = std::make_shared<DecomposeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "decompose",
      "Cluster the fact store into candidate services (Leiden over a weighted coupling graph) and write plan.json.\n"
      "Hubs (high fan-in, low fan-out modules) become shared-kernel candidates; every table gets one owner;\n"
      "metrics are printed next to three baselines (one service, directory prefix, structure only).\n"
      "Docs: docs/decomposer.md, docs/plan-format.md, docs/metrics.md.");
  cmd->add_option("--db", args->db, "fact store written by `seam analyze`")->capture_default_str();
  cmd->add_option("--graph", args->graph,
                  "cluster a plain graph instead: TSV 'from to [weight]' lines or RSF 'depends A B' lines");
  cmd->add_option("-o,--output", args->output, "plan file to write")->capture_default_str();
  cmd->add_option("--granularity", args->granularity, "node granularity")
      ->check(CLI::IsMember({"module", "file", "class"}))
      ->capture_default_str();
  cmd->add_option("--weights", args->weights,
                  "override edge weights: kind=w,... kinds: call virtual_call override type_use inherit include "
                  "global_read global_write owner_write owner_read co_write read_write co_read co_change traffic");
  cmd->add_option("--config", args->config,
                  "seam.yaml whose `decompose:` section sets weights, data_coupling, quality, resolution, services, pin, "
                  "apart (default ./seam.yaml, else seam.yaml at the analysed project's root); flags override it");
  CLI::Option* quality = cmd->add_option("--quality", args->quality, "Leiden quality function")
      ->check(CLI::IsMember({"modularity", "cpm"}))
      ->capture_default_str();
  CLI::Option* resolution = cmd->add_option("--resolution", args->resolution, "resolution gamma")->capture_default_str();
  cmd->add_option("--seed", args->seed, "first random seed (runs use seed, seed+1, ...)")->capture_default_str();
  cmd->add_option("--seeds", args->seeds, "Leiden runs combined into the per-node stability score")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--services", args->services, "search the resolution that gives N services (bisection)");
  cmd->add_option("--pin", args->pin, "keep these nodes in one service: A,B[,C] (repeatable)");
  cmd->add_option("--apart", args->apart, "keep these two nodes in different services: A,B (repeatable)");
  cmd->add_option("--fixed", args->fixed,
                  "already-extracted modules keep their service: architecture.yaml format or RSF 'contain SERVICE MODULE'");
  cmd->add_flag("--keep-hubs", args->keep_hubs, "cluster hubs like any node instead of reporting them as shared kernel");
  cmd->add_flag("--keep-roots", args->keep_roots,
                "cluster composition roots (fan-in 0, depend on most nodes: main, wiring) like any node");
  CLI::Option* exclude = cmd->add_option(
      "--exclude", args->exclude,
      "path components of non-production code left out of the clustering, comma-separated; '' for none "
      "(default for --db: tests,test,testing,tools,bench,benchmarks,examples,fuzz)");
  CLI::Option* data_coupling = cmd->add_option("--data-coupling", args->data_coupling,
                  "how shared tables couple nodes: pairs (every pair of accessors) or owner (each accessor to "
                  "the node that creates and writes the table)")
      ->check(CLI::IsMember({"owner", "pairs"}))
      ->capture_default_str();
  cmd->add_option("--truth", args->truth,
                  "ground truth for MoJoFM and c2c coverage: architecture.yaml format or RSF 'contain CLUSTER ITEM'");
  cmd->add_option("--git", args->git, "git repository: add co-change coupling from its history (code-maat thresholds)");
  cmd->add_option("--min-revs", args->cochange.min_revisions, "co-change: min revisions of each file")
      ->capture_default_str();
  cmd->add_option("--min-shared-revs", args->cochange.min_shared_revisions, "co-change: min shared revisions")
      ->capture_default_str();
  cmd->add_option("--min-coupling", args->cochange.min_coupling_percent, "co-change: min coupling degree, percent")
      ->capture_default_str();
  cmd->add_option("--max-changeset-size", args->cochange.max_changeset_size,
                  "co-change: ignore commits touching more files")
      ->capture_default_str();
  cmd->add_option("--traffic", args->traffic,
                  "observed requests per route: JSON lines {method, path|route, count} or TSV 'METHOD PATH COUNT'");
  cmd->add_flag("-q,--quiet", args->quiet, "write the plan without printing the summary");
  cmd->add_option("--dump-graph", args->dump_graph,
                  "also write the coupling graph as clustered (signals applied; hubs and roots not yet set aside) "
                  "as TSV 'from to weight', the format --graph reads");
  cmd->callback([args, exclude, quality, resolution, data_coupling] {
    args->exclude_given = exclude->count() > 0;
    args->quality_given = quality->count() > 0;
    args->resolution_given = resolution->count() > 0;
    args->data_coupling_given = data_coupling->count() > 0;
    exitCode() = runDecompose(*args);
  });
}

}  // namespace seam::cli
