// The decomposer's graph rules on small stores built with the real schema:
// composition roots and non-production code stay out of the services, views
// are not owned tables, trigger accesses count for the statement that fires
// them, and shared tables couple accessors to their owner (owner-directed)
// rather than to each other.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "seam/decomposer/decompose.h"
#include "seam/decomposer/fact_store.h"
#include "seam/decomposer/inputs.h"
#include "seam/decomposer/plan.h"
#include "test_store.h"

namespace seam::decomposer {
namespace {

namespace fs = std::filesystem;

class DecomposerRules : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("seam-dec-rules-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // The mini bookstore plus a main() in "src" that wires every module and a
  // load driver under tools/ that main's binary also links.
  Facts storeWithRootAndTools() {
    testing::TestStore s(path("seam.db"));
    testing::buildMiniBookstore(s);
    s.module("src");
    s.module("tools/load");
    s.file("src/main.cc", "src", 80);
    s.file("tools/load/main.cc", "tools/load", 120);
    s.symbol("main", "src/main.cc");
    s.symbol("load::run", "tools/load/main.cc");
    for (const char* m : {"catalog", "orders", "users", "payments"}) {
      s.edge("main", std::string(m) + "::Service::handle");
    }
    s.edge("main", "common::log");
    s.edge("load::run", "common::log");
    s.close();
    auto f = loadFactStore(path("seam.db"));
    EXPECT_TRUE(f.ok()) << f.error().message;
    return std::move(*f);
  }
  fs::path dir_;
};

double dataWeight(const CouplingGraph& g, const std::string& a, const std::string& b) {
  auto u = g.find(a), v = g.find(b);
  if (!u || !v) return -1;
  auto [e, found] = boost::edge(*u, *v, g.graph);
  return found ? g.graph[e].data : 0;
}

TEST_F(DecomposerRules, CompositionRootIsDetected) {
  Facts facts = storeWithRootAndTools();
  CouplingGraph g = buildCouplingGraph(facts, Granularity::kModule, Weights());
  // The hub is not a root and the root is not a hub.
  std::vector<NodeFan> hubs = detectHubs(g);
  ASSERT_EQ(hubs.size(), 1u);
  EXPECT_EQ(g.node(hubs[0].node).name, "src/common");
  std::vector<NodeFan> roots = detectCompositionRoots(g, {hubs[0].node});
  ASSERT_EQ(roots.size(), 1u);
  EXPECT_EQ(g.node(roots[0].node).name, "src");
  EXPECT_EQ(roots[0].fan_in, 0u);
  EXPECT_EQ(roots[0].fan_out, 5u);

}

TEST_F(DecomposerRules, RootsAndNonProductionCodeStayOutOfServices) {
  Facts facts = storeWithRootAndTools();
  CouplingGraph g = buildCouplingGraph(facts, Granularity::kModule, Weights());
  auto d = decompose(g, DecomposeOptions{});
  ASSERT_TRUE(d.ok()) << d.error().message;
  ASSERT_EQ(d->roots.size(), 1u);
  EXPECT_EQ(d->graph.node(d->roots[0].node).name, "src");
  ASSERT_EQ(d->excluded.size(), 1u);
  EXPECT_EQ(d->graph.node(d->excluded[0]).name, "tools/load");
  ASSERT_TRUE(d->outside);
  EXPECT_EQ(d->service[*d->graph.find("src")], *d->outside);
  EXPECT_EQ(d->service[*d->graph.find("tools/load")], *d->outside);
  nlohmann::json plan = toPlanJson(*d, &facts, "seam.db");
  EXPECT_EQ(plan["composition_roots"][0]["node"], "src");
  EXPECT_EQ(plan["excluded"][0], "tools/load");
  for (const auto& s : plan["services"]) {
    for (const auto& n : s["nodes"]) EXPECT_TRUE(n != "src" && n != "tools/load") << s["name"];
  }
  for (const auto& step : plan["steps"]) EXPECT_NE(step["service"], "outside-services");
  // A plan read back keeps them outside the services.
  auto a = assignmentFromPlan(plan, g);
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->names[a->service[*g.find("src")]], "outside-services");

  // --keep-roots and an empty exclusion list cluster them like any node.
  DecomposeOptions keep;
  keep.keep_roots = true;
  keep.exclude.clear();
  d = decompose(g, keep);
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->roots.empty());
  EXPECT_TRUE(d->excluded.empty());
  EXPECT_FALSE(d->outside);
}

TEST_F(DecomposerRules, PathComponentsMatchWholeComponents) {
  std::vector<std::string> ex = defaultExcludes();
  EXPECT_TRUE(hasPathComponent("tools/load", ex));
  EXPECT_TRUE(hasPathComponent("lib/tests", ex));
  EXPECT_TRUE(hasPathComponent("tests", ex));
  EXPECT_FALSE(hasPathComponent("src/toolsmith", ex));
  EXPECT_FALSE(hasPathComponent("src/contest/x", ex));
  EXPECT_FALSE(hasPathComponent("", ex));
}

TEST_F(DecomposerRules, OwnerDirectedDataCoupling) {
  testing::TestStore s(path("seam.db"));
  for (const char* m : {"src/a", "src/b", "src/c"}) s.module(m);
  s.file("src/a/a.cc", "src/a");
  s.file("src/b/b.cc", "src/b");
  s.file("src/c/c.cc", "src/c");
  s.symbol("a::f", "src/a/a.cc");
  s.symbol("b::f", "src/b/b.cc");
  s.symbol("c::f", "src/c/c.cc");
  // a creates and writes t; b writes it too; c only reads it.
  s.access("a::f", "t", "create");
  s.access("a::f", "t", "insert");
  s.access("b::f", "t", "update");
  s.access("c::f", "t", "read");
  // u has no owner: created by nobody, written by b and c.
  s.access("b::f", "u", "insert");
  s.access("c::f", "u", "update");
  s.close();
  auto facts = loadFactStore(path("seam.db"));
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  Weights w;
  CouplingGraph owner = buildCouplingGraph(*facts, Granularity::kModule, w, DataModel::kOwnerDirected);
  EXPECT_DOUBLE_EQ(dataWeight(owner, "src/a", "src/b"), w["owner_write"]);
  EXPECT_DOUBLE_EQ(dataWeight(owner, "src/a", "src/c"), w["owner_read"]);
  EXPECT_DOUBLE_EQ(dataWeight(owner, "src/b", "src/c"), w["co_write"]);  // only through u
  CouplingGraph pairs = buildCouplingGraph(*facts, Granularity::kModule, w, DataModel::kPairs);
  EXPECT_DOUBLE_EQ(dataWeight(pairs, "src/a", "src/b"), w["co_write"]);
  EXPECT_DOUBLE_EQ(dataWeight(pairs, "src/a", "src/c"), w["read_write"]);
  EXPECT_DOUBLE_EQ(dataWeight(pairs, "src/b", "src/c"), w["read_write"] + w["co_write"]);
}

TEST_F(DecomposerRules, ViewsAreNotOwnedAndTriggersCountForTheirFiringStatement) {
  testing::TestStore s(path("seam.db"));
  for (const char* m : {"src/catalog", "src/reviews", "src/inventory"}) s.module(m);
  s.file("src/catalog/c.cc", "src/catalog");
  s.file("src/reviews/r.cc", "src/reviews");
  s.file("src/inventory/i.cc", "src/inventory");
  s.symbol("catalog::save", "src/catalog/c.cc");
  s.symbol("reviews::add", "src/reviews/r.cc");
  s.symbol("inventory::schema", "src/inventory/i.cc");
  s.symbol("inventory::stockOf", "src/inventory/i.cc");
  s.exec("INSERT INTO db_objects(name, kind, sql) VALUES ('books', 'table', 'CREATE TABLE books(id)'), "
         "('reviews', 'table', 'CREATE TABLE reviews(id)'), ('stock_view', 'view', 'CREATE VIEW stock_view AS ...'), "
         "('rating', 'trigger', 'CREATE TRIGGER rating ...')");
  s.access("catalog::save", "books", "create");
  s.access("catalog::save", "books", "insert");
  s.access("reviews::add", "reviews", "create");
  s.access("reviews::add", "reviews", "insert");
  // The trigger on reviews updates books: the analyzer records it on the
  // firing statement's function, with via = the trigger.
  s.exec("INSERT INTO sql_statements(symbol_id, file_id, line, col, sink, text, complete, parser) "
         "VALUES (" + std::to_string(s.id("reviews::add")) + ", (SELECT id FROM files WHERE path = 'src/reviews/r.cc'), "
         "30, 1, 'exec', 'INSERT INTO reviews ...', 1, 'sqlite')");
  s.exec("INSERT INTO table_access(statement_id, symbol_id, table_name, op, via) VALUES (last_insert_rowid(), " +
         std::to_string(s.id("reviews::add")) + ", 'books', 'update', 'rating')");
  s.access("inventory::schema", "stock_view", "create");
  s.access("inventory::stockOf", "books", "read");
  s.close();
  auto facts = loadFactStore(path("seam.db"));
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  CouplingGraph g = buildCouplingGraph(*facts, Granularity::kModule, Weights(), DataModel::kOwnerDirected);
  EXPECT_EQ(g.tables[*g.find("src/inventory")].count("stock_view"), 0u);
  EXPECT_EQ(g.tables[*g.find("src/reviews")].at("books").writes, 1);
  EXPECT_DOUBLE_EQ(dataWeight(g, "src/catalog", "src/reviews"), Weights()["owner_write"]);
  CouplingGraph pairs = buildCouplingGraph(*facts, Granularity::kModule, Weights(), DataModel::kPairs);
  EXPECT_DOUBLE_EQ(dataWeight(pairs, "src/catalog", "src/reviews"), Weights()["co_write"]);
  DecomposeOptions o;
  o.services = 3;
  o.baselines = false;
  auto d = decompose(g, o);
  ASSERT_TRUE(d.ok()) << d.error().message;
  std::set<std::string> owned;
  for (const TableOwnership& t : d->ownership) owned.insert(t.table);
  EXPECT_EQ(owned, (std::set<std::string>{"books", "reviews"}));
}

// The directory baseline groups a node by the directory holding it, the way
// architecture-recovery studies compare against the source tree.
TEST(DecomposerDirectoryBaseline, GroupsByTheDirectoryHoldingTheNode) {
  auto group = [](std::string name, std::string module) {
    NodeInfo n;
    n.name = std::move(name);
    n.module = std::move(module);
    return directoryPrefix(n);
  };
  // Plain graphs (--graph): module == name.
  EXPECT_EQ(group("builtins/cd.c", "builtins/cd.c"), "builtins");
  EXPECT_EQ(group("lib/readline/history.c", "lib/readline/history.c"), "lib/readline");
  EXPECT_EQ(group("shell.c", "shell.c"), ".");
  EXPECT_EQ(group("itk::ImageBase", "itk::ImageBase"), "itk");
  // A fact store's modules are directories: each is its own group.
  EXPECT_EQ(group("src/catalog", "src/catalog"), "src/catalog");
  EXPECT_EQ(group("src", "src"), "src");
  // File and class nodes of a fact store: their module.
  EXPECT_EQ(group("src/catalog/books.cc", "src/catalog"), "src/catalog");
  EXPECT_EQ(group("bookstore::catalog::Book", "src/catalog"), "src/catalog");
}

// A node whose only coupling went to the shared kernel has no edge left: it
// is alone at any resolution, so --services counts only the communities of
// coupled nodes (otherwise asking for N ends in one giant service plus the
// loners), and says so.
TEST(DecomposerServicesCount, UncoupledNodesAndUnconnectedPartsAreExplained) {
  std::string edges = "# two triangles joined by one edge, a kernel everyone uses, three loners\n";
  for (const char* e : {"a1 a2 5", "a2 a3 5", "a1 a3 5", "b1 b2 5", "b2 b3 5", "b1 b3 5", "a3 b1 1"}) {
    edges += std::string(e) + "\n";
  }
  for (const char* v : {"a1", "a2", "a3", "b1", "b2", "b3", "x", "y", "z"}) edges += std::string(v) + " kernel 1\n";
  auto g = parseEdgeList(edges, "test");
  ASSERT_TRUE(g.ok()) << g.error().message;
  DecomposeOptions o;
  o.exclude.clear();
  o.services = 2;
  auto d = decompose(*g, o);
  ASSERT_TRUE(d.ok()) << d.error().message;
  ASSERT_EQ(d->hubs.size(), 1u);
  std::map<std::string, uint32_t> s;
  for (size_t v = 0; v < d->graph.size(); ++v) s[d->graph.node(v).name] = d->service[v];
  EXPECT_EQ(s["a1"], s["a3"]);
  EXPECT_EQ(s["b1"], s["b3"]);
  EXPECT_NE(s["a1"], s["b1"]);  // the two triangles, not one blob beside the loners
  EXPECT_EQ(std::set<uint32_t>({s["x"], s["y"], s["z"], s["a1"], s["b1"]}).size(), 5u);
  auto noted = [&](const std::string& text) {
    return std::any_of(d->notes.begin(), d->notes.end(), [&](const std::string& n) { return n.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(noted("3 node(s) have no coupling")) << ::testing::PrintToString(d->notes);
  // More services than coupled nodes is impossible; fewer than the unconnected
  // parts is explained.
  o.services = 7;
  EXPECT_FALSE(decompose(*g, o).ok());
  auto split = parseEdgeList("a1 a2 1\nb1 b2 1\nc1 c2 1\n", "test");
  ASSERT_TRUE(split.ok());
  o.services = 2;
  d = decompose(*split, o);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_TRUE(noted("falls into 3 unconnected parts")) << ::testing::PrintToString(d->notes);
}

// CPM's resolution is a density threshold: at the default 1 a unit-weight
// graph falls apart into single nodes, and the note gives the density.
TEST(DecomposerServicesCount, CpmAtTooHighResolutionSaysWhy) {
  auto g = parseEdgeList("a b\nb c\nc a\nc d\nd e\ne f\nf d\n", "test");
  ASSERT_TRUE(g.ok());
  DecomposeOptions o;
  o.exclude.clear();
  o.quality = Quality::kCpm;
  auto d = decompose(*g, o);
  ASSERT_TRUE(d.ok()) << d.error().message;
  ASSERT_FALSE(d->notes.empty());
  EXPECT_NE(d->notes.back().find("left every node alone"), std::string::npos) << d->notes.back();
  o.resolution = 0.3;
  d = decompose(*g, o);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->metrics.services, 2);
}

TEST(DecomposerTruth, ItemsListedTwiceAreReported) {
  auto t = parseTruth("contain a x.c\ncontain b x.c\ncontain b y.c\ncontain b y.c\n", "truth.rsf");
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->warnings.size(), 1u);  // the same cluster twice is harmless
  EXPECT_EQ(t->warnings[0], "truth lists x.c in a and b; using b");
  EXPECT_EQ(t->cluster_of["x.c"], "b");
}

}  // namespace
}  // namespace seam::decomposer
