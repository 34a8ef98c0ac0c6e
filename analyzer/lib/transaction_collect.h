// Transaction sites: the per-TU half of transaction scopes.
//
//   ASTContext => TransactionSiteCollector (its own RecursiveASTVisitor pass
//   over the project's function bodies and lambdas)
//   => FactBatch::transaction_sites (guard declarations, transaction-control
//      calls with their CFG balance, and every call site of the functions that
//      have either) => transaction_sites table
//   => computeTransactions (transaction_scopes.h) after the whole run.
//
// A function's sites are recorded only if it can open a scope: it declares a
// local of a project class with a user-provided destructor (a guard
// candidate; whether the class really begins a transaction is decided over
// the whole store, where its constructor's SQL is known) or of a guard class
// named in seam.yaml, it passes a literal transaction-control statement to a
// call, or it calls a configured begin/commit/rollback function. Everything
// else costs one AST walk and no rows.
//
// Ids match the main collector's (fact_collector.cc): USR hashes of the
// normalized declaration, and the synthetic lambda USR.
#pragma once

#include "clang/AST/ASTContext.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/DenseSet.h"
#include "seam/analyzer/config.h"
#include "seam/analyzer/facts.h"

namespace seam::analyzer {

class FileTable;

/// Appends the TU's transaction sites to out.transaction_sites.
void collectTransactionSites(clang::ASTContext& ctx, FileTable& files, const AnalyzerConfig& config,
                             FactBatch& out);

/// For the main collector's call edges: if `s` holds statements whose value
/// is dropped (a compound statement's children, if/loop bodies, a for
/// increment, case/label bodies, `(void)expr`, the left of a comma), adds the
/// calls among them to `out`. Called for every statement in pre-order, so
/// a call is marked before it is visited.
void noteDiscardedCalls(const clang::Stmt* s, llvm::DenseSet<const clang::Expr*>& out);

}  // namespace seam::analyzer
