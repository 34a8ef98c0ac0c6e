// seam_contracts on inline facts: path templates, request/response schemas
// from json_fields, internal endpoints from type_members, unknown markers,
// events, plan/store mismatch, YAML output and the all-or-nothing writer.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include <yaml-cpp/yaml.h>

#include "seam/contracts/contracts.h"
#include "seam/contracts/path_template.h"

namespace seam::contracts {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

TEST(ContractsPathTemplate, ConvertsPatterns) {
  auto t = toPathTemplate(R"(/api/orders/(\d+))");
  EXPECT_EQ(t.path, "/api/orders/{id}");
  ASSERT_EQ(t.parameters.size(), 1u);
  EXPECT_EQ(t.parameters[0].type, "integer");
  EXPECT_TRUE(t.exact);

  t = toPathTemplate("/api/books/:bookId/reviews/:id");
  EXPECT_EQ(t.path, "/api/books/{bookId}/reviews/{id}");
  EXPECT_EQ(t.parameters[0].type, "string");

  t = toPathTemplate(R"(/api/a/(\d+)/b/([a-z]+))");
  EXPECT_EQ(t.path, "/api/a/{id}/b/{id2}");
  EXPECT_EQ(t.parameters[1].type, "string");

  t = toPathTemplate("/users/<int>");
  EXPECT_EQ(t.path, "/users/{id}");
  EXPECT_EQ(t.parameters[0].type, "integer");

  t = toPathTemplate("/files/(.*)");
  EXPECT_FALSE(t.exact);
  t = toPathTemplate(R"(/static/.+\.css)");
  EXPECT_EQ(t.path, "/static/{p1}");
  EXPECT_FALSE(t.exact);
  t = toPathTemplate(R"(/v1\.0/health)");
  EXPECT_EQ(t.path, "/v1.0/health");
  EXPECT_TRUE(t.exact);
}

JsonField field(int64_t sym, std::string dir, std::string parent, std::string name, std::string type, bool required,
                std::string via = "app::get", std::string object = "body") {
  JsonField f;
  f.symbol_id = sym;
  f.direction = std::move(dir);
  f.parent = std::move(parent);
  f.name = std::move(name);
  f.type = std::move(type);
  f.required = required;
  f.via = std::move(via);
  f.object = std::move(object);
  f.location = "src/orders/x.cc:1";
  return f;
}

TypeMember member(std::string kind, int pos, std::string name, std::string cpp, std::string json,
                  int64_t record = 0, bool nullable = false) {
  TypeMember m;
  m.kind = std::move(kind);
  m.position = pos;
  m.name = std::move(name);
  m.cpp_type = std::move(cpp);
  m.json_type = std::move(json);
  m.record_id = record;
  m.nullable = nullable;
  return m;
}

// orders: POST /api/orders (lambda 1 -> parse 2 (takes Json) -> details 3 (returns Json)),
// GET /api/orders/(\d+) (lambda 4, sends nothing known), POST /api/orders/(\d+)/cancel (lambda 5, reads nothing);
// catalog: findBook 10 (called by orders), its record Book 11; notify 20 (event callee).
Facts sampleFacts() {
  Facts f;
  auto sym = [&](int64_t id, std::string name, std::string q, std::string kind, std::string module) {
    f.symbols[id] = Symbol{id, name, q, kind, module, "src/x.cc:" + std::to_string(id)};
    f.by_qualified_name[q].push_back(id);
  };
  sym(1, "lambda@10:3", "app::orders::routes::lambda@10:3", "lambda", "src/orders");
  sym(2, "parse", "app::orders::parse", "function", "src/orders");
  sym(3, "details", "app::orders::details", "function", "src/orders");
  sym(4, "lambda@20:3", "app::orders::routes::lambda@20:3", "lambda", "src/orders");
  sym(5, "lambda@30:3", "app::orders::routes::lambda@30:3", "lambda", "src/orders");
  sym(6, "gateway", "app::payments::gateway", "function", "src/orders");
  sym(10, "findBook", "app::catalog::findBook", "function", "src/catalog");
  sym(11, "Book", "app::catalog::Book", "struct", "src/catalog");
  sym(12, "Db", "app::Db", "class", "src/common");
  sym(20, "notify", "app::mail::notify", "function", "src/mail");
  f.routes = {Route{"POST", "/api/orders", 1, "src/orders", "src/orders/routes.cc:10"},
              Route{"GET", R"(/api/orders/(\d+))", 4, "src/orders", "src/orders/routes.cc:20"},
              Route{"POST", R"(/api/orders/(\d+)/cancel)", 5, "src/orders", "src/orders/routes.cc:30"},
              Route{"GET", "/api/books", 0, "src/catalog", "src/catalog/routes.cc:5"}};
  f.calls = {{1, {2, 3, 6}}, {4, {3}}};
  f.json_fields[2] = {field(2, "in", "", "customer_id", "integer", true),
                      field(2, "in", "", "card_number", "string", false),
                      field(2, "in", "", "items", "unknown", true),
                      field(2, "in", "items[]", "book_id", "integer", true)};
  // gateway parses some other JSON: not the request (it takes no JSON parameter).
  f.json_fields[6] = {field(6, "in", "", "status", "string", true)};
  f.json_fields[1] = {field(1, "query", "", "dry_run", "string", false, "app::queryString", "req")};
  JsonField out = field(3, "out", "", "order_id", "integer", true, "return", "40:3");
  out.open = true;
  f.json_fields[3] = {out};
  f.json_fields[7] = {field(7, "out", "", "order_id", "integer", true, "app::mail::notify", "50:9")};
  f.members[2] = {member("return", 0, "", "Order", "object"), member("param", 0, "body", "const Json &", "json")};
  f.members[3] = {member("return", 0, "", "Json", "json"), member("param", 0, "id", "int64_t", "integer")};
  f.members[10] = {member("return", 0, "", "std::optional<Book>", "object", 11, true),
                   member("param", 0, "db", "Db &", "object", 12),
                   member("param", 1, "id", "int64_t", "integer")};
  f.members[11] = {member("field", 0, "title", "std::string", "string"),
                   member("field", 1, "price", "double", "number"),
                   member("field", 2, "tags", "std::vector<std::string>", "array")};
  f.members[11][2].items = "string";
  f.members[20] = {member("return", 0, "", "void", "void"), member("param", 0, "db", "Db &", "object", 12),
                   member("param", 1, "kind", "const std::string &", "string"),
                   member("param", 2, "vars", "const Json &", "json")};
  return f;
}

Plan samplePlan() {
  Plan p;
  p.services.push_back(PlanService{"orders", {"src/orders"}, {}});
  p.services.push_back(PlanService{"catalog", {"src/catalog"}, {{"app::catalog::findBook", {"orders"}, 3}}});
  p.services.push_back(PlanService{"mail", {"src/mail"}, {{"app::catalog::missing", {"orders"}, 1}}});
  return p;
}

const ServiceContract& contractOf(const std::vector<ServiceContract>& all, const std::string& name) {
  for (const ServiceContract& c : all) {
    if (c.service == name) return c;
  }
  static ServiceContract none;
  ADD_FAILURE() << "no contract for " << name;
  return none;
}

TEST(ContractsBuild, RouteRequestFromTheFunctionsTheBodyFlowsInto) {
  Facts f = sampleFacts();
  auto built = buildContracts(f, samplePlan(), {});
  ASSERT_TRUE(built.ok()) << built.error().message;
  const Json& doc = contractOf(*built, "orders").openapi;
  EXPECT_EQ(doc["openapi"], "3.1.0");
  const Json& post = doc["paths"]["/api/orders"]["post"];
  EXPECT_EQ(post["operationId"], "postApiOrders");
  const Json& schema = post["requestBody"]["content"]["application/json"]["schema"];
  EXPECT_EQ(schema["properties"]["customer_id"]["type"], "integer");
  EXPECT_EQ(schema["properties"]["card_number"]["type"], "string");
  EXPECT_EQ(schema["properties"]["items"]["type"], "array");
  EXPECT_EQ(schema["properties"]["items"]["items"]["properties"]["book_id"]["type"], "integer");
  EXPECT_EQ(schema["required"], Json::array({"customer_id", "items"}));
  EXPECT_FALSE(schema["properties"].contains("status")) << "gateway's JSON is not the request";
  EXPECT_EQ(post["parameters"][0]["name"], "dry_run");
  EXPECT_EQ(post["parameters"][0]["in"], "query");
  EXPECT_EQ(post["parameters"][0]["required"], false);
  // Response: the object details() returns (open: built from a row).
  const Json& response = post["responses"]["2XX"]["content"]["application/json"]["schema"];
  EXPECT_EQ(response["properties"]["order_id"]["type"], "integer");
  EXPECT_EQ(response["additionalProperties"], true);
}

TEST(ContractsBuild, PathParametersAndUnknownMarkers) {
  auto built = buildContracts(sampleFacts(), samplePlan(), {});
  ASSERT_TRUE(built.ok());
  const ServiceContract& orders = contractOf(*built, "orders");
  const Json& get = orders.openapi["paths"]["/api/orders/{id}"]["get"];
  EXPECT_EQ(get["parameters"][0]["in"], "path");
  EXPECT_EQ(get["parameters"][0]["schema"]["type"], "integer");
  EXPECT_FALSE(get.contains("requestBody"));
  const Json& cancel = orders.openapi["paths"]["/api/orders/{id}/cancel"]["post"];
  EXPECT_EQ(cancel["requestBody"]["content"]["application/json"]["schema"]["x-seam-unknown"], true);
  EXPECT_EQ(cancel["responses"]["2XX"]["content"]["application/json"]["schema"]["x-seam-unknown"], true);
  EXPECT_EQ(orders.counts.routes, 3);
  EXPECT_EQ(orders.counts.request_derived, 1);
  EXPECT_EQ(orders.counts.request_unknown, 1);
  EXPECT_EQ(orders.counts.response_derived, 2);
  EXPECT_EQ(orders.counts.response_unknown, 1);
  // An unresolved handler: still an operation, marked unknown.
  const Json& books = contractOf(*built, "catalog").openapi["paths"]["/api/books"]["get"];
  EXPECT_EQ(books["x-seam-handler"], "(unresolved)");
}

TEST(ContractsBuild, InternalEndpointsFromSignatures) {
  auto built = buildContracts(sampleFacts(), samplePlan(), {});
  ASSERT_TRUE(built.ok());
  const Json& op = contractOf(*built, "catalog").openapi["paths"]["/internal/catalog/findBook"]["post"];
  EXPECT_EQ(op["operationId"], "internalFindBook");
  EXPECT_EQ(op["x-seam-callers"], Json::array({"orders"}));
  EXPECT_EQ(op["x-seam-context-parameters"], Json::array({"Db & db"}));
  const Json& body = op["requestBody"]["content"]["application/json"]["schema"];
  EXPECT_EQ(body["properties"]["id"]["type"], "integer");
  EXPECT_EQ(body["properties"]["id"]["format"], "int64");
  EXPECT_FALSE(body["properties"].contains("db"));
  const Json& result = op["responses"]["200"]["content"]["application/json"]["schema"];
  EXPECT_EQ(result["properties"]["title"]["type"], "string");
  EXPECT_EQ(result["properties"]["tags"]["items"]["type"], "string");
  // A plan function the store does not know: marked unknown, not invented.
  const Json& missing = contractOf(*built, "mail").openapi["paths"]["/internal/mail/missing"]["post"];
  EXPECT_EQ(missing["requestBody"]["content"]["application/json"]["schema"]["x-seam-unknown"], true);
}

TEST(ContractsBuild, EventsSentAndReceivedWithDerivedPayload) {
  std::vector<EventFact> events = {{"MailRequested", "app::mail::notify", "mail", {"orders"}}};
  auto built = buildContracts(sampleFacts(), samplePlan(), events);
  ASSERT_TRUE(built.ok());
  const ServiceContract& orders = contractOf(*built, "orders");
  const ServiceContract& mail = contractOf(*built, "mail");
  EXPECT_TRUE(contractOf(*built, "catalog").asyncapi.is_null());
  ASSERT_FALSE(orders.asyncapi.is_null());
  EXPECT_EQ(orders.asyncapi["asyncapi"], "3.0.0");
  EXPECT_EQ(orders.asyncapi["operations"]["sendMailRequested"]["action"], "send");
  EXPECT_EQ(mail.asyncapi["operations"]["receiveMailRequested"]["action"], "receive");
  const Json& payload = mail.asyncapi["components"]["messages"]["MailRequested"]["payload"];
  EXPECT_EQ(payload["properties"]["kind"]["type"], "string");
  EXPECT_EQ(payload["properties"]["vars"]["properties"]["order_id"]["type"], "integer");
  EXPECT_FALSE(payload["properties"].contains("db"));
  EXPECT_EQ(mail.counts.payloads_derived, 1);
}

TEST(ContractsBuild, PlanNotMatchingTheStoreIsBadInput) {
  Plan p;
  p.services.push_back(PlanService{"ghost", {"src/nowhere"}, {}});
  auto built = buildContracts(sampleFacts(), p, {});
  ASSERT_FALSE(built.ok());
  EXPECT_EQ(built.error().code, ErrorCode::kBadInput);
  EXPECT_NE(built.error().message.find("does not match"), std::string::npos);
}

TEST(ContractsYaml, QuotesStringsThatReadAsOtherTypes) {
  Json doc{{"responses", Json{{"200", "ok"}, {"2XX", "x"}}}, {"a", "true"}, {"b", "1.5"}, {"c", "40:3"},
           {"d", "plain text"}, {"e", ""}, {"k", 3}, {"t", true}, {"n", "y"}};
  std::string text = toYaml(doc);
  EXPECT_NE(text.find("\"200\": ok"), std::string::npos) << text;  // a string key, not an integer
  EXPECT_NE(text.find("a: \"true\""), std::string::npos) << text;
  EXPECT_NE(text.find("b: \"1.5\""), std::string::npos) << text;
  EXPECT_NE(text.find("c: \"40:3\""), std::string::npos) << text;
  EXPECT_NE(text.find("k: 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\"n\": \"y\""), std::string::npos) << text;  // YAML 1.1 booleans
  YAML::Node y = YAML::Load(text);
  EXPECT_EQ(y["a"].Tag(), "!");  // quoted: read back as a string
  EXPECT_EQ(y["d"].as<std::string>(), "plain text");
  EXPECT_EQ(y["e"].as<std::string>(), "");
  EXPECT_EQ(y["k"].as<int>(), 3);
  EXPECT_EQ(y["k"].Tag(), "?");
  EXPECT_EQ(y["n"].as<std::string>(), "y");
  EXPECT_TRUE(y["t"].as<bool>());
}

TEST(ContractsWrite, AllOrNothing) {
  auto built = buildContracts(sampleFacts(), samplePlan(), {});
  ASSERT_TRUE(built.ok());
  fs::path dir = fs::temp_directory_path() / ("seam-contracts-write-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto written = writeContracts(*built, dir.string(), Format::kYaml);
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_EQ(written->size(), 3u);
  EXPECT_TRUE(fs::exists(dir / "orders.openapi.yaml"));
  for (const auto& e : fs::directory_iterator(dir)) EXPECT_EQ(e.path().extension(), ".yaml") << e.path();
  // A path that is a file: an I/O error, nothing written.
  fs::path file = dir / "not-a-dir";
  std::ofstream(file) << "x";
  auto failed = writeContracts(*built, file.string(), Format::kJson);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::kIo);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace seam::contracts
