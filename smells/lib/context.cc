// Derived views shared by the rules: service graph, table use, handlers.
#include "seam/smells/context.h"

#include <algorithm>

namespace seam::smells {

bool Context::isDependencyKind(const std::string& k) {
  return k == "call" || k == "virtual_call" || k == "type_use" || k == "inherit" || k == "override" ||
         k == "global_read" || k == "global_write";
}

bool Context::isCallKind(const std::string& k) { return k == "call" || k == "virtual_call"; }

Context::Context(const Facts& f, const Assignment& s, const Config& c) : facts(f), services(s), config(c) {
  const int n = services.size();
  graph.deps.resize(n);
  graph.out.resize(n);
  graph.in.resize(n);
  for (const auto& e : facts.edges) {
    if (!isDependencyKind(e.kind)) continue;
    int a = services.serviceOfSymbol(e.src), b = services.serviceOfSymbol(e.dst);
    if (a < 0 || b < 0 || a == b) continue;
    graph.deps[a][b].push_back(&e);
    graph.out[a].insert(b);
    graph.in[b].insert(a);
  }
  for (auto& per : graph.deps)
    for (auto& [b, list] : per)
      std::stable_sort(list.begin(), list.end(), [](const Edge* x, const Edge* y) { return x->count > y->count; });

  for (const auto& a : facts.table_accesses) {
    int svc = services.serviceOfSymbol(a.symbol_id);
    if (svc < 0) svc = services.serviceOfFile(a.file_id);
    TableUse& use = tables[a.table];
    use.table = a.table;
    if (svc < 0) continue;  // unassigned code: listed as unassigned, not attributed to a service
    if (a.op == "create") {
      use.creates[svc].push_back(&a);
    } else if (a.isWrite()) {
      use.writes[svc].push_back(&a);
    } else if (a.op == "read") {
      use.reads[svc].push_back(&a);
    }
  }
  std::map<std::string, std::set<int>> schema_creators;
  for (const auto& o : facts.db_objects) {
    if (o.kind != "table") continue;
    int svc = services.serviceOfFile(o.file_id);
    if (svc >= 0) schema_creators[o.name].insert(svc);
  }

  for (auto& [name, use] : tables) {
    if (auto it = services.declaredOwners().find(name); it != services.declaredOwners().end()) {
      use.owner = it->second;
      use.owner_reason = "declared owner";
      continue;
    }
    std::set<int> creators = schema_creators[name];
    for (const auto& [svc, list] : use.creates) creators.insert(svc);
    if (creators.size() == 1) {
      use.owner = *creators.begin();
      use.owner_reason = "creates it";
      continue;
    }
    int best = Assignment::kUnassigned;
    size_t best_count = 0;
    bool tie = false;
    for (const auto& [svc, list] : use.writes) {
      if (list.size() > best_count) {
        best = svc;
        best_count = list.size();
        tie = false;
      } else if (list.size() == best_count) {
        tie = true;
      }
    }
    if (best >= 0 && !tie) {
      use.owner = best;
      use.owner_reason = use.writes.size() == 1 ? "only writer" : "writes it most";
    }
  }

  for (const auto& r : facts.routes)
    if (r.handler_id) handlers.insert(r.handler_id);
}

Location Context::at(const Edge& e, std::string note) const {
  Location l{std::string(facts.path(e.file_id)), e.line, e.col, std::move(note)};
  if (l.file.empty()) return atSymbol(e.src, l.note);
  return l;
}

Location Context::at(const TableAccess& a, std::string note) const {
  Location l{std::string(facts.path(a.file_id)), a.line, a.col, std::move(note)};
  if (l.file.empty()) return atSymbol(a.symbol_id, l.note);
  return l;
}

Location Context::atSymbol(int64_t id, std::string note) const {
  const Symbol* s = facts.symbol(id);
  if (!s) return {"", 0, 0, std::move(note)};
  return {std::string(facts.path(s->file_id)), s->line, s->col, std::move(note)};
}

}  // namespace seam::smells
