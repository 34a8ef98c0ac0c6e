// SEAM008 hard-coded-endpoint: service addresses written into the code.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "rule_util.h"
#include "seam/smells/endpoint_scan.h"

namespace seam::smells {
namespace {

const RuleInfo kInfo = {
    "SEAM008", "hard-coded-endpoint", "A service address is hard-coded in a string literal",
    "A string literal in a source file of the fact store is a URL with a host, host:port, an IPv4 address or "
    "\"localhost\" (wildcard bind addresses such as 0.0.0.0 are not). Found by scanning the files listed in "
    "the fact store, because the store keeps only string literals that are call arguments.",
    "Read addresses from configuration or service discovery (environment, config file, DNS name resolved at "
    "deploy time), so a service can move without a rebuild of its callers.",
    Severity::kWarning};

class HardCodedEndpoint : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void check(const Context& ctx, std::vector<Finding>& out) const override {
    namespace fs = std::filesystem;
    for (const File& file : ctx.facts.files) {
      const Module* m = ctx.facts.module(file.module_id);
      if (m && m->external) continue;
      fs::path p(file.path);
      if (p.is_absolute()) continue;  // outside the project: not the team's code
      if (!ctx.source_root.empty()) p = fs::path(ctx.source_root) / p;
      std::ifstream in(p, std::ios::binary);
      if (!in) continue;
      std::stringstream buf;
      buf << in.rdbuf();
      int service = ctx.services.serviceOfFile(file.id);
      std::map<std::string, int> occurrence;
      for (const EndpointLiteral& lit : scanEndpoints(buf.str())) {
        Finding f = newFinding(kInfo, Severity::kWarning, ctx, service);
        f.message = "hard-coded address \"" + lit.text + "\" (" + lit.kind + ")";
        f.explanation = "Callers compiled with a fixed address break when '" + lit.text +
                        "' moves, scales out or differs between environments.";
        f.remedy = kInfo.remedy;
        f.locations.push_back({file.path, lit.line, lit.col, lit.kind + " literal"});
        f.services = {ctx.services.name(service)};
        f.key = file.path + "|" + lit.text + "|" + std::to_string(++occurrence[lit.text]);
        out.push_back(std::move(f));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> makeHardCodedEndpointRule() { return std::make_unique<HardCodedEndpoint>(); }

}  // namespace seam::smells
