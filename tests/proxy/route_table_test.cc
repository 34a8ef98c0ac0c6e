// Route compilation and the most-specific-wins rule; weighted and sticky
// selection statistics.
#include "strangler/route_table.h"
#include "strangler/selection.h"

#include <gtest/gtest.h>

#include <string>

namespace strangler {
namespace {

RouteConfig route(std::string name, PathKind kind, std::string path) {
  RouteConfig r;
  r.name = std::move(name);
  r.match.path_kind = kind;
  r.match.path = std::move(path);
  r.state = RouteState::kMigrated;
  r.service = "svc";
  return r;
}

class ProxyRouteTable : public ::testing::Test {
 protected:
  std::shared_ptr<const RouteTable> build(const std::vector<RouteConfig>& routes,
                                          std::map<std::string, RouteRollout> rollouts = {}) {
    ProxyConfig config;
    config.routes = routes;
    std::map<std::string, int, std::less<>> upstreams{{"legacy", 0}, {"svc", 1}};
    auto table = RouteTable::build(config, rollouts, upstreams, counters_, nullptr);
    EXPECT_TRUE(table.hasValue()) << (table ? "" : table.error());
    return table ? *table : nullptr;
  }
  std::string match(const RouteTable& t, std::string_view method, std::string_view path, std::string_view query = "",
                    const http::MessageHead* head = nullptr) {
    const Route* r = t.match(RequestView{method, path, query, head});
    return r ? r->config.name : "<legacy>";
  }
  std::map<std::string, std::shared_ptr<RouteCounters>, std::less<>> counters_;
};

TEST_F(ProxyRouteTable, MostSpecificWins) {
  auto t = build({route("prefix-api", PathKind::kPrefix, "/api"),
                  route("prefix-books", PathKind::kPrefix, "/api/books"),
                  route("pattern-one", PathKind::kPattern, "/api/books/{id}"),
                  route("pattern-two", PathKind::kPattern, "/api/books/{id}/reviews"),
                  route("pattern-generic", PathKind::kPattern, "/api/{kind}/{id}"),
                  route("exact", PathKind::kExact, "/api/books/special")});
  EXPECT_EQ(match(*t, "GET", "/api/books/special"), "exact");
  EXPECT_EQ(match(*t, "GET", "/api/books/7"), "pattern-one");
  EXPECT_EQ(match(*t, "GET", "/api/authors/7"), "pattern-generic");
  EXPECT_EQ(match(*t, "GET", "/api/books/7/reviews"), "pattern-two");
  EXPECT_EQ(match(*t, "GET", "/api/books/7/reviews/2"), "prefix-books");
  EXPECT_EQ(match(*t, "GET", "/api/books"), "prefix-books");
  EXPECT_EQ(match(*t, "GET", "/api/bookshelf"), "prefix-api");
  EXPECT_EQ(match(*t, "GET", "/apiary"), "<legacy>");
  EXPECT_EQ(match(*t, "GET", "/"), "<legacy>");
  EXPECT_EQ(match(*t, "GET", "/api/books//"), "prefix-books");  // empty parameter never matches
}

TEST_F(ProxyRouteTable, ConditionsRefineAndCountForSpecificity) {
  RouteConfig writes = route("writes", PathKind::kPrefix, "/api/orders");
  writes.match.methods = {"POST", "PUT"};
  RouteConfig beta = route("beta", PathKind::kPrefix, "/api/orders");
  beta.match.headers = {{"X-Beta", "1"}};
  beta.match.query = {{"v", ""}};
  RouteConfig all = route("all", PathKind::kPrefix, "/api/orders");
  auto t = build({all, writes, beta});
  http::RequestHead head;
  ASSERT_EQ(http::parseRequestHead("GET / HTTP/1.1\r\nHost: h\r\nx-beta: 1\r\n\r\n", {}, head).status,
            http::ParseStatus::kComplete);
  EXPECT_EQ(match(*t, "GET", "/api/orders", "v=2", &head), "beta");
  EXPECT_EQ(match(*t, "GET", "/api/orders", "w=2", &head), "all");
  EXPECT_EQ(match(*t, "POST", "/api/orders"), "writes");
  EXPECT_EQ(match(*t, "GET", "/api/orders"), "all");
}

TEST_F(ProxyRouteTable, RolloutsOverrideConfigAndCountersSurviveRebuilds) {
  RouteConfig r = route("books", PathKind::kPrefix, "/api/books");
  r.state = RouteState::kLegacy;
  auto first = build({r});
  first->routes()[0].counters->requests = 5;
  auto second = build({r}, {{"books", RouteRollout{RouteState::kCanary, 2500}}});
  EXPECT_EQ(second->routes()[0].config.state, RouteState::kCanary);
  EXPECT_EQ(second->routes()[0].config.weight, 2500u);
  EXPECT_EQ(second->routes()[0].counters->requests, 5u);
}

TEST(ProxyRouteHelpers, QueryCookieAndDotSegments) {
  bool found = false;
  EXPECT_EQ(findQueryParam("a=1&b=2&c", "b", found), "2");
  EXPECT_TRUE(found);
  findQueryParam("a=1", "z", found);
  EXPECT_FALSE(found);
  EXPECT_EQ(findQueryParam("a=1&c", "c", found), "");
  EXPECT_TRUE(found);
  EXPECT_EQ(findCookie("a=1; user=\"u42\"; z=9", "user", found), "u42");
  EXPECT_TRUE(found);
  EXPECT_TRUE(hasDotSegments("/api/../admin"));
  EXPECT_TRUE(hasDotSegments("/api/."));
  EXPECT_FALSE(hasDotSegments("/api/..x/a.b"));
}

TEST(ProxySelection, WeightedDistributionWithinOnePercentOver100kKeys) {
  for (std::uint32_t weight : {100u, 1000u, 2500u, 5000u, 9000u}) {
    int service = 0;
    const int n = 100000;
    for (int i = 0; i < n; ++i)
      if (bucketChoosesService(stickyBucket("customer-" + std::to_string(i)), weight)) ++service;
    double share = static_cast<double>(service) / n;
    EXPECT_NEAR(share, weight / 10000.0, 0.01) << weight;
  }
}

TEST(ProxySelection, RandomBucketsAreUniform) {
  FastRandom random(42);
  int service = 0;
  for (int i = 0; i < 100000; ++i)
    if (bucketChoosesService(toBucket(random.next()), 3000)) ++service;
  EXPECT_NEAR(service / 100000.0, 0.30, 0.01);
}

TEST(ProxySelection, WeightZeroIsZeroAndFullIsAll) {
  for (int i = 0; i < 100000; ++i) {
    std::uint32_t bucket = stickyBucket("k" + std::to_string(i));
    ASSERT_LT(bucket, 10000u);
    ASSERT_FALSE(bucketChoosesService(bucket, 0));
    ASSERT_TRUE(bucketChoosesService(bucket, 10000));
  }
}

TEST(ProxySelection, StickyKeysOnlyMoveTowardsTheServiceAsWeightGrows) {
  for (int i = 0; i < 10000; ++i) {
    std::uint32_t bucket = stickyBucket("user-" + std::to_string(i));
    EXPECT_EQ(bucketChoosesService(bucket, 2000), bucketChoosesService(bucket, 2000));  // stable
    if (bucketChoosesService(bucket, 2000)) {
      EXPECT_TRUE(bucketChoosesService(bucket, 5000));
    }
  }
  EXPECT_EQ(stableHash("abc"), stableHash("abc"));
  EXPECT_NE(stableHash("abc"), stableHash("abd"));
}

}  // namespace
}  // namespace strangler
