#include "seam/decomposer/coupling_graph.h"

#include <algorithm>

namespace seam::decomposer {

std::optional<DataModel> parseDataModel(const std::string& s) {
  if (s == "owner") return DataModel::kOwnerDirected;
  if (s == "pairs") return DataModel::kPairs;
  return std::nullopt;
}

std::optional<Granularity> parseGranularity(const std::string& s) {
  if (s == "module") return Granularity::kModule;
  if (s == "file") return Granularity::kFile;
  if (s == "class") return Granularity::kClass;
  return std::nullopt;
}

const char* granularityName(Granularity g) {
  switch (g) {
    case Granularity::kModule: return "module";
    case Granularity::kFile: return "file";
    case Granularity::kClass: return "class";
  }
  return "module";
}

std::optional<size_t> CouplingGraph::find(const std::string& name) const {
  auto it = name_index.find(name);
  if (it == name_index.end()) return std::nullopt;
  return it->second;
}

void CouplingGraph::addWeight(size_t u, size_t v, const EdgeInfo& delta) {
  if (u == v) return;
  auto [e, found] = boost::edge(u, v, graph);
  if (!found) e = boost::add_edge(u, v, graph).first;
  EdgeInfo& info = graph[e];
  info.weight += delta.weight;
  info.structural += delta.structural;
  info.data += delta.data;
  info.co_change += delta.co_change;
}

double CouplingGraph::totalWeight() const {
  double total = 0;
  for (auto [it, end] = boost::edges(graph); it != end; ++it) total += graph[*it].weight;
  return total;
}

std::vector<std::string> CouplingGraph::nodeNames() const {
  std::vector<std::string> names;
  for (size_t v = 0; v < size(); ++v) names.push_back(graph[v].name);
  return names;
}

CouplingGraph CouplingGraph::without(const std::set<size_t>& removed, std::vector<size_t>* old_index) const {
  CouplingGraph out;
  out.granularity = granularity;
  std::vector<size_t> new_index(size(), SIZE_MAX);
  old_index->clear();
  for (size_t v = 0; v < size(); ++v) {
    if (removed.count(v)) continue;
    new_index[v] = boost::add_vertex(graph[v], out.graph);
    old_index->push_back(v);
    out.name_index[graph[v].name] = new_index[v];
    out.tables.push_back(tables[v]);
    out.routes.push_back(routes[v]);
  }
  for (const auto& reach : route_reach) {
    std::vector<size_t> kept;
    for (size_t v : reach) {
      if (new_index[v] != SIZE_MAX) kept.push_back(new_index[v]);
    }
    out.route_reach.push_back(std::move(kept));
  }
  for (auto [it, end] = boost::edges(graph); it != end; ++it) {
    size_t a = new_index[boost::source(*it, graph)], b = new_index[boost::target(*it, graph)];
    if (a != SIZE_MAX && b != SIZE_MAX) out.addWeight(a, b, graph[*it]);
  }
  for (const Dependency& d : dependencies) {
    if (new_index[d.from] == SIZE_MAX || new_index[d.to] == SIZE_MAX) continue;
    Dependency copy = d;
    copy.from = new_index[d.from];
    copy.to = new_index[d.to];
    out.dependencies.push_back(std::move(copy));
  }
  for (const CallSite& c : calls) {
    if (new_index[c.from] == SIZE_MAX || new_index[c.to] == SIZE_MAX) continue;
    out.calls.push_back({new_index[c.from], new_index[c.to], c.callee, c.caller, c.count});
  }
  for (const auto& [sym, v] : symbol_node) {
    if (new_index[v] != SIZE_MAX) out.symbol_node[sym] = new_index[v];
  }
  return out;
}

namespace {

bool isMemberKind(const std::string& kind) {
  return kind == "method" || kind == "constructor" || kind == "destructor" || kind == "field";
}
bool isClassKind(const std::string& kind) { return kind == "class" || kind == "struct" || kind == "union"; }

std::string enclosingScope(const std::string& qualified) {
  size_t pos = qualified.rfind("::");
  return pos == std::string::npos ? std::string() : qualified.substr(0, pos);
}

// Maps facts to node names for one granularity; returns "" for facts that have
// no node (external or unplaced).
class NodeNamer {
 public:
  NodeNamer(const Facts& facts, Granularity g) : facts_(facts), g_(g) {
    if (g_ == Granularity::kClass) {
      for (const FactSymbol& s : facts_.symbols) {
        if (isClassKind(s.kind) && internal(s.module_id)) class_by_name_.emplace(s.qualified_name, &s);
      }
    }
  }

  bool internal(int64_t module_id) const {
    const FactModule* m = facts_.module(module_id);
    return m && !m->external;
  }

  std::string moduleOf(int64_t module_id) const {
    const FactModule* m = facts_.module(module_id);
    return m && !m->external ? m->name : std::string();
  }

  std::string forSymbol(const FactSymbol& s) const {
    if (!internal(s.module_id)) return {};
    switch (g_) {
      case Granularity::kModule: return facts_.module(s.module_id)->name;
      case Granularity::kFile: return forFileId(s.file_id, s.module_id);
      case Granularity::kClass: {
        if (isClassKind(s.kind)) return s.qualified_name;
        if (isMemberKind(s.kind)) {
          auto it = class_by_name_.find(enclosingScope(s.qualified_name));
          if (it != class_by_name_.end()) return it->first;
        }
        return forFileId(s.file_id, s.module_id);
      }
    }
    return {};
  }

  std::string forFileId(int64_t file_id, int64_t fallback_module) const {
    const FactFile* f = facts_.file(file_id);
    if (!f) return {};
    if (!internal(f->module_id ? f->module_id : fallback_module)) return {};
    if (g_ == Granularity::kModule) return moduleOf(f->module_id ? f->module_id : fallback_module);
    return f->path;
  }

  std::string moduleForName(const FactSymbol& s) const { return moduleOf(s.module_id); }

 private:
  const Facts& facts_;
  Granularity g_;
  std::unordered_map<std::string, const FactSymbol*> class_by_name_;
};

bool isWriteOp(const std::string& op) { return op == "insert" || op == "update" || op == "delete"; }

// Data coupling through shared tables (docs/decomposer.md, "The coupling graph").
// Owner-directed: a table that exactly one node both creates (its DDL) and
// writes belongs to that node; every other node that touches it is coupled to
// that owner only (owner_write when it writes, else owner_read), the way a
// caller is coupled to the callee and not to the callee's other callers. A
// central schema module that creates every table but writes none owns
// nothing here. Tables without such an owner, and every table under
// DataModel::kPairs, couple each pair of accessors instead (co_write,
// read_write, co_read: ServiceCutter's shared-entity scoring).
void addDataCoupling(CouplingGraph& g, const Weights& weights, DataModel model) {
  struct Users {
    std::vector<std::pair<size_t, const TableUse*>> accessors;  // nodes that read or write it
    std::vector<size_t> creators;
  };
  std::map<std::string, Users> users;
  for (size_t v = 0; v < g.size(); ++v) {
    for (const auto& [table, use] : g.tables[v]) {
      if (use.reads || use.writes) users[table].accessors.push_back({v, &use});
      if (use.creates && use.writes) users[table].creators.push_back(v);
    }
  }
  for (const auto& [table, u] : users) {
    if (model == DataModel::kOwnerDirected && u.creators.size() == 1) {
      const size_t owner = u.creators.front();
      for (const auto& [v, use] : u.accessors) {
        if (v == owner) continue;
        double w = use->writes > 0 ? weights["owner_write"] : weights["owner_read"];
        if (w > 0) g.addWeight(v, owner, {w, 0, w, 0});
      }
      continue;
    }
    const auto& list = u.accessors;
    for (size_t i = 0; i < list.size(); ++i) {
      for (size_t j = i + 1; j < list.size(); ++j) {
        bool wi = list[i].second->writes > 0, wj = list[j].second->writes > 0;
        double w = wi && wj ? weights["co_write"] : (wi || wj) ? weights["read_write"] : weights["co_read"];
        if (w > 0) g.addWeight(list[i].first, list[j].first, {w, 0, w, 0});
      }
    }
  }
}

}  // namespace

CouplingGraph buildCouplingGraph(const Facts& facts, Granularity granularity, const Weights& weights, DataModel model) {
  CouplingGraph g;
  g.granularity = granularity;
  NodeNamer namer(facts, granularity);

  auto nodeFor = [&](const std::string& name, const std::string& module) -> size_t {
    auto it = g.name_index.find(name);
    if (it != g.name_index.end()) return it->second;
    NodeInfo info;
    info.name = name;
    info.module = module;
    size_t v = boost::add_vertex(info, g.graph);
    g.name_index.emplace(name, v);
    g.tables.emplace_back();
    g.routes.emplace_back();
    return v;
  };

  // Nodes: every internal symbol's node, in symbol order, so node ids are stable.
  for (const FactSymbol& s : facts.symbols) {
    std::string name = namer.forSymbol(s);
    if (name.empty()) continue;
    size_t v = nodeFor(name, namer.moduleForName(s));
    g.symbol_node.emplace(s.id, v);
    NodeInfo& info = g.graph[v];
    info.symbols += 1;
    if (isClassKind(s.kind) && s.is_definition) info.classes += 1;
    if (granularity == Granularity::kClass) info.lines += s.lines;
  }
  // Sizes in lines come from files for module and file nodes.
  if (granularity != Granularity::kClass) {
    for (const FactFile& f : facts.files) {
      std::string name = namer.forFileId(f.id, f.module_id);
      if (name.empty()) continue;
      auto it = g.name_index.find(name);
      if (it != g.name_index.end()) g.graph[it->second].lines += f.lines;
    }
  }

  // Structural edges.
  std::map<std::pair<size_t, size_t>, Dependency> deps;
  auto depend = [&](size_t from, size_t to, const std::string& kind, int64_t count, double w,
                    const std::string& evidence) {
    Dependency& d = deps[{from, to}];
    d.from = from;
    d.to = to;
    d.weight += w;
    d.kinds[kind] += count;
    if (kind == "call" || kind == "virtual_call") d.calls += count;
    if (!evidence.empty() && d.evidence.size() < 3) d.evidence.push_back(evidence);
    g.addWeight(from, to, {w, w, 0, 0});
  };
  std::map<std::tuple<size_t, size_t, int64_t, int64_t>, int64_t> call_sites;
  for (const FactEdge& e : facts.edges) {
    auto a = g.symbol_node.find(e.src), b = g.symbol_node.find(e.dst);
    if (a == g.symbol_node.end() || b == g.symbol_node.end()) continue;
    if (e.kind == "call" || e.kind == "virtual_call") {
      call_sites[{a->second, b->second, e.dst, e.src}] += std::max<int64_t>(1, e.count);
    }
    if (a->second == b->second) continue;
    double w = weights[e.kind] * static_cast<double>(std::max<int64_t>(1, e.count));
    std::string evidence;
    const FactSymbol* src = facts.symbol(e.src);
    const FactSymbol* dst = facts.symbol(e.dst);
    if (src && dst) {
      evidence = facts.location(e.file_id, e.line) + " " + src->qualified_name + " -" + e.kind + "-> " +
                 dst->qualified_name;
    }
    if (w > 0 || weights[e.kind] == 0) depend(a->second, b->second, e.kind, std::max<int64_t>(1, e.count), w, evidence);
  }
  for (const auto& [key, count] : call_sites) {
    auto [from, to, callee, caller] = key;
    g.calls.push_back({from, to, callee, caller, count});
  }
  for (const FactInclude& inc : facts.includes) {
    const FactFile* from = facts.file(inc.from_file);
    const FactFile* to = facts.file(inc.to_file);
    if (!from || !to) continue;
    std::string a = namer.forFileId(from->id, from->module_id), b = namer.forFileId(to->id, to->module_id);
    if (a.empty() || b.empty() || a == b) continue;
    auto ia = g.name_index.find(a), ib = g.name_index.find(b);
    if (ia == g.name_index.end() || ib == g.name_index.end()) continue;
    depend(ia->second, ib->second, "include", 1, weights["include"], from->path + " includes " + to->path);
  }
  // Zero-weight dependencies (a kind switched off) stay as directed facts but
  // must not leave zero-weight undirected edges behind.
  for (auto& [key, d] : deps) g.dependencies.push_back(std::move(d));

  // Table use per node. Only tables are used: a view's reads already come
  // resolved to its base tables (table_access.via names the view), so its own
  // `create` row is schema of a view, not a table anyone owns. An object the
  // schema catalog does not know (no db_objects row) counts as a table.
  // Accesses that a trigger causes (via = the trigger) belong to the node whose
  // statement fired it: that is the access's symbol in the store.
  std::set<std::tuple<int64_t, std::string, std::string>> seen_statement;  // one count per statement/table/op
  for (const FactTableAccess& a : facts.table_accesses) {
    if (const FactDbObject* o = facts.dbObject(a.table); o && o->kind != "table") continue;
    if (!seen_statement.insert({a.statement_id, a.table, a.op}).second) continue;
    auto it = g.symbol_node.find(a.symbol_id);
    if (it == g.symbol_node.end()) continue;
    TableUse& use = g.tables[it->second][a.table];
    if (a.op == "read") use.reads++;
    else if (isWriteOp(a.op)) use.writes++;
    else if (a.op == "create") use.creates++;
    std::string loc = facts.location(a.file_id, a.line);
    if (std::find(use.locations.begin(), use.locations.end(), loc) == use.locations.end()) use.locations.push_back(loc);
  }
  addDataCoupling(g, weights, model);
  // Routes served by each node (through the handler symbol, else the route's module).
  for (size_t r = 0; r < facts.routes.size(); ++r) {
    const FactRoute& route = facts.routes[r];
    auto it = g.symbol_node.find(route.handler_id);
    if (it != g.symbol_node.end()) {
      g.routes[it->second].push_back(r);
      continue;
    }
    std::string name = granularity == Granularity::kModule ? namer.moduleOf(route.module_id)
                                                           : namer.forFileId(route.file_id, route.module_id);
    if (auto v = g.find(name)) g.routes[*v].push_back(r);
  }

  // Business contexts: nodes reachable through calls from each route handler.
  std::unordered_map<int64_t, std::vector<int64_t>> callees;
  for (const FactEdge& e : facts.edges) {
    if (e.kind == "call" || e.kind == "virtual_call") callees[e.src].push_back(e.dst);
  }
  for (const FactRoute& route : facts.routes) {
    std::set<int64_t> seen{route.handler_id};
    std::vector<int64_t> stack{route.handler_id};
    std::set<size_t> reach;
    while (!stack.empty()) {
      int64_t s = stack.back();
      stack.pop_back();
      if (auto it = g.symbol_node.find(s); it != g.symbol_node.end()) reach.insert(it->second);
      if (auto it = callees.find(s); it != callees.end()) {
        for (int64_t d : it->second) {
          if (seen.insert(d).second) stack.push_back(d);
        }
      }
    }
    g.route_reach.emplace_back(reach.begin(), reach.end());
  }

  // Drop edges whose every contribution was weighted 0.
  boost::remove_edge_if([&](const auto& e) { return !(g.graph[e].weight > 0); }, g.graph);
  return g;
}

}  // namespace seam::decomposer
