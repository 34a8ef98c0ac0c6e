// Service declarations: loading, suffix matching, resolution and its errors;
// seam.yaml thresholds; git history reading.
#include "seam/smells/config.h"
#include "seam/smells/git_history.h"
#include "seam/smells/services.h"
#include "test_util.h"

namespace seam::smells::testing {
namespace {

const char* kFacts = R"(
symbols:
  - catalog::list src/catalog/catalog.cc:10
  - orders::place src/orders/orders.cc:10
  - cart::add src/cart/cart.cc:10
external:
  - /usr/include
)";

Expected<Assignment> resolveWith(const std::string& services_yaml, Facts& facts_out) {
  auto dir = freshDir("resolve");
  Options o = storeWith(dir, kFacts, services_yaml);
  auto facts = loadFacts(o.db_path);
  EXPECT_TRUE(facts) << (facts ? "" : facts.error().message);
  facts_out = *facts;
  auto spec = loadServicesYaml(o.services_path);
  if (!spec) return spec.error();
  return Assignment::resolve(*spec, facts_out);
}

TEST(SmellsServices, PathSuffixMatchIsComponentWise) {
  EXPECT_TRUE(pathSuffixMatch("src/orders", "sample-monolith/src/orders"));
  EXPECT_TRUE(pathSuffixMatch("sample-monolith/src/orders/", "src/orders"));
  EXPECT_TRUE(pathSuffixMatch("./src/orders", "src/orders"));
  EXPECT_FALSE(pathSuffixMatch("rc/orders", "src/orders"));
  EXPECT_FALSE(pathSuffixMatch("src/order", "src/orders"));
  EXPECT_FALSE(pathSuffixMatch("", "src"));
}

TEST(SmellsServices, EntriesMatchModulesAndPathsBySuffix) {
  Facts facts;
  auto a = resolveWith("services:\n  catalog: [sample-monolith/src/catalog]\n  sales: [orders, src/cart/cart.cc]\n", facts);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->name(a->serviceOfPath("src/catalog/catalog.cc")), "catalog");
  EXPECT_EQ(a->name(a->serviceOfPath("repo/src/orders/orders.cc")), "sales");
  EXPECT_EQ(a->name(a->serviceOfPath("src/orders/new_file.cc")), "sales");  // not in the store: by entry
  EXPECT_EQ(a->serviceOfPath("docs/readme.md"), Assignment::kUnassigned);
  EXPECT_TRUE(a->unassignedModules().empty());  // the external module is not reported
}

TEST(SmellsServices, UncoveredModulesAreListed) {
  Facts facts;
  auto a = resolveWith("services:\n  catalog: [src/catalog]\n", facts);
  ASSERT_TRUE(a) << a.error().message;
  std::vector<std::string> names;
  for (int64_t m : a->unassignedModules()) names.push_back(facts.module(m)->name);
  EXPECT_EQ(names, (std::vector<std::string>{"src/orders", "src/cart"}));
}

TEST(SmellsServices, BadDeclarationsAreOneLineErrors) {
  Facts facts;
  struct Case {
    const char* yaml;
    const char* message_part;
  } cases[] = {
      {"services:\n  catalog: [src/nowhere]\n", "'src/nowhere' matches no module or file"},
      {"services:\n  a: [src]\n  b: [src/orders]\n", "overlap"},
      {"services:\n  unassigned: [src/orders]\n", "reserved"},
      {"services: [src/orders]\n", "non-empty `services:` map"},
      {"services:\n  a: {paths: [src/orders], owner: x}\n", "unknown key 'owner'"},
      {"services:\n  a: [src/orders\n", "invalid YAML"},
      {"services:\n  a: {paths: [src/orders], tables: [t]}\n  b: {paths: [src/cart], tables: [T]}\n", "owned by both"},
  };
  for (const auto& c : cases) {
    auto a = resolveWith(c.yaml, facts);
    ASSERT_FALSE(a) << c.yaml;
    EXPECT_NE(a.error().message.find(c.message_part), std::string::npos) << a.error().message;
    EXPECT_EQ(a.error().message.find('\n'), std::string::npos) << a.error().message;
  }
}

TEST(SmellsServices, PlanJsonServicesModulesAndTables) {
  auto dir = freshDir("plan");
  Options o = storeWith(dir, kFacts, "services: {x: [src]}\n");
  writeFile(dir / "plan.json", R"({"version": 1, "services": [
      {"name": "catalog", "modules": ["src/catalog"], "tables": ["books"]},
      {"name": "sales", "modules": [{"name": "src/orders"}, "src/cart"], "owned_tables": [{"name": "orders"}]},
      {"name": "empty", "modules": []}]})");
  auto spec = loadPlanJson((dir / "plan.json").string());
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(spec->services.size(), 2u);
  EXPECT_EQ(spec->services[1].owned_tables, (std::vector<std::string>{"orders"}));

  writeFile(dir / "bad.json", R"({"services": [{"name": "x", "modules": ["src/mars"]}]})");
  auto facts = loadFacts(o.db_path);
  auto bad = loadPlanJson((dir / "bad.json").string());
  ASSERT_TRUE(bad);
  auto a = Assignment::resolve(*bad, *facts);
  ASSERT_FALSE(a);
  EXPECT_NE(a.error().message.find("src/mars"), std::string::npos);

  // Plan modules are module names: "src" is the module of files directly in src/, not a directory prefix.
  {
    auto d2 = freshDir("plan-src");
    Options o2 = storeWith(d2, "symbols:\n  - main src/main.cc:1\n  - orders::f src/orders/o.cc:1\n", "services: {x: [src]}\n");
    writeFile(d2 / "plan.json", R"({"format": "seam-plan", "version": 1, "services": [
        {"name": "app", "modules": ["src"]}, {"name": "orders", "modules": ["src/orders"]}]})");
    auto f2 = loadFacts(o2.db_path);
    auto p2 = loadPlanJson((d2 / "plan.json").string());
    ASSERT_TRUE(f2 && p2);
    auto a2 = Assignment::resolve(*p2, *f2);
    ASSERT_TRUE(a2) << a2.error().message;
    EXPECT_EQ(a2->name(a2->serviceOfPath("src/orders/o.cc")), "orders");
    EXPECT_EQ(a2->name(a2->serviceOfPath("src/main.cc")), "app");
  }

  writeFile(dir / "foreign.json", R"({"format": "other", "services": []})");
  auto foreign = loadPlanJson((dir / "foreign.json").string());
  ASSERT_FALSE(foreign);
  EXPECT_NE(foreign.error().message.find("seam-plan"), std::string::npos);

  // At file granularity the services' files decide.
  writeFile(dir / "files.json", R"({"format": "seam-plan", "version": 1, "input": {"granularity": "file"},
      "services": [{"name": "a", "modules": ["src/orders", "src/cart"], "files": ["src/cart/cart.cc"]},
                   {"name": "b", "modules": ["src/orders"], "files": ["src/orders/orders.cc"]}]})");
  auto by_files = loadPlanJson((dir / "files.json").string());
  ASSERT_TRUE(by_files) << by_files.error().message;
  EXPECT_EQ(by_files->services[0].entries, (std::vector<std::string>{"src/cart/cart.cc"}));

  writeFile(dir / "broken.json", "{\"services\": ");
  EXPECT_FALSE(loadPlanJson((dir / "broken.json").string()));
  writeFile(dir / "other.json", "{\"nodes\": []}");
  EXPECT_FALSE(loadPlanJson((dir / "other.json").string()));
}

TEST(SmellsServices, FactStoreMustBeSeams) {
  auto dir = freshDir("foreign");
  writeFile(dir / "not.db", "hello, not sqlite at all, but long enough to be read as a header......");
  auto f = loadFacts((dir / "not.db").string());
  ASSERT_FALSE(f);
  EXPECT_NE(f.error().message.find("not.db"), std::string::npos);
  EXPECT_FALSE(loadFacts((dir / "missing.db").string()));
  // The read-only open never creates the file.
  EXPECT_FALSE(std::filesystem::exists(dir / "missing.db"));
}

TEST(SmellsConfig, ReadsTheSmellsSectionAndRejectsTypos) {
  auto dir = freshDir("config");
  writeFile(dir / "seam.yaml", "analyze: {jobs: 2}\nsmells:\n  chain_min_services: 5\n  utility_modules: [x]\n");
  auto c = loadConfig((dir / "seam.yaml").string());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->chain_min_services, 5);
  EXPECT_EQ(c->utility_modules, (std::vector<std::string>{"x"}));
  writeFile(dir / "typo.yaml", "smells:\n  chain_min_service: 5\n");
  auto t = loadConfig((dir / "typo.yaml").string());
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message.find("chain_min_service"), std::string::npos);
  writeFile(dir / "type.yaml", "smells:\n  hub_factor: lots\n");
  EXPECT_FALSE(loadConfig((dir / "type.yaml").string()));
  writeFile(dir / "range.yaml", "smells:\n  lockstep_min_degree: 2\n");
  EXPECT_FALSE(loadConfig((dir / "range.yaml").string()));
}

TEST(SmellsGit, ParsesLogRecordsAndRejectsNonRepositories) {
  auto commits = parseGitLog("\x1e" "aaa\n\nsrc/a.cc\nsrc/b.cc\n\x1e" "bbb\n\nsrc/c.cc\n");
  ASSERT_EQ(commits.size(), 2u);
  EXPECT_EQ(commits[0].hash, "aaa");
  EXPECT_EQ(commits[0].files, (std::vector<std::string>{"src/a.cc", "src/b.cc"}));
  EXPECT_EQ(commits[1].files, (std::vector<std::string>{"src/c.cc"}));

  auto dir = freshDir("nogit");
  auto h = readGitHistory(dir.string(), 10);
  ASSERT_FALSE(h);
  EXPECT_NE(h.error().message.find("not a git repository"), std::string::npos);
}

}  // namespace
}  // namespace seam::smells::testing
