// The Envoy export's structure. Envoy is not installable on the build
// machine (no Debian package), so the bootstrap is parsed back with yaml-cpp
// and checked field by field against the proxy's routing: order, matchers,
// weights, mirror fraction, fallback clusters, and the notes.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <string>
#include <vector>

#include "strangler/config_yaml.h"
#include "strangler/export.h"

namespace strangler {
namespace {

constexpr const char* kConfig = R"(
listener: {address: 127.0.0.1:8080}
legacy: legacy
upstreams:
  - {name: legacy, url: "http://127.0.0.1:9000"}
  - name: svc
    url: "http://127.0.0.1:9100"
    health: {path: /healthz, interval: 2s}
routes:
  - {name: books, match: {prefix: /api/books}, service: svc, state: migrated}
  - {name: special, match: {exact: /api/books/special}, service: svc, state: legacy}
  - {name: reviews, match: {pattern: "/api/books/{id}/reviews", methods: [GET, HEAD]}, service: svc, state: canary 25%}
  - {name: sticky, match: {prefix: /api/sticky}, service: svc, state: canary 50%, sticky: cookie:session}
  - {name: beta, match: {prefix: /api/beta, headers: {X-Beta: "1"}, query: {v: ""}}, service: svc, state: retired, fallback: none}
  - {name: shadowed, match: {prefix: /api/shadow/}, service: svc, state: shadow, shadow: {percent: 12.5%}}
)";

class ProxyExportEnvoy : public ::testing::Test {
 protected:
  void SetUp() override {
    auto config = parseConfigYaml(kConfig, "envoy-test.yaml");
    ASSERT_TRUE(config) << config.error();
    auto out = exportEnvoy(*config, {{"books", RouteRollout{RouteState::kCanary, 7000}}});
    ASSERT_TRUE(out) << out.error();
    text_ = out->text;
    notes_ = out->notes;
    doc_ = YAML::Load(text_);
    routes_ = doc_["static_resources"]["listeners"][0]["filter_chains"][0]["filters"][0]["typed_config"]
                  ["route_config"]["virtual_hosts"][0]["routes"];
    ASSERT_TRUE(routes_.IsSequence()) << text_;
  }

  YAML::Node route(const std::string& name) {
    for (const auto& r : routes_) {
      if (r["name"].as<std::string>() == name) return r;
    }
    ADD_FAILURE() << "no route " << name << " in\n" << text_;
    return YAML::Node();
  }
  bool noted(const std::string& text) {
    return std::any_of(notes_.begin(), notes_.end(), [&](const std::string& n) { return n.find(text) != std::string::npos; });
  }

  std::string text_;
  std::vector<std::string> notes_;
  YAML::Node doc_, routes_;
};

TEST_F(ProxyExportEnvoy, RoutesInTheProxysMatchOrderThenLegacy) {
  std::vector<std::string> names;
  for (const auto& r : routes_) names.push_back(r["name"].as<std::string>());
  ASSERT_EQ(names.size(), 7u) << text_;
  EXPECT_EQ(names.front(), "special");  // exact first
  EXPECT_EQ(names[1], "reviews");       // then the pattern
  EXPECT_EQ(names.back(), "legacy-default");
  EXPECT_EQ(route("legacy-default")["route"]["cluster"].as<std::string>(), "legacy");
  // Longer prefix before shorter.
  auto at = [&](const std::string& n) { return std::find(names.begin(), names.end(), n) - names.begin(); };
  EXPECT_LT(at("shadowed"), at("books"));
}

TEST_F(ProxyExportEnvoy, Matchers) {
  EXPECT_EQ(route("special")["match"]["path"].as<std::string>(), "/api/books/special");
  EXPECT_EQ(route("books")["match"]["path_separated_prefix"].as<std::string>(), "/api/books");
  EXPECT_EQ(route("shadowed")["match"]["prefix"].as<std::string>(), "/api/shadow/");
  EXPECT_EQ(route("reviews")["match"]["safe_regex"]["regex"].as<std::string>(), "^/api/books/[^/]+/reviews$");
  YAML::Node method = route("reviews")["match"]["headers"][0];
  EXPECT_EQ(method["name"].as<std::string>(), ":method");
  EXPECT_EQ(method["string_match"]["safe_regex"]["regex"].as<std::string>(), "^(GET|HEAD)$");
  YAML::Node beta = route("beta")["match"];
  EXPECT_EQ(beta["headers"][0]["name"].as<std::string>(), "X-Beta");
  EXPECT_EQ(beta["headers"][0]["string_match"]["exact"].as<std::string>(), "1");
  EXPECT_EQ(beta["query_parameters"][0]["name"].as<std::string>(), "v");
  EXPECT_TRUE(beta["query_parameters"][0]["present_match"].as<bool>());
}

TEST_F(ProxyExportEnvoy, WeightsFollowTheStateFileAndTheConfig) {
  // The state file's canary 70% overrides the YAML's migrated.
  YAML::Node books = route("books")["route"]["weighted_clusters"]["clusters"];
  ASSERT_EQ(books.size(), 2u) << text_;
  EXPECT_EQ(books[0]["name"].as<std::string>(), "svc__or_legacy");
  EXPECT_EQ(books[0]["weight"].as<int>(), 7000);
  EXPECT_EQ(books[1]["name"].as<std::string>(), "legacy");
  EXPECT_EQ(books[1]["weight"].as<int>(), 3000);
  YAML::Node reviews = route("reviews")["route"]["weighted_clusters"]["clusters"];
  EXPECT_EQ(reviews[0]["weight"].as<int>(), 2500);
  EXPECT_EQ(route("special")["route"]["cluster"].as<std::string>(), "legacy");
  // Retired, no fallback: straight to the service's own cluster, no retries.
  EXPECT_EQ(route("beta")["route"]["cluster"].as<std::string>(), "svc");
  EXPECT_FALSE(route("beta")["route"]["retry_policy"]);
}

TEST_F(ProxyExportEnvoy, ShadowIsAMirrorWithAFraction) {
  YAML::Node r = route("shadowed")["route"];
  EXPECT_EQ(r["cluster"].as<std::string>(), "legacy");
  YAML::Node mirror = r["request_mirror_policies"][0];
  EXPECT_EQ(mirror["cluster"].as<std::string>(), "svc");
  EXPECT_EQ(mirror["runtime_fraction"]["default_value"]["numerator"].as<int>(), 1250);
  EXPECT_EQ(mirror["runtime_fraction"]["default_value"]["denominator"].as<std::string>(), "TEN_THOUSAND");
  EXPECT_TRUE(noted("does not compare the responses"));
}

TEST_F(ProxyExportEnvoy, FallbackIsAnAggregateClusterWithIdempotentRetries) {
  YAML::Node retry = route("books")["route"]["retry_policy"];
  EXPECT_EQ(retry["retry_on"].as<std::string>(), "connect-failure,reset,gateway-error,5xx");
  EXPECT_EQ(retry["retry_priority"]["name"].as<std::string>(), "envoy.retry_priorities.previous_priorities");
  EXPECT_EQ(retry["retriable_request_headers"][0]["string_match"]["safe_regex"]["regex"].as<std::string>(),
            "^(GET|HEAD|OPTIONS|TRACE|PUT|DELETE)$");
  std::vector<std::string> clusters;
  YAML::Node aggregate;
  for (const auto& c : doc_["static_resources"]["clusters"]) {
    clusters.push_back(c["name"].as<std::string>());
    if (c["name"].as<std::string>() == "svc__or_legacy") aggregate.reset(c);
  }
  EXPECT_EQ(clusters, (std::vector<std::string>{"legacy", "svc", "svc__or_legacy"}));
  ASSERT_TRUE(aggregate);
  EXPECT_EQ(aggregate["cluster_type"]["name"].as<std::string>(), "envoy.clusters.aggregate");
  YAML::Node order = aggregate["cluster_type"]["typed_config"]["clusters"];
  EXPECT_EQ(order[0].as<std::string>(), "svc");
  EXPECT_EQ(order[1].as<std::string>(), "legacy");
}

TEST_F(ProxyExportEnvoy, UpstreamsBecomeClustersWithHealthChecks) {
  YAML::Node svc = doc_["static_resources"]["clusters"][1];
  EXPECT_EQ(svc["type"].as<std::string>(), "STATIC");
  YAML::Node addr = svc["load_assignment"]["endpoints"][0]["lb_endpoints"][0]["endpoint"]["address"]["socket_address"];
  EXPECT_EQ(addr["address"].as<std::string>(), "127.0.0.1");
  EXPECT_EQ(addr["port_value"].as<int>(), 9100);
  EXPECT_EQ(svc["health_checks"][0]["http_health_check"]["path"].as<std::string>(), "/healthz");
  EXPECT_EQ(svc["health_checks"][0]["interval"].as<std::string>(), "2.000s");
}

TEST_F(ProxyExportEnvoy, WhatEnvoyCannotExpressIsReported) {
  EXPECT_TRUE(noted("route sticky: sticky split by cookie"));
  EXPECT_TRUE(noted("retry budget"));
}

}  // namespace
}  // namespace strangler
