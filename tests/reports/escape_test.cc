#include "seam/reports/escape.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace seam::reports {
namespace {

TEST(ReportsEscape, HtmlEscapesEveryMetacharacter) {
  EXPECT_EQ(escapeHtml(R"(<a href="x" title='y'>&</a>)"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  EXPECT_EQ(escapeHtml("plain text"), "plain text");
  EXPECT_EQ(escapeHtml(""), "");
}

TEST(ReportsEscape, JsonForScriptCannotCloseTheElement) {
  nlohmann::json j = {{"name", "</script><script>alert(1)</script>"}, {"c", "<!-- x -->"}, {"a", "&amp;"}};
  std::string out = escapeJsonForScript(j.dump());
  EXPECT_EQ(out.find('<'), std::string::npos);
  EXPECT_EQ(out.find('>'), std::string::npos);
  EXPECT_EQ(out.find('&'), std::string::npos);
  EXPECT_NE(out.find("\\u003c/script\\u003e"), std::string::npos);
  // Still JSON, and the same value.
  EXPECT_EQ(nlohmann::json::parse(out), j);
}

TEST(ReportsEscape, JsonForScriptEscapesLineSeparators) {
  nlohmann::json j = {{"s", "a\u2028b\u2029c"}};
  std::string out = escapeJsonForScript(j.dump());
  EXPECT_NE(out.find("\\u2028"), std::string::npos);
  EXPECT_NE(out.find("\\u2029"), std::string::npos);
  EXPECT_EQ(out.find("\xE2\x80\xA8"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(out), j);
}

TEST(ReportsEscape, JsonForScriptKeepsOtherUtf8) {
  nlohmann::json j = {{"s", "caf\u00e9 \u2192 \u20ac \xE2\x80\xA6"}};  // é, arrow, euro, ellipsis (E2 80 A6)
  std::string out = escapeJsonForScript(j.dump());
  EXPECT_EQ(out, j.dump());
  // A truncated sequence at the end is copied, not read past.
  EXPECT_EQ(escapeJsonForScript("\xE2\x80"), "\xE2\x80");
}

TEST(ReportsEscape, DotQuotesBackslashesAndControls) {
  EXPECT_EQ(escapeDot(R"(a"b\c)"), R"(a\"b\\c)");
  EXPECT_EQ(escapeDot("line1\nline2"), "line1\\nline2");
  EXPECT_EQ(escapeDot(std::string("x\0y\x07z\r", 7)), "xyz");
  EXPECT_EQ(escapeDot("<b>html</b>"), "<b>html</b>");  // harmless inside a quoted ID
}

}  // namespace
}  // namespace seam::reports
