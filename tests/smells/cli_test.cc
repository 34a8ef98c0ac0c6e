// `seam smells` end to end through the real binary: formats, files, exit codes
// and one-line errors (docs/exit-codes.md).
#include <sys/wait.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "test_util.h"

namespace seam::smells::testing {
namespace {

struct CliRun {
  int code = -1;
  std::string out, err;
};

CliRun seam(const std::string& args, const std::filesystem::path& dir) {
  std::string out = (dir / "stdout").string(), err = (dir / "stderr").string();
  std::string cmd = std::string("'") + SEAM_BIN + "' smells " + args + " >'" + out + "' 2>'" + err + "'";
  int status = std::system(cmd.c_str());
  CliRun r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = readFile(out);
  r.err = readFile(err);
  return r;
}

const char* kFacts = R"(
symbols:
  - catalog::add src/catalog/catalog.cc:10
  - sales::sell src/sales/sales.cc:10
  - sales::show src/sales/sales.cc:30
access:
  - catalog::add insert books
  - sales::show read books
)";

class SmellsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = freshDir("cli");
    Options o = storeWith(dir_, kFacts, "services:\n  catalog: [src/catalog]\n  sales: [src/sales]\n");
    base_ = "--db '" + o.db_path + "' --services '" + o.services_path + "'";
  }
  std::filesystem::path dir_;
  std::string base_;
};

TEST_F(SmellsCli, WarningsPassTheDefaultGateAndFailTheWarningGate) {
  CliRun r = seam(base_, dir_);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("warning SEAM002 inappropriate-intimacy: 'sales' reads table 'books' owned by 'catalog'"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(seam(base_ + " --fail-on warning", dir_).code, 1);
  EXPECT_EQ(seam(base_ + " --fail-on never", dir_).code, 0);
}

TEST_F(SmellsCli, BaselineAcceptsTodaysFindings) {
  std::string baseline = (dir_ / "baseline.json").string();
  EXPECT_EQ(seam(base_ + " --fail-on warning --write-baseline '" + baseline + "'", dir_).code, 1);
  EXPECT_EQ(seam(base_ + " --fail-on warning --baseline '" + baseline + "'", dir_).code, 0);
}

TEST_F(SmellsCli, WritesSarifAndJsonFiles) {
  std::string sarif = (dir_ / "out.sarif").string();
  CliRun r = seam(base_ + " --format sarif -o '" + sarif + "'", dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  auto j = nlohmann::json::parse(readFile(sarif));
  EXPECT_EQ(j["runs"][0]["results"][0]["ruleId"], "SEAM002");
  CliRun js = seam(base_ + " --format json", dir_);
  EXPECT_EQ(nlohmann::json::parse(js.out)["findings"][0]["rule"], "SEAM002");
}

TEST_F(SmellsCli, DevicesAreWrittenInPlaceNotReplaced) {
  EXPECT_EQ(seam(base_ + " -o /dev/null --write-baseline /dev/null", dir_).code, 0);
  EXPECT_TRUE(std::filesystem::is_character_file("/dev/null"));
  EXPECT_FALSE(std::filesystem::exists("/dev/null.tmp"));
}

TEST_F(SmellsCli, BadInputIsOneLineAndExitCodeThree) {
  writeFile(dir_ / "overlap.yaml", "services:\n  a: [src]\n  b: [src/sales]\n");
  writeFile(dir_ / "unknown.yaml", "services:\n  a: [src/nowhere]\n");
  writeFile(dir_ / "not.db", std::string(200, 'x'));
  std::string db = "--db '" + (dir_ / "seam.db").string() + "'";
  struct Case {
    std::string args, expect;
  } cases[] = {
      {db + " --services '" + (dir_ / "overlap.yaml").string() + "'", "overlap"},
      {db + " --services '" + (dir_ / "unknown.yaml").string() + "'", "src/nowhere"},
      {"--db '" + (dir_ / "not.db").string() + "' --services '" + (dir_ / "unknown.yaml").string() + "'", "not.db"},
      {base_ + " --git '" + dir_.string() + "'", "not a git repository"},
  };
  for (const auto& c : cases) {
    CliRun r = seam(c.args, dir_);
    EXPECT_EQ(r.code, 3) << c.args << "\n" << r.err;
    EXPECT_EQ(r.err.rfind("seam smells: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
  }
}

TEST_F(SmellsCli, UsageErrorsExitTwo) {
  EXPECT_EQ(seam("--db '" + (dir_ / "seam.db").string() + "'", dir_).code, 2);  // neither --plan nor --services
  EXPECT_EQ(seam(base_ + " --format xml", dir_).code, 2);
  EXPECT_EQ(seam(base_ + " --fail-on sometimes", dir_).code, 2);
  EXPECT_EQ(seam(base_ + " --plan '" + (dir_ / "services.yaml").string() + "'", dir_).code, 2);  // exclusive
}

}  // namespace
}  // namespace seam::smells::testing
