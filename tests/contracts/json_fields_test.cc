// The analyzer's JSON field pass (analyzer/lib/json_fields_callsite.h) on
// inline code using the real nlohmann/json.hpp: reads through accessors and
// json methods, nesting via variables and range-for, objects built with
// braces and operator[], where they go, and C++ signatures as JSON types.
#include "json_fields_callsite.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "seam/analyzer/analyze.h"

namespace seam::analyzer {
namespace {

constexpr const char* kCode = R"cc(
#include <cstdint>
#include <optional>
#include <string>
#include <vector>
#include <nlohmann/json.hpp>

namespace httplib { struct Request { std::string get_param_value(const char*) const; }; }
namespace app {
using Json = nlohmann::json;
int64_t requireInt(const Json& body, const char* key, int64_t lo, int64_t hi);
std::optional<std::string> optionalString(const Json& body, const char* key, size_t max);
const Json& requireObjectArray(const Json& body, const char* key, size_t max);
std::optional<int64_t> queryInt(const httplib::Request& req, const char* name, int64_t lo, int64_t hi);
void send(const Json& body);
void enqueue(const std::string& kind, const Json& vars);

struct Line { int64_t book_id; int64_t quantity; };
struct Order { int64_t customer_id; std::optional<std::string> card; std::vector<Line> lines; };

Order parseOrder(const Json& body) {
  Order o;
  o.customer_id = requireInt(body, "customer_id", 1, 100);
  o.card = optionalString(body, "card_number", 40);
  const Json& items = requireObjectArray(body, "items", 50);
  for (const auto& item : items) {
    o.lines.push_back({requireInt(item, "book_id", 1, 9), requireInt(item, "quantity", 1, 9)});
  }
  if (body.contains("note")) (void)body.at("note");
  return o;
}

Json details(int64_t id, const std::string& reason) {
  Json out = Json{{"order_id", id}, {"reason", reason}, {"flags", {{"paid", true}}}};
  out["total"] = 1.5;
  return out;
}

void handler(const httplib::Request& req) {
  auto page = queryInt(req, "page", 1, 100);
  send(Json{{"items", Json::array()}, {"page", page.value_or(1)}});
  enqueue("order_placed", Json{{"order_id", 7}});
  Json local = {{"unused", "x"}};
}

Json fromRow(const Json& row) {
  Json r = row;
  r["extra"] = "x";
  return r;
}
}  // namespace app
)cc";

class Finder : public clang::RecursiveASTVisitor<Finder> {
 public:
  explicit Finder(const std::string& name) : name_(name) {}
  bool VisitFunctionDecl(clang::FunctionDecl* fd) {
    if (fd->getQualifiedNameAsString() == name_ && fd->hasBody()) found = fd;
    return true;
  }
  const clang::FunctionDecl* found = nullptr;

 private:
  std::string name_;
};

class ContractsJsonFieldsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::vector<std::string> args = {"-std=c++20", "-resource-dir", findResourceDir()};
    ast_ = clang::tooling::buildASTFromCodeWithArgs(kCode, args, "input.cc").release();
  }
  static void TearDownTestSuite() {
    delete ast_;
    ast_ = nullptr;
  }

  const clang::FunctionDecl* function(const std::string& name) {
    Finder f(name);
    f.TraverseDecl(ast_->getASTContext().getTranslationUnitDecl());
    return f.found;
  }

  std::vector<JsonFieldRow> rows(const std::string& fn) {
    std::vector<JsonFieldRow> out;
    const clang::FunctionDecl* fd = function(fn);
    EXPECT_NE(fd, nullptr) << fn;
    if (fd) collectJsonFields(fd, ast_->getASTContext(), out);
    return out;
  }

  // "direction parent.name:type[!][?] via" per row.
  static std::vector<std::string> describe(const std::vector<JsonFieldRow>& rows) {
    std::vector<std::string> out;
    for (const JsonFieldRow& r : rows) {
      out.push_back(r.direction + " " + (r.parent.empty() ? "" : r.parent + ".") + r.name + ":" + r.type +
                    (r.required ? "!" : "") + (r.nullable ? "?" : "") + " " + r.via + (r.open ? " open" : ""));
    }
    return out;
  }

  static clang::ASTUnit* ast_;
};

clang::ASTUnit* ContractsJsonFieldsTest::ast_ = nullptr;

TEST_F(ContractsJsonFieldsTest, ParsesTheFixture) {
  ASSERT_NE(ast_, nullptr);
  EXPECT_FALSE(ast_->getDiagnostics().hasErrorOccurred());
}

TEST_F(ContractsJsonFieldsTest, ReadsWithTypesRequirednessAndNesting) {
  ASSERT_NE(ast_, nullptr);
  EXPECT_EQ(describe(rows("app::parseOrder")), (std::vector<std::string>{
                                                   "in customer_id:integer! app::requireInt",
                                                   "in card_number:string app::optionalString",
                                                   "in items:array! app::requireObjectArray",
                                                   "in items[].book_id:integer! app::requireInt",
                                                   "in items[].quantity:integer! app::requireInt",
                                                   "in note:unknown nlohmann::json::contains",
                                                   "in note:unknown! nlohmann::json::at",
                                               }));
}

TEST_F(ContractsJsonFieldsTest, BuiltObjectsNestedAndReturned) {
  ASSERT_NE(ast_, nullptr);
  EXPECT_EQ(describe(rows("app::details")), (std::vector<std::string>{
                                                "out order_id:integer! return",
                                                "out reason:string! return",
                                                "out flags:object! return",
                                                "out flags.paid:boolean! return",
                                                "out total:number! return",
                                            }));
}

TEST_F(ContractsJsonFieldsTest, QueryParametersAndWhereObjectsGo) {
  ASSERT_NE(ast_, nullptr);
  EXPECT_EQ(describe(rows("app::handler")), (std::vector<std::string>{
                                                "query page:integer app::queryInt",
                                                "out items:array! app::send",
                                                "out page:integer! app::send",
                                                "out order_id:integer! app::enqueue",
                                                "out unused:string! local",
                                            }));
}

TEST_F(ContractsJsonFieldsTest, ObjectCopiedFromAnotherValueIsOpen) {
  ASSERT_NE(ast_, nullptr);
  EXPECT_EQ(describe(rows("app::fromRow")), (std::vector<std::string>{"out extra:string! return open"}));
}

TEST_F(ContractsJsonFieldsTest, SignaturesAsJsonTypesWithRecordFields) {
  ASSERT_NE(ast_, nullptr);
  std::vector<TypeMemberRow> members;
  collectSignature(function("app::parseOrder"), [](const clang::Decl*) { return true; }, members);
  std::vector<std::string> got;
  for (const TypeMemberRow& m : members) {
    got.push_back(m.kind + " " + m.name + ":" + m.json_type + (m.items.empty() ? "" : "<" + m.items + ">") +
                  (m.nullable ? "?" : "") + (m.record ? " record" : ""));
  }
  EXPECT_EQ(got, (std::vector<std::string>{
                     "return :object record",
                     "param body:json",
                     "field customer_id:integer",
                     "field card:string?",
                     "field lines:array<object> record",
                     "field book_id:integer",
                     "field quantity:integer",
                 }));
}

TEST_F(ContractsJsonFieldsTest, JsonTypeOfCppTypes) {
  ASSERT_NE(ast_, nullptr);
  clang::ASTContext& ctx = ast_->getASTContext();
  EXPECT_EQ(jsonTypeOf(ctx.BoolTy), "boolean");
  EXPECT_EQ(jsonTypeOf(ctx.LongLongTy), "integer");
  EXPECT_EQ(jsonTypeOf(ctx.DoubleTy), "number");
  EXPECT_EQ(jsonTypeOf(ctx.getPointerType(ctx.CharTy.withConst())), "string");
  EXPECT_EQ(jsonTypeOf(ctx.VoidPtrTy), "unknown");
}

}  // namespace
}  // namespace seam::analyzer
