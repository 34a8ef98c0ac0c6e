// TransactionSiteCollector: guard declarations, transaction-control calls and
// call sites, per function (see transaction_collect.h for what is recorded
// and why).
//
// Balance: for every begin/savepoint site, Clang's CFG of the function is
// searched for a path to the exit block that passes no commit/rollback/
// release site (an early return, a throw, a branch that forgot the end).
// Such a site gets flag 2; the store pass reports its scope as `unbalanced`.
// The CFG has no exception edges from calls (BuildOptions::AddEHEdges is
// off), so a ROLLBACK in a catch handler counts as an end only for the
// pairing of lines, not as a path: that keeps try { BEGIN ... COMMIT }
// catch (...) { ROLLBACK; throw; } balanced, as it is.
#include "transaction_collect.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Analysis/CFG.h"
#include "clang/Index/USRGeneration.h"
#include "file_table.h"
#include "llvm/ADT/DenseMap.h"
#include "symbol_id.h"
#include "transaction_sql.h"

namespace seam::analyzer {
namespace {

using namespace clang;

constexpr uint32_t kConfigured = 1;
constexpr uint32_t kUnbalancedPath = 2;

/// Strips what wraps a value without changing it.
const Expr* strip(const Expr* e) {
  for (int guard = 0; e && guard < 32; ++guard) {
    const Expr* next = e->IgnoreParenImpCasts();
    if (auto* c = dyn_cast<ExprWithCleanups>(next)) next = c->getSubExpr();
    else if (auto* m = dyn_cast<MaterializeTemporaryExpr>(next)) next = m->getSubExpr();
    else if (auto* b = dyn_cast<CXXBindTemporaryExpr>(next)) next = b->getSubExpr();
    else if (auto* f = dyn_cast<CXXFunctionalCastExpr>(next)) next = f->getSubExpr();
    if (next == e) return e;
    e = next;
  }
  return e;
}

void markStatement(const Stmt* s, llvm::DenseSet<const Expr*>& out) {
  auto* e = dyn_cast_or_null<Expr>(s);
  if (!e) return;
  e = strip(e);
  if (isa<CallExpr>(e)) out.insert(e);
  // `a, f()` as a statement: both sides are dropped.
  if (auto* op = dyn_cast<BinaryOperator>(e); op && op->getOpcode() == BO_Comma) {
    markStatement(op->getLHS(), out);
    markStatement(op->getRHS(), out);
  }
}

/// The literal text at the start of an argument: "BEGIN", std::string("BEGIN"),
/// "SAVEPOINT sp" + std::to_string(n) (prefix). Empty when there is none.
bool literalPrefix(const Expr* e, std::string& text, bool& prefix, int depth = 0) {
  if (!e || depth > 8) return false;
  e = strip(e);
  if (auto* lit = dyn_cast<StringLiteral>(e)) {
    if (lit->getCharByteWidth() != 1) return false;
    text = lit->getString().str();
    return true;
  }
  if (auto* ctor = dyn_cast<CXXConstructExpr>(e)) {
    // std::string(const char*), std::string_view(const char*, n), copies.
    return ctor->getNumArgs() >= 1 && literalPrefix(ctor->getArg(0), text, prefix, depth + 1);
  }
  if (auto* op = dyn_cast<CXXOperatorCallExpr>(e); op && op->getOperator() == OO_Plus && op->getNumArgs() == 2) {
    prefix = true;
    return literalPrefix(op->getArg(0), text, prefix, depth + 1);
  }
  return false;
}

class TransactionSiteCollector : public RecursiveASTVisitor<TransactionSiteCollector> {
  using Base = RecursiveASTVisitor<TransactionSiteCollector>;

 public:
  TransactionSiteCollector(ASTContext& ctx, FileTable& files, const AnalyzerConfig& config, FactBatch& out)
      : ctx_(ctx), sm_(ctx.getSourceManager()), files_(files), config_(config.transactions), out_(out) {}

  bool shouldVisitTemplateInstantiations() const { return false; }
  bool shouldVisitImplicitCode() const { return false; }
  bool shouldVisitLambdaBody() const { return true; }

  void run() { TraverseDecl(ctx_.getTranslationUnitDecl()); }

  bool TraverseDecl(Decl* d) {
    if (!d) return true;
    if (isa<TranslationUnitDecl>(d)) return Base::TraverseDecl(d);
    if (d->getLexicalDeclContext() && d->getLexicalDeclContext()->isFileContext()) {
      if (d->getLocation().isInvalid() || !files_.isProject(d->getLocation())) return true;
    }
    if (d->isImplicit() && !isa<NamespaceDecl>(d)) return true;
    auto* fd = dyn_cast<FunctionDecl>(d);
    if (!fd || !fd->doesThisDeclarationHaveABody() || !fd->getBody()) return Base::TraverseDecl(d);
    if (auto* md = dyn_cast<CXXMethodDecl>(fd); md && md->getParent()->isLambda()) return Base::TraverseDecl(d);
    frames_.push_back(Frame{idOf(fd), fd, fd->getBody(), {}, {}, false});
    bool ok = Base::TraverseDecl(d);
    finish();
    return ok;
  }

  bool TraverseLambdaExpr(LambdaExpr* e) {
    if (frames_.empty()) return Base::TraverseLambdaExpr(e);
    int64_t id = lambdaId(e->getLambdaClass());
    // The outer function refers to the lambda: a call site of it, as the
    // main collector's edges have the lambda's calls on the outer function.
    addCall(id, "lambda", e->getBeginLoc(), nullptr);
    frames_.push_back(Frame{id, e->getCallOperator(), e->getBody(), {}, {}, false});
    bool ok = Base::TraverseLambdaExpr(e);
    finish();
    return ok;
  }

  bool TraverseCompoundStmt(CompoundStmt* s) {
    blocks_.push_back(sm_.getExpansionLineNumber(s->getRBracLoc()));
    bool ok = Base::TraverseCompoundStmt(s);
    blocks_.pop_back();
    return ok;
  }

  bool VisitVarDecl(VarDecl* vd) {
    if (frames_.empty() || isa<ParmVarDecl>(vd) || vd->hasGlobalStorage() || blocks_.empty()) return true;
    QualType t = vd->getType();
    if (t->isReferenceType() || t->isPointerType()) return true;
    const CXXRecordDecl* rd = t->getAsCXXRecordDecl();
    if (!rd || !rd->hasDefinition()) return true;
    rd = rd->getDefinition();
    if (auto* p = rd->getTemplateInstantiationPattern()) rd = p;
    std::string name = rd->getQualifiedNameAsString();
    bool configured = std::find(config_.guards.begin(), config_.guards.end(), name) != config_.guards.end();
    if (!configured) {
      if (!files_.isProject(rd->getLocation())) return true;
      const CXXDestructorDecl* dtor = rd->getDestructor();
      if (!dtor || !dtor->isUserProvided()) return true;
    }
    TransactionSiteFact f;
    f.kind = "guard";
    f.function_id = frames_.back().id;
    f.target_id = idOf(rd);
    f.target_name = std::move(name);
    if (auto* init = dyn_cast_or_null<CXXConstructExpr>(vd->getInit() ? strip(vd->getInit()) : nullptr)) {
      f.aux_id = idOf(init->getConstructor());
    }
    f.loc = files_.loc(vd->getLocation());
    f.end_line = blocks_.back();
    f.flags = configured ? kConfigured : 0;
    if (f.loc.file == kNoFile) return true;
    frames_.back().sites.push_back(std::move(f));
    frames_.back().relevant = true;
    return true;
  }

  bool VisitCallExpr(CallExpr* call) {
    if (frames_.empty()) return true;
    const FunctionDecl* callee = call->getDirectCallee();
    if (!callee) return true;
    int64_t id = 0;
    if (auto* md = dyn_cast<CXXMethodDecl>(callee); md && md->getParent()->isLambda()) {
      id = lambdaId(md->getParent());
    } else {
      id = idOf(callee);
    }
    addCall(id, callee->getQualifiedNameAsString(), call->getBeginLoc(), call);
    return true;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr* e) {
    if (frames_.empty() || !e->getConstructor() || e->getConstructor()->isImplicit()) return true;
    addCall(idOf(e->getConstructor()), e->getConstructor()->getQualifiedNameAsString(), e->getBeginLoc(), e);
    return true;
  }

 private:
  struct Marker {
    size_t site = 0;     ///< index into Frame::sites
    const Expr* call = nullptr;
    TxVerb verb = TxVerb::kNone;
  };
  struct Frame {
    int64_t id = 0;
    const Decl* decl = nullptr;
    Stmt* body = nullptr;
    std::vector<TransactionSiteFact> sites;
    std::vector<Marker> markers;
    bool relevant = false;  ///< has a guard candidate or a transaction-control call
  };

  void addCall(int64_t callee_id, std::string name, SourceLocation at, const Expr* call) {
    if (callee_id == 0) return;
    Loc loc = files_.loc(at);
    if (loc.file == kNoFile) return;
    Frame& frame = frames_.back();
    TransactionSiteFact f;
    f.kind = "call";
    f.function_id = frame.id;
    f.target_id = callee_id;
    f.target_name = name;
    f.loc = loc;
    frame.sites.push_back(f);
    // Calls inside a lambda are also calls of the enclosing named function
    // (the main collector's attribution rule).
    if (frames_.size() > 1 && frames_.front().id != frame.id) {
      f.function_id = frames_.front().id;
      frames_.front().sites.push_back(f);
    }
    if (!call) return;

    TxStatement st;
    uint32_t flags = 0;
    if (auto verb = configuredVerb(name)) {
      st.verb = *verb;
      flags = kConfigured;
    } else {
      std::vector<const Expr*> args;
      if (auto* c = dyn_cast<CallExpr>(call)) args.assign(c->arg_begin(), c->arg_end());
      else if (auto* c = dyn_cast<CXXConstructExpr>(call)) args.assign(c->arg_begin(), c->arg_end());
      for (const Expr* a : args) {
        std::string text;
        bool prefix = false;
        if (!literalPrefix(a, text, prefix)) continue;
        st = classifyTransactionSql(text, prefix);
        if (st.verb != TxVerb::kNone) {
          loc = files_.loc(strip(a)->getBeginLoc());  // where sql_statements records it: the argument
          break;
        }
      }
    }
    if (st.verb == TxVerb::kNone || loc.file == kNoFile) return;
    TransactionSiteFact m;
    m.kind = toString(st.verb);
    m.function_id = frame.id;
    m.target_name = st.name;
    m.loc = loc;
    m.flags = flags;
    frame.markers.push_back(Marker{frame.sites.size(), call, st.verb});
    frame.sites.push_back(std::move(m));
    frame.relevant = true;
  }

  std::optional<TxVerb> configuredVerb(const std::string& name) const {
    auto has = [&](const std::vector<std::string>& list) {
      return std::find(list.begin(), list.end(), name) != list.end();
    };
    if (has(config_.begin)) return TxVerb::kBegin;
    if (has(config_.commit)) return TxVerb::kCommit;
    if (has(config_.rollback)) return TxVerb::kRollback;
    return std::nullopt;
  }

  /// Pops the innermost frame; keeps its sites only if it can open a scope.
  void finish() {
    Frame frame = std::move(frames_.back());
    frames_.pop_back();
    if (!frame.relevant) {
      // Its call sites may still matter to the enclosing function (lambda
      // calls are recorded on both, see addCall): nothing else to keep.
      return;
    }
    markUnbalanced(frame);
    uint32_t last = frame.body ? sm_.getExpansionLineNumber(frame.body->getEndLoc()) : 0;
    for (TransactionSiteFact& s : frame.sites) {
      if (s.kind == "begin" || s.kind == "savepoint") s.end_line = last;
      out_.transaction_sites.push_back(std::move(s));
    }
  }

  /// Flag 2 on each begin/savepoint from which the function's exit is
  /// reachable without passing an end.
  void markUnbalanced(Frame& frame) {
    bool any_open = std::any_of(frame.markers.begin(), frame.markers.end(),
                                [](const Marker& m) { return opensScope(m.verb); });
    if (!any_open || !frame.body) return;
    CFG::BuildOptions options;
    options.setAllAlwaysAdd();
    std::unique_ptr<CFG> cfg = CFG::buildCFG(frame.decl, frame.body, &ctx_, options);
    if (!cfg) return;
    llvm::DenseMap<const Stmt*, TxVerb> verb_of;
    for (const Marker& m : frame.markers) verb_of[m.call] = m.verb;
    struct Pos {
      const CFGBlock* block;
      size_t index;
    };
    llvm::DenseMap<const Stmt*, Pos> where;
    for (const CFGBlock* b : *cfg) {
      for (size_t i = 0; i < b->size(); ++i) {
        if (auto cs = (*b)[i].getAs<CFGStmt>()) {
          if (verb_of.count(cs->getStmt())) where.try_emplace(cs->getStmt(), Pos{b, i});
        }
      }
    }
    auto isEnd = [&](const CFGElement& e, TxVerb opener) {
      auto cs = e.getAs<CFGStmt>();
      if (!cs) return false;
      auto it = verb_of.find(cs->getStmt());
      if (it == verb_of.end()) return false;
      // A savepoint also ends at a commit/rollback of the whole transaction.
      return endsScope(it->second) && (opener == TxVerb::kSavepoint || it->second != TxVerb::kRelease);
    };
    for (const Marker& m : frame.markers) {
      if (!opensScope(m.verb)) continue;
      auto start = where.find(m.call);
      if (start == where.end()) continue;
      std::vector<const CFGBlock*> work;
      llvm::DenseSet<const CFGBlock*> seen;
      bool leaks = false;
      auto scan = [&](const CFGBlock* b, size_t from) {
        for (size_t i = from; i < b->size(); ++i) {
          if (isEnd((*b)[i], m.verb)) return;
        }
        if (b == &cfg->getExit()) {
          leaks = true;
          return;
        }
        for (const CFGBlock::AdjacentBlock& succ : b->succs()) {
          if (const CFGBlock* s = succ.getReachableBlock(); s && seen.insert(s).second) work.push_back(s);
        }
      };
      scan(start->second.block, start->second.index + 1);
      while (!leaks && !work.empty()) {
        const CFGBlock* b = work.back();
        work.pop_back();
        scan(b, 0);
      }
      if (leaks) frame.sites[m.site].flags |= kUnbalancedPath;
    }
  }

  // --- ids, as in fact_collector.cc ------------------------------------------

  static const NamedDecl* normalize(const NamedDecl* d) {
    if (auto* fd = dyn_cast<FunctionDecl>(d)) {
      if (const FunctionDecl* p = fd->getTemplateInstantiationPattern()) return p;
      return fd;
    }
    if (auto* rd = dyn_cast<CXXRecordDecl>(d)) {
      if (const CXXRecordDecl* p = rd->getTemplateInstantiationPattern()) return p;
    }
    return d;
  }

  int64_t idOf(const NamedDecl* d) {
    d = normalize(d);
    auto [it, inserted] = ids_.try_emplace(d->getCanonicalDecl(), 0);
    if (inserted) {
      llvm::SmallString<128> usr;
      if (!index::generateUSRForDecl(d, usr)) it->second = symbolIdFromUsr(usr.str());
    }
    return it->second;
  }

  int64_t lambdaId(const CXXRecordDecl* closure) {
    if (!closure) return 0;
    Loc at = files_.loc(closure->getLocation());
    if (at.file == kNoFile) return 0;
    return symbolIdFromUsr("c:seam@lambda@" + out_.files[at.file].path + "@" + std::to_string(at.line) + "@" +
                           std::to_string(at.col));
  }

  ASTContext& ctx_;
  const SourceManager& sm_;
  FileTable& files_;
  const TransactionConfig& config_;
  FactBatch& out_;
  std::vector<Frame> frames_;
  std::vector<unsigned> blocks_;  ///< end line of each enclosing compound statement
  llvm::DenseMap<const Decl*, int64_t> ids_;
};

}  // namespace

void collectTransactionSites(ASTContext& ctx, FileTable& files, const AnalyzerConfig& config, FactBatch& out) {
  TransactionSiteCollector(ctx, files, config, out).run();
}

void noteDiscardedCalls(const Stmt* s, llvm::DenseSet<const Expr*>& out) {
  if (!s) return;
  if (auto* cs = dyn_cast<CompoundStmt>(s)) {
    for (const Stmt* child : cs->body()) markStatement(child, out);
  } else if (auto* is = dyn_cast<IfStmt>(s)) {
    markStatement(is->getThen(), out);
    markStatement(is->getElse(), out);
  } else if (auto* ws = dyn_cast<WhileStmt>(s)) {
    markStatement(ws->getBody(), out);
  } else if (auto* ds = dyn_cast<DoStmt>(s)) {
    markStatement(ds->getBody(), out);
  } else if (auto* fs = dyn_cast<ForStmt>(s)) {
    markStatement(fs->getBody(), out);
    markStatement(fs->getInc(), out);
    markStatement(fs->getInit(), out);
  } else if (auto* rs = dyn_cast<CXXForRangeStmt>(s)) {
    markStatement(rs->getBody(), out);
  } else if (auto* sc = dyn_cast<SwitchCase>(s)) {
    markStatement(sc->getSubStmt(), out);
  } else if (auto* ls = dyn_cast<LabelStmt>(s)) {
    markStatement(ls->getSubStmt(), out);
  } else if (auto* as = dyn_cast<AttributedStmt>(s)) {
    markStatement(as->getSubStmt(), out);
  } else if (auto* ce = dyn_cast<ExplicitCastExpr>(s); ce && ce->getTypeAsWritten()->isVoidType()) {
    markStatement(ce->getSubExpr(), out);
  }
}

}  // namespace seam::analyzer
