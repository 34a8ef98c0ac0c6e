// Fact collection from one parsed translation unit.
//
//   ASTContext => FactCollector (one RecursiveASTVisitor pass over the
//   project's declarations; system/external declarations are not entered)
//   => FactBatch (files, includes, symbols, edges, routes, SQL call facts)
//
// Attribution rules (documented in docs/analyzer.md):
//   - calls, global reads/writes and type uses inside a function body come
//     from that function; inside a lambda they come from the enclosing named
//     function AND from the lambda's own symbol (kind "lambda");
//   - a function referenced without being called (function pointer, member
//     pointer, std::bind, a handler argument) is a "call" from the referrer;
//   - a virtual call through a non-final object is a virtual_call to the
//     method named at the call site; overrides are override edges;
//   - template patterns are visited, not instantiations; callees that are
//     instantiations are recorded as their pattern.
#pragma once

#include <memory>

#include "clang/AST/ASTContext.h"
#include "clang/Frontend/FrontendAction.h"
#include "seam/analyzer/config.h"
#include "seam/analyzer/facts.h"
#include "seam/analyzer/module_mapper.h"

namespace seam::analyzer {

/// Collects the facts of `ctx`'s translation unit into `out` (files, symbols,
/// edges, includes of project files, routes, SQL facts). Include edges need
/// the preprocessor; they are added by the frontend action (see
/// makeCollectAction), so a bare AST (tests) yields none.
void collectFacts(clang::ASTContext& ctx, const ModuleMapper& mapper,
                  const AnalyzerConfig& config, FactBatch& out);

/// A FrontendAction that parses with function bodies of system headers
/// skipped, records #include edges, collects facts into `out` and records
/// errors as diagnostics. `out` must outlive the action.
std::unique_ptr<clang::FrontendAction> makeCollectAction(const ModuleMapper& mapper,
                                                         const AnalyzerConfig& config,
                                                         FactBatch& out);

}  // namespace seam::analyzer
