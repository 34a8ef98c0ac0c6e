// SQL call-site facts, the AST side of the SQL analysis.
//
//   CallExpr / CXXMemberCallExpr / CXXOperatorCallExpr / CXXConstructExpr
//   => for each string-typed argument:
//        a parameter of the caller, forwarded    => SinkParamRow (wrapper propagation)
//        anything else, reconstructed as text    => SqlCandidateRow ('?' for unknown parts)
//
// The rows are raw: whether a callee is a SQL sink, and whether the text is
// SQL, is decided later by resolveSql() over the whole store (sql_resolve.h),
// so wrappers defined in one TU and called from another are found regardless
// of TU order, shards and incremental runs.
//
// Reconstruction is sound, never guessed: string literals (adjacent literals
// are one literal after parsing; macros are literals after preprocessing),
// constants with an initializer (constexpr / static const char* / const
// std::string), std::string construction and operator+ / += of known parts,
// locals initialised once and only appended to before the call, and calls to
// simple builder functions whose body returns such an expression of their
// parameters. Everything else becomes '?' and the row is marked incomplete.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/Basic/SourceLocation.h"
#include "seam/analyzer/sql_builder.h"

namespace seam::analyzer {

/// A string-typed argument at a call site, reconstructed as text.
struct SqlCandidateRow {
  int64_t callee_id = 0;        ///< symbolIdFromUsr(USR of the callee)
  std::string callee_name;      ///< e.g. "sqlite3_prepare_v2", "Db::query", "QSqlQuery::QSqlQuery"
  unsigned arg_index = 0;       ///< 0-based, not counting the implicit object argument
  std::string text;             ///< unknown parts as '?'
  bool complete = true;         ///< false when any part is unknown
  clang::SourceLocation loc;    ///< the argument's (expansion) location
};

/// The caller passes its own parameter `param_index` on as argument
/// `arg_index` of the callee; if that is a sink, the caller becomes one.
struct SinkParamRow {
  unsigned param_index = 0;
  int64_t callee_id = 0;
  std::string callee_name;
  unsigned arg_index = 0;
};

struct SqlCallFacts {
  std::vector<SqlCandidateRow> candidates;
  std::vector<SinkParamRow> sink_params;
};

/// Records the facts of one call. `call` is the CallExpr (any subclass) or
/// CXXConstructExpr; `callee` the called function or constructor (null for
/// calls through pointers, which are skipped); `caller` the function whose
/// body contains the call (null at namespace scope: no sink params then).
/// Calls located in system headers are skipped. Appends to `out`.
/// `builders` are the query-builder classes declared in seam.yaml
/// (sql_builder.h); builders whose code is visible are learned without them.
void collectSqlCallFacts(const clang::Expr* call, const clang::FunctionDecl* callee,
                         const clang::FunctionDecl* caller, clang::ASTContext& ctx,
                         SqlCallFacts& out, const std::vector<SqlBuilderSpec>& builders = {});

/// The symbol id the SQL facts use for `fn`: the USR hash of the template
/// pattern for instantiations, so that calls to a template wrapper and its
/// definition agree. 0 if no USR can be generated.
int64_t sqlSymbolId(const clang::FunctionDecl* fn);

}  // namespace seam::analyzer
