// `seam interactions` end to end on a hand-made store: the summary, --json,
// and the one-line errors with their exit codes (docs/exit-codes.md).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "fixture_store.h"

namespace seam::interactions {
namespace {

struct CliRun {
  int code = -1;
  std::string out;
};

CliRun seam(const std::string& args) {
  CliRun r;
  std::string cmd = std::string(SEAM_BIN) + " " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class InteractionsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("seam-interactions-cli-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "seam.db").string();
    plan_ = (dir_ / "plan.json").string();
    testing::FixtureStore s(db_);
    s.module("src/orders");
    s.module("src/mail");
    s.file("src/orders/o.cc", "src/orders");
    s.file("src/mail/m.cc", "src/mail");
    s.fn("shop::orders::place", "src/orders/o.cc", 5);
    s.fn("shop::mail::send", "src/mail/m.cc", 5);
    int64_t ins = s.access("shop::orders::place", "orders", "insert", 7);
    int64_t out = s.access("shop::mail::send", "outbox", "insert", 8);
    s.call("shop::orders::place", "shop::mail::send", 9, 1, 1);
    int64_t tx = s.transaction("shop::orders::place", 6);
    s.txAccess(tx, ins, 0);
    s.txAccess(tx, out, 1);
    s.txCall(tx, "shop::orders::place", "shop::mail::send", 0, 9);
    std::ofstream(plan_) << R"({"format": "seam-plan", "version": 1, "input": {"granularity": "module"},
      "services": [{"name": "sales", "nodes": ["src/orders"]}, {"name": "mail", "nodes": ["src/mail"]}],
      "tables": [{"name": "orders", "owner": "sales"}, {"name": "outbox", "owner": "mail"}]})";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  std::string db_, plan_;
};

TEST_F(InteractionsCli, SummaryNamesTheEventAndTheSaga) {
  CliRun r = seam("interactions --db " + db_ + " --plan " + plan_);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("0 query, 0 command, 1 notification"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("MailRequested  published by mail"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 distributed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("compensate: delete the row(s) this step inserted into outbox"), std::string::npos) << r.out;
}

TEST_F(InteractionsCli, JsonIsTheDocumentedFormat) {
  CliRun r = seam("interactions --json --db " + db_ + " --plan " + plan_);
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["format"], "seam-interactions");
  EXPECT_EQ(j["interactions"][0]["kind"], "notification");
  EXPECT_EQ(j["transactions"][0]["saga"][1]["service"], "mail");
}

TEST_F(InteractionsCli, BadInputIsOneLineAndExitThree) {
  CliRun missing = seam("interactions --db " + (dir_ / "none.db").string() + " --plan " + plan_);
  EXPECT_EQ(missing.code, 3);
  EXPECT_EQ(missing.out.rfind("seam interactions: ", 0), 0u) << missing.out;
  EXPECT_EQ(std::count(missing.out.begin(), missing.out.end(), '\n'), 1) << missing.out;
  std::ofstream(plan_) << "not json";
  CliRun bad_plan = seam("interactions --db " + db_ + " --plan " + plan_);
  EXPECT_EQ(bad_plan.code, 3) << bad_plan.out;
  CliRun usage = seam("interactions --db " + db_);
  EXPECT_EQ(usage.code, 2) << usage.out;
  CliRun help = seam("interactions --help");
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("--latency-critical"), std::string::npos);
}

}  // namespace
}  // namespace seam::interactions
