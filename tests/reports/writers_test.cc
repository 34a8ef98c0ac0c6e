#include "seam/reports/writers.h"

#include <regex>

#include <gtest/gtest.h>

#include "fixture.h"
#include "seam/reports/csp.h"
#include "seam/reports/fact_store_loader.h"
#include "seam/reports/inputs.h"

namespace seam::reports {
namespace {

using testing::fixturePath;
using testing::makeFixtureStore;

ReportModel fullModel() {
  auto model = loadFactStore(makeFixtureStore());
  EXPECT_TRUE(model.ok()) << model.error();
  if (!model.ok()) return {};
  EXPECT_TRUE(applyPlanFile(fixturePath("plan.json"), *model).ok());
  EXPECT_TRUE(applySmellsFile(fixturePath("smells.json"), *model).ok());
  return std::move(*model);
}

size_t count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) ++n;
  return n;
}

TEST(ReportsJson, CarriesTheWholeModel) {
  ReportModel m = fullModel();
  nlohmann::json j = toJson(m);
  EXPECT_EQ(j["format"], "seam-report");
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["modules"].size(), m.modules.size());
  EXPECT_EQ(j["services"].size(), 3u);
  EXPECT_EQ(j["summary"]["services"], 3);
  EXPECT_EQ(j["inputs"]["plan"], true);
  EXPECT_EQ(j["inputs"]["proxy_state"], false);
  EXPECT_EQ(j["edges"].size(), m.edges.size());
  EXPECT_EQ(j["smells"][0]["name"], "cyclic-dependency");
  // -1 indices are null, not -1.
  int users = m.tableIndex("users");
  EXPECT_EQ(j["tables"][users]["owner_service"], 2);
  bool cross = false;
  for (const auto& a : j["accesses"]) {
    // orders' UPDATE of books (owned by catalog) crosses services.
    if (j["modules"][a["module"].get<int>()]["name"] == "src/orders" &&
        j["tables"][a["table"].get<int>()]["name"] == "books") {
      cross = a["cross_service"].get<bool>();
      EXPECT_EQ(a["sites"][0]["line"], 36);
    }
  }
  EXPECT_TRUE(cross);
}

TEST(ReportsJson, InvalidUtf8DoesNotThrow) {
  ReportModel m;
  m.modules.push_back(Module{"bad\xff\xfe name", 1, 1, 1, {}, -1});
  std::string html;
  EXPECT_NO_THROW(html = toHtml(m));
  EXPECT_NE(html.find("bad\xEF\xBF\xBD"), std::string::npos);  // U+FFFD
}

TEST(ReportsHtml, DataCannotEscapeItsElement) {
  std::string html = toHtml(fullModel());
  // Exactly the six script elements we write: data + five code blocks.
  EXPECT_EQ(count(html, "<script"), 6u);
  EXPECT_EQ(count(html, "</script>"), 6u);
  size_t start = html.find("<script type=\"application/json\" id=\"seam-data\">");
  ASSERT_NE(start, std::string::npos);
  start = html.find('>', start) + 1;
  size_t end = html.find("</script>", start);
  std::string data = html.substr(start, end - start);
  EXPECT_EQ(data.find('<'), std::string::npos);
  EXPECT_EQ(data.find('>'), std::string::npos);
  auto j = nlohmann::json::parse(data);
  bool found = false;
  for (const auto& mod : j["modules"]) found |= mod["name"] == "src/</script><script>alert(1)</script>";
  EXPECT_TRUE(found);
  EXPECT_EQ(j["view"]["collapse_threshold"], 300);
  // No payload appears raw anywhere in the page.
  EXPECT_EQ(html.find("<img src=x"), std::string::npos);
  EXPECT_EQ(html.find("alert(1)</script>"), std::string::npos);
}

TEST(ReportsHtml, TitleIsEscaped) {
  HtmlOptions o;
  o.title = "</title><script>alert(1)</script>";
  std::string html = toHtml(fullModel(), o);
  EXPECT_NE(html.find("<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>"), std::string::npos);
  EXPECT_EQ(count(html, "<script"), 6u);
}

TEST(ReportsHtml, PolicyHashesEveryInlineScriptAndStyle) {
  std::string html = toHtml(fullModel());
  std::smatch csp;
  ASSERT_TRUE(std::regex_search(html, csp, std::regex("http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\"")));
  std::string policy = std::regex_replace(csp[1].str(), std::regex("&#39;"), "'");
  EXPECT_NE(policy.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(policy.find("connect-src 'none'"), std::string::npos);
  EXPECT_EQ(policy.find("unsafe"), std::string::npos);
  // Every executable script's text is allowed by hash; the data element is not executable.
  size_t scripts = 0;
  for (size_t pos = html.find("<script>"); pos != std::string::npos; pos = html.find("<script>", pos + 1)) {
    size_t body = pos + 8, end = html.find("</script>", body);
    EXPECT_NE(policy.find(cspHashSource(html.substr(body, end - body))), std::string::npos);
    ++scripts;
  }
  EXPECT_EQ(scripts, 5u);
  size_t style = html.find("<style>") + 7;
  EXPECT_NE(policy.find(cspHashSource(html.substr(style, html.find("</style>", style) - style))), std::string::npos);
  // The CSP meta comes before any script or style.
  EXPECT_LT(html.find("Content-Security-Policy"), html.find("<style>"));
}

TEST(ReportsHtml, NoExternalResources) {
  std::string html = toHtml(fullModel());
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_EQ(html.find("<iframe"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
}

TEST(ReportsDot, ClustersPerServiceAndEscapedLabels) {
  ReportModel m = fullModel();
  std::string dot = toDot(m);
  EXPECT_EQ(dot.rfind("// Generated", 0), 0u);
  EXPECT_NE(dot.find("digraph seam {"), std::string::npos);
  EXPECT_EQ(count(dot, "subgraph cluster_"), 3u);
  EXPECT_NE(dot.find("label=\"users\\\"><img src=x onerror=alert(5)>\";"), std::string::npos);
  EXPECT_NE(dot.find("[label=\"src/catalog\""), std::string::npos);
  EXPECT_EQ(count(dot, " -> "), m.edges.size());
  // Balanced quotes on every line: no label broke out of its string.
  std::istringstream lines(dot);
  for (std::string line; std::getline(lines, line);) {
    size_t quotes = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '\\') ++i;
      else if (line[i] == '"') ++quotes;
    }
    EXPECT_EQ(quotes % 2, 0u) << line;
  }
}

TEST(ReportsDot, ModulesWithoutServiceAreTopLevel) {
  auto model = loadFactStore(makeFixtureStore());
  ASSERT_TRUE(model.ok());
  std::string dot = toDot(*model);
  EXPECT_EQ(dot.find("subgraph"), std::string::npos);
  EXPECT_EQ(count(dot, "[label="), model->modules.size());
}

}  // namespace
}  // namespace seam::reports
