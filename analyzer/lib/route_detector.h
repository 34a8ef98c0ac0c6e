// HTTP route registrations recognised at call sites.
//
//   cpp-httplib  svr.Get/Post/Put/Patch/Delete/Options("/path", handler)
//   Crow         CROW_ROUTE(app, "/path").methods(...)(handler)
//                (= app.route<...>("/path").methods(...).operator()(handler))
//   Drogon       ADD_METHOD_TO / METHOD_ADD (registerMethod), PATH_ADD
//                (registerSelf__), app().registerHandler("/path", handler, {Get})
//   Pistache     Routes::Get(router, "/path", Routes::bind(&X::f, this))
//   seam.yaml    routes: [{callee, method | method_arg, path_arg, handler_arg}]
//
// Matching is on the resolved callee (namespace and name), so it works
// whether the macros or the expanded calls were written. The detector only
// finds the pieces; the collector turns the handler into a symbol id.
#pragma once

#include <string>
#include <vector>

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "seam/analyzer/config.h"

namespace seam::analyzer {

struct RouteMatch {
  std::string method;                        ///< upper case; ANY when unconstrained
  std::string path;                          ///< "?" when not a constant
  std::string framework;
  const clang::Expr* handler = nullptr;      ///< expression naming the handler
  const clang::FunctionDecl* handler_decl = nullptr;  ///< when known without an expression
};

/// Appends every route registered by `call` (usually zero or one; Crow and
/// Drogon calls with several methods give one route per method).
/// `enclosing` is the function containing the call (Drogon's PATH_ADD needs
/// its class); may be null.
void detectRoutes(const clang::CallExpr* call, const clang::FunctionDecl* callee,
                  const clang::FunctionDecl* enclosing, const AnalyzerConfig& config,
                  std::vector<RouteMatch>& out);

/// The constant string an expression evaluates to, looking through implicit
/// conversions, std::string construction and const variables; "?" otherwise.
std::string constantString(const clang::Expr* e);

}  // namespace seam::analyzer
