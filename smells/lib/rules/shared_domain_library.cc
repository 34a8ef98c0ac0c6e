// SEAM009 shared-domain-library: a module with domain types or table access
// used by several services, so a change to it redeploys all of them.
#include "path_util.h"
#include "rule_util.h"

namespace seam::smells {
namespace {

const RuleInfo kInfo = {
    "SEAM009", "shared-domain-library", "A domain module is shared by several services",
    "A module that is not a utility (its last path component or namespace is not in `utility_modules`) is "
    "used by `shared_library_min_services` (2) or more services other than its own, through its class "
    "types (type use, inheritance: C++ types cannot cross a network boundary) or, when no service owns "
    "it, through its functions that access tables.",
    "Shared domain code couples the release of every user. Give the concept one owner service and let the "
    "others use its API and their own local models; keep only stable, domain-free utilities shared.",
    Severity::kWarning};

bool isClassLike(const std::string& kind) {
  return kind == "class" || kind == "struct" || kind == "union" || kind == "enum";
}

class SharedDomainLibrary : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void check(const Context& ctx, std::vector<Finding>& out) const override {
    std::set<int64_t> accessors;
    for (const auto& a : ctx.facts.table_accesses) accessors.insert(a.symbol_id);
    std::set<std::string> utility;
    for (const auto& u : ctx.config.utility_modules) utility.insert(toLower(u));

    struct Use {
      std::set<int> services;
      std::vector<const Edge*> edges;
      bool types = false, tables = false;
    };
    std::map<int64_t, Use> uses;  // module id -> uses from other services
    for (const auto& e : ctx.facts.edges) {
      const Symbol* dst = ctx.facts.symbol(e.dst);
      if (!dst || !dst->module_id) continue;
      int user = ctx.services.serviceOfSymbol(e.src);
      int owner = ctx.services.serviceOfSymbol(e.dst);
      // A C++ type cannot cross a network boundary, so a type used by another
      // service is shared code. A function of another service is an API call,
      // unless no service owns it: then it is a library with table access.
      bool type_use = (e.kind == "type_use" || e.kind == "inherit") && isClassLike(dst->kind);
      bool table_use = Context::isCallKind(e.kind) && accessors.count(e.dst) && owner < 0;
      if (!type_use && !table_use) continue;
      if (user < 0 || user == owner) continue;
      Use& u = uses[dst->module_id];
      u.services.insert(user);
      u.edges.push_back(&e);
      u.types |= type_use;
      u.tables |= table_use;
    }
    for (const auto& [mid, u] : uses) {
      const Module* m = ctx.facts.module(mid);
      if (!m || m->external || utility.count(toLower(lastComponent(m->name)))) continue;
      if (static_cast<int>(u.services.size()) < ctx.config.shared_library_min_services) continue;
      int owner = ctx.services.serviceOfModule(mid);
      Finding f = newFinding(kInfo, Severity::kWarning, ctx, owner);
      std::string what = u.types && u.tables ? "its domain types and table access"
                         : u.types           ? "its domain types"
                                             : "its functions that access tables";
      f.message = "module '" + m->name + "' (" + (owner >= 0 ? "in '" + ctx.services.name(owner) + "'" : "unassigned") +
                  ") is shared by " + std::to_string(u.services.size()) + " services through " + what + ": " +
                  joinNames(ctx, u.services);
      f.explanation = "Every change to '" + m->name + "' has to be released in lockstep by all of its users.";
      f.remedy = kInfo.remedy;
      std::map<int, size_t> shown;
      for (const Edge* e : u.edges) {
        int user = ctx.services.serviceOfSymbol(e->src);
        addUnique(f.symbols, ctx.facts.symbolName(e->dst));
        if (shown[user]++ < kEvidencePerService)
          f.locations.push_back(ctx.at(*e, ctx.services.name(user) + ": " + ctx.facts.symbolName(e->src) + " " +
                                               e->kind + " " + ctx.facts.symbolName(e->dst)));
      }
      std::set<int> all = u.services;
      if (owner >= 0) all.insert(owner);
      f.services = sortedNames(ctx, all);
      f.key = m->name;
      out.push_back(std::move(f));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> makeSharedDomainLibraryRule() { return std::make_unique<SharedDomainLibrary>(); }

}  // namespace seam::smells
