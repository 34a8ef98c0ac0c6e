// YAML config loader: a complete example, every kind of error with its line,
// value syntaxes, and the quick-start flags.
#include "strangler/config_yaml.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace strangler {
namespace {

constexpr const char* kComplete = R"yaml(
version: 1
listener:
  address: 127.0.0.1:8080
  workers: 2
  max_connections: 10000
  limits: {header_bytes: 16KiB, body_bytes: 8MiB}
  timeouts: {header: 10s, body: 30s, idle: 1m, connect: 250ms, request: 1.5s}
admin:
  address: 127.0.0.1:9901
  token: s3cret
state_file: /var/lib/strangler/state.db
access_log: "-"
legacy: monolith
upstreams:
  - name: monolith
    endpoints: [127.0.0.1:9000, "http://127.0.0.1:9001"]
    health: {path: /healthz, interval: 2s, timeout: 500ms, unhealthy_threshold: 2, healthy_threshold: 1}
  - name: catalog-svc
    url: http://127.0.0.1:9100/
    outlier: {consecutive_5xx: 3, consecutive_errors: 2, ejection_time: 10s}
    circuit_breaker: {max_connections: 100, max_pending: 10, max_requests: 200}
    pool: {max_idle_per_endpoint: 8}
routes:
  - name: book
    match:
      pattern: /api/books/{id}
      methods: [GET, HEAD]
      headers: {X-Beta: "1", X-Present: ""}
      query: {v: "2"}
    service: catalog-svc
    state: canary 12.5%
    sticky: cookie:session
    fallback: {on_5xx: false}
    retry_budget: {ratio: 10%, min_per_second: 5}
  - name: catalog
    match: {prefix: /api/catalog/}
    service: catalog-svc
    state: canary
    weight: 25
    sticky: {by: header, name: X-User}
  - name: health
    match: {exact: /api/health}
    service: catalog-svc
    state: retired
    fallback: none
)yaml";

TEST(ProxyConfigTest, LoadsCompleteExample) {
  auto c = parseConfigYaml(kComplete, "strangler.yaml");
  ASSERT_TRUE(c) << c.error();
  EXPECT_EQ(c->listener.address, "127.0.0.1:8080");
  EXPECT_EQ(c->listener.workers, 2u);
  EXPECT_EQ(c->listener.limits.header_bytes, 16384u);
  EXPECT_EQ(c->listener.limits.body_bytes, 8u << 20);
  EXPECT_EQ(c->listener.timeouts.idle, Millis(60000));
  EXPECT_EQ(c->listener.timeouts.connect, Millis(250));
  EXPECT_EQ(c->listener.timeouts.request, Millis(1500));
  EXPECT_EQ(c->admin.address, "127.0.0.1:9901");
  EXPECT_EQ(c->admin.token, "s3cret");
  EXPECT_EQ(c->state_path, "/var/lib/strangler/state.db");
  EXPECT_EQ(c->access_log, "-");
  EXPECT_EQ(c->legacy, "monolith");
  ASSERT_EQ(c->upstreams.size(), 2u);
  EXPECT_EQ(c->upstreams[0].endpoints,
            (std::vector<std::string>{"127.0.0.1:9000", "127.0.0.1:9001"}));
  EXPECT_EQ(c->upstreams[0].health.path, "/healthz");
  EXPECT_EQ(c->upstreams[0].health.timeout, Millis(500));
  EXPECT_EQ(c->upstreams[1].endpoints, std::vector<std::string>{"127.0.0.1:9100"});
  EXPECT_EQ(c->upstreams[1].outlier.consecutive_errors, 2u);
  EXPECT_EQ(c->upstreams[1].circuit_breaker.max_pending, 10u);
  EXPECT_EQ(c->upstreams[1].pool.max_idle_per_endpoint, 8u);

  ASSERT_EQ(c->routes.size(), 3u);
  const RouteConfig& book = c->routes[0];
  EXPECT_EQ(book.match.path_kind, PathKind::kPattern);
  EXPECT_EQ(book.match.path, "/api/books/{id}");
  EXPECT_EQ(book.match.methods, (std::vector<std::string>{"GET", "HEAD"}));
  ASSERT_EQ(book.match.headers.size(), 2u);
  EXPECT_EQ(book.match.headers[0].name, "X-Beta");
  EXPECT_EQ(book.match.headers[0].value, "1");
  EXPECT_EQ(book.match.headers[1].value, "");
  ASSERT_EQ(book.match.query.size(), 1u);
  EXPECT_EQ(book.state, RouteState::kCanary);
  EXPECT_EQ(book.weight, 1250u);
  EXPECT_EQ(book.sticky.by, StickyBy::kCookie);
  EXPECT_EQ(book.sticky.name, "session");
  EXPECT_TRUE(book.fallback.on_connect_error);
  EXPECT_FALSE(book.fallback.on_5xx);
  EXPECT_DOUBLE_EQ(book.retry_budget.ratio, 0.1);
  EXPECT_EQ(book.retry_budget.min_per_second, 5u);

  EXPECT_EQ(c->routes[1].match.path_kind, PathKind::kPrefix);
  EXPECT_EQ(c->routes[1].weight, 2500u);
  EXPECT_EQ(c->routes[1].sticky.by, StickyBy::kHeader);
  EXPECT_EQ(c->routes[1].sticky.name, "X-User");
  EXPECT_EQ(c->routes[2].match.path_kind, PathKind::kExact);
  EXPECT_EQ(c->routes[2].state, RouteState::kRetired);
  EXPECT_FALSE(c->routes[2].fallback.on_connect_error);
}

TEST(ProxyConfigTest, DefaultsWhenSectionsAreAbsent) {
  auto c = parseConfigYaml(R"(
upstreams:
  - {name: legacy, endpoints: [127.0.0.1:9000]}
)", "s.yaml");
  ASSERT_TRUE(c) << c.error();
  EXPECT_EQ(c->listener.address, "127.0.0.1:8080");
  EXPECT_EQ(c->admin.address, "");  // no admin section: no admin listener
  EXPECT_EQ(c->legacy, "legacy");
  EXPECT_TRUE(c->routes.empty());
}

// Returns the single error line for `yaml`, which must fail.
std::string errorOf(const std::string& yaml) {
  auto c = parseConfigYaml(yaml, "strangler.yaml");
  EXPECT_FALSE(c) << "expected an error for:\n" << yaml;
  return c ? std::string() : c.error();
}

constexpr const char* kBase = R"(upstreams:
  - name: legacy
    endpoints: [127.0.0.1:9000]
  - name: svc
    endpoints: [127.0.0.1:9100]
routes:
  - name: a
    match: {prefix: /a/}
    service: svc
)";

TEST(ProxyConfigTest, WeightOutOfRangeNamesLineAndField) {
  std::string y = std::string(kBase) + "    state: canary\n    weight: 150%\n";
  EXPECT_EQ(errorOf(y), "strangler.yaml:11: routes[0].weight: must be 0..100% (at most 2 "
                        "decimals), got '150%'");
  y = std::string(kBase) + "    state: canary 101%\n";
  EXPECT_EQ(errorOf(y), "strangler.yaml:10: routes[0].weight: must be 0..100% (at most 2 "
                        "decimals), got '101%'");
}

TEST(ProxyConfigTest, UnknownKeysAreRejected) {
  std::string y = std::string(kBase) + "    wieght: 5\n";
  EXPECT_EQ(errorOf(y).rfind("strangler.yaml:10: routes[0].wieght: unknown key (expected one of: "
                             "name, match, service",
                             0),
            0u)
      << errorOf(y);
  EXPECT_EQ(errorOf("listener: {adress: x}\n").rfind("strangler.yaml:1: listener.adress: unknown key", 0),
            0u);
  EXPECT_NE(errorOf("bogus: 1\n").find("bogus: unknown key"), std::string::npos);
}

TEST(ProxyConfigTest, DuplicateKeysAreRejected) {
  std::string y = std::string(kBase) + "    service: svc\n";
  EXPECT_EQ(errorOf(y), "strangler.yaml:10: routes[0].service: duplicate key");
}

TEST(ProxyConfigTest, CrossReferenceErrorsGetLines) {
  std::string y = kBase;
  y.replace(y.find("service: svc"), 12, "service: nope");
  EXPECT_EQ(errorOf(y), "strangler.yaml:9: routes[0].service: unknown upstream 'nope'");
  y = kBase;
  y.replace(y.find("prefix: /a/"), 11, "pattern: \"/a/{x}{y}\"");
  EXPECT_EQ(errorOf(y),
            "strangler.yaml:8: routes[0].match.path: parameter must be a whole segment like {id}");
}

TEST(ProxyConfigTest, ValueSyntaxErrors) {
  auto withListener = [](const std::string& l) {
    return std::string(kBase) + "listener:\n" + l;
  };
  EXPECT_NE(errorOf(withListener("  timeouts: {idle: 10}\n"))
                .find("strangler.yaml:11: listener.timeouts.idle: expected a positive duration"),
            std::string::npos);
  EXPECT_NE(errorOf(withListener("  workers: -1\n")).find("listener.workers: expected a whole number"),
            std::string::npos);
  EXPECT_NE(errorOf(withListener("  limits: {header_bytes: 16 parsecs}\n"))
                .find("listener.limits.header_bytes: expected a positive size"),
            std::string::npos);
  EXPECT_NE(errorOf(withListener("  address: [1, 2]\n")).find("listener.address: expected a single value"),
            std::string::npos);
  EXPECT_NE(errorOf(std::string(kBase) + "    state: halfway\n").find("routes[0].state: expected legacy"),
            std::string::npos);
  EXPECT_NE(errorOf(std::string(kBase) + "    state: migrated 20%\n").find("only canary takes a weight"),
            std::string::npos);
  EXPECT_NE(errorOf(std::string(kBase) + "    state: canary 5%\n    weight: 5\n").find("given twice"),
            std::string::npos);
  EXPECT_NE(errorOf(std::string(kBase) + "    sticky: ip\n").find("routes[0].sticky: expected none"),
            std::string::npos);
  EXPECT_NE(errorOf(std::string(kBase) + "    fallback: {on_5xx: maybe}\n")
                .find("routes[0].fallback.on_5xx: expected true or false"),
            std::string::npos);
}

TEST(ProxyConfigTest, MatchNeedsExactlyOnePathKind) {
  std::string y = kBase;
  y.replace(y.find("{prefix: /a/}"), 13, "{prefix: /a/, exact: /b}");
  EXPECT_NE(errorOf(y).find("routes[0].match: give only one of prefix, exact or pattern"),
            std::string::npos);
  y = kBase;
  y.replace(y.find("{prefix: /a/}"), 13, "{methods: [GET]}");
  EXPECT_NE(errorOf(y).find("routes[0].match: one of prefix, exact or pattern is required"),
            std::string::npos);
  y = kBase;
  y.replace(y.find("{prefix: /a/}"), 13, "{prefix: /a/, methods: [get]}");
  EXPECT_NE(errorOf(y).find("did you mean GET?"), std::string::npos);
}

TEST(ProxyConfigTest, EndpointErrorsNameTheListItem) {
  std::string y = kBase;
  y.replace(y.find("[127.0.0.1:9100]"), 16, "[127.0.0.1:9100, \"https://x:1\"]");
  EXPECT_EQ(errorOf(y),
            "strangler.yaml:5: upstreams[1].endpoints[1]: 'https://x:1': https upstreams are not "
            "supported");
}

TEST(ProxyConfigTest, ReportsSeveralProblemsOnePerLine) {
  std::string y = std::string(kBase) + "    weight: 200\n    color: blue\n";
  std::string e = errorOf(y);
  EXPECT_NE(e.find("strangler.yaml:10: routes[0].weight"), std::string::npos) << e;
  EXPECT_NE(e.find("\nstrangler.yaml:11: routes[0].color: unknown key"), std::string::npos) << e;
}

TEST(ProxyConfigTest, SyntaxErrorsAndNonsenseNeverCrash) {
  EXPECT_EQ(errorOf("routes: [\n").rfind("strangler.yaml:", 0), 0u);
  EXPECT_NE(errorOf("routes: [\n").find("YAML syntax"), std::string::npos);
  EXPECT_NE(errorOf("").find("empty config"), std::string::npos);
  EXPECT_NE(errorOf("- a\n- b\n").find("expected a mapping at the top level"), std::string::npos);
  EXPECT_NE(errorOf("routes: 3\n").find("routes: expected a list"), std::string::npos);
  EXPECT_NE(errorOf("routes: [3]\n").find("routes[0]: expected a mapping"), std::string::npos);
  EXPECT_FALSE(parseConfigYaml("a: &x [*x]\n", "s.yaml"));
  EXPECT_FALSE(parseConfigYaml(std::string(300, '['), "s.yaml"));
}

TEST(ProxyConfigTest, AdminTokenFromEnvAndFile) {
  std::string base = std::string(kBase) + "admin:\n";
  ::setenv("STRANGLER_TEST_TOKEN", "from-env", 1);
  auto c = parseConfigYaml(base + "  token_env: STRANGLER_TEST_TOKEN\n", "s.yaml");
  ASSERT_TRUE(c) << c.error();
  EXPECT_EQ(c->admin.token, "from-env");
  EXPECT_EQ(c->admin.address, "127.0.0.1:9901");
  ::unsetenv("STRANGLER_TEST_TOKEN");
  EXPECT_NE(errorOf(base + "  token_env: STRANGLER_TEST_TOKEN\n").find("is not set"),
            std::string::npos);

  auto file = std::filesystem::temp_directory_path() /
              ("strangler-token-" + std::to_string(::getpid()));
  std::ofstream(file) << "from-file\n";
  c = parseConfigYaml(base + "  token_file: " + file.string() + "\n", "s.yaml");
  std::filesystem::remove(file);
  ASSERT_TRUE(c) << c.error();
  EXPECT_EQ(c->admin.token, "from-file");
  EXPECT_NE(errorOf(base + "  address: 127.0.0.1:9901\n").find("admin.token: required"),
            std::string::npos);
  EXPECT_NE(errorOf(base + "  token: a\n  token_env: B\n").find("only one of token"),
            std::string::npos);
}

TEST(ProxyConfigTest, LoadConfigFileNamesThePath) {
  auto missing = loadConfigFile("/nonexistent/strangler.yaml");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error(), "/nonexistent/strangler.yaml: cannot open");
  auto path = std::filesystem::temp_directory_path() /
              ("strangler-cfg-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << kComplete;
  auto c = loadConfigFile(path.string());
  std::filesystem::remove(path);
  EXPECT_TRUE(c) << c.error();
}

TEST(ProxyConfigTest, Durations) {
  Millis m;
  ASSERT_TRUE(parseDuration("250ms", m));
  EXPECT_EQ(m.count(), 250);
  ASSERT_TRUE(parseDuration("1.5s", m));
  EXPECT_EQ(m.count(), 1500);
  ASSERT_TRUE(parseDuration("2m", m));
  EXPECT_EQ(m.count(), 120000);
  ASSERT_TRUE(parseDuration("1h", m));
  EXPECT_EQ(m.count(), 3600000);
  EXPECT_FALSE(parseDuration("10", m));
  EXPECT_FALSE(parseDuration("-1s", m));
  EXPECT_FALSE(parseDuration("1.5ms", m));
  EXPECT_FALSE(parseDuration("s", m));
  EXPECT_FALSE(parseDuration("5 days", m));
  EXPECT_FALSE(parseDuration("99999999999999h", m));
}

TEST(ProxyConfigTest, SizesAndPercents) {
  std::uint64_t s;
  ASSERT_TRUE(parseSize("16384", s));
  EXPECT_EQ(s, 16384u);
  ASSERT_TRUE(parseSize("16KiB", s));
  EXPECT_EQ(s, 16384u);
  ASSERT_TRUE(parseSize("8 MiB", s));
  EXPECT_EQ(s, 8u << 20);
  EXPECT_FALSE(parseSize("8TiB", s));
  EXPECT_FALSE(parseSize("-1", s));
  EXPECT_FALSE(parseSize("99999999999999999G", s));

  std::uint32_t bp;
  ASSERT_TRUE(parsePercent("25%", bp));
  EXPECT_EQ(bp, 2500u);
  ASSERT_TRUE(parsePercent("25", bp));
  EXPECT_EQ(bp, 2500u);
  ASSERT_TRUE(parsePercent("0.01%", bp));
  EXPECT_EQ(bp, 1u);
  ASSERT_TRUE(parsePercent("0", bp));
  EXPECT_EQ(bp, 0u);
  ASSERT_TRUE(parsePercent("100%", bp));
  EXPECT_EQ(bp, 10000u);
  EXPECT_FALSE(parsePercent("100.01", bp));
  EXPECT_FALSE(parsePercent("0.001", bp));
  EXPECT_FALSE(parsePercent("-5%", bp));
  EXPECT_FALSE(parsePercent("half", bp));
}

TEST(ProxyConfigTest, EndpointsFromUrls) {
  EXPECT_EQ(*endpointFromUrl("http://127.0.0.1:9000"), "127.0.0.1:9000");
  EXPECT_EQ(*endpointFromUrl("http://127.0.0.1:9000/"), "127.0.0.1:9000");
  EXPECT_EQ(*endpointFromUrl("http://localhost"), "localhost:80");
  EXPECT_EQ(*endpointFromUrl("http://[::1]:81"), "[::1]:81");
  EXPECT_EQ(*endpointFromUrl("10.0.0.1:8080"), "10.0.0.1:8080");
  EXPECT_FALSE(endpointFromUrl("http://h:1/api"));
  EXPECT_FALSE(endpointFromUrl("https://h:1"));
  EXPECT_FALSE(endpointFromUrl("ftp://h:1"));
  EXPECT_FALSE(endpointFromUrl("http://u:p@h:1"));
  EXPECT_FALSE(endpointFromUrl("localhost"));
  EXPECT_FALSE(endpointFromUrl("h:0"));
  EXPECT_FALSE(endpointFromUrl("h:70000"));
}

TEST(ProxyConfigTest, QuickStartFlags) {
  QuickStartOptions o;
  o.listen = "127.0.0.1:0";
  o.legacy = "http://127.0.0.1:9000";
  o.routes = {"/api/catalog/=http://127.0.0.1:9100", "/api/orders/=127.0.0.1:9200"};
  o.admin = "127.0.0.1:0";
  o.token = "t";
  auto c = configFromQuickStart(o);
  ASSERT_TRUE(c) << c.error();
  EXPECT_EQ(c->listener.address, "127.0.0.1:0");
  ASSERT_EQ(c->upstreams.size(), 3u);
  EXPECT_EQ(c->upstreams[0].name, "legacy");
  EXPECT_EQ(c->upstreams[0].endpoints[0], "127.0.0.1:9000");
  EXPECT_EQ(c->upstreams[1].name, "api-catalog");
  ASSERT_EQ(c->routes.size(), 2u);
  EXPECT_EQ(c->routes[0].name, "api-catalog");
  EXPECT_EQ(c->routes[0].match.path, "/api/catalog/");
  EXPECT_EQ(c->routes[0].match.path_kind, PathKind::kPrefix);
  EXPECT_EQ(c->routes[0].state, RouteState::kMigrated);
  EXPECT_EQ(c->routes[0].service, "api-catalog");
  EXPECT_EQ(c->routes[1].service, "api-orders");
  EXPECT_EQ(c->admin.token, "t");
}

TEST(ProxyConfigTest, QuickStartErrors) {
  QuickStartOptions o;
  EXPECT_NE(configFromQuickStart(o).error().find("--legacy: required"), std::string::npos);
  o.legacy = "http://127.0.0.1:9000";
  o.routes = {"/api"};
  EXPECT_NE(configFromQuickStart(o).error().find("expected PREFIX=URL"), std::string::npos);
  o.routes = {"api=http://h:1"};
  EXPECT_NE(configFromQuickStart(o).error().find("must start with '/'"), std::string::npos);
  o.routes = {"/a/=https://h:1"};
  EXPECT_NE(configFromQuickStart(o).error().find("https"), std::string::npos);
  o.routes = {"/a/=http://h:1", "/a=http://h:2"};  // same slug: made unique
  auto c = configFromQuickStart(o);
  ASSERT_TRUE(c) << c.error();
  EXPECT_EQ(c->routes[1].name, "a-2");
  o.admin = "127.0.0.1:9901";  // admin without a token
  EXPECT_NE(configFromQuickStart(o).error().find("admin.token"), std::string::npos);
}

}  // namespace
}  // namespace strangler

namespace strangler {
namespace {

// The complete example in docs/strangler-config.md must stay valid.
TEST(ProxyConfigDocsTest, CompleteExampleInTheReferenceLoads) {
  std::ifstream in(std::string(STRANGLER_DOCS_DIR) + "/strangler-config.md");
  ASSERT_TRUE(in) << "docs/strangler-config.md not found";
  std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::size_t section = doc.find("## Complete example");
  ASSERT_NE(section, std::string::npos);
  std::size_t start = doc.find("```yaml\n", section);
  ASSERT_NE(start, std::string::npos);
  start += 8;
  std::size_t end = doc.find("```", start);
  ASSERT_NE(end, std::string::npos);
  ::setenv("STRANGLER_TOKEN", "docs-test", 0);
  auto c = parseConfigYaml(doc.substr(start, end - start), "strangler-config.md");
  ASSERT_TRUE(c) << c.error();
  EXPECT_EQ(c->legacy, "bookstore");
  EXPECT_EQ(c->routes.size(), 5u);
  EXPECT_EQ(c->routes[0].weight, 2500u);
  EXPECT_EQ(c->routes[0].sticky.by, StickyBy::kCookie);
  EXPECT_EQ(c->routes[2].weight, 10000u);
}

}  // namespace
}  // namespace strangler
