// End to end on the sample bookstore: `seam analyze` its compile database,
// decompose with default settings, and compare with the architecture the
// bookstore was written to (sample-monolith/architecture.yaml): the shared
// kernel, one owner per table, MoJoFM measured and above the one-service baseline.
// Skips (GTEST_SKIP) while the bookstore or `seam analyze` is not available.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
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
  // Every table the architecture lists is used by the code and gets one owner.
  std::set<std::string> owned;
  for (const TableOwnership& t : d->ownership) EXPECT_TRUE(owned.insert(t.table).second) << t.table;
  for (const auto& [service, tables] : truth->tables)
    for (const std::string& t : tables) EXPECT_TRUE(owned.count(t)) << t << " (" << service << ") has no owner";
  // MoJoFM is measured against the architecture and beats the one-service
  // baseline. The >= 90 target is NOT met yet with default settings (see
  // docs/decomposer.md, "Measured on the bookstore"); this records the value.
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
