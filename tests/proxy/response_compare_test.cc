// Response comparison for shadow verification: status, headers, JSON bodies
// structurally with ignore paths and patterns, bytes otherwise, noise.
#include "strangler/response_compare.h"

#include <gtest/gtest.h>

namespace strangler {
namespace {

CapturedResponse json(std::string body, int status = 200) {
  CapturedResponse r;
  r.status = status;
  r.headers = {{"content-type", "application/json; charset=utf-8"}};
  r.body = std::move(body);
  return r;
}

std::shared_ptr<const ResponseComparer> comparer(ShadowCompareConfig c = {}) {
  auto compiled = ResponseComparer::compile(c);
  EXPECT_TRUE(compiled) << compiled.error();
  return *compiled;
}

std::vector<std::string> wheres(const std::vector<Difference>& diffs) {
  std::vector<std::string> out;
  for (const auto& d : diffs) out.push_back(d.where);
  return out;
}

TEST(ShadowCompareTest, EqualJsonIgnoresKeyOrderAndWhitespace) {
  auto c = comparer();
  EXPECT_TRUE(c->compare(json(R"({"a":1,"b":[1,2]})"), json("{ \"b\": [1, 2],\n \"a\": 1 }")).empty());
}

TEST(ShadowCompareTest, NumbersCompareByValue) {
  auto c = comparer();
  EXPECT_TRUE(c->compare(json(R"({"n":1})"), json(R"({"n":1.0})")).empty());
  EXPECT_TRUE(c->compare(json(R"({"n":100})"), json(R"({"n":1e2})")).empty());
  EXPECT_TRUE(c->compare(json(R"({"n":0.30000000000000004})"), json(R"({"n":0.3})")).empty());
  auto d = c->compare(json(R"({"n":1})"), json(R"({"n":2})"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].where, "$.n");
  EXPECT_EQ(d[0].legacy, "1");
  EXPECT_EQ(d[0].service, "2");
  // A number is not its string.
  EXPECT_EQ(wheres(c->compare(json(R"({"n":1})"), json(R"({"n":"1"})"))), std::vector<std::string>{"$.n"});
  // Large integers exactly (a double would make them equal).
  EXPECT_FALSE(c->compare(json("9007199254740993"), json("9007199254740992")).empty());
}

TEST(ShadowCompareTest, ReportsPathsOfDifferences) {
  auto c = comparer();
  auto d = c->compare(json(R"({"items":[{"id":1,"price":5},{"id":2}],"x":true,"weird key":1})"),
                      json(R"({"items":[{"id":1,"price":6}],"y":true,"weird key":2})"));
  EXPECT_EQ(wheres(d), (std::vector<std::string>{"$.items[0].price", "$.items[1]", "$['weird key']", "$.x", "$.y"}));
  EXPECT_EQ(d[1].service, "(absent)");
  EXPECT_EQ(d[3].service, "(absent)");
  EXPECT_EQ(d[4].legacy, "(absent)");
}

TEST(ShadowCompareTest, IgnoreJsonPaths) {
  ShadowCompareConfig cfg;
  cfg.ignore_json_paths = {"$.generated_at", "$.items[*].updated_at", "$.meta.*", "$['odd name']", "$.list[1]"};
  auto c = comparer(cfg);
  EXPECT_TRUE(c->compare(json(R"({"generated_at":"x","items":[{"id":1,"updated_at":1}],"meta":{"a":1},"odd name":1,"list":[1,2]})"),
                         json(R"({"generated_at":"y","items":[{"id":1,"updated_at":2}],"meta":{"a":2,"b":3},"odd name":2,"list":[1,3]})"))
                  .empty());
  // Only what the paths name: a different id still counts, as does list[0].
  auto d = c->compare(json(R"({"items":[{"id":1,"updated_at":1}],"list":[1,2]})"),
                      json(R"({"items":[{"id":2,"updated_at":2}],"list":[0,2]})"));
  EXPECT_EQ(wheres(d), (std::vector<std::string>{"$.items[0].id", "$.list[0]"}));
  // An ignored key may be absent on one side.
  EXPECT_TRUE(c->compare(json(R"({"generated_at":"x"})"), json(R"({})")).empty());
}

TEST(ShadowCompareTest, IgnorePatternsMaskVolatileStrings) {
  ShadowCompareConfig cfg;
  cfg.ignore_patterns = {R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?)", "req-[0-9a-f]+"};
  auto c = comparer(cfg);
  EXPECT_TRUE(c->compare(json(R"({"at":"2026-11-29T06:00:00Z","id":"req-ab12"})"),
                         json(R"({"at":"2026-11-29T07:13:59.123Z","id":"req-ffff"})"))
                  .empty());
  // The rest of the string still counts.
  EXPECT_EQ(wheres(c->compare(json(R"({"at":"created 2026-11-29T06:00:00Z"})"),
                              json(R"({"at":"updated 2026-11-29T06:00:00Z"})"))),
            std::vector<std::string>{"$.at"});
  // Non-JSON bodies are masked too.
  CapturedResponse a, b;
  a.status = b.status = 200;
  a.body = "<p>at 2026-01-01T00:00:00Z</p>";
  b.body = "<p>at 2027-02-02T11:11:11Z</p>";
  EXPECT_TRUE(c->compare(a, b).empty());
  b.body = "<p>on 2027-02-02T11:11:11Z</p>";
  auto d = c->compare(a, b);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].where, "body");
}

TEST(ShadowCompareTest, StatusAndChosenHeaders) {
  ShadowCompareConfig cfg;
  cfg.headers = {"Content-Type", "X-Version"};
  auto c = comparer(cfg);
  CapturedResponse a = json("{}"), b = json("{}", 404);
  a.headers.push_back({"x-version", "1"});
  b.headers = {{"content-type", "APPLICATION/JSON; charset=utf-8"}, {"x-other", "z"}};
  auto d = c->compare(a, b);
  EXPECT_EQ(wheres(d), (std::vector<std::string>{"status", "header:content-type", "header:x-version"}));
  EXPECT_EQ(d[2].service, "(absent)");
  cfg.status = false;
  cfg.headers.clear();
  EXPECT_TRUE(comparer(cfg)->compare(a, b).empty());
}

TEST(ShadowCompareTest, InvalidJsonFallsBackToBytes) {
  auto c = comparer();
  auto d = c->compare(json("{\"a\":1"), json("{\"a\":2"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].where, "body");
  EXPECT_NE(d[0].legacy.find("@5"), std::string::npos);
}

TEST(ShadowCompareTest, TruncatedBodiesAreADifference) {
  auto c = comparer();
  CapturedResponse a = json("{}"), b = json("{}");
  b.truncated = true;
  EXPECT_EQ(wheres(c->compare(a, b)), std::vector<std::string>{"body"});
}

TEST(ShadowCompareTest, NoiseRemovesWhatLegacyDisagreesWithItself) {
  auto c = comparer();
  auto first = json(R"({"token":"a1","items":[1,2],"name":"x"})");
  auto second = json(R"({"token":"b2","items":[1,2,3],"name":"x"})");
  auto service = json(R"({"token":"c3","items":[1,2,4,5],"name":"y"})");
  auto noise = c->compare(first, second);
  auto diffs = c->compare(first, service);
  EXPECT_EQ(wheres(diffs), (std::vector<std::string>{"$.items[2]", "$.items[3]", "$.name", "$.token"}));
  EXPECT_EQ(removeNoise(diffs, noise), 2u);  // token, items[2]
  EXPECT_EQ(wheres(diffs), (std::vector<std::string>{"$.items[3]", "$.name"}));
  // "$.items" as a noisy path covers everything below it, not "$.itemsX".
  std::vector<Difference> d = {{"$.items[3].id", "", ""}, {"$.itemsX", "", ""}};
  removeNoise(d, {{"$.items", "", ""}});
  EXPECT_EQ(wheres(d), std::vector<std::string>{"$.itemsX"});
}

TEST(ShadowCompareTest, ManyDifferencesAreCapped) {
  auto c = comparer();
  std::string a = "[", b = "[";
  for (int i = 0; i < 500; ++i) {
    a += (i ? "," : "") + std::to_string(i);
    b += (i ? "," : "") + std::to_string(i + 1);
  }
  EXPECT_EQ(c->compare(json(a + "]"), json(b + "]")).size(), ResponseComparer::kMaxDifferences);
}

TEST(ShadowCompareTest, JsonPathSyntax) {
  EXPECT_TRUE(parseJsonPath("$"));
  EXPECT_TRUE(parseJsonPath("$.a.b[3]['c d'][\"e\"][*].*"));
  EXPECT_EQ(parseJsonPath("$.a.b[3]['c d'][*].*")->size(), 6u);
  EXPECT_FALSE(parseJsonPath("a.b"));
  EXPECT_FALSE(parseJsonPath("$.a["));
  EXPECT_FALSE(parseJsonPath("$.a[-1]"));
  EXPECT_FALSE(parseJsonPath("$..a"));
  EXPECT_FALSE(parseJsonPath("$['a]"));
}

TEST(ShadowCompareTest, DecodeChunked) {
  std::string out;
  ASSERT_TRUE(decodeChunked("4\r\nWiki\r\n5;x=y\r\npedia\r\n0\r\nTrailer: 1\r\n\r\n", out));
  EXPECT_EQ(out, "Wikipedia");
  EXPECT_FALSE(decodeChunked("4\r\nWik", out));
  EXPECT_FALSE(decodeChunked("z\r\n", out));
}

}  // namespace
}  // namespace strangler
