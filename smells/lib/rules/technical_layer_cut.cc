// SEAM010 technical-layer-cut: a service that is a technical layer (only
// handlers, or only data access) rather than a business capability.
#include "path_util.h"
#include "rule_util.h"

namespace seam::smells {
namespace {

const RuleInfo kInfo = {
    "SEAM010", "technical-layer-cut", "A service is a technical layer, not a business capability",
    "Either every module of the service is named after a layer (`handler_layer_names`, `data_layer_names`), "
    "or, from the facts: (data layer) it serves no route, at least `layer_min_functions` (3) functions are "
    "defined in it, at least `layer_data_fraction` (0.8) of them access tables and other services call it. "
    "A service of handlers only is recognised by name alone, since from the facts it looks like a gateway.",
    "Cut by business capability: each service keeps its handlers, logic and data together. Merge the layer "
    "into the capabilities that use it, splitting its tables by owner.",
    Severity::kWarning};

bool isFunction(const std::string& kind) {
  return kind == "function" || kind == "method" || kind == "constructor" || kind == "destructor" || kind == "lambda";
}

class TechnicalLayerCut : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void check(const Context& ctx, std::vector<Finding>& out) const override {
    auto lower = [](const std::vector<std::string>& v) {
      std::set<std::string> s;
      for (const auto& x : v) s.insert(toLower(x));
      return s;
    };
    const auto handler_names = lower(ctx.config.handler_layer_names), data_names = lower(ctx.config.data_layer_names);
    std::set<int64_t> accessors;
    for (const auto& a : ctx.facts.table_accesses) accessors.insert(a.symbol_id);

    for (int s = 0; s < ctx.services.size(); ++s) {
      const auto& modules = ctx.services.modulesOf()[s];
      bool all_handler_named = !modules.empty(), all_data_named = !modules.empty();
      for (int64_t mid : modules) {
        const Module* m = ctx.facts.module(mid);
        std::string last = m ? toLower(lastComponent(m->name)) : "";
        all_handler_named &= handler_names.count(last) > 0;
        all_data_named &= data_names.count(last) > 0;
      }
      int functions = 0, data_functions = 0;
      const Symbol* example = nullptr;
      for (const auto& sym : ctx.facts.symbols) {
        if (!sym.is_definition || !isFunction(sym.kind) || ctx.services.serviceOfSymbol(sym.id) != s) continue;
        ++functions;
        if (accessors.count(sym.id)) {
          ++data_functions;
          if (!example) example = &sym;
        }
      }
      const Route* route = nullptr;
      for (const auto& r : ctx.facts.routes) {
        if (ctx.services.serviceOfSymbol(r.handler_id) == s || ctx.services.serviceOfFile(r.file_id) == s) {
          route = &r;
          break;
        }
      }
      std::string layer, why;
      if (all_data_named) {
        layer = "data-access";
        why = "all of its modules are named after the data layer";
      } else if (all_handler_named) {
        layer = "handler";
        why = "all of its modules are named after the request-handling layer";
      } else if (!route && functions >= ctx.config.layer_min_functions && !ctx.graph.in[s].empty() &&
                 data_functions >= ctx.config.layer_data_fraction * functions) {
        layer = "data-access";
        why = std::to_string(data_functions) + " of its " + std::to_string(functions) +
              " functions access tables, it serves no route, and other services call it for data";
      }
      if (layer.empty()) continue;
      Finding f = newFinding(kInfo, Severity::kWarning, ctx, s);
      f.message = "'" + ctx.services.name(s) + "' is a " + layer + " layer, not a business capability: " + why;
      f.explanation = "A layer service takes part in every feature, so every change crosses the service boundary.";
      f.remedy = kInfo.remedy;
      if (route) f.locations.push_back({std::string(ctx.facts.path(route->file_id)), route->line, 1,
                                        "route " + route->method + " " + route->path});
      if (example) f.locations.push_back(ctx.atSymbol(example->id, example->qualified_name + " accesses tables"));
      if (f.locations.empty() || f.locations.front().file.empty()) {
        for (const auto& file : ctx.facts.files) {
          if (ctx.services.serviceOfFile(file.id) != s) continue;
          f.locations.insert(f.locations.begin(), {file.path, 1, 1, "file of " + ctx.services.name(s)});
          break;
        }
      }
      f.services = {ctx.services.name(s)};
      f.key = ctx.services.name(s);
      out.push_back(std::move(f));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> makeTechnicalLayerCutRule() { return std::make_unique<TechnicalLayerCut>(); }

}  // namespace seam::smells
