// JSON field facts, the AST side of `seam contracts`' schema derivation.
//
//   function body (lambdas included, each access attributed to the innermost one)
//     => reads:  accessor(json, "key", ...)      a call passing a nlohmann::basic_json
//                                                 and a string literal right after it
//                json.at("key") / .value("key", d) / .contains("key") / json["key"]
//        => JsonFieldRow{direction "in", type from the accessor's return type,
//                        required unless it returns std::optional / is value()/contains()/[]}
//     => query:  accessor(httplib::Request, "name", ...), req.get_param_value("name")
//        => JsonFieldRow{direction "query"}, typed and required the same way
//     => writes: Json{{"key", value}, ...}        braced object construction (nested too)
//                obj["key"] = value                assignment through operator[]
//        => JsonFieldRow{direction "out", type from the value's C++ type,
//                        via = where the object goes: return | <callee> | local}
//
// Nesting comes from the AST, not from names: a read from a variable that was
// itself initialised by a field read `k` is a field of `k` (parent "k"); a read
// from the loop variable of a range-for over such a variable is a field of
// k's elements (parent "k[]"), and `k` becomes an array of objects.
//
// Only nlohmann::json (any basic_json specialisation) is recognised. Anything
// else leaves no row: consumers treat a missing schema as unknown, never invent one.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceLocation.h"

namespace seam::analyzer {

struct JsonFieldRow {
  const clang::LambdaExpr* lambda = nullptr;  ///< innermost lambda holding the access; null: the function itself
  std::string direction;  ///< "in" | "out" | "query"
  std::string parent;     ///< "" top level, "items[]" element of array field items, "a.b" nested object
  std::string name;
  std::string type;       ///< integer | number | string | boolean | array | object | unknown
  bool required = false;  ///< in: the read fails without the key; out: always true
  bool nullable = false;  ///< out: the value is a std::optional
  std::string via;        ///< in: accessor name; out: return | <callee qualified name> | local
  std::string object;     ///< out: "line:col" of the object built; in: the variable read from
  bool open = false;      ///< out: the object also has keys not known statically
  clang::SourceLocation loc;
};

/// The JSON field reads and writes in `fn`'s body (must have a body).
/// Appends to `out`. Accesses located in system headers are skipped.
void collectJsonFields(const clang::FunctionDecl* fn, clang::ASTContext& ctx, std::vector<JsonFieldRow>& out);

/// A parameter, the return type, or a field of a record, as a JSON type:
/// the C++ signature side of `seam contracts` (internal endpoints).
struct TypeMemberRow {
  const clang::NamedDecl* owner = nullptr;  ///< the function (param/return) or record (field)
  std::string kind;                         ///< param | return | field
  unsigned position = 0;                    ///< 0-based; 0 for return
  std::string name;                         ///< "" for the return or an unnamed parameter
  std::string cpp_type;                     ///< as written
  std::string json_type;                    ///< jsonTypeOf; "void" for a void return, "json" for nlohmann::json
  bool nullable = false;
  std::string items;                        ///< element JSON type of arrays
  const clang::CXXRecordDecl* record = nullptr;  ///< project struct/class named (or its element), its fields follow
  clang::SourceLocation loc;
};

/// The signature of `fn` (a definition), plus the fields of every project
/// record its signature names, transitively (each record once per call).
/// `is_project` says whether a declaration is in the project's own code.
void collectSignature(const clang::FunctionDecl* fn, const std::function<bool(const clang::Decl*)>& is_project,
                      std::vector<TypeMemberRow>& out);

/// The JSON type of a C++ type (integer, number, string, boolean, array,
/// object, or unknown); `nullable` is set for std::optional<T>.
std::string jsonTypeOf(clang::QualType type, bool* nullable = nullptr);

}  // namespace seam::analyzer
