// Fact store -> graph -> decomposition -> plan, on a miniature bookstore built
// with the real schema; plus the text inputs and bad-input handling.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "seam/decomposer/cochange.h"
#include "seam/decomposer/decompose.h"
#include "seam/decomposer/fact_store.h"
#include "seam/decomposer/inputs.h"
#include "seam/decomposer/plan.h"
#include "seam/decomposer/project_config.h"
#include "seam/decomposer/traffic.h"
#include "test_store.h"

namespace seam::decomposer {
namespace {

namespace fs = std::filesystem;

class DecomposerPipeline : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("seam-dec-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string miniStore() {
    testing::TestStore s(path("seam.db"));
    testing::buildMiniBookstore(s);
    s.close();
    return path("seam.db");
  }
  fs::path dir_;
};

std::map<std::string, std::string> serviceOf(const Decomposition& d) {
  std::map<std::string, std::string> out;
  for (size_t v = 0; v < d.graph.size(); ++v) out[d.graph.node(v).name] = d.service_names[d.service[v]];
  return out;
}

TEST_F(DecomposerPipeline, LoadsFactStoreAndBuildsModuleGraph) {
  auto facts = loadFactStore(miniStore());
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  CouplingGraph g = buildCouplingGraph(*facts, Granularity::kModule, Weights());
  EXPECT_EQ(g.size(), 5u);  // the external module is left out
  EXPECT_FALSE(g.find("/usr/include"));
  ASSERT_TRUE(g.find("src/orders") && g.find("src/catalog"));
  auto [e, found] = boost::edge(*g.find("src/orders"), *g.find("src/catalog"), g.graph);
  ASSERT_TRUE(found);
  // One call (weight 1) + orders reads books that catalog writes (read_write = 3).
  EXPECT_DOUBLE_EQ(g.graph[e].structural, 1.0);
  EXPECT_DOUBLE_EQ(g.graph[e].data, 3.0);
  EXPECT_EQ(g.node(*g.find("src/catalog")).lines, 300);
}

TEST_F(DecomposerPipeline, ClassAndFileGranularity) {
  auto facts = loadFactStore(miniStore());
  ASSERT_TRUE(facts.ok());
  CouplingGraph classes = buildCouplingGraph(*facts, Granularity::kClass, Weights());
  EXPECT_TRUE(classes.find("orders::Service"));
  EXPECT_TRUE(classes.find("src/common/db.cc"));  // the free function common::log lives in its file node
  CouplingGraph files = buildCouplingGraph(*facts, Granularity::kFile, Weights());
  EXPECT_TRUE(files.find("src/orders/orders.cc"));
}

TEST_F(DecomposerPipeline, DecomposesMiniBookstoreWithHubAsSharedKernel) {
  auto facts = loadFactStore(miniStore());
  ASSERT_TRUE(facts.ok());
  CouplingGraph g = buildCouplingGraph(*facts, Granularity::kModule, Weights());
  DecomposeOptions o;
  auto d = decompose(g, o);
  ASSERT_TRUE(d.ok()) << d.error().message;
  ASSERT_EQ(d->hubs.size(), 1u);
  EXPECT_EQ(d->graph.node(d->hubs[0].node).name, "src/common");
  ASSERT_TRUE(d->kernel);
  // payments calls orders and the kernel and nobody calls it: a leaf, not a
  // composition root, because calls into the kernel do not count.
  EXPECT_TRUE(d->roots.empty());
  EXPECT_EQ(detectCompositionRoots(g).size(), 1u);  // counting the kernel, payments would be one
  auto s = serviceOf(*d);
  EXPECT_EQ(s["src/common"], "shared-kernel");
  // Every table has one owner; the writer owns it, not the kernel that creates all.
  std::map<std::string, std::string> owner;
  for (const TableOwnership& t : d->ownership) owner[t.table] = d->service_names[t.owner];
  EXPECT_EQ(owner["books"], s["src/catalog"]);
  EXPECT_EQ(owner["users"], s["src/users"]);
  EXPECT_EQ(owner["payments"], s["src/payments"]);
  EXPECT_EQ(owner.size(), 5u);
  // Baselines are always reported.
  std::set<std::string> names;
  for (const Baseline& b : d->baselines) names.insert(b.name);
  EXPECT_TRUE(names.count("one-service") && names.count("directory-prefix") && names.count("structure-only"));
  EXPECT_TRUE(names.count("leiden-keep-hubs"));
}

TEST_F(DecomposerPipeline, ServicesCountPinApartAndFixed) {
  auto facts = loadFactStore(miniStore());
  ASSERT_TRUE(facts.ok());
  CouplingGraph g = buildCouplingGraph(*facts, Granularity::kModule, Weights());
  DecomposeOptions o;
  o.services = 4;
  auto d = decompose(g, o);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->service_names.size(), 5u);  // four services + the shared kernel
  auto s = serviceOf(*d);
  EXPECT_EQ(std::set<std::string>({s["src/catalog"], s["src/orders"], s["src/users"], s["src/payments"]}).size(), 4u);
  EXPECT_EQ(s["src/orders"], "orders");  // named after the dominant module

  DecomposeOptions pin;
  pin.services = 4;
  pin.pin = {{"src/users", "src/payments"}};
  pin.apart = {{"src/orders", "src/catalog"}};
  d = decompose(g, pin);
  ASSERT_TRUE(d.ok()) << d.error().message;
  s = serviceOf(*d);
  EXPECT_EQ(s["src/users"], s["src/payments"]);
  EXPECT_NE(s["src/orders"], s["src/catalog"]);

  DecomposeOptions fixed;
  fixed.fixed = {{"src/orders", "checkout"}, {"src/payments", "checkout"}};
  d = decompose(g, fixed);
  ASSERT_TRUE(d.ok()) << d.error().message;
  s = serviceOf(*d);
  EXPECT_EQ(s["src/orders"], "checkout");
  EXPECT_EQ(s["src/payments"], "checkout");
}

TEST_F(DecomposerPipeline, ImpossibleConstraintsAreErrors) {
  auto facts = loadFactStore(miniStore());
  ASSERT_TRUE(facts.ok());
  CouplingGraph g = buildCouplingGraph(*facts, Granularity::kModule, Weights());
  DecomposeOptions both;
  both.pin = {{"src/orders", "src/catalog"}};
  both.apart = {{"src/catalog", "src/orders"}};
  auto d = decompose(g, both);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::kConflict);
  EXPECT_NE(d.error().message.find("src/catalog"), std::string::npos);
  DecomposeOptions too_many;
  too_many.services = 50;
  d = decompose(g, too_many);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::kConflict);
  DecomposeOptions unknown;
  unknown.pin = {{"src/nope", "src/orders"}};
  d = decompose(g, unknown);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message.find("src/nope"), std::string::npos);
}

TEST_F(DecomposerPipeline, TruthGivesMojoFm) {
  auto facts = loadFactStore(miniStore());
  ASSERT_TRUE(facts.ok());
  auto truth = parseTruth(
      "services:\n  catalog: {modules: [src/catalog], tables: [books]}\n  orders: {modules: [src/orders, src/payments]}\n"
      "  users: {modules: [src/users]}\nshared_kernel: [src/common]\n",
      "truth.yaml");
  ASSERT_TRUE(truth.ok()) << truth.error().message;
  EXPECT_EQ(truth->tables["catalog"], std::vector<std::string>{"books"});
  DecomposeOptions o;
  o.truth = *truth;
  auto d = decompose(buildCouplingGraph(*facts, Granularity::kModule, Weights()), o);
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(d->metrics.mojofm);
  EXPECT_GE(*d->metrics.mojofm, 0.0);
  EXPECT_LE(*d->metrics.mojofm, 100.0);
  auto rsf = parseTruth("contain a x\ncontain b y\n", "t.rsf");
  ASSERT_TRUE(rsf.ok());
  EXPECT_EQ(rsf->cluster_of["y"], "b");
}

TEST_F(DecomposerPipeline, PlanJsonRoundTripsIntoSteps) {
  auto facts = loadFactStore(miniStore());
  ASSERT_TRUE(facts.ok());
  CouplingGraph g = buildCouplingGraph(*facts, Granularity::kModule, Weights());
  DecomposeOptions o;
  o.services = 4;
  auto d = decompose(g, o);
  ASSERT_TRUE(d.ok());
  nlohmann::json plan = toPlanJson(*d, &*facts, "seam.db");
  EXPECT_EQ(plan["format"], "seam-plan");
  EXPECT_EQ(plan["version"], kPlanVersion);
  EXPECT_EQ(plan["services"].size(), 4u);
  EXPECT_EQ(plan["shared_kernel"][0]["node"], "src/common");
  EXPECT_EQ(plan["tables"].size(), 5u);
  // Steps: one fewer than the services (the last one left is the monolith).
  ASSERT_EQ(plan["steps"].size(), 3u);
  // Users is depended on by one call from orders; payments shares the orders
  // table with orders (co-write, 10, half of it counted towards each side).
  EXPECT_EQ(plan["steps"][0]["service"], "users");
  EXPECT_EQ(plan["steps"][0]["routes"][0], "GET /users/:id");
  EXPECT_EQ(plan["steps"][0]["depended_on"], 1.0);
  for (const auto& s : plan["steps"]) {
    EXPECT_GE(s["risk"].get<double>(), 0.0);
    EXPECT_LE(s["risk"].get<double>(), 1.0);
  }
  // Orders' API surface includes a function payments calls.
  bool found = false;
  for (const auto& s : plan["services"]) {
    if (s["name"] != "orders") continue;
    for (const auto& f : s["api"]["functions"]) found |= f["name"] == "orders::Service::load";
  }
  EXPECT_TRUE(found);

  ASSERT_TRUE(writeTextFileAtomically(path("plan.json"), plan.dump(2)).ok());
  auto back = readPlanFile(path("plan.json"));
  ASSERT_TRUE(back.ok());
  auto a = assignmentFromPlan(*back, g);
  ASSERT_TRUE(a.ok()) << a.error().message;
  auto steps = extractionSteps(g, *a, &*facts);
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].service, "users");
  std::ostringstream summary;
  printPlanSummary(*back, summary);
  EXPECT_NE(summary.str().find("shared kernel"), std::string::npos);
  EXPECT_NE(summary.str().find("directory-prefix"), std::string::npos);
}

TEST_F(DecomposerPipeline, BadFactStoresAreOneLineErrors) {
  EXPECT_NE(loadFactStore(path("missing.db")).error().message.find("no such"), std::string::npos);
  { std::ofstream(path("empty.db")); }
  EXPECT_FALSE(loadFactStore(path("empty.db")).ok());
  { std::ofstream(path("text.db")) << "hello, not sqlite at all, but long enough to be read as a header........"; }
  EXPECT_FALSE(loadFactStore(path("text.db")).ok());
  {
    testing::TestStore s(path("old.db"));
    s.exec("PRAGMA user_version = 0");
  }
  auto old = loadFactStore(path("old.db"));
  ASSERT_FALSE(old.ok());
  EXPECT_NE(old.error().message.find("schema version 0"), std::string::npos);
  {
    testing::TestStore s(path("foreign.db"));
    s.exec("PRAGMA application_id = 7");
  }
  EXPECT_NE(loadFactStore(path("foreign.db")).error().message.find("application_id"), std::string::npos);
  { testing::TestStore s(path("nothing.db")); }
  EXPECT_NE(loadFactStore(path("nothing.db")).error().message.find("no analyzed symbols"), std::string::npos);
}

TEST_F(DecomposerPipeline, WeightsParsing) {
  Weights w;
  EXPECT_TRUE(w.apply("call=2,co_write=20").ok());
  EXPECT_EQ(w["call"], 2);
  EXPECT_EQ(w["co_write"], 20);
  EXPECT_FALSE(w.apply("bogus=1").ok());
  EXPECT_FALSE(w.apply("call=abc").ok());
  EXPECT_FALSE(w.apply("call=-1").ok());
  EXPECT_FALSE(w.apply("call").ok());
  EXPECT_EQ(w.structureOnly()["co_write"], 0);
}

TEST_F(DecomposerPipeline, ProjectConfigParsing) {
  auto c = parseProjectConfig(
      "exclude: ['^services/']\n"  // other sections belong to other commands
      "decompose:\n"
      "  weights: {co_read: 0.5}\n"
      "  data_coupling: owner\n"
      "  quality: cpm\n"
      "  resolution: 2.5\n"
      "  services: 7\n"
      "  pin: [[src/cart, src/orders], [a, b, c]]\n"
      "  apart: [[src/orders, src/payments]]\n",
      "seam.yaml");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->weights["co_read"], 0.5);
  EXPECT_EQ(c->weights["co_write"], Weights()["co_write"]);
  EXPECT_EQ(c->data_coupling, "owner");
  EXPECT_EQ(c->quality, "cpm");
  EXPECT_EQ(c->resolution, 2.5);
  EXPECT_EQ(c->services, 7u);
  ASSERT_EQ(c->pin.size(), 2u);
  EXPECT_EQ(c->pin[1], (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(c->apart.size(), 1u);
  EXPECT_EQ(c->apart[0], (std::pair<std::string, std::string>{"src/orders", "src/payments"}));
  EXPECT_TRUE(c->hasDecisions());

  auto none = parseProjectConfig("sql: {builders: []}\n", "seam.yaml");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->hasDecisions());

  // Each mistake names the key: a typo must not silently change a plan.
  const std::pair<std::string, std::string> bad[] = {
      {"decompose:\n  servces: 3\n", "decompose.servces: unknown key"},
      {"decompose:\n  weights: {co_read: lots}\n", "decompose.weights.co_read"},
      {"decompose:\n  weights: {bogus: 1}\n", "bogus"},
      {"decompose:\n  resolution: high\n", "decompose.resolution"},
      {"decompose:\n  resolution: -1\n", "decompose.resolution must be > 0"},
      {"decompose:\n  services: 0\n", "decompose.services must be >= 1"},
      {"decompose:\n  data_coupling: both\n", "decompose.data_coupling"},
      {"decompose:\n  pin: [a, b]\n", "decompose.pin must be a list of lists"},
      {"decompose:\n  pin: [[a]]\n", "at least two names"},
      {"decompose:\n  apart: [[a, b, c]]\n", "a pair [A, B]"},
      {"decompose:\n  apart: [[a, a]]\n", "cannot be apart from itself"},
      {"decompose: [1, 2]\n", "decompose must be a map"},
      {"decompose: {pin: [[a, b]\n", "seam.yaml: "},
  };
  for (const auto& [text, says] : bad) {
    auto r = parseProjectConfig(text, "seam.yaml");
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_NE(r.error().message.find(says), std::string::npos) << text << " -> " << r.error().message;
  }
  EXPECT_FALSE(readProjectConfig(path("missing.yaml")).ok());
}

TEST_F(DecomposerPipeline, EdgeListsTsvAndRsf) {
  auto g = parseEdgeList("# comment\na\tb\t2.5\nb c\ndepends c a\ncontain X a\n", "g.tsv");
  ASSERT_TRUE(g.ok()) << g.error().message;
  EXPECT_EQ(g->size(), 3u);
  EXPECT_DOUBLE_EQ(g->totalWeight(), 4.5);
  EXPECT_FALSE(parseEdgeList("a b nan\n", "g.tsv").ok());
  EXPECT_FALSE(parseEdgeList("a b c d\n", "g.tsv").ok());
  EXPECT_FALSE(parseEdgeList("", "g.tsv").ok());
}

TEST_F(DecomposerPipeline, CoChangeFollowsCodeMaatThresholds) {
  auto facts = loadFactStore(miniStore());
  ASSERT_TRUE(facts.ok());
  CouplingGraph g = buildCouplingGraph(*facts, Granularity::kModule, Weights());
  std::vector<Changeset> history;
  for (int i = 0; i < 6; ++i) history.push_back({"repo/src/orders/orders.cc", "repo/src/payments/payments.cc"});
  for (int i = 0; i < 6; ++i) history.push_back({"src/users/users.cc"});
  history.push_back({"src/users/users.cc", "src/catalog/catalog.cc"});
  Changeset huge;
  for (int i = 0; i < 40; ++i) huge.push_back("src/catalog/catalog.cc");
  history.push_back(huge);
  CoChangeOptions o;
  CoChangeResult r = coChange(g, *facts, history, o);
  EXPECT_EQ(r.skipped_large, 1u);
  ASSERT_EQ(r.pairs.size(), 1u);  // users-catalog shares one revision only
  EXPECT_DOUBLE_EQ(r.pairs[0].degree, 100.0);
  EXPECT_EQ(parseGitLog("\x1e\nsrc/a.cc\nsrc/b.cc\n\x1e\nsrc/c.cc\n").size(), 2u);
  EXPECT_FALSE(readGitHistory(path("not-a-repo")).ok());
}

TEST_F(DecomposerPipeline, TrafficInputFormats) {
  auto t = parseTraffic("{\"method\":\"get\",\"path\":\"/books\",\"count\":90}\n{\"route\":\"POST /orders\",\"count\":10}\n"
                        "GET\t/users/:id\t5\n",
                        "t");
  ASSERT_TRUE(t.ok()) << t.error().message;
  ASSERT_EQ(t->size(), 3u);
  EXPECT_EQ((*t)[0].method, "GET");
  EXPECT_EQ((*t)[1].path, "/orders");
  EXPECT_FALSE(parseTraffic("{\"path\":\"/x\"}\n", "t").ok());
  EXPECT_FALSE(parseTraffic("GET /x many\n", "t").ok());
  auto facts = loadFactStore(miniStore());
  ASSERT_TRUE(facts.ok());
  CouplingGraph g = buildCouplingGraph(*facts, Granularity::kModule, Weights());
  double before = g.totalWeight();
  TrafficResult r = applyTraffic(g, *facts, *t, 1.0);
  EXPECT_EQ(r.matched_routes, 3u);
  EXPECT_GT(g.totalWeight(), before);  // orders' handler reaches catalog and users
}

// The CLI: exit codes and one-line errors (docs/exit-codes.md).
int runSeam(const std::string& args) {
  int rc = std::system((std::string(SEAM_BIN) + " " + args + " >/dev/null 2>&1").c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

TEST_F(DecomposerPipeline, CliExitCodes) {
  if (!fs::exists(SEAM_BIN)) GTEST_SKIP() << "build the seam target first: " << SEAM_BIN;
  std::string db = miniStore();
  EXPECT_EQ(runSeam("decompose --db " + db + " -o " + path("plan.json") + " -q"), 0);
  EXPECT_TRUE(fs::exists(path("plan.json")));
  EXPECT_EQ(runSeam("plan --show " + path("plan.json")), 0);
  EXPECT_EQ(runSeam("show plan --plan " + path("plan.json")), 0);
  EXPECT_EQ(runSeam("show plan --plan " + path("missing.json")), 3);
  EXPECT_EQ(runSeam("plan --db " + db + " --plan " + path("plan.json") + " -o " + path("steps.json")), 0);
  EXPECT_TRUE(fs::exists(path("steps.json")));
  EXPECT_EQ(runSeam("decompose --db " + path("missing.db") + " -o " + path("x.json")), 3);
  EXPECT_EQ(runSeam("decompose --db " + db + " --weights call=oops -o " + path("x.json")), 2);
  EXPECT_EQ(runSeam("decompose --db " + db + " --pin src/orders,src/users --apart src/users,src/orders -o " +
                    path("x.json")),
            3);
  EXPECT_EQ(runSeam("decompose --db " + db + " --services 99 -o " + path("x.json")), 3);
  EXPECT_FALSE(fs::exists(path("x.json")));  // failed runs write nothing
  EXPECT_EQ(runSeam("plan --show " + db), 3);
}

// Without --config, the seam.yaml at the analysed project's root applies (as
// for `seam analyze`); its decisions are reported, and a flag overrides them.
TEST_F(DecomposerPipeline, CliReadsProjectSeamYamlAtTheAnalysedRoot) {
  if (!fs::exists(SEAM_BIN)) GTEST_SKIP() << "build the seam target first: " << SEAM_BIN;
  fs::create_directories(path("project"));
  {
    testing::TestStore s(path("seam.db"));
    testing::buildMiniBookstore(s);
    s.exec("INSERT OR REPLACE INTO meta VALUES ('project_root', '" + path("project") + "')");
  }
  std::ofstream(path("project/seam.yaml")) << "decompose:\n  services: 3\n  pin: [[src/users, src/payments]]\n";
  auto plan = [&](const std::string& flags) {
    EXPECT_EQ(runSeam("decompose --db " + path("seam.db") + " -o " + path("plan.json") + " " + flags), 0) << flags;
    std::ifstream in(path("plan.json"));
    return nlohmann::json::parse(in);
  };
  auto serviceCount = [](const nlohmann::json& p) {
    size_t n = 0;
    for (const auto& s : p["services"]) n += s["name"] != "shared-kernel" && s["name"] != "outside-services";
    return n;
  };
  auto together = [](const nlohmann::json& p, const std::string& a, const std::string& b) {
    for (const auto& s : p["services"]) {
      std::set<std::string> nodes;
      for (const auto& n : s["nodes"]) nodes.insert(n.get<std::string>());
      if (nodes.count(a)) return nodes.count(b) > 0;
    }
    return false;
  };
  nlohmann::json p = plan("");
  EXPECT_EQ(serviceCount(p), 3u);
  EXPECT_TRUE(together(p, "src/users", "src/payments"));
  EXPECT_NE(p["notes"].dump().find("decisions from " + path("project/seam.yaml")), std::string::npos) << p["notes"];
  // The command line adds to pin/apart (a contradiction is an error) and
  // replaces the scalars.
  EXPECT_EQ(runSeam("decompose --db " + path("seam.db") + " -o " + path("x.json") + " --apart src/users,src/payments"), 3);
  p = plan("--services 2");
  EXPECT_EQ(serviceCount(p), 2u);
  // A broken project file is a one-line error, not a silent default run.
  std::ofstream(path("project/seam.yaml")) << "decompose:\n  resolution: [\n";
  EXPECT_EQ(runSeam("decompose --db " + path("seam.db") + " -o " + path("x.json")), 3);
  EXPECT_FALSE(fs::exists(path("x.json")));
}

// Each bad input of issue #4 is one line on stderr, `seam decompose: ...`,
// naming the problem, and a non-zero exit code.
TEST_F(DecomposerPipeline, CliBadInputIsOneLineError) {
  if (!fs::exists(SEAM_BIN)) GTEST_SKIP() << "build the seam target first: " << SEAM_BIN;
  std::string db = miniStore();
  { testing::TestStore s(path("foreign.db")); s.exec("PRAGMA application_id = 7"); }
  const std::string older = std::to_string(factstore::schemaVersion() - 1);
  { testing::TestStore s(path("old.db")); s.exec("PRAGMA user_version = " + older); }
  { std::ofstream(path("empty.db")); }
  struct Case {
    std::string args;
    int code;
    std::string says;
  } cases[] = {
      {"--db " + path("empty.db"), 3, "empty"},
      {"--db " + path("foreign.db"), 3, "application_id"},
      {"--db " + path("old.db"), 3, "schema version " + older},
      {"--db " + db + " --weights co_write=-3", 2, "co_write"},
      {"--db " + db + " --weights nonsense=1", 2, "unknown weight kind"},
      {"--db " + db + " --pin src/orders,src/users --apart src/users,src/orders", 3, "apart"},
      {"--db " + db + " --services 99", 3, "--services 99"},
  };
  for (const Case& c : cases) {
    std::string err = path("err.txt");
    int rc = std::system((std::string(SEAM_BIN) + " decompose " + c.args + " -o " + path("x.json") + " >/dev/null 2>" + err).c_str());
    EXPECT_EQ(WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, c.code) << c.args;
    std::ifstream in(err);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text.rfind("seam decompose: ", 0), 0u) << text;
    EXPECT_NE(text.find(c.says), std::string::npos) << c.args << ": " << text;
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
  }
  EXPECT_FALSE(fs::exists(path("x.json")));
}

}  // namespace
}  // namespace seam::decomposer
