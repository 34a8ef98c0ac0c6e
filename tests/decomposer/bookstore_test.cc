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

namespace seam::decomposer {
namespace {

namespace fs = std::filesystem;

int run(const std::string& cmd) {
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

TEST(DecomposerBookstore, DefaultDecompositionMatchesArchitecture) {
  const std::string compile_db = std::string(SEAM_BUILD_DIR) + "/bookstore/compile_commands.json";
  const std::string truth_path = std::string(SEAM_SOURCE_DIR) + "/sample-monolith/architecture.yaml";
  if (!fs::exists(compile_db)) GTEST_SKIP() << "bookstore not built: " << compile_db;
  if (!fs::exists(truth_path)) GTEST_SKIP() << "no " << truth_path;
  if (run(std::string(SEAM_BIN) + " analyze --help >/dev/null 2>&1") != 0) GTEST_SKIP() << "seam analyze not available";

  // CTest hands over the store its bookstore_facts fixture analysed once;
  // run by hand, the test analyses the bookstore itself.
  std::string db;
  fs::path scratch;  // removed at the end when the test analysed by itself
  if (const char* given = std::getenv("SEAM_BOOKSTORE_DB"); given && fs::exists(given)) {
    db = given;
  } else {
    scratch = fs::temp_directory_path() / ("seam-dec-bookstore-" + std::to_string(::getpid()));
    fs::create_directories(scratch);
    db = (scratch / "seam.db").string();
    ASSERT_EQ(run(std::string(SEAM_BIN) + " analyze -p " + std::string(SEAM_BUILD_DIR) + "/bookstore --db " + db +
                  " >/dev/null 2>&1"),
              0);
  }

  auto facts = loadFactStore(db);
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  auto truth = readTruthFile(truth_path);
  ASSERT_TRUE(truth.ok()) << truth.error().message;
  DecomposeOptions o;
  o.truth = *truth;
  Weights w;
  CouplingGraph structure_only = buildCouplingGraph(*facts, Granularity::kModule, w.structureOnly());
  auto d = decompose(buildCouplingGraph(*facts, Granularity::kModule, w), o, &structure_only);
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
  for (const auto& [service, tables] : truth->tables) {
    for (const std::string& t : tables) {
      ASSERT_TRUE(owner.count(t)) << t << " (" << service << ") has no owner";
      bool holds_truth_module = false;
      for (size_t v = 0; v < d->graph.size(); ++v) {
        if (d->service[v] == owner[t] && truth->clusterOfNode(d->graph.node(v)) == service) holds_truth_module = true;
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
  if (!scratch.empty()) fs::remove_all(scratch);
}

}  // namespace
}  // namespace seam::decomposer
