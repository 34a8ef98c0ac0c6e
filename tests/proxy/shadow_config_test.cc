// routes[].shadow and routes[].analysis: the YAML syntax fixed in
// docs/strangler-config.md, its defaults and its errors.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "strangler/config_yaml.h"

namespace strangler {
namespace {

constexpr const char* kHead = R"yaml(
upstreams:
  - {name: legacy, endpoints: [127.0.0.1:9000]}
  - {name: catalog, endpoints: [127.0.0.1:9100]}
routes:
)yaml";

Expected<ProxyConfig> load(const std::string& routes) { return parseConfigYaml(std::string(kHead) + routes, "t.yaml"); }

TEST(ShadowConfigTest, ParsesTheDocumentedExample) {
  auto c = load(R"yaml(
  - name: catalog-books
    match: {prefix: /api/books, methods: [GET, HEAD]}
    service: catalog
    state: shadow
    shadow:
      percent: 50%
      sticky: header:X-Customer-Id
      methods: [GET, HEAD, POST]
      queue: 16
      timeout: 300ms
      max_body: 64KiB
      compare:
        status: true
        headers: [Content-Type]
        ignore_json_paths: ["$.generated_at", "$.items[*].updated_at"]
        ignore_patterns: ["\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z?"]
        noise_detection: true
      keep_diffs: 7
    analysis:
      window: 300ms
      min_requests: 5
      max_error_rate: 1%
      max_mismatch_rate: 0%
      max_p99_ratio: 2.5
      auto_advance: true
      steps: [shadow, canary 5%, canary 12.5%, migrated]
)yaml");
  ASSERT_TRUE(c) << c.error();
  const RouteConfig& r = c->routes.at(0);
  EXPECT_EQ(r.state, RouteState::kShadow);
  EXPECT_EQ(r.shadow.percent, 5000u);
  EXPECT_EQ(r.shadow.sticky.by, StickyBy::kHeader);
  EXPECT_EQ(r.shadow.sticky.name, "X-Customer-Id");
  EXPECT_EQ(r.shadow.methods, (std::vector<std::string>{"GET", "HEAD", "POST"}));
  EXPECT_EQ(r.shadow.queue, 16u);
  EXPECT_EQ(r.shadow.timeout, Millis(300));
  EXPECT_EQ(r.shadow.max_body, 65536u);
  EXPECT_EQ(r.shadow.keep_diffs, 7u);
  EXPECT_TRUE(r.shadow.compare.noise_detection);
  EXPECT_EQ(r.shadow.compare.headers, (std::vector<std::string>{"Content-Type"}));
  EXPECT_EQ(r.shadow.compare.ignore_json_paths.size(), 2u);
  EXPECT_EQ(r.shadow.compare.ignore_patterns.size(), 1u);
  EXPECT_TRUE(r.analysis.enabled);
  EXPECT_EQ(r.analysis.window, Millis(300));
  EXPECT_EQ(r.analysis.min_requests, 5u);
  EXPECT_EQ(r.analysis.max_error_rate, 100u);
  EXPECT_EQ(r.analysis.max_mismatch_rate, 0u);
  EXPECT_DOUBLE_EQ(r.analysis.max_p99_ratio, 2.5);
  EXPECT_TRUE(r.analysis.auto_advance);
  ASSERT_EQ(r.analysis.steps.size(), 4u);
  EXPECT_EQ(r.analysis.steps[2], (RolloutStep{RouteState::kCanary, 1250}));
  EXPECT_EQ(toString(r.analysis.steps[2]), "canary 12.5%");
}

TEST(ShadowConfigTest, DefaultsWithoutSections) {
  auto c = load(R"yaml(
  - {name: a, match: {prefix: /a}, service: catalog, state: shadow}
  - name: b
    match: {prefix: /b}
    service: catalog
    analysis: {}
)yaml");
  ASSERT_TRUE(c) << c.error();
  const RouteConfig& a = c->routes.at(0);
  EXPECT_EQ(a.shadow.percent, 10000u);
  EXPECT_TRUE(a.shadow.methods.empty());
  EXPECT_EQ(a.shadow.queue, 1024u);
  EXPECT_EQ(a.shadow.timeout, Millis(2000));
  EXPECT_EQ(a.shadow.keep_diffs, 50u);
  EXPECT_TRUE(a.shadow.compare.status);
  EXPECT_FALSE(a.analysis.enabled);
  const RouteConfig& b = c->routes.at(1);
  EXPECT_TRUE(b.analysis.enabled);
  EXPECT_EQ(b.analysis.window, Millis(30000));
  EXPECT_EQ(b.analysis.steps, defaultRolloutSteps());
  EXPECT_FALSE(b.analysis.auto_advance);
}

TEST(ShadowConfigTest, ErrorsNameTheField) {
  struct Case {
    const char* yaml;
    const char* expect;
  };
  const Case cases[] = {
      {"    shadow: {percent: 120%}\n", "shadow.percent"},
      {"    shadow: {methods: [get]}\n", "case-sensitive"},
      {"    shadow: {queue: 0}\n", "shadow.queue"},
      {"    shadow: {compare: {ignore_json_paths: [items]}}\n", "must start with '$'"},
      {"    shadow: {compare: {ignore_json_paths: [\"$.a[x]\"]}}\n", "ignore_json_paths"},
      {"    shadow: {compare: {ignore_patterns: [\"(\"]}}\n", "ignore_patterns"},
      {"    shadow: {compare: {colour: red}}\n", "unknown key"},
      {"    analysis: {steps: [shadow, canary 50%, canary 5%]}\n", "strictly forward"},
      {"    analysis: {steps: [legacy, migrated]}\n", "analysis.steps"},
      {"    analysis: {steps: [shadow, canary 100%]}\n", "analysis.steps"},
      {"    analysis: {max_p99_ratio: fast}\n", "max_p99_ratio"},
      {"    analysis: {window: 0s}\n", "analysis.window"},
  };
  for (const Case& k : cases) {
    auto c = load(std::string("  - name: a\n    match: {prefix: /a}\n    service: catalog\n    state: shadow\n") + k.yaml);
    ASSERT_FALSE(c) << k.yaml;
    EXPECT_NE(c.error().find(k.expect), std::string::npos) << k.yaml << " -> " << c.error();
  }
}

// The example under "#### `analysis`" in docs/strangler-config.md loads.
TEST(ShadowConfigTest, DocumentedExampleLoads) {
  std::ifstream in(std::string(STRANGLER_DOCS_DIR) + "/strangler-config.md");
  ASSERT_TRUE(in);
  std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::size_t section = doc.find("#### `analysis`");
  ASSERT_NE(section, std::string::npos);
  std::size_t start = doc.find("```yaml\n", section);
  ASSERT_NE(start, std::string::npos);
  start += 8;
  std::size_t end = doc.find("```", start);
  ASSERT_NE(end, std::string::npos);
  auto c = load(doc.substr(start, end - start));
  ASSERT_TRUE(c) << c.error();
  EXPECT_EQ(c->routes.at(0).shadow.compare.ignore_json_paths.size(), 2u);
  EXPECT_DOUBLE_EQ(c->routes.at(0).analysis.max_p99_ratio, 2.0);
}

TEST(ShadowConfigTest, RolloutStepText) {
  RolloutStep s;
  ASSERT_TRUE(parseRolloutStep("canary 5%", s));
  EXPECT_EQ(s, (RolloutStep{RouteState::kCanary, 500}));
  ASSERT_TRUE(parseRolloutStep(" migrated ", s));
  EXPECT_EQ(s.state, RouteState::kMigrated);
  EXPECT_FALSE(parseRolloutStep("canary", s));
  EXPECT_FALSE(parseRolloutStep("canary 0%", s));
  EXPECT_FALSE(parseRolloutStep("shadow 5%", s));
  EXPECT_FALSE(parseRolloutStep("retired", s));
  EXPECT_EQ(toString(RolloutStep{RouteState::kCanary, 2505}), "canary 25.05%");
  EXPECT_EQ(toString(RolloutStep{RouteState::kShadow, 0}), "shadow");
}

}  // namespace
}  // namespace strangler
