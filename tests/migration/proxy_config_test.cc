// seam plan --step: from attributed routes to a strangler.yaml that the proxy
// accepts (parsed and validated by strangler's own loader, what
// `strangler-proxy --check` runs), with the right states, matches and notes.
#include <gtest/gtest.h>

#include <stdlib.h>

#include <algorithm>
#include <string>
#include <vector>

#include "seam/decomposer/proxy_config.h"
#include "strangler/config_yaml.h"

namespace seam::decomposer {
namespace {

using Kind = PathMatch::Kind;

TEST(MigrationPathConversion, FrameworkPatternsBecomeProxyMatches) {
  EXPECT_EQ(convertRoutePath("/api/catalog/books").kind, Kind::kExact);
  PathMatch digits = convertRoutePath(R"(/api/catalog/books/(\d+))");
  EXPECT_EQ(digits.kind, Kind::kPattern);
  EXPECT_EQ(digits.path, "/api/catalog/books/{id}");
  EXPECT_TRUE(digits.widened);
  PathMatch two = convertRoutePath(R"(/api/cart/(\d+)/items/(\d+))");
  EXPECT_EQ(two.path, "/api/cart/{id}/items/{id2}");
  PathMatch any = convertRoutePath("/api/files/([^/]+)");
  EXPECT_EQ(any.path, "/api/files/{p}");
  EXPECT_FALSE(any.widened);
  EXPECT_EQ(convertRoutePath("/api/templates/([a-z_]+)").path, "/api/templates/{p}");
  EXPECT_EQ(convertRoutePath("/crow/<int>/x").path, "/crow/{id}/x");
  EXPECT_EQ(convertRoutePath("/drogon/{user}/posts/{1}").path, "/drogon/{user}/posts/{p}");
  EXPECT_EQ(convertRoutePath("/pistache/:name").path, "/pistache/{name}");
}

TEST(MigrationPathConversion, WhatTheProxyCannotMatchIsUnsupported) {
  EXPECT_EQ(convertRoutePath("/static/(.*)").kind, Kind::kUnsupported);
  EXPECT_EQ(convertRoutePath(R"(/api/v(\d+)/books)").kind, Kind::kUnsupported);
  EXPECT_EQ(convertRoutePath("/a/(x|y/z)").kind, Kind::kUnsupported);
  EXPECT_EQ(convertRoutePath("relative").kind, Kind::kUnsupported);
  EXPECT_EQ(convertRoutePath("/api/books?per_page=1").kind, Kind::kUnsupported);
  EXPECT_FALSE(convertRoutePath("/static/(.*)").reason.empty());
}

std::vector<AttributedRoute> bookstoreLike() {
  return {
      {"GET", "/api/catalog/books", "catalog", "catalog::list", "src/catalog/routes.cc:13"},
      {"POST", "/api/catalog/books", "catalog", "catalog::create", "src/catalog/routes.cc:35"},
      {"GET", R"(/api/catalog/books/(\d+))", "catalog", "catalog::show", "src/catalog/routes.cc:31"},
      {"DELETE", R"(/api/catalog/books/(\d+))", "catalog", "catalog::discontinue", "src/catalog/routes.cc:46"},
      // /api/reviews is shared with another service: no prefix route there.
      {"GET", "/api/reviews", "catalog", "reviews::list", "src/reviews/routes.cc:14"},
      {"GET", R"(/api/reviews/books/(\d+)/summary)", "catalog", "reviews::summary", "src/reviews/routes.cc:50"},
      {"GET", "/api/reviews/export/(.*)", "catalog", "reviews::dump", "src/reviews/routes.cc:60"},
      {"GET", R"(/api/reviews/moderation/(\d+))", "moderation", "moderation::show", "src/moderation/routes.cc:9"},
      {"GET", R"(/api/orders/(\d+))", "orders", "orders::show", "src/orders/routes.cc:55"},
      {"GET", "/healthz", "", "main::health", "src/main.cc:55"},
  };
}

ProxyConfigOptions options(const std::string& service) {
  ProxyConfigOptions o;
  o.service = service;
  o.step = 2;
  o.legacy_url = "http://127.0.0.1:9000";
  o.service_urls = {{"catalog", "http://127.0.0.1:9100"}, {"orders", "http://127.0.0.1:9200"}};
  o.admin = "127.0.0.1:0";
  o.listen = "127.0.0.1:0";
  o.state_file = "/tmp/state.db";
  o.window = "2s";
  o.min_requests = 10;
  return o;
}

const strangler::RouteConfig* find(const strangler::ProxyConfig& c, const std::string& name) {
  auto it = std::find_if(c.routes.begin(), c.routes.end(), [&](const auto& r) { return r.name == name; });
  return it == c.routes.end() ? nullptr : &*it;
}

TEST(MigrationProxyConfig, StepConfigPassesTheProxysOwnValidation) {
  ::setenv("STRANGLER_TOKEN", "test-token", 1);  // the admin section names it
  ProxyConfigOptions o = options("catalog");
  o.earlier = {"orders"};
  auto config = buildProxyConfig(bookstoreLike(), o);
  ASSERT_TRUE(config) << config.error().message;
  auto parsed = strangler::parseConfigYaml(config->yaml, "strangler.yaml");
  ASSERT_TRUE(parsed) << parsed.error() << "\n" << config->yaml;

  // /api/catalog belongs to catalog alone: one prefix route per method class.
  const auto* reads = find(*parsed, "catalog-reads");
  ASSERT_NE(reads, nullptr) << config->yaml;
  EXPECT_EQ(reads->match.path_kind, strangler::PathKind::kPrefix);
  EXPECT_EQ(reads->match.path, "/api/catalog");
  EXPECT_EQ(reads->match.methods, (std::vector<std::string>{"GET", "HEAD"}));
  EXPECT_EQ(reads->state, strangler::RouteState::kShadow);
  EXPECT_TRUE(reads->analysis.enabled);
  EXPECT_EQ(reads->analysis.min_requests, 10u);
  const auto* writes = find(*parsed, "catalog-writes");
  ASSERT_NE(writes, nullptr);
  EXPECT_EQ(writes->state, strangler::RouteState::kLegacy);
  EXPECT_EQ(writes->match.methods, (std::vector<std::string>{"DELETE", "POST"}));

  // /api/reviews is not catalog's alone: per-path routes.
  const auto* list = find(*parsed, "reviews-reads");
  ASSERT_NE(list, nullptr) << config->yaml;
  EXPECT_EQ(list->match.path_kind, strangler::PathKind::kExact);
  const auto* summary = find(*parsed, "reviews-books-id-summary-reads");
  ASSERT_NE(summary, nullptr) << config->yaml;
  EXPECT_EQ(summary->match.path, "/api/reviews/books/{id}/summary");
  EXPECT_EQ(find(*parsed, "reviews-moderation-id-reads"), nullptr) << "another service's route";

  // An earlier step with a URL is migrated; the shared kernel stays out.
  const auto* orders = find(*parsed, "orders-reads");
  ASSERT_NE(orders, nullptr) << config->yaml;
  EXPECT_EQ(orders->state, strangler::RouteState::kMigrated);
  EXPECT_EQ(orders->service, "orders");
  EXPECT_EQ(find(*parsed, "healthz-reads"), nullptr);
  EXPECT_EQ(parsed->legacy, "legacy");
  EXPECT_EQ(parsed->state_path, "/tmp/state.db");

  // The regex that spans segments is reported, not dropped silently.
  bool noted = std::any_of(config->notes.begin(), config->notes.end(), [](const std::string& n) {
    return n.find("/api/reviews/export/(.*)") != std::string::npos && n.find("stays on legacy") != std::string::npos;
  });
  EXPECT_TRUE(noted);
}

TEST(MigrationProxyConfig, BadArgumentsAreErrors) {
  auto no_url = options("catalog");
  no_url.service_urls = {};
  EXPECT_FALSE(buildProxyConfig(bookstoreLike(), no_url));
  auto https = options("catalog");
  https.legacy_url = "https://127.0.0.1:9000";
  EXPECT_FALSE(buildProxyConfig(bookstoreLike(), https));
  auto with_path = options("catalog");
  with_path.service_urls = {{"catalog", "http://127.0.0.1:9100/api"}};
  EXPECT_FALSE(buildProxyConfig(bookstoreLike(), with_path));
  auto unknown = options("payments");
  unknown.service_urls.push_back({"payments", "http://127.0.0.1:9300"});
  EXPECT_FALSE(buildProxyConfig(bookstoreLike(), unknown));
}

TEST(MigrationProxyConfig, ClientCallsAreNotServedRoutes) {
  nlohmann::json plan = {{"services",
                          {{{"name", "catalog"},
                            {"api",
                             {{"routes",
                               {{{"method", "GET"}, {"path", "/api/catalog/books"}, {"handler", "catalog::list"}},
                                {{"method", "GET"}, {"path", "/api/catalog/books?per_page=1"}, {"handler", "?"}}}}}}}}}};
  std::vector<AttributedRoute> facts = {{"GET", "/healthz", "", "main::health", "src/main.cc:55"},
                                        {"GET", "/api/catalog/books", "", "catalog::list", ""},
                                        {"GET", "?", "", "", ""}};
  auto routes = attributedRoutes(plan, facts);
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].service, "catalog");
  EXPECT_EQ(routes[1].path, "/healthz");
  EXPECT_EQ(routes[1].service, "");
}

}  // namespace
}  // namespace seam::decomposer
