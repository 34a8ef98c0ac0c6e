// SEAM005 lockstep-change: services that change together in git history
// (change coupling, as code-maat measures it, across service boundaries).
#include "rule_util.h"

namespace seam::smells {
namespace {

const RuleInfo kInfo = {
    "SEAM005", "lockstep-change", "Two services usually change in the same commits",
    "With --git: over the last `lockstep_max_commits` (5000) non-merge commits, ignoring commits that touch "
    "more than `lockstep_max_files` (50) files, a pair of services changed together in at least "
    "`lockstep_min_shared` (3) commits and in at least `lockstep_min_degree` (0.5) of the commits that "
    "changed the less frequently changed of the two.",
    "Services that must change together are one service in two deployments: merge them, or find the "
    "concept they share (a contract, a schema) and give it one owner with a versioned interface.",
    Severity::kWarning};

class LockstepChange : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void check(const Context& ctx, std::vector<Finding>& out) const override {
    if (!ctx.git) return;
    std::map<int, int> revisions;
    struct Pair {
      int shared = 0;
      const Commit* latest = nullptr;  // history is newest first
    };
    std::map<std::pair<int, int>, Pair> pairs;
    for (const Commit& c : *ctx.git) {
      if (static_cast<int>(c.files.size()) > ctx.config.lockstep_max_files) continue;
      std::set<int> touched;
      for (const auto& file : c.files) {
        int s = ctx.services.serviceOfPath(file);
        if (s >= 0) touched.insert(s);
      }
      for (int s : touched) ++revisions[s];
      for (auto a = touched.begin(); a != touched.end(); ++a) {
        for (auto b = std::next(a); b != touched.end(); ++b) {
          Pair& p = pairs[{*a, *b}];
          if (++p.shared == 1) p.latest = &c;
        }
      }
    }
    for (const auto& [key, p] : pairs) {
      auto [a, b] = key;
      int fewer = std::min(revisions[a], revisions[b]);
      double degree = fewer ? static_cast<double>(p.shared) / fewer : 0;
      if (p.shared < ctx.config.lockstep_min_shared || degree < ctx.config.lockstep_min_degree) continue;
      int primary = revisions[a] <= revisions[b] ? a : b;
      Finding f = newFinding(kInfo, Severity::kWarning, ctx, primary);
      f.message = "'" + ctx.services.name(a) + "' and '" + ctx.services.name(b) + "' changed together in " +
                  std::to_string(p.shared) + " commits (" + std::to_string(static_cast<int>(degree * 100 + 0.5)) +
                  "% of the " + std::to_string(fewer) + " commits of the less often changed one)";
      f.explanation = "Releasing one without the other would break, so they cannot be deployed independently.";
      f.remedy = kInfo.remedy;
      // Evidence: one file of each service from the latest commit that changed both.
      for (int s : {a, b}) {
        for (const auto& file : p.latest->files) {
          if (ctx.services.serviceOfPath(file) != s) continue;
          f.locations.push_back({file, 1, 1, ctx.services.name(s) + " changed in commit " + p.latest->hash.substr(0, 12)});
          break;
        }
      }
      f.services = sortedNames(ctx, {a, b});
      f.key = f.services[0] + "|" + f.services[1];
      out.push_back(std::move(f));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> makeLockstepChangeRule() { return std::make_unique<LockstepChange>(); }

}  // namespace seam::smells
