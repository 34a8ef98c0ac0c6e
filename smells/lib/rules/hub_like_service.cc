// SEAM004 hub-like-service: fan-in and fan-out both far above the median
// (Arcan's hub-like dependency, lifted to services).
#include <algorithm>

#include "rule_util.h"

namespace seam::smells {
namespace {

const RuleInfo kInfo = {
    "SEAM004", "hub-like-service", "A service with far more dependencies in and out than the others",
    "Fan-in and fan-out (distinct services) are both at least max(`hub_min_degree` (2), `hub_factor` (1.5) x "
    "the median over all services) and strictly above the median. Needs at least `hub_min_services` (4) services.",
    "A hub is usually several capabilities in one service, or shared plumbing in disguise: split it along "
    "the groups of services that use it, or make it a library with no outgoing service calls.",
    Severity::kWarning};

double median(std::vector<size_t> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? static_cast<double>(v[n / 2]) : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

class HubLikeService : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void check(const Context& ctx, std::vector<Finding>& out) const override {
    const int n = ctx.services.size();
    if (n < ctx.config.hub_min_services) return;
    std::vector<size_t> fan_in, fan_out;
    for (int s = 0; s < n; ++s) {
      fan_in.push_back(ctx.graph.in[s].size());
      fan_out.push_back(ctx.graph.out[s].size());
    }
    const double med_in = median(fan_in), med_out = median(fan_out);
    const double need_in = std::max<double>(ctx.config.hub_min_degree, ctx.config.hub_factor * med_in);
    const double need_out = std::max<double>(ctx.config.hub_min_degree, ctx.config.hub_factor * med_out);
    for (int s = 0; s < n; ++s) {
      double in = static_cast<double>(fan_in[s]), outd = static_cast<double>(fan_out[s]);
      if (in < need_in || outd < need_out || in <= med_in || outd <= med_out) continue;
      Finding f = newFinding(kInfo, Severity::kWarning, ctx, s);
      char buf[160];
      std::snprintf(buf, sizeof buf, "fan-in %zu and fan-out %zu services (medians %.1f and %.1f)", fan_in[s],
                    fan_out[s], med_in, med_out);
      f.message = "'" + ctx.services.name(s) + "' is a hub: " + buf;
      f.explanation = "Changes to a hub ripple to " + std::to_string(fan_in[s]) +
                      " dependents, and it breaks when any of its " + std::to_string(fan_out[s]) + " dependencies do.";
      f.remedy = kInfo.remedy;
      for (int from : ctx.graph.in[s]) {
        const Edge* e = ctx.graph.deps[from].at(s).front();
        f.locations.push_back(ctx.at(*e, ctx.services.name(from) + " uses " + ctx.facts.symbolName(e->dst)));
      }
      for (int to : ctx.graph.out[s]) {
        const Edge* e = ctx.graph.deps[s].at(to).front();
        f.locations.push_back(ctx.at(*e, ctx.facts.symbolName(e->src) + " uses " + ctx.services.name(to)));
      }
      std::set<int> all = ctx.graph.in[s];
      all.insert(ctx.graph.out[s].begin(), ctx.graph.out[s].end());
      all.insert(s);
      f.services = sortedNames(ctx, all);
      f.key = ctx.services.name(s);
      out.push_back(std::move(f));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> makeHubLikeServiceRule() { return std::make_unique<HubLikeService>(); }

}  // namespace seam::smells
