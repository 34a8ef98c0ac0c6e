// End to end on the sample bookstore: `seam analyze` its compile database,
// decompose with default settings, and compare with the architecture the
// bookstore was written to (sample-monolith/architecture.yaml): MoJoFM >= 90
// and every table owned by the service the architecture says.
// Skips (GTEST_SKIP) while the bookstore or `seam analyze` is not available.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>

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

  fs::path dir = fs::temp_directory_path() / ("seam-dec-bookstore-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string db = (dir / "seam.db").string();
  ASSERT_EQ(run(std::string(SEAM_BIN) + " analyze -p " + std::string(SEAM_BUILD_DIR) + "/bookstore --db " + db +
                " >/dev/null 2>&1"),
            0);

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
  ASSERT_TRUE(d->metrics.mojofm);
  EXPECT_GE(*d->metrics.mojofm, 90.0);

  // Table owners: the service holding the truth service's modules owns its tables.
  std::map<std::string, std::string> truth_owner;  // table -> truth service
  for (const auto& [service, tables] : truth->tables)
    for (const std::string& t : tables) truth_owner[t] = service;
  for (const TableOwnership& t : d->ownership) {
    auto it = truth_owner.find(t.table);
    if (it == truth_owner.end()) continue;
    // Which truth service do the owner's nodes belong to (majority)?
    std::map<std::string, int> votes;
    for (size_t v = 0; v < d->graph.size(); ++v) {
      if (d->service[v] == t.owner) votes[truth->clusterOfNode(d->graph.node(v))]++;
    }
    std::string best;
    int most = 0;
    for (const auto& [c, n] : votes) if (n > most) best = c, most = n;
    EXPECT_EQ(best, it->second) << "table " << t.table << " owned by " << d->service_names[t.owner];
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace seam::decomposer
