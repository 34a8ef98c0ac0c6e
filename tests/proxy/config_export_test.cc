// Gateway API export: rules in specificity order, weights from the state
// file, conditions, notes for what Gateway API cannot say.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "strangler/config_yaml.h"
#include "strangler/export.h"

namespace strangler {
namespace {

constexpr const char* kConfig = R"(
legacy: mono
upstreams:
  - {name: mono, endpoints: [127.0.0.1:9000]}
  - {name: catalog-svc, endpoints: [10.0.0.2:8081]}
routes:
  - name: catalog
    match: {prefix: /api/catalog/}
    service: catalog-svc
    state: migrated
  - name: book
    match:
      pattern: /api/books/{id}
      methods: [GET, HEAD]
      headers: {X-Beta: "1", X-Any: ""}
      query: {v: "2"}
    service: catalog-svc
    state: canary 25%
    sticky: cookie:session
  - name: health
    match: {exact: /api/catalog/health}
    service: catalog-svc
    state: legacy
)";

TEST(ProxyConfigExportTest, GatewayApiHttpRoute) {
  auto config = parseConfigYaml(kConfig, "s.yaml");
  ASSERT_TRUE(config) << config.error();
  std::map<std::string, RouteRollout> stored = {{"health", {RouteState::kCanary, 500}}};
  GatewayApiOptions opts;
  opts.namespace_ = "shop";
  auto out = exportGatewayApi(*config, stored, opts);
  ASSERT_TRUE(out) << out.error();

  YAML::Node doc = YAML::Load(out->text);
  EXPECT_EQ(doc["apiVersion"].as<std::string>(), "gateway.networking.k8s.io/v1");
  EXPECT_EQ(doc["kind"].as<std::string>(), "HTTPRoute");
  EXPECT_EQ(doc["metadata"]["namespace"].as<std::string>(), "shop");
  EXPECT_EQ(doc["spec"]["parentRefs"][0]["name"].as<std::string>(), "gateway");
  YAML::Node rules = doc["spec"]["rules"];
  ASSERT_EQ(rules.size(), 4u) << out->text;

  // 1. exact (state file made it a 5% canary)
  EXPECT_EQ(rules[0]["matches"][0]["path"]["type"].as<std::string>(), "Exact");
  ASSERT_EQ(rules[0]["backendRefs"].size(), 2u);
  EXPECT_EQ(rules[0]["backendRefs"][0]["name"].as<std::string>(), "catalog-svc");
  EXPECT_EQ(rules[0]["backendRefs"][0]["port"].as<int>(), 8081);
  EXPECT_EQ(rules[0]["backendRefs"][0]["weight"].as<int>(), 500);
  EXPECT_EQ(rules[0]["backendRefs"][1]["name"].as<std::string>(), "mono");
  EXPECT_EQ(rules[0]["backendRefs"][1]["weight"].as<int>(), 9500);

  // 2. pattern: one match per method, conditions carried over
  YAML::Node book = rules[1];
  ASSERT_EQ(book["matches"].size(), 2u);
  EXPECT_EQ(book["matches"][0]["path"]["type"].as<std::string>(), "RegularExpression");
  EXPECT_EQ(book["matches"][0]["path"]["value"].as<std::string>(), "^/api/books/[^/]+$");
  EXPECT_EQ(book["matches"][1]["method"].as<std::string>(), "HEAD");
  EXPECT_EQ(book["matches"][0]["headers"].size(), 2u);
  EXPECT_EQ(book["matches"][0]["headers"][1]["type"].as<std::string>(), "RegularExpression");
  EXPECT_EQ(book["matches"][0]["queryParams"][0]["value"].as<std::string>(), "2");
  EXPECT_EQ(book["backendRefs"][0]["weight"].as<int>(), 2500);

  // 3. migrated prefix: service only
  ASSERT_EQ(rules[2]["backendRefs"].size(), 1u);
  EXPECT_EQ(rules[2]["backendRefs"][0]["name"].as<std::string>(), "catalog-svc");

  // 4. catch-all to legacy
  EXPECT_EQ(rules[3]["matches"][0]["path"]["value"].as<std::string>(), "/");
  EXPECT_EQ(rules[3]["backendRefs"][0]["name"].as<std::string>(), "mono");

  std::string notes;
  for (const auto& n : out->notes) notes += n + "\n";
  EXPECT_NE(notes.find("route book: sticky split by cookie"), std::string::npos) << notes;
  EXPECT_NE(notes.find("route catalog: fallback to legacy"), std::string::npos);
  EXPECT_NE(notes.find("route catalog: Gateway API ignores the trailing '/'"), std::string::npos);
  EXPECT_NE(out->text.find("# route book: canary 25%"), std::string::npos) << out->text;
}

TEST(ProxyConfigExportTest, PatternRegexEscapesLiterals) {
  EXPECT_EQ(patternToRegex("/v1.0/items/{id}/x+y"), "^/v1\\.0/items/[^/]+/x\\+y$");
}

TEST(ProxyConfigExportTest, RefusesInvalidConfig) {
  ProxyConfig c;  // no upstreams: legacy unknown
  EXPECT_FALSE(exportGatewayApi(c, {}, {}));
}

}  // namespace
}  // namespace strangler
