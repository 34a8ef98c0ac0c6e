// `seam report`: a thin driver over seam::reports. Parses options, loads the
// inputs, renders one format and writes it atomically (temp file + rename),
// so a failed run leaves a previous report intact.
#include "report_command.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "commands.h"
#include "seam/interactions/interactions.h"
#include "seam/reports/fact_store_loader.h"
#include "seam/reports/inputs.h"
#include "seam/reports/writers.h"

namespace seam::cli {
namespace {

struct ReportOptions {
  std::string db;
  std::string plan;
  std::string smells;
  std::string proxy_state;
  std::string output;
  std::string format = "html";
  std::string title = "Seam report";
  int collapse_threshold = 300;
};

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "seam report: %s\n", message.c_str());
  return code;
}

bool writeAtomically(const std::string& path, const std::string& content, std::string& error) {
  if (path == "-") {
    std::cout << content;
    std::cout.flush();
    return static_cast<bool>(std::cout);
  }
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) {
      error = path + ": cannot write";
      std::error_code ignored;
      std::filesystem::remove(tmp, ignored);
      return false;
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    error = path + ": " + ec.message();
    std::filesystem::remove(tmp, ec);
    return false;
  }
  return true;
}

int run(const ReportOptions& o) {
  auto model = reports::loadFactStore(o.db);
  if (!model.ok()) return fail(kBadInput, model.error());
  if (!o.plan.empty()) {
    if (auto s = reports::applyPlanFile(o.plan, *model); !s.ok()) return fail(kBadInput, s.error());
    // The Interactions tab needs a store with transaction scopes; without one the page says why.
    if (auto a = interactions::analyzeFiles(o.db, o.plan, {}); a.ok()) {
      reports::applyInteractionsJson(interactions::toJson(*a).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                                     *model);
    } else {
      model->notes.push_back("interactions: " + a.error().message);
    }
  }
  if (!o.smells.empty()) {
    if (auto s = reports::applySmellsFile(o.smells, *model); !s.ok()) return fail(kBadInput, s.error());
  }
  if (!o.proxy_state.empty()) {
    if (auto s = reports::applyProxyState(o.proxy_state, *model); !s.ok()) return fail(kBadInput, s.error());
  }
  std::string content;
  if (o.format == "json") {
    content = reports::toJson(*model).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  } else if (o.format == "dot") {
    content = reports::toDot(*model);
  } else {
    reports::HtmlOptions html;
    html.title = o.title;
    html.collapse_threshold = o.collapse_threshold;
    content = reports::toHtml(*model, html);
  }
  std::string output = o.output.empty() ? "report." + o.format : o.output;
  std::string error;
  if (!writeAtomically(output, content, error)) return fail(kBadInput, error);
  if (output != "-") {
    std::fprintf(stderr, "seam report: wrote %s (%zu bytes; %zu modules, %zu services, %zu tables)\n",
                 output.c_str(), content.size(), model->modules.size(), model->services.size(),
                 model->tables.size());
  }
  return kOk;
}

}  // namespace

void addReportCommand(CLI::App& app) {
  auto opts = std::make_shared<ReportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Write one self-contained report: an interactive HTML page that opens offline\n"
      "(coupling graph, table ownership, services, smells, plan, migration progress),\n"
      "or the same data as JSON, or a Graphviz DOT graph. Only --db is required; each\n"
      "other input adds its sections.");
  cmd->add_option("--db", opts->db, "Fact store written by `seam analyze`")->required();
  cmd->add_option("--plan", opts->plan, "plan.json from `seam decompose`: services, ownership, metrics, steps");
  cmd->add_option("--smells", opts->smells, "Findings from `seam smells --format json` (or SARIF)");
  cmd->add_option("--proxy-state", opts->proxy_state, "Strangler proxy state database: per-route migration progress");
  cmd->add_option("-o,--output", opts->output, "Output file, '-' for stdout (default: report.<format>)");
  cmd->add_option("--format", opts->format, "html (default), json (the page's data model) or dot (Graphviz)")
      ->check(CLI::IsMember({"html", "json", "dot"}));
  cmd->add_option("--title", opts->title, "Page title (HTML)")->capture_default_str();
  cmd->add_option("--collapse-threshold", opts->collapse_threshold,
                  "Open the graph collapsed to services above this many modules (HTML)")
      ->check(CLI::Range(1, 10000000))
      ->capture_default_str();
  cmd->footer(
      "Examples:\n"
      "  seam report --db seam.db --plan plan.json --smells smells.json -o report.html\n"
      "  seam report --db seam.db --plan plan.json --format dot -o - | dot -Tsvg > graph.svg\n"
      "Exit codes: 0 ok, 2 bad command line, 3 missing or malformed input (docs/exit-codes.md).");
  cmd->callback([opts] { exitCode() = run(*opts); });
}

}  // namespace seam::cli
