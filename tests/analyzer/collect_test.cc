// Fact collection on inline code: one fixture per fact kind. Each snippet is
// parsed with Clang 14 as /project/src/app/input.cc (project root /project)
// and run through the same collector `seam analyze` uses.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "seam/analyzer/analyze.h"
#include "seam/analyzer/collect.h"
#include "seam/analyzer/config.h"

namespace seam::analyzer {
namespace {

struct Collected {
  FactBatch batch;
  std::multimap<std::string, const SymbolFact*> by_name;
  std::map<int64_t, std::string> names;

  /// Sum of counts of edges src -> dst of `kind` (qualified names).
  uint32_t edges(const std::string& src, const std::string& dst, const std::string& kind) const {
    uint32_t n = 0;
    for (const auto& [key, value] : batch.edges) {
      auto s = names.find(key.src), d = names.find(key.dst);
      if (s != names.end() && d != names.end() && s->second == src && d->second == dst && kind == toString(key.kind))
        n += value.count;
    }
    return n;
  }
  const SymbolFact* symbol(const std::string& name) const {
    auto it = by_name.find(name);
    return it == by_name.end() ? nullptr : it->second;
  }
  std::string nameOf(int64_t id) const {
    auto it = names.find(id);
    return it == names.end() ? "" : it->second;
  }
};

Collected collect(const std::string& code, const AnalyzerConfig& config = {}) {
  std::vector<std::string> args = {"-std=c++17", "-fsyntax-only"};
  std::string rd = findResourceDir();
  if (!rd.empty()) args.push_back("-resource-dir=" + rd);
  std::unique_ptr<clang::ASTUnit> ast =
      clang::tooling::buildASTFromCodeWithArgs(code, args, "/project/src/app/input.cc");
  EXPECT_TRUE(ast);
  EXPECT_FALSE(ast->getDiagnostics().hasErrorOccurred()) << "fixture does not compile";
  Collected out;
  ModuleMapper mapper("/project", config);
  collectFacts(ast->getASTContext(), mapper, config, out.batch);
  for (const SymbolFact& s : out.batch.symbols) {
    out.by_name.emplace(s.qualified_name, &s);
    out.names[s.id] = s.qualified_name;
  }
  return out;
}

TEST(AnalyzerCollect, DirectMemberConstructorAndOperatorCalls) {
  Collected c = collect(R"cc(
    namespace shop {
    struct Cart {
      Cart();
      void add(int);
      Cart operator+(const Cart&) const;
    };
    int helper(int x);
    void checkout() {
      Cart c;
      c.add(helper(1));
      c.add(2);
      Cart d = c + c;
    }
    }  // namespace shop
  )cc");
  EXPECT_EQ(c.edges("shop::checkout", "shop::helper", "call"), 1u);
  EXPECT_EQ(c.edges("shop::checkout", "shop::Cart::add", "call"), 2u);
  EXPECT_GE(c.edges("shop::checkout", "shop::Cart::Cart", "call"), 1u);
  EXPECT_EQ(c.edges("shop::checkout", "shop::Cart::operator+", "call"), 1u);
  EXPECT_GE(c.edges("shop::checkout", "shop::Cart", "type_use"), 1u);
  const SymbolFact* fn = c.symbol("shop::checkout");
  ASSERT_NE(fn, nullptr);
  EXPECT_EQ(fn->kind, "function");
  EXPECT_TRUE(fn->is_definition);
  EXPECT_EQ(c.batch.files[fn->loc.file].path, "src/app/input.cc");
  EXPECT_EQ(c.batch.files[fn->loc.file].module, "src/app");
  ASSERT_NE(c.symbol("shop::Cart::add"), nullptr);
  EXPECT_EQ(c.symbol("shop::Cart::add")->kind, "method");
  EXPECT_EQ(c.symbol("shop::Cart")->kind, "struct");
}

TEST(AnalyzerCollect, VirtualCallsOverridesAndInheritance) {
  Collected c = collect(R"cc(
    struct Shape {
      virtual ~Shape();
      virtual double area() const = 0;
    };
    struct Square : Shape {
      double area() const override;
    };
    double total(const Shape& s) { return s.area(); }
    double qualified(Square& q) { return q.Square::area(); }
  )cc");
  EXPECT_EQ(c.edges("total", "Shape::area", "virtual_call"), 1u);
  EXPECT_EQ(c.edges("total", "Shape::area", "call"), 0u);
  EXPECT_EQ(c.edges("Square::area", "Shape::area", "override"), 1u);
  EXPECT_EQ(c.edges("Square", "Shape", "inherit"), 1u);
  EXPECT_EQ(c.edges("qualified", "Square::area", "call"), 1u);
  EXPECT_EQ(c.edges("qualified", "Square::area", "virtual_call"), 0u);
}

TEST(AnalyzerCollect, LambdaCallsComeFromEnclosingFunctionAndLambda) {
  Collected c = collect(R"cc(
    int compute(int);
    int run() {
      auto f = [](int x) { return compute(x); };
      return f(1);
    }
  )cc");
  EXPECT_EQ(c.edges("run", "compute", "call"), 1u);
  const SymbolFact* lambda = nullptr;
  for (const SymbolFact& s : c.batch.symbols)
    if (s.kind == "lambda") lambda = &s;
  ASSERT_NE(lambda, nullptr);
  EXPECT_EQ(lambda->qualified_name, "run::lambda@4:16");
  EXPECT_EQ(c.edges(lambda->qualified_name, "compute", "call"), 1u);
  EXPECT_EQ(c.edges("run", lambda->qualified_name, "call"), 1u) << "calling the lambda is a call to it";
}

TEST(AnalyzerCollect, TemplatesAreRecordedAsTheirPattern) {
  Collected c = collect(R"cc(
    int helper2(int);
    template <typename T> T twice(T v) { return helper2(v) * 2; }
    struct Item {};
    template <typename T> struct Box { T value; };
    int use() {
      Box<Item> b;
      return twice(3) + twice(4);
    }
  )cc");
  EXPECT_EQ(c.edges("use", "twice", "call"), 2u) << "both instantiations name the template";
  EXPECT_GE(c.edges("use", "Box", "type_use"), 1u);
  EXPECT_GE(c.edges("use", "Item", "type_use"), 1u) << "template arguments are type uses";
  EXPECT_EQ(c.edges("twice", "helper2", "call"), 1u) << "dependent call resolved in the pattern";
}

TEST(AnalyzerCollect, FunctionPointersAreCallsFromTheReferrer) {
  Collected c = collect(R"cc(
    void on_event(int);
    void subscribe(void (*cb)(int));
    void wire() {
      subscribe(&on_event);
      void (*p)(int) = on_event;
      p(2);
    }
  )cc");
  EXPECT_EQ(c.edges("wire", "subscribe", "call"), 1u);
  EXPECT_EQ(c.edges("wire", "on_event", "call"), 2u);
}

TEST(AnalyzerCollect, GlobalReadsAndWrites) {
  Collected c = collect(R"cc(
    int g_counter;
    int g_limit = 10;
    const int kConstant = 3;
    struct Config { static int level; int x; };
    Config g_config;
    void bump() {
      g_counter++;
      g_counter = g_limit + kConstant;
      Config::level = 3;
      g_config.x = 1;
    }
    int peek() { return g_counter + g_config.x; }
  )cc");
  EXPECT_EQ(c.edges("bump", "g_counter", "global_write"), 2u);
  EXPECT_EQ(c.edges("bump", "g_limit", "global_read"), 1u);
  EXPECT_EQ(c.edges("bump", "kConstant", "global_read"), 0u) << "constants are not shared state";
  EXPECT_EQ(c.edges("bump", "Config::level", "global_write"), 1u);
  EXPECT_EQ(c.edges("bump", "g_config", "global_write"), 1u);
  EXPECT_EQ(c.edges("peek", "g_counter", "global_read"), 1u);
  EXPECT_EQ(c.edges("peek", "g_counter", "global_write"), 0u);
  EXPECT_EQ(c.edges("peek", "g_config", "global_read"), 1u);
  EXPECT_EQ(c.symbol("g_counter")->kind, "variable");
}

TEST(AnalyzerCollect, TypeUsesOfFieldsParametersReturnsAndLocals) {
  Collected c = collect(R"cc(
    struct Money {};
    struct Customer {};
    struct Order { Money total; Customer* who; };
    Money price(const Order& o);
    void audit() { Customer local; (void)local; }
  )cc");
  EXPECT_EQ(c.edges("Order", "Money", "type_use"), 1u);
  EXPECT_EQ(c.edges("Order", "Customer", "type_use"), 1u);
  EXPECT_EQ(c.edges("price", "Money", "type_use"), 1u);
  EXPECT_EQ(c.edges("price", "Order", "type_use"), 1u);
  EXPECT_EQ(c.edges("audit", "Customer", "type_use"), 1u);
}

// Minimal stand-ins for the frameworks' headers: the same names and shapes
// the detector matches on, nothing else.
constexpr const char* kHttplib = R"cc(
  namespace httplib {
  struct Request {};
  struct Response {};
  struct Server {
    template <class F> Server& Get(const char* pattern, F handler) { return *this; }
    template <class F> Server& Post(const char* pattern, F handler) { return *this; }
    template <class F> Server& Delete(const char* pattern, F handler) { return *this; }
  };
  }  // namespace httplib
)cc";

TEST(AnalyzerCollect, HttplibRoutesWithLambdaAndFunctionHandlers) {
  Collected c = collect(std::string(kHttplib) + R"cc(
    void list_books();
    void create_order(const httplib::Request&, httplib::Response&);
    void serve(httplib::Server& svr) {
      svr.Get("/books", [](const httplib::Request&, httplib::Response&) { list_books(); });
      svr.Post("/orders", &create_order);
      svr.Delete("/orders/:id", create_order);
    }
  )cc");
  ASSERT_EQ(c.batch.routes.size(), 3u);
  const RouteFact& get = c.batch.routes[0];
  EXPECT_EQ(get.method, "GET");
  EXPECT_EQ(get.path, "/books");
  EXPECT_EQ(get.framework, "httplib");
  const SymbolFact* handler = nullptr;
  for (const SymbolFact& s : c.batch.symbols)
    if (s.id == get.handler_id) handler = &s;
  ASSERT_NE(handler, nullptr);
  EXPECT_EQ(handler->kind, "lambda");
  EXPECT_EQ(c.edges(handler->qualified_name, "list_books", "call"), 1u) << "route -> lambda -> callee";
  EXPECT_EQ(c.batch.routes[1].method, "POST");
  EXPECT_EQ(c.nameOf(c.batch.routes[1].handler_id), "create_order");
  EXPECT_EQ(c.batch.routes[2].method, "DELETE");
  EXPECT_EQ(c.batch.routes[2].path, "/orders/:id");
  EXPECT_EQ(c.nameOf(c.batch.routes[2].handler_id), "create_order");
}

TEST(AnalyzerCollect, CrowRoutes) {
  Collected c = collect(R"cc(
    namespace crow {
    enum class HTTPMethod { Get, Post, Delete };
    constexpr HTTPMethod operator""_method(const char*, decltype(sizeof(0))) { return HTTPMethod::Get; }
    struct Rule {
      template <class F> void operator()(F f) {}
      Rule& methods(HTTPMethod m);
      Rule& methods(HTTPMethod a, HTTPMethod b);
    };
    struct SimpleApp { Rule& route(const char* url); };
    }  // namespace crow
    using crow::operator""_method;
    #define CROW_ROUTE(app, url) app.route(url)
    int health();
    void add_item();
    void app_main() {
      crow::SimpleApp app;
      CROW_ROUTE(app, "/health")([] { return health(); });
      CROW_ROUTE(app, "/items").methods(crow::HTTPMethod::Post, crow::HTTPMethod::Delete)([] { add_item(); });
      CROW_ROUTE(app, "/legacy").methods("PUT"_method)(add_item);
    }
  )cc");
  ASSERT_EQ(c.batch.routes.size(), 4u);
  std::map<std::string, std::string> got;
  for (const RouteFact& r : c.batch.routes) {
    EXPECT_EQ(r.framework, "crow");
    got[r.method + " " + r.path] = c.nameOf(r.handler_id);
  }
  ASSERT_TRUE(got.count("GET /health"));
  EXPECT_NE(got["GET /health"].find("lambda@"), std::string::npos);
  EXPECT_TRUE(got.count("POST /items"));
  EXPECT_TRUE(got.count("DELETE /items"));
  ASSERT_TRUE(got.count("PUT /legacy"));
  EXPECT_EQ(got["PUT /legacy"], "add_item");
}

TEST(AnalyzerCollect, DrogonRoutes) {
  Collected c = collect(R"cc(
    namespace drogon {
    enum HttpMethod { Get, Post, Put, Delete, Invalid };
    struct Constraint { Constraint(HttpMethod); };
    struct Constraints { Constraints(Constraint); Constraints(Constraint, Constraint); };
    template <class T> struct HttpController {
      template <class F>
      static void registerMethod(F f, const char* pattern, const Constraints& c, bool classNameInPath,
                                 const char* name) {}
    };
    template <class T> struct HttpSimpleController {
      static void registerSelf__(const char* path, const Constraints& c);
    };
    struct HttpAppFramework {
      template <class F> HttpAppFramework& registerHandler(const char* path, F f, const Constraints& c) {
        return *this;
      }
    };
    HttpAppFramework& app();
    }  // namespace drogon
    #define METHOD_LIST_BEGIN static void initPathRouting() {
    #define METHOD_LIST_END }
    #define ADD_METHOD_TO(method, pattern, ...) registerMethod(&method, pattern, {__VA_ARGS__}, false, #method)
    #define METHOD_ADD(method, pattern, ...) registerMethod(&method, pattern, {__VA_ARGS__}, true, #method)
    #define PATH_LIST_BEGIN static void initPathRouting() {
    #define PATH_ADD(path, ...) registerSelf__(path, {__VA_ARGS__})
    #define PATH_LIST_END }
    namespace api {
    class User : public drogon::HttpController<User> {
     public:
      METHOD_LIST_BEGIN
      ADD_METHOD_TO(User::get, "/users/{id}", drogon::Get);
      METHOD_ADD(User::update, "/{id}", drogon::Put, drogon::Post);
      METHOD_LIST_END
      void get(int id);
      void update(int id);
    };
    }  // namespace api
    class Ping : public drogon::HttpSimpleController<Ping> {
     public:
      PATH_LIST_BEGIN
      PATH_ADD("/ping", drogon::Get);
      PATH_LIST_END
      void asyncHandleHttpRequest(int req);
    };
    void stats();
    void setup() { drogon::app().registerHandler("/stats", [] { stats(); }, {drogon::Get}); }
  )cc");
  std::map<std::string, std::string> got;
  for (const RouteFact& r : c.batch.routes) {
    EXPECT_EQ(r.framework, "drogon");
    got[r.method + " " + r.path] = c.nameOf(r.handler_id);
  }
  EXPECT_EQ(got["GET /users/{id}"], "api::User::get");
  EXPECT_EQ(got["PUT /api/User/{id}"], "api::User::update");
  EXPECT_EQ(got["POST /api/User/{id}"], "api::User::update");
  EXPECT_EQ(got["GET /ping"], "Ping::asyncHandleHttpRequest");
  ASSERT_TRUE(got.count("GET /stats"));
  EXPECT_NE(got["GET /stats"].find("lambda@"), std::string::npos);
  EXPECT_EQ(got.size(), 5u);
}

TEST(AnalyzerCollect, PistacheRoutes) {
  Collected c = collect(R"cc(
    namespace Pistache::Rest {
    struct Router {};
    namespace Routes {
    template <class H> void Get(Router&, const char*, H) {}
    template <class H> void Post(Router&, const char*, H) {}
    template <class Fn, class Obj> int bind(Fn f, Obj o) { return 0; }
    }  // namespace Routes
    }  // namespace Pistache::Rest
    struct Api {
      void list(int);
      void create(int);
      void setup(Pistache::Rest::Router& r) {
        using namespace Pistache::Rest;
        Routes::Get(r, "/api/items", Routes::bind(&Api::list, this));
        Routes::Post(r, "/api/items", Routes::bind(&Api::create, this));
      }
    };
  )cc");
  ASSERT_EQ(c.batch.routes.size(), 2u);
  EXPECT_EQ(c.batch.routes[0].method, "GET");
  EXPECT_EQ(c.batch.routes[0].path, "/api/items");
  EXPECT_EQ(c.batch.routes[0].framework, "pistache");
  EXPECT_EQ(c.nameOf(c.batch.routes[0].handler_id), "Api::list");
  EXPECT_EQ(c.batch.routes[1].method, "POST");
  EXPECT_EQ(c.nameOf(c.batch.routes[1].handler_id), "Api::create");
}

TEST(AnalyzerCollect, RoutesFromSeamYaml) {
  auto config = parseConfig(R"yaml(
routes:
  - callee: "myfw::Router::add"
    method_arg: 0
    path_arg: 1
    handler_arg: 2
)yaml");
  ASSERT_TRUE(static_cast<bool>(config)) << llvm::toString(config.takeError());
  Collected c = collect(R"cc(
    namespace myfw { struct Router { void add(const char* method, const char* path, void (*h)()); }; }
    void report();
    const char* const kPath = "/reports";
    void setup(myfw::Router& r) { r.add("get", kPath, &report); }
  )cc",
                        *config);
  ASSERT_EQ(c.batch.routes.size(), 1u);
  EXPECT_EQ(c.batch.routes[0].method, "GET");
  EXPECT_EQ(c.batch.routes[0].path, "/reports");
  EXPECT_EQ(c.batch.routes[0].framework, "config");
  EXPECT_EQ(c.nameOf(c.batch.routes[0].handler_id), "report");
}

TEST(AnalyzerCollect, ModuleRulesAndNamespaceStrategy) {
  auto config = parseConfig(R"yaml(
modules:
  strategy: namespace
  namespace_depth: 1
)yaml");
  ASSERT_TRUE(static_cast<bool>(config));
  Collected c = collect(R"cc(
    namespace billing { namespace detail { void charge(); } }
    namespace shipping { void ship() { billing::detail::charge(); } }
  )cc",
                        *config);
  EXPECT_EQ(c.symbol("billing::detail::charge")->module, "billing");
  EXPECT_EQ(c.symbol("shipping::ship")->module, "shipping");

  auto rules = parseConfig("modules:\n  rules:\n    - match: '^src/app/'\n      module: legacy\n");
  ASSERT_TRUE(static_cast<bool>(rules));
  ModuleMapper mapper("/project", *rules);
  EXPECT_EQ(mapper.map("/project/src/app/x.cc").module, "legacy");
  EXPECT_EQ(mapper.map("/project/src/orders/x.cc").module, "src/orders");
  EXPECT_EQ(mapper.map("/project/main.cc").module, ".");
  EXPECT_TRUE(mapper.map("/usr/include/sqlite3.h").external);
  EXPECT_EQ(mapper.map("/usr/include/sqlite3.h").module, "external:sqlite3");
  EXPECT_EQ(mapper.map("/usr/include/c++/12/string").module, "external:std");
}

TEST(AnalyzerCollect, ConfigRejectsUnknownKeysAndBadRegexes) {
  EXPECT_FALSE(static_cast<bool>(parseConfig("modulez: {}\n")));
  auto bad = parseConfig("exclude: ['([']\n");
  ASSERT_FALSE(static_cast<bool>(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("invalid regex"), std::string::npos);
  llvm::consumeError(parseConfig("modules: [1, 2]\n").takeError());
}

}  // namespace
}  // namespace seam::analyzer
