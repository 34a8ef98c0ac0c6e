// End to end on the sample bookstore: `seam analyze` its compile database,
// decompose with default settings, and compare with the architecture the
// bookstore was written to (sample-monolith/architecture.yaml): the shared
// kernel, the composition root and the load driver outside the services, one
// owner per table (the architecture's, no view owned), MoJoFM measured.
// Skips (GTEST_SKIP) while the bookstore or `seam analyze` is not available.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "seam/decomposer/decompose.h"
#include "seam/decomposer/fact_store.h"
#include "seam/decomposer/inputs.h"
#include "seam/decomposer/project_config.h"

namespace seam::decomposer {
namespace {

namespace fs = std::filesystem;

int run(const std::string& cmd) {
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

// The bookstore's fact store and its architecture. CTest hands over the
// store its bookstore_facts fixture analysed once; run by hand, the test
// analyses the bookstore itself into a scratch directory.
class DecomposerBookstore : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string compile_db = std::string(SEAM_BUILD_DIR) + "/bookstore/compile_commands.json";
    const std::string truth_path = std::string(SEAM_SOURCE_DIR) + "/sample-monolith/architecture.yaml";
    if (!fs::exists(compile_db)) GTEST_SKIP() << "bookstore not built: " << compile_db;
    if (!fs::exists(truth_path)) GTEST_SKIP() << "no " << truth_path;
    if (run(std::string(SEAM_BIN) + " analyze --help >/dev/null 2>&1") != 0) GTEST_SKIP() << "seam analyze not available";
    if (const char* given = std::getenv("SEAM_BOOKSTORE_DB"); given && fs::exists(given)) {
      db_ = given;
    } else {
      scratch_ = fs::temp_directory_path() / ("seam-dec-bookstore-" + std::to_string(::getpid()));
      fs::create_directories(scratch_);
      db_ = (scratch_ / "seam.db").string();
      ASSERT_EQ(run(std::string(SEAM_BIN) + " analyze -p " + std::string(SEAM_BUILD_DIR) + "/bookstore --db " + db_ +
                    " >/dev/null 2>&1"),
                0);
    }
    auto facts = loadFactStore(db_);
    ASSERT_TRUE(facts.ok()) << facts.error().message;
    facts_ = std::move(*facts);
    auto truth = readTruthFile(truth_path);
    ASSERT_TRUE(truth.ok()) << truth.error().message;
    truth_ = std::move(*truth);
  }
  void TearDown() override {
    if (!scratch_.empty()) fs::remove_all(scratch_);
  }
  std::string db_;
  fs::path scratch_;
  Facts facts_;
  Truth truth_;
};

TEST_F(DecomposerBookstore, DefaultDecompositionMatchesArchitecture) {
  DecomposeOptions o;
  o.truth = truth_;
  Weights w;
  CouplingGraph structure_only = buildCouplingGraph(facts_, Granularity::kModule, w.structureOnly());
  auto d = decompose(buildCouplingGraph(facts_, Granularity::kModule, w), o, &structure_only);
  ASSERT_TRUE(d.ok()) << d.error().message;
  // The hub every module uses is the shared kernel, as the architecture says.
  ASSERT_EQ(d->hubs.size(), 1u);
  EXPECT_EQ(d->graph.node(d->hubs[0].node).name, "src/common");
  // main.cc/seed.cc wire every module: a composition root, not a service; the
  // load generator under tools/ is non-production code.
  ASSERT_EQ(d->roots.size(), 1u);
  EXPECT_EQ(d->graph.node(d->roots[0].node).name, "src");
  ASSERT_EQ(d->excluded.size(), 1u);
  EXPECT_EQ(d->graph.node(d->excluded[0]).name, "tools/load");
  for (size_t v = 0; v < d->graph.size(); ++v) {
    const std::string& name = d->graph.node(v).name;
    if (name == "src" || name == "tools/load") {
      EXPECT_EQ(d->service[v], *d->outside) << name;
    }
  }
  // Every table the architecture lists gets one owner: the service holding the
  // module the architecture gives it to. The view is not an owned table.
  std::map<std::string, uint32_t> owner;
  for (const TableOwnership& t : d->ownership) EXPECT_TRUE(owner.emplace(t.table, t.owner).second) << t.table;
  EXPECT_EQ(owner.count("book_stock_view"), 0u);
  for (const auto& [service, tables] : truth_.tables) {
    for (const std::string& t : tables) {
      ASSERT_TRUE(owner.count(t)) << t << " (" << service << ") has no owner";
      bool holds_truth_module = false;
      for (size_t v = 0; v < d->graph.size(); ++v) {
        if (d->service[v] == owner[t] && truth_.clusterOfNode(d->graph.node(v)) == service) holds_truth_module = true;
      }
      EXPECT_TRUE(holds_truth_module) << t << " is owned by " << d->service_names[owner[t]] << ", not by " << service;
    }
  }
  // MoJoFM against the architecture, recorded; it beats the one-service
  // baseline. The >= 90 target is NOT met with default settings: see
  // docs/decomposer.md, "Measured on the bookstore", for why.
  ASSERT_TRUE(d->metrics.mojofm);
  ::testing::Test::RecordProperty("mojofm", std::to_string(*d->metrics.mojofm));
  const Baseline* one = nullptr;
  for (const Baseline& b : d->baselines) if (b.name == "one-service") one = &b;
  ASSERT_NE(one, nullptr);
  EXPECT_GT(*d->metrics.mojofm, *one->metrics.mojofm);
}

// The architecture makes three decisions the code does not show
// (docs/decomposer.md, "Measured on the bookstore"): payments apart from
// orders (PCI scope), cart with orders (the sales context), seven services.
// Given those as a project's seam.yaml would declare them, the decomposer
// finds everything else from the code: catalog+reviews, customers+
// notifications, inventory, shipping and reporting each on their own,
// inventory apart from orders despite their shared writes.
TEST_F(DecomposerBookstore, ArchitectureDecisionsRecoverTheArchitecture) {
  auto config = parseProjectConfig(
      "decompose:\n  services: 7\n  pin: [[src/cart, src/orders]]\n  apart: [[src/orders, src/payments]]\n",
      "seam.yaml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  DecomposeOptions o;
  o.truth = truth_;
  o.services = config->services;
  o.pin = config->pin;
  o.apart = config->apart;
  auto d = decompose(buildCouplingGraph(facts_, Granularity::kModule, config->weights), o);
  ASSERT_TRUE(d.ok()) << d.error().message;
  ASSERT_TRUE(d->metrics.mojofm && d->metrics.c2c_coverage);
  EXPECT_DOUBLE_EQ(*d->metrics.mojofm, 100.0);
  EXPECT_DOUBLE_EQ(*d->metrics.c2c_coverage, 100.0);
  std::map<std::string, std::string> service_of;
  for (size_t v = 0; v < d->graph.size(); ++v) service_of[d->graph.node(v).name] = d->service_names[d->service[v]];
  EXPECT_EQ(service_of["src/reviews"], service_of["src/catalog"]);
  EXPECT_EQ(service_of["src/notifications"], service_of["src/customers"]);
  EXPECT_NE(service_of["src/inventory"], service_of["src/orders"]);
}

}  // namespace
}  // namespace seam::decomposer
