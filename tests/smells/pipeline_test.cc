// The real pipeline on small C++ codebases (fixtures-cpp/): compile database ->
// `seam analyze` -> `seam smells --format json`, compared with expected.txt.
// Skipped (not failed) when this build's `seam` has no `analyze` subcommand.
#include <sys/wait.h>

#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "test_util.h"

namespace seam::smells::testing {
namespace {

namespace fs = std::filesystem;

int shell(const std::string& cmd) {
  int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

// `seam analyze --help` would print the top-level help when there is no such
// subcommand, so look for it in the subcommand list instead.
bool haveAnalyzer() {
  fs::path out = freshDir("probe") / "help.txt";
  shell(q(SEAM_BIN) + " --help >" + q(out) + " 2>&1");
  return readFile(out.string()).find("\n  analyze ") != std::string::npos;
}

// "RULE key" lines of `path` (a file, or a fixture directory's expected.txt).
std::set<std::string> expectedOf(const fs::path& path) {
  std::set<std::string> out;
  std::istringstream in(readFile((fs::is_directory(path) ? path / "expected.txt" : path).string()));
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') out.insert(line);
  return out;
}

// compile_commands.json for every .cc under dir/src, compiled from dir with -Isrc.
void writeCompileDb(const fs::path& src_root, const fs::path& out) {
  nlohmann::json db = nlohmann::json::array();
  std::vector<fs::path> sources;
  for (const auto& e : fs::recursive_directory_iterator(src_root / "src"))
    if (e.path().extension() == ".cc") sources.push_back(e.path());
  std::sort(sources.begin(), sources.end());
  for (const auto& s : sources) {
    db.push_back({{"directory", src_root.string()},
                  {"file", s.string()},
                  {"arguments", {"clang++", "-std=c++17", "-I" + (src_root / "src").string(), "-c", s.string()}}});
  }
  writeFile(out, db.dump(2));
}

TEST(SmellsPipeline, AnalyzeThenSmellsOnRealCode) {
  if (!haveAnalyzer()) GTEST_SKIP() << "this seam has no `analyze` subcommand";
  fs::path root = SEAM_SMELLS_CPP_FIXTURES;
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(root))
    if (e.is_directory()) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  ASSERT_GE(dirs.size(), 4u);

  std::map<std::string, std::array<int, 3>> per_rule;  // tp, fp, fn
  for (const auto& dir : dirs) {
    fs::path work = freshDir("pipeline-" + dir.filename().string());
    writeCompileDb(dir, work / "compile_commands.json");
    std::string analyze = q(SEAM_BIN) + " analyze -q -j 2 -p " + q(work / "compile_commands.json") + " --db " +
                          q(work / "seam.db") + " --root " + q(dir) + " >" + q(work / "analyze.log") + " 2>&1";
    ASSERT_EQ(shell(analyze), 0) << readFile((work / "analyze.log").string());
    std::string smells = q(SEAM_BIN) + " smells --db " + q(work / "seam.db") + " --services " +
                         q(dir / "services.yaml") + " --format json --fail-on never -o " + q(work / "smells.json") +
                         " 2>" + q(work / "smells.log");
    ASSERT_EQ(shell(smells), 0) << readFile((work / "smells.log").string());
    auto j = nlohmann::json::parse(readFile((work / "smells.json").string()));
    std::set<std::string> actual, expected = expectedOf(dir);
    for (const auto& f : j["findings"]) actual.insert(f["rule"].get<std::string>() + " " + f["key"].get<std::string>());
    for (const auto& a : actual) {
      bool ok = expected.count(a) > 0;
      ++per_rule[a.substr(0, a.find(' '))][ok ? 0 : 1];
      if (!ok) ADD_FAILURE() << dir.filename() << ": unexpected " << a;
    }
    for (const auto& e : expected) {
      if (actual.count(e)) continue;
      ++per_rule[e.substr(0, e.find(' '))][2];
      ADD_FAILURE() << dir.filename() << ": missing " << e;
    }
  }
  std::printf("\nreal pipeline over %zu C++ fixtures\n%-8s %4s %4s %4s\n", dirs.size(), "rule", "tp", "fp", "fn");
  for (const auto& [rule, c] : per_rule) std::printf("%-8s %4d %4d %4d\n", rule.c_str(), c[0], c[1], c[2]);
}


std::set<std::string> keysOf(const fs::path& json_path) {
  auto j = nlohmann::json::parse(readFile(json_path.string()));
  std::set<std::string> out;
  for (const auto& f : j["findings"]) out.insert(f["rule"].get<std::string>() + " " + f["key"].get<std::string>());
  return out;
}

// The bookstore's planted entanglements (sample-monolith/ENTANGLEMENTS.md),
// for the monolith as one service and for a naive per-module split.
// Analysing the bookstore takes minutes on a small machine, so this runs on a
// fact store given in SEAM_BOOKSTORE_DB (scripts/demo.sh writes one), or
// analyses the bookstore itself when SEAM_SMELLS_ANALYZE_BOOKSTORE=1.
TEST(SmellsPipeline, BookstoreEntanglements) {
  fs::path here = fs::path(SEAM_SMELLS_FIXTURES).parent_path() / "bookstore";
  fs::path work = freshDir("bookstore");
  fs::path db;
  if (const char* given = std::getenv("SEAM_BOOKSTORE_DB"); given && *given) {
    db = given;
  } else if (const char* analyze_it = std::getenv("SEAM_SMELLS_ANALYZE_BOOKSTORE"); analyze_it && *analyze_it == '1') {
    fs::path compile_db = SEAM_BOOKSTORE_COMPILE_DB;
    if (!haveAnalyzer()) GTEST_SKIP() << "this seam has no `analyze` subcommand";
    if (compile_db.empty() || !fs::exists(compile_db)) GTEST_SKIP() << "bookstore not built (no compile database)";
    fs::path monolith_root = here.parent_path().parent_path().parent_path() / "sample-monolith";
    db = work / "seam.db";
    std::string analyze = q(SEAM_BIN) + " analyze -q -j 2 -p " + q(compile_db) + " --db " + q(db) + " --root " +
                          q(monolith_root) + " >" + q(work / "analyze.log") + " 2>&1";
    ASSERT_EQ(shell(analyze), 0) << readFile((work / "analyze.log").string());
  } else {
    GTEST_SKIP() << "set SEAM_BOOKSTORE_DB=<bookstore fact store> or SEAM_SMELLS_ANALYZE_BOOKSTORE=1";
  }

  auto run = [&](const std::string& decl, const std::string& name) {
    fs::path out = work / (name + ".json");
    std::string cmd = q(SEAM_BIN) + " smells --db " + q(db) + " --services " + q(decl) +
                      " --format json --fail-on never -o " + q(out) + " 2>" + q(work / (name + ".log"));
    EXPECT_EQ(shell(cmd), 0) << readFile((work / (name + ".log")).string());
    return keysOf(out);
  };

  std::set<std::string> split = run((here / "per-module.yaml").string(), "per-module");
  for (const auto& e : expectedOf(here / "per-module.expected.txt")) EXPECT_TRUE(split.count(e)) << "missing " << e;
  bool cycle = false;
  for (const auto& k : split) {
    if (k.rfind("SEAM003 ", 0) != 0) continue;
    cycle |= k.find("orders") != std::string::npos && k.find("payments") != std::string::npos &&
             k.find("shipping") != std::string::npos;
  }
  EXPECT_TRUE(cycle) << "orders <-> payments <-> shipping cycle not reported";

  // One service: nothing is shared between services, so no data or cycle smells.
  std::set<std::string> one = run((here / "monolith.yaml").string(), "monolith");
  for (const auto& k : one) {
    for (const char* rule : {"SEAM001", "SEAM002", "SEAM003", "SEAM004", "SEAM006", "SEAM007"})
      EXPECT_NE(k.rfind(rule, 0), 0u) << k;
  }
  std::printf("\nbookstore: per-module split %zu findings, monolith as one service %zu findings\n", split.size(),
              one.size());
}

}  // namespace
}  // namespace seam::smells::testing
