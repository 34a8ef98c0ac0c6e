// Output formats, baseline and gate.
#include <nlohmann/json.hpp>
#include <sstream>

#include "test_util.h"

namespace seam::smells::testing {
namespace {

const char* kFacts = R"(
symbols:
  - catalog::add src/catalog/catalog.cc:10
  - sales::sell src/sales/sales.cc:10
  - sales::list src/sales/sales.cc:30
  - other::x src/other/x.cc:1
edges:
  - sales::list -> catalog::add
access:
  - catalog::add insert books
  - sales::sell update books
)";
const char* kServices = "services:\n  catalog: [src/catalog]\n  sales: [src/sales]\n";

Report report(const std::filesystem::path& dir) {
  auto r = analyze(storeWith(dir, kFacts, kServices));
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return *r;
}

TEST(SmellsOutput, SarifHasWhatGitHubCodeScanningRequires) {
  auto dir = freshDir("sarif");
  Report r = report(dir);
  std::ostringstream out;
  writeSarif(r, out);
  auto j = nlohmann::json::parse(out.str());
  EXPECT_EQ(j["version"], "2.1.0");
  EXPECT_NE(j["$schema"].get<std::string>().find("sarif-2.1.0"), std::string::npos);
  auto& run = j["runs"][0];
  auto& driver = run["tool"]["driver"];
  EXPECT_EQ(driver["name"], "seam-smells");
  EXPECT_TRUE(driver.contains("version") && driver.contains("informationUri"));
  ASSERT_EQ(driver["rules"].size(), ruleCatalog().size());
  for (auto& rule : driver["rules"]) {
    for (const char* k : {"id", "name", "shortDescription", "fullDescription", "help", "defaultConfiguration"})
      EXPECT_TRUE(rule.contains(k)) << k;
    EXPECT_TRUE(rule["help"].contains("text") && rule["help"].contains("markdown"));
  }
  ASSERT_EQ(run["results"].size(), r.findings.size());
  ASSERT_FALSE(r.findings.empty());
  for (auto& res : run["results"]) {
    int index = res["ruleIndex"];
    EXPECT_EQ(driver["rules"][index]["id"], res["ruleId"]);
    EXPECT_TRUE(res["level"] == "error" || res["level"] == "warning" || res["level"] == "note");
    EXPECT_FALSE(res["message"]["text"].get<std::string>().empty());
    auto& loc = res["locations"][0]["physicalLocation"];
    std::string uri = loc["artifactLocation"]["uri"];
    EXPECT_EQ(uri.rfind("src/", 0), 0u) << uri;  // repository-relative
    EXPECT_EQ(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    EXPECT_GE(loc["region"]["startLine"].get<int>(), 1);
    EXPECT_GE(loc["region"]["startColumn"].get<int>(), 1);
    EXPECT_TRUE(res["partialFingerprints"].contains("primaryLocationLineHash"));
  }
}

TEST(SmellsOutput, JsonAndTextAgreeOnFindings) {
  auto dir = freshDir("json");
  Report r = report(dir);
  std::ostringstream json_out, text_out;
  writeJson(r, json_out);
  writeText(r, text_out);
  auto j = nlohmann::json::parse(json_out.str());
  EXPECT_EQ(j["findings"].size(), r.findings.size());
  EXPECT_EQ(j["summary"]["error"], 1);
  EXPECT_EQ(j["unassigned_modules"], nlohmann::json::array({"src/other"}));
  std::string text = text_out.str();
  EXPECT_NE(text.find("== catalog (1 errors"), std::string::npos) << text;
  EXPECT_LT(text.find("== catalog"), text.find("== sales"));  // worst service first
  EXPECT_NE(text.find("error SEAM001 shared-persistence: table 'books' is written by 2 services"), std::string::npos);
  EXPECT_NE(text.find("  src/catalog/catalog.cc:12:7: catalog: catalog::add inserts into books"), std::string::npos)
      << text;
}

TEST(SmellsOutput, BaselineSilencesKnownFindingsOnly) {
  auto dir = freshDir("baseline");
  Report r = report(dir);
  EXPECT_TRUE(gateFails(r, Severity::kError));
  EXPECT_TRUE(gateFails(r, Severity::kWarning));
  EXPECT_FALSE(gateFails(r, std::nullopt));
  ASSERT_TRUE(writeBaseline(r, (dir / "baseline.json").string()));

  Options o = storeWith(dir, kFacts, kServices);
  o.baseline_path = (dir / "baseline.json").string();
  auto again = analyze(o);
  ASSERT_TRUE(again);
  for (const auto& f : again->findings) EXPECT_TRUE(f.baselined) << f.message;
  EXPECT_FALSE(gateFails(*again, Severity::kNote));

  // A new smell is not in the baseline.
  auto dir2 = freshDir("baseline2");
  Options o2 = storeWith(dir2, std::string(kFacts) + "  - catalog::add insert authors\n  - sales::sell insert authors\n",
                         kServices);
  o2.baseline_path = o.baseline_path;
  auto grown = analyze(o2);
  ASSERT_TRUE(grown);
  EXPECT_TRUE(gateFails(*grown, Severity::kError));
  std::vector<std::string> fresh;
  for (const auto& f : grown->findings)
    if (!f.baselined) fresh.push_back(f.rule_id + " " + f.key);
  EXPECT_EQ(fresh, (std::vector<std::string>{"SEAM001 write:authors"}));

  writeFile(dir / "bad.json", "[1, 2]");
  EXPECT_FALSE(readBaseline((dir / "bad.json").string()));
}

}  // namespace
}  // namespace seam::smells::testing
