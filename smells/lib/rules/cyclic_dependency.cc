// SEAM003 cyclic-dependency: strongly connected components of the service
// dependency graph (Tarjan), each reported with its shortest cycle (BFS).
#include <algorithm>
#include <deque>
#include <functional>

#include "rule_util.h"

namespace seam::smells {
namespace {

const RuleInfo kInfo = {
    "SEAM003", "cyclic-dependency", "Services depend on each other in a cycle",
    "The services of a strongly connected component of the service dependency graph (call, virtual call, "
    "type use, inheritance, override and global-variable edges between symbols of different services). "
    "The finding shows the shortest cycle and one code site per hop.",
    "Break the cycle at its weakest hop: invert the dependency (the callee publishes an event or accepts a "
    "callback), or move the shared piece into the service that uses it most.",
    Severity::kError};

// Tarjan's algorithm; components come out in reverse topological order.
std::vector<std::vector<int>> stronglyConnected(const std::vector<std::set<int>>& out) {
  const int n = static_cast<int>(out.size());
  std::vector<int> index(n, -1), low(n, 0), stack;
  std::vector<bool> on_stack(n, false);
  std::vector<std::vector<int>> components;
  int next = 0;
  std::function<void(int)> visit = [&](int v) {
    index[v] = low[v] = next++;
    stack.push_back(v);
    on_stack[v] = true;
    for (int w : out[v]) {
      if (index[w] < 0) {
        visit(w);
        low[v] = std::min(low[v], low[w]);
      } else if (on_stack[w]) {
        low[v] = std::min(low[v], index[w]);
      }
    }
    if (low[v] == index[v]) {
      std::vector<int> comp;
      int w;
      do {
        w = stack.back();
        stack.pop_back();
        on_stack[w] = false;
        comp.push_back(w);
      } while (w != v);
      components.push_back(std::move(comp));
    }
  };
  for (int v = 0; v < n; ++v)
    if (index[v] < 0) visit(v);
  return components;
}

// Shortest path start -> ... -> start inside `members`, as the list of nodes (start first).
std::vector<int> shortestCycleThrough(int start, const std::set<int>& members, const std::vector<std::set<int>>& out) {
  std::map<int, int> parent;
  std::deque<int> queue{start};
  parent[start] = -1;
  while (!queue.empty()) {
    int v = queue.front();
    queue.pop_front();
    for (int w : out[v]) {
      if (!members.count(w)) continue;
      if (w == start) {
        std::vector<int> path;
        for (int x = v; x != -1; x = parent[x]) path.push_back(x);
        std::reverse(path.begin(), path.end());
        return path;
      }
      if (parent.count(w)) continue;
      parent[w] = v;
      queue.push_back(w);
    }
  }
  return {};
}

class CyclicDependency : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void check(const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& comp : stronglyConnected(ctx.graph.out)) {
      if (comp.size() < 2) continue;
      std::set<int> members(comp.begin(), comp.end());
      // Shortest cycle; ties go to the cycle starting at the alphabetically first service.
      std::vector<int> best;
      std::vector<int> by_name(comp.begin(), comp.end());
      std::sort(by_name.begin(), by_name.end(),
                [&](int a, int b) { return ctx.services.name(a) < ctx.services.name(b); });
      for (int s : by_name) {
        std::vector<int> cycle = shortestCycleThrough(s, members, ctx.graph.out);
        if (!cycle.empty() && (best.empty() || cycle.size() < best.size())) best = cycle;
      }
      Finding f = newFinding(kInfo, Severity::kError, ctx, best.front());
      std::string path;
      for (int s : best) path += ctx.services.name(s) + " -> ";
      path += ctx.services.name(best.front());
      f.message = "dependency cycle between services: " + path;
      if (members.size() > best.size()) {
        f.message += " (component of " + std::to_string(members.size()) + " services: " + joinNames(ctx, members) + ")";
      }
      f.explanation = "No service on the cycle can be deployed, versioned or extracted without the others.";
      f.remedy = "Break one hop of " + path + ": invert it with an event or callback, or move the code it uses.";
      for (size_t i = 0; i < best.size(); ++i) {
        int a = best[i], b = best[(i + 1) % best.size()];
        const Edge* e = ctx.graph.deps[a].at(b).front();
        std::string note = ctx.services.name(a) + " -> " + ctx.services.name(b) + ": " + ctx.facts.symbolName(e->src) +
                           " " + e->kind + " " + ctx.facts.symbolName(e->dst);
        f.locations.push_back(ctx.at(*e, note));
        addUnique(f.symbols, ctx.facts.symbolName(e->src));
        addUnique(f.symbols, ctx.facts.symbolName(e->dst));
      }
      f.services = sortedNames(ctx, members);
      std::string key;
      for (const auto& n : f.services) key += (key.empty() ? "" : "|") + n;
      f.key = key;
      out.push_back(std::move(f));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> makeCyclicDependencyRule() { return std::make_unique<CyclicDependency>(); }

}  // namespace seam::smells
