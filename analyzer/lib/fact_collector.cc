// FactCollector: one RecursiveASTVisitor pass over a TU's project code.
//
//   TranslationUnitDecl
//     => declarations in project files (system/external ones are not entered)
//        => symbols (functions, methods, records, enums, globals, lambdas)
//        => edges from the innermost symbol scope (function / lambda / class
//           / global initializer) to what the code names
//        => route registrations, SQL call-site facts
//
// Speed: declarations outside the project are skipped at the top level, so
// the standard library is never walked; with SkipFunctionBodies the parser
// does not even build their bodies (see CollectConsumer). Per-node work is a
// few hash-map probes; strings are built once per distinct declaration.
#include <string>
#include <vector>

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Index/USRGeneration.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "file_table.h"
#include "json_fields_callsite.h"
#include "llvm/ADT/DenseSet.h"
#include "route_detector.h"
#include "seam/analyzer/collect.h"
#include "sql_callsite.h"
#include "transaction_collect.h"
#include "symbol_id.h"

namespace seam::analyzer {

const char* toString(EdgeKind kind) {
  switch (kind) {
    case EdgeKind::kCall: return "call";
    case EdgeKind::kVirtualCall: return "virtual_call";
    case EdgeKind::kOverride: return "override";
    case EdgeKind::kTypeUse: return "type_use";
    case EdgeKind::kInherit: return "inherit";
    case EdgeKind::kGlobalRead: return "global_read";
    case EdgeKind::kGlobalWrite: return "global_write";
  }
  return "call";
}

namespace {

using namespace clang;

/// The declaration facts are recorded for: template instantiations map to
/// their pattern so every use of a template names the same symbol.
const NamedDecl* normalize(const NamedDecl* d) {
  if (auto* fd = dyn_cast<FunctionDecl>(d)) {
    if (const FunctionDecl* p = fd->getTemplateInstantiationPattern()) return p;
    return fd;
  }
  if (auto* spec = dyn_cast<ClassTemplateSpecializationDecl>(d)) {
    if (spec->getSpecializationKind() == TSK_ImplicitInstantiation ||
        spec->getSpecializationKind() == TSK_Undeclared) {
      return spec->getSpecializedTemplate()->getTemplatedDecl();
    }
    return spec;
  }
  if (auto* rd = dyn_cast<CXXRecordDecl>(d)) {
    if (const CXXRecordDecl* p = rd->getTemplateInstantiationPattern()) return p;
    return rd;
  }
  if (auto* vd = dyn_cast<VarDecl>(d)) {
    if (const VarDecl* p = vd->getTemplateInstantiationPattern()) return p;
  }
  return d;
}

const char* kindOf(const NamedDecl* d) {
  if (isa<CXXConstructorDecl>(d)) return "constructor";
  if (isa<CXXDestructorDecl>(d)) return "destructor";
  if (isa<CXXMethodDecl>(d)) return "method";
  if (isa<FunctionDecl>(d)) return "function";
  if (auto* rd = dyn_cast<RecordDecl>(d)) {
    if (rd->isUnion()) return "union";
    if (rd->isStruct()) return "struct";
    return "class";
  }
  if (isa<EnumDecl>(d)) return "enum";
  if (isa<VarDecl>(d)) return "variable";
  return nullptr;
}

bool isSharedVariable(const VarDecl* v) {
  // Globals, namespace-scope statics and static data members; not static
  // locals (private to one function) and not compile-time constants.
  if (!v->hasGlobalStorage() || v->isStaticLocal() || isa<ParmVarDecl>(v)) return false;
  if (v->isConstexpr() || v->getType().isConstQualified()) return false;
  return true;
}

class Collector : public RecursiveASTVisitor<Collector> {
  using Base = RecursiveASTVisitor<Collector>;

 public:
  Collector(ASTContext& ctx, FileTable& files, const AnalyzerConfig& config, FactBatch& out)
      : ctx_(ctx), sm_(ctx.getSourceManager()), files_(files), config_(config), out_(out) {}

  bool shouldVisitTemplateInstantiations() const { return false; }
  bool shouldVisitImplicitCode() const { return false; }
  bool shouldVisitLambdaBody() const { return true; }

  void run() {
    TraverseDecl(ctx_.getTranslationUnitDecl());
    finishNamespaceModules();
  }

  // --- scopes -------------------------------------------------------------

  bool TraverseDecl(Decl* d) {
    if (!d) return true;
    if (isa<TranslationUnitDecl>(d)) return Base::TraverseDecl(d);
    if (d->getLexicalDeclContext() && d->getLexicalDeclContext()->isFileContext()) {
      // Top level: never enter code outside the project.
      if (d->getLocation().isInvalid() || !files_.isProject(d->getLocation())) return true;
    }
    if (d->isImplicit() && !isa<NamespaceDecl>(d)) return true;
    if (auto* fd = dyn_cast<FunctionDecl>(d); fd && fd->doesThisDeclarationHaveABody()) {
      scopes_.push_back(Scope{idOf(fd), 0, fd});
      bool ok = Base::TraverseDecl(d);
      scopes_.pop_back();
      collectJsonFieldFacts(fd);
      return ok;
    }
    if (auto* vd = dyn_cast<VarDecl>(d); vd && vd->hasGlobalStorage() && !vd->isStaticLocal() && vd->hasInit() &&
                                          !isa<ParmVarDecl>(vd)) {
      scopes_.push_back(Scope{idOf(vd), 0, nullptr});
      bool ok = Base::TraverseDecl(d);
      scopes_.pop_back();
      return ok;
    }
    return Base::TraverseDecl(d);
  }

  bool TraverseLambdaExpr(LambdaExpr* e) {
    int64_t lambda = lambdaId(e);
    Scope outer = scopes_.empty() ? Scope{} : scopes_.back();
    scopes_.push_back(Scope{outer.fn, lambda, outer.fn_decl});
    bool ok = Base::TraverseLambdaExpr(e);
    scopes_.pop_back();
    return ok;
  }

  // --- declarations -------------------------------------------------------

  bool VisitFunctionDecl(FunctionDecl* fd) {
    if (fd->isImplicit()) return true;
    if (auto* md = dyn_cast<CXXMethodDecl>(fd); md && md->getParent()->isLambda()) return true;
    if (fd->getDeclContext()->isFunctionOrMethod()) return true;  // local extern declarations
    int64_t id = recordDecl(fd);
    if (fd->isFirstDecl()) {
      // Signature type uses come from the first declaration only, so they
      // have one origin file whichever TU sees the definition.
      Loc at = files_.loc(fd->getLocation());
      addTypeUses(id, fd->getReturnType(), at, true);
      for (const ParmVarDecl* p : fd->parameters()) addTypeUses(id, p->getType(), files_.loc(p->getLocation()), true);
      if (auto* md = dyn_cast<CXXMethodDecl>(fd)) {
        for (const CXXMethodDecl* base : md->overridden_methods()) {
          out_.addEdge(id, refSymbol(base), EdgeKind::kOverride, at);
        }
      }
    }
    return true;
  }

  bool VisitCXXRecordDecl(CXXRecordDecl* rd) {
    if (rd->isLambda() || rd->isImplicit()) return true;
    int64_t id = recordDecl(rd);
    if (!rd->isThisDeclarationADefinition()) return true;
    for (const CXXBaseSpecifier& base : rd->bases()) {
      Loc at = files_.loc(base.getBeginLoc());
      QualType t = base.getType();
      if (const CXXRecordDecl* b = t->getAsCXXRecordDecl()) {
        out_.addEdge(id, refSymbol(b), EdgeKind::kInherit, at);
      } else if (auto* tst = t->getAs<TemplateSpecializationType>()) {
        if (auto* td = dyn_cast_or_null<ClassTemplateDecl>(tst->getTemplateName().getAsTemplateDecl())) {
          out_.addEdge(id, refSymbol(td->getTemplatedDecl()), EdgeKind::kInherit, at);
        }
      }
      addTemplateArgTypeUses(id, t, at);
    }
    return true;
  }

  bool VisitRecordDecl(RecordDecl* rd) {
    if (!isa<CXXRecordDecl>(rd)) recordDecl(rd);  // C structs
    return true;
  }

  bool VisitEnumDecl(EnumDecl* ed) {
    recordDecl(ed);
    return true;
  }

  bool VisitFieldDecl(FieldDecl* fd) {
    const RecordDecl* parent = fd->getParent();
    if (auto* crd = dyn_cast<CXXRecordDecl>(parent); crd && crd->isLambda()) return true;
    addTypeUses(idOf(parent), fd->getType(), files_.loc(fd->getLocation()), true);
    return true;
  }

  bool VisitVarDecl(VarDecl* vd) {
    if (isa<ParmVarDecl>(vd)) return true;
    if (vd->hasGlobalStorage() && !vd->isStaticLocal()) {
      int64_t id = recordDecl(vd);
      if (vd->isFirstDecl()) addTypeUses(id, vd->getType(), files_.loc(vd->getLocation()), true);
      return true;
    }
    if (!scopes_.empty()) addTypeUses(currentSrc(), vd->getType(), files_.loc(vd->getLocation()), true);
    return true;
  }

  // --- expressions --------------------------------------------------------

  /// Marks calls whose result is dropped before they are visited (pre-order).
  bool VisitStmt(Stmt* s) {
    noteDiscardedCalls(s, discarded_calls_);
    return true;
  }

  bool VisitCallExpr(CallExpr* call) {
    const FunctionDecl* callee = call->getDirectCallee();
    const Expr* callee_expr = call->getCallee() ? call->getCallee()->IgnoreParenImpCasts() : nullptr;
    if (callee_expr) handled_refs_.insert(callee_expr);
    if (!callee) {
      if (auto* ule = dyn_cast_or_null<OverloadExpr>(callee_expr)) {
        // Dependent call in a template pattern: resolved only if unambiguous.
        const NamedDecl* only = nullptr;
        for (const NamedDecl* d : ule->decls()) {
          const NamedDecl* u = d->getUnderlyingDecl();
          if (auto* ftd = dyn_cast<FunctionTemplateDecl>(u)) u = ftd->getTemplatedDecl();
          if (!isa<FunctionDecl>(u)) continue;
          if (only && only->getCanonicalDecl() != u->getCanonicalDecl()) return true;
          only = u;
        }
        if (only) addEdgeFromScope(refSymbol(only), EdgeKind::kCall, call->getBeginLoc());
      }
      return true;
    }
    EdgeKind kind = EdgeKind::kCall;
    if (auto* mc = dyn_cast<CXXMemberCallExpr>(call)) {
      const CXXMethodDecl* md = mc->getMethodDecl();
      if (md && isVirtualDispatch(mc, md)) kind = EdgeKind::kVirtualCall;
      if (md && !md->isConst() && !md->isStatic()) markWrite(mc->getImplicitObjectArgument());
    }
    if (auto* op = dyn_cast<CXXOperatorCallExpr>(call)) {
      if ((op->isAssignmentOp() || op->getOperator() == OO_PlusPlus || op->getOperator() == OO_MinusMinus) &&
          op->getNumArgs() > 0) {
        markWrite(op->getArg(0));
      } else if (auto* md = dyn_cast<CXXMethodDecl>(callee); md && !md->isConst() && op->getNumArgs() > 0) {
        markWrite(op->getArg(0));
      }
    }
    if (auto* md = dyn_cast<CXXMethodDecl>(callee); md && md->getParent()->isLambda()) {
      addEdgeFromScope(lambdaId(md->getParent()), EdgeKind::kCall, call->getBeginLoc());
    } else if (!callee->isImplicit() || !isa<CXXMethodDecl>(callee)) {
      bool discarded = callee->getReturnType()->isVoidType() || discarded_calls_.count(call);
      addEdgeFromScope(refSymbol(callee), kind, call->getBeginLoc(), discarded);
    }
    if (const TemplateArgumentList* args = callee->getTemplateSpecializationArgs()) {
      if (!scopes_.empty()) {
        Loc at = files_.loc(call->getBeginLoc());
        for (const TemplateArgument& a : args->asArray()) {
          if (a.getKind() == TemplateArgument::Type) addTypeUses(currentSrc(), a.getAsType(), at, false);
        }
      }
    }
    if (!scopes_.empty()) {
      collectSql(call, callee);
      detectRouteAt(call, callee);
    }
    return true;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr* e) {
    if (scopes_.empty()) return true;
    const CXXConstructorDecl* ctor = e->getConstructor();
    if (!ctor) return true;
    // Implicit constructors are not code anyone wrote; the type use is
    // already recorded where the object is declared, allocated or cast.
    if (!ctor->isImplicit()) addEdgeFromScope(refSymbol(ctor), EdgeKind::kCall, e->getBeginLoc());
    collectSql(e, ctor);
    return true;
  }

  bool VisitDeclRefExpr(DeclRefExpr* e) {
    const ValueDecl* d = e->getDecl();
    if (auto* fd = dyn_cast<FunctionDecl>(d)) {
      // Named without being called: a function pointer, a handler, a
      // callback. The referrer depends on it as if it called it.
      if (!handled_refs_.count(e) && !fd->isImplicit()) {
        addEdgeFromScope(refSymbol(fd), EdgeKind::kCall, e->getLocation());
      }
      return true;
    }
    if (auto* vd = dyn_cast<VarDecl>(d)) {
      if (isSharedVariable(vd)) {
        bool write = written_refs_.count(e) > 0;
        addEdgeFromScope(refSymbol(vd), write ? EdgeKind::kGlobalWrite : EdgeKind::kGlobalRead, e->getLocation());
      }
      return true;
    }
    if (auto* ec = dyn_cast<EnumConstantDecl>(d)) {
      if (auto* ed = dyn_cast<EnumDecl>(ec->getDeclContext())) {
        addEdgeFromScope(refSymbol(ed), EdgeKind::kTypeUse, e->getLocation());
      }
    }
    return true;
  }

  bool VisitMemberExpr(MemberExpr* e) {
    const ValueDecl* d = e->getMemberDecl();
    if (auto* vd = dyn_cast<VarDecl>(d); vd && isSharedVariable(vd)) {
      bool write = written_refs_.count(e) > 0;
      addEdgeFromScope(refSymbol(vd), write ? EdgeKind::kGlobalWrite : EdgeKind::kGlobalRead, e->getMemberLoc());
    }
    return true;
  }

  bool VisitBinaryOperator(BinaryOperator* op) {
    if (op->isAssignmentOp()) markWrite(op->getLHS());
    return true;
  }

  bool VisitUnaryOperator(UnaryOperator* op) {
    if (op->isIncrementDecrementOp()) markWrite(op->getSubExpr());
    return true;
  }

  bool VisitCXXNewExpr(CXXNewExpr* e) {
    if (!scopes_.empty()) addTypeUses(currentSrc(), e->getAllocatedType(), files_.loc(e->getBeginLoc()), true);
    return true;
  }

  bool VisitExplicitCastExpr(ExplicitCastExpr* e) {
    if (!scopes_.empty()) addTypeUses(currentSrc(), e->getTypeAsWritten(), files_.loc(e->getBeginLoc()), true);
    return true;
  }

 private:
  struct Scope {
    int64_t fn = 0;        ///< enclosing named symbol (function or global)
    int64_t lambda = 0;    ///< innermost lambda, 0 outside lambdas
    const FunctionDecl* fn_decl = nullptr;
  };

  int64_t currentSrc() const { return scopes_.back().lambda ? scopes_.back().lambda : scopes_.back().fn; }

  void addEdgeFromScope(int64_t dst, EdgeKind kind, SourceLocation site, bool discarded = false) {
    if (scopes_.empty() || dst == 0) return;
    const Scope& s = scopes_.back();
    Loc at = files_.loc(site);
    if (s.fn && s.fn != dst) out_.addEdge(s.fn, dst, kind, at, discarded);
    if (s.lambda && s.lambda != dst) out_.addEdge(s.lambda, dst, kind, at, discarded);
  }

  bool isVirtualDispatch(const CXXMemberCallExpr* mc, const CXXMethodDecl* md) const {
    if (!md->isVirtual()) return false;
    if (md->hasAttr<FinalAttr>() || md->getParent()->hasAttr<FinalAttr>()) return false;
    auto* me = dyn_cast<MemberExpr>(mc->getCallee()->IgnoreParens());
    if (!me) return true;
    if (me->hasQualifier()) return false;  // Base::f(): static dispatch
    if (me->isArrow()) return true;
    const Expr* base = me->getBase()->IgnoreParenImpCasts();
    if (auto* ref = dyn_cast<DeclRefExpr>(base)) {
      if (auto* v = dyn_cast<VarDecl>(ref->getDecl())) return v->getType()->isReferenceType();
    }
    return !base->isPRValue();
  }

  /// Marks the variable at the root of an lvalue (g, g.x, g[i], (g)) as written.
  void markWrite(const Expr* e) {
    for (int guard = 0; e && guard < 16; ++guard) {
      e = e->IgnoreParenImpCasts();
      if (auto* ref = dyn_cast<DeclRefExpr>(e)) {
        written_refs_.insert(ref);
        return;
      }
      if (auto* me = dyn_cast<MemberExpr>(e)) {
        if (isa<VarDecl>(me->getMemberDecl())) {
          written_refs_.insert(me);
          return;
        }
        if (me->isArrow()) return;  // writes through a pointer are not writes of the pointer
        e = me->getBase();
        continue;
      }
      if (auto* sub = dyn_cast<ArraySubscriptExpr>(e)) {
        e = sub->getBase();
        continue;
      }
      return;
    }
  }

  // --- types --------------------------------------------------------------

  void addTypeUses(int64_t src, QualType t, Loc at, bool direct, int depth = 0) {
    if (t.isNull() || depth > 8 || src == 0) return;
    const Type* ty = t.getTypePtr();
    if (auto* tst = ty->getAs<TemplateSpecializationType>()) {
      if (auto* td = dyn_cast_or_null<ClassTemplateDecl>(tst->getTemplateName().getAsTemplateDecl())) {
        addTypeEdge(src, td->getTemplatedDecl(), at, direct);
      }
      for (const TemplateArgument& a : tst->template_arguments()) {
        if (a.getKind() == TemplateArgument::Type) addTypeUses(src, a.getAsType(), at, false, depth + 1);
      }
      if (!tst->isTypeAlias()) return;
    }
    t = t.getCanonicalType();
    ty = t.getTypePtr();
    if (ty->isPointerType() || ty->isReferenceType()) {
      addTypeUses(src, ty->getPointeeType(), at, direct, depth + 1);
    } else if (auto* arr = dyn_cast<ArrayType>(ty)) {
      addTypeUses(src, arr->getElementType(), at, direct, depth + 1);
    } else if (auto* mp = dyn_cast<MemberPointerType>(ty)) {
      addTypeUses(src, mp->getPointeeType(), at, direct, depth + 1);
      addTypeUses(src, QualType(mp->getClass(), 0), at, direct, depth + 1);
    } else if (auto* fp = dyn_cast<FunctionProtoType>(ty)) {
      addTypeUses(src, fp->getReturnType(), at, direct, depth + 1);
      for (QualType p : fp->getParamTypes()) addTypeUses(src, p, at, direct, depth + 1);
    } else if (auto* rt = dyn_cast<RecordType>(ty)) {
      const RecordDecl* rd = rt->getDecl();
      addTypeEdge(src, rd, at, direct);
      if (auto* spec = dyn_cast<ClassTemplateSpecializationDecl>(rd)) {
        for (const TemplateArgument& a : spec->getTemplateArgs().asArray()) {
          if (a.getKind() == TemplateArgument::Type) addTypeUses(src, a.getAsType(), at, false, depth + 1);
        }
      }
    } else if (auto* et = dyn_cast<EnumType>(ty)) {
      addTypeEdge(src, et->getDecl(), at, direct);
    }
  }

  void addTemplateArgTypeUses(int64_t src, QualType t, Loc at) {
    if (auto* tst = t->getAs<TemplateSpecializationType>()) {
      for (const TemplateArgument& a : tst->template_arguments()) {
        if (a.getKind() == TemplateArgument::Type) addTypeUses(src, a.getAsType(), at, false);
      }
    }
  }

  /// Type edges to external types only when the type is named directly
  /// (std::string), not for every argument of an external template
  /// (std::char_traits<char> inside std::string).
  void addTypeEdge(int64_t src, const NamedDecl* d, Loc at, bool direct) {
    if (!d || d->isImplicit()) return;
    d = normalize(d);
    if (!direct && !files_.isProject(d->getLocation())) return;
    int64_t dst = refSymbol(d);
    if (dst == 0 || dst == src) return;
    out_.addEdge(src, dst, EdgeKind::kTypeUse, at);
    if (!scopes_.empty() && scopes_.back().lambda == src && scopes_.back().fn) {
      out_.addEdge(scopes_.back().fn, dst, EdgeKind::kTypeUse, at);
    }
  }

  // --- symbols ------------------------------------------------------------

  struct DeclInfo {
    int64_t id = 0;
    std::string usr;
  };

  const DeclInfo& info(const NamedDecl* d) {
    const Decl* key = d->getCanonicalDecl();
    auto [it, inserted] = decl_info_.try_emplace(key);
    if (inserted) {
      llvm::SmallString<128> usr;
      if (!index::generateUSRForDecl(d, usr)) {
        it->second.usr = std::string(usr.str());
        // Each program of a project has its own `main`; one USR for all of them
        // would merge the executables' entry points (and their calls) into one.
        if (auto* fd = dyn_cast<FunctionDecl>(d); fd && fd->isMain()) {
          Loc at = files_.loc(fd->getLocation());
          if (at.file != kNoFile) it->second.usr += "@" + out_.files[at.file].path;
        }
        it->second.id = symbolIdFromUsr(it->second.usr);
      }
    }
    return it->second;
  }

  int64_t idOf(const NamedDecl* d) { return info(normalize(d)).id; }

  /// Records a symbol row for this declaration (origin: its file).
  int64_t recordDecl(const NamedDecl* d) {
    d = normalize(d);
    const char* kind = kindOf(d);
    if (!kind) return 0;
    const DeclInfo& di = info(d);
    if (di.id == 0) return 0;
    Loc at = files_.loc(d->getLocation());
    if (at.file == kNoFile) return di.id;
    bool is_def = false;
    uint32_t lines = 0;
    if (auto* fd = dyn_cast<FunctionDecl>(d)) is_def = fd->isThisDeclarationADefinition();
    else if (auto* td = dyn_cast<TagDecl>(d)) is_def = td->isThisDeclarationADefinition();
    else if (auto* vd = dyn_cast<VarDecl>(d)) is_def = vd->isThisDeclarationADefinition() == VarDecl::Definition;
    if (is_def) {
      SourceRange r = d->getSourceRange();
      unsigned b = sm_.getExpansionLineNumber(r.getBegin());
      unsigned e = sm_.getExpansionLineNumber(r.getEnd());
      lines = e >= b ? e - b + 1 : 1;
    }
    uint64_t key = static_cast<uint64_t>(di.id) * 31 + at.file;
    auto [it, inserted] = symbol_index_.try_emplace(key, out_.symbols.size());
    if (!inserted) {
      SymbolFact& old = out_.symbols[it->second];
      if (is_def && !old.is_definition) {
        old.loc = at;
        old.is_definition = true;
        old.lines = lines;
      }
      return di.id;
    }
    SymbolFact s;
    s.id = di.id;
    s.usr = di.usr;
    s.kind = kind;
    s.name = d->getNameAsString();
    s.qualified_name = d->getQualifiedNameAsString();
    s.loc = at;
    s.is_definition = is_def;
    s.lines = lines;
    out_.symbols.push_back(std::move(s));
    if (files_.mapper().byNamespace()) namespace_of_.push_back({out_.symbols.size() - 1, d});
    return di.id;
  }

  /// A symbol that is referenced: make sure the store knows it (external
  /// symbols are only known this way), preferring its definition.
  int64_t refSymbol(const NamedDecl* d) {
    d = normalize(d);
    const DeclInfo& di = info(d);
    if (di.id == 0) return 0;
    if (referenced_.insert(di.id).second) {
      const NamedDecl* best = d;
      if (auto* fd = dyn_cast<FunctionDecl>(d)) {
        if (const FunctionDecl* def = fd->getDefinition()) best = def;
      } else if (auto* td = dyn_cast<TagDecl>(d)) {
        if (const TagDecl* def = td->getDefinition()) best = def;
      } else if (auto* vd = dyn_cast<VarDecl>(d)) {
        if (const VarDecl* def = vd->getDefinition()) best = def;
      }
      recordDecl(best);
    }
    return di.id;
  }

  int64_t lambdaId(const LambdaExpr* e) { return lambdaId(e->getLambdaClass()); }

  /// A lambda's symbol is keyed by its closure class, whose location is the
  /// lambda introducer: the same id whether we meet the LambdaExpr or a call
  /// to its operator().
  int64_t lambdaId(const CXXRecordDecl* closure) {
    if (!closure) return 0;
    auto it = lambda_ids_.find(closure);
    if (it != lambda_ids_.end()) return it->second;
    Loc at = files_.loc(closure->getLocation());
    if (at.file == kNoFile) return 0;
    const FileFact& file = out_.files[at.file];
    SymbolFact s;
    s.usr = "c:seam@lambda@" + file.path + "@" + std::to_string(at.line) + "@" + std::to_string(at.col);
    s.id = symbolIdFromUsr(s.usr);
    s.kind = "lambda";
    s.name = "lambda@" + std::to_string(at.line) + ":" + std::to_string(at.col);
    // Named after the function it is written in (its enclosing named decl).
    std::string outer;
    for (const DeclContext* dc = closure->getDeclContext(); dc; dc = dc->getParent()) {
      if (auto* fd = dyn_cast<FunctionDecl>(dc)) {
        if (auto* md = dyn_cast<CXXMethodDecl>(fd); md && md->getParent()->isLambda()) continue;
        outer = fd->getQualifiedNameAsString() + "::";
        break;
      }
    }
    s.qualified_name = outer + s.name;
    s.loc = at;
    s.is_definition = true;
    SourceRange range = closure->getSourceRange();
    unsigned b = sm_.getExpansionLineNumber(range.getBegin());
    unsigned end = sm_.getExpansionLineNumber(range.getEnd());
    s.lines = end >= b ? end - b + 1 : 1;
    int64_t id = s.id;
    out_.symbols.push_back(std::move(s));
    if (files_.mapper().byNamespace() && !scopes_.empty() && scopes_.back().fn_decl) {
      namespace_of_.push_back({out_.symbols.size() - 1, scopes_.back().fn_decl});
    }
    lambda_ids_[closure] = id;
    return id;
  }

  void finishNamespaceModules() {
    // Namespace strategy: a symbol's module is its enclosing namespaces; a
    // file's module is that of the first symbol defined in it.
    const ModuleMapper& mapper = files_.mapper();
    std::vector<bool> file_set(out_.files.size(), false);
    for (auto [index, decl] : namespace_of_) {
      SymbolFact& s = out_.symbols[index];
      if (s.loc.file == kNoFile || out_.files[s.loc.file].external) continue;
      std::string ns;
      for (const DeclContext* dc = decl->getDeclContext(); dc; dc = dc->getParent()) {
        if (auto* n = dyn_cast<NamespaceDecl>(dc)) {
          ns = ns.empty() ? n->getNameAsString() : n->getNameAsString() + "::" + ns;
        }
      }
      std::string module = mapper.moduleForNamespace(ns);
      symbol_modules_.push_back({index, module});
      if (!file_set[s.loc.file]) {
        file_set[s.loc.file] = true;
        out_.files[s.loc.file].module = module;
      }
    }
    for (auto& [index, module] : symbol_modules_) out_.symbols[index].module = std::move(module);
  }

  // --- routes and SQL -----------------------------------------------------

  void collectSql(const Expr* call, const FunctionDecl* callee) {
    const Scope& s = scopes_.back();
    if (!s.fn_decl) return;
    SqlCallFacts facts;
    collectSqlCallFacts(call, callee, s.fn_decl, ctx_, facts, config_.sql_builders);
    for (SqlCandidateRow& row : facts.candidates) {
      SqlCandidateFact f;
      f.caller_id = s.fn;
      f.callee_id = row.callee_id;
      f.callee_name = std::move(row.callee_name);
      f.arg_index = row.arg_index;
      f.text = std::move(row.text);
      f.complete = row.complete;
      f.loc = files_.loc(row.loc.isValid() ? row.loc : call->getBeginLoc());
      out_.sql_candidates.push_back(std::move(f));
    }
    if (!facts.sink_params.empty()) {
      FileIndex origin = files_.indexOf(s.fn_decl->getLocation());
      int64_t fn_id = sqlSymbolId(s.fn_decl);
      for (SinkParamRow& row : facts.sink_params) {
        out_.sink_params.push_back(SinkParamFact{origin, fn_id, row.param_index, row.callee_id,
                                                 std::move(row.callee_name), row.arg_index});
      }
    }
  }

  void detectRouteAt(const CallExpr* call, const FunctionDecl* callee) {
    route_matches_.clear();
    detectRoutes(call, callee, scopes_.back().fn_decl, config_, route_matches_);
    for (RouteMatch& m : route_matches_) {
      RouteFact r;
      r.method = std::move(m.method);
      r.path = std::move(m.path);
      r.framework = std::move(m.framework);
      r.handler_id = m.handler_decl ? refSymbol(m.handler_decl) : handlerSymbol(m.handler, 0);
      r.loc = files_.loc(call->getBeginLoc());
      out_.routes.push_back(std::move(r));
    }
  }

  /// JSON keys read and written in fd's body, lambdas included
  /// (json_fields_callsite.h): request/response schemas for `seam contracts`.
  void collectJsonFieldFacts(const FunctionDecl* fd) {
    std::vector<JsonFieldRow> rows;
    collectJsonFields(fd, ctx_, rows);
    for (JsonFieldRow& r : rows) {
      Loc at = files_.loc(r.loc);
      if (at.file == kNoFile) continue;
      out_.json_fields.push_back(JsonFieldFact{r.lambda ? lambdaId(r.lambda) : idOf(fd), std::move(r.direction),
                                               std::move(r.parent), std::move(r.name), std::move(r.type),
                                               std::move(r.via), std::move(r.object), r.required, r.nullable,
                                               r.open, at});
    }
    // The signature (and the fields of the project records it names), for
    // the internal endpoints of `seam contracts`. Origin: fd's file.
    Loc origin = files_.loc(fd->getLocation());
    if (origin.file == kNoFile || (isa<CXXMethodDecl>(fd) && cast<CXXMethodDecl>(fd)->getParent()->isLambda())) return;
    std::vector<TypeMemberRow> members;
    collectSignature(fd, [this](const Decl* d) { return files_.isProject(d->getLocation()); }, members);
    for (TypeMemberRow& m : members) {
      Loc at = files_.loc(m.loc);
      out_.type_members.push_back(TypeMemberFact{refSymbol(m.owner), std::move(m.kind), m.position, std::move(m.name),
                                                 std::move(m.cpp_type), std::move(m.json_type), std::move(m.items),
                                                 m.nullable, m.record ? refSymbol(m.record) : 0,
                                                 Loc{origin.file, at.line, at.col}});
    }
  }

  /// The symbol a handler expression names: a lambda, or the first function
  /// or method referenced inside it (&X::f, std::bind(&X::f, this), f).
  int64_t handlerSymbol(const Stmt* s, int depth) {
    if (!s || depth > 12) return 0;
    if (auto* lambda = dyn_cast<LambdaExpr>(s)) return lambdaId(lambda);
    if (auto* ref = dyn_cast<DeclRefExpr>(s)) {
      if (auto* fd = dyn_cast<FunctionDecl>(ref->getDecl())) return refSymbol(fd);
    }
    if (auto* me = dyn_cast<MemberExpr>(s)) {
      if (auto* md = dyn_cast<CXXMethodDecl>(me->getMemberDecl())) return refSymbol(md);
    }
    if (auto* call = dyn_cast<CallExpr>(s)) {
      // std::bind(&X::f, this), Routes::bind(...): the handler is an
      // argument, never the binder itself.
      for (const Expr* a : call->arguments()) {
        if (int64_t id = handlerSymbol(a, depth + 1)) return id;
      }
      return 0;
    }
    for (const Stmt* child : s->children()) {
      if (int64_t id = handlerSymbol(child, depth + 1)) return id;
    }
    return 0;
  }

  ASTContext& ctx_;
  const SourceManager& sm_;
  FileTable& files_;
  const AnalyzerConfig& config_;
  FactBatch& out_;

  std::vector<Scope> scopes_;
  llvm::DenseMap<const Decl*, DeclInfo> decl_info_;
  llvm::DenseMap<uint64_t, size_t> symbol_index_;
  llvm::DenseSet<int64_t> referenced_;
  llvm::DenseMap<const CXXRecordDecl*, int64_t> lambda_ids_;
  llvm::DenseSet<const Expr*> handled_refs_;
  llvm::DenseSet<const Expr*> written_refs_;
  llvm::DenseSet<const Expr*> discarded_calls_;  ///< calls whose value is unused (noteDiscardedCalls)
  std::vector<RouteMatch> route_matches_;
  std::vector<std::pair<size_t, const NamedDecl*>> namespace_of_;
  std::vector<std::pair<size_t, std::string>> symbol_modules_;
};

// --- frontend plumbing -------------------------------------------------------

class IncludeRecorder : public PPCallbacks {
 public:
  IncludeRecorder(FileTable& files, const SourceManager& sm, FactBatch& out) : files_(files), sm_(sm), out_(out) {}

  void InclusionDirective(SourceLocation hash, const Token&, StringRef, bool, CharSourceRange,
                          const FileEntry* file, StringRef, StringRef, const Module*,
                          SrcMgr::CharacteristicKind) override {
    if (!file) return;
    FileIndex from = files_.indexOf(hash);
    if (!files_.isProject(from)) return;
    FileIndex to = files_.indexOfPath(absolutePath(*file));
    out_.includes.push_back(IncludeFact{from, to, sm_.getExpansionLineNumber(hash)});
  }

 private:
  FileTable& files_;
  const SourceManager& sm_;
  FactBatch& out_;
};

class CollectConsumer : public ASTConsumer {
 public:
  CollectConsumer(FileTable& files, const AnalyzerConfig& config, FactBatch& out)
      : files_(files), config_(config), out_(out) {}

  /// Consulted by the parser (SkipFunctionBodies): bodies outside the
  /// project are never built. Sema still parses constexpr and auto-returning
  /// functions, which callers need.
  bool shouldSkipFunctionBody(Decl* d) override {
    return !files_.isProject(d->getLocation());
  }

  void HandleTranslationUnit(ASTContext& ctx) override {
    Collector(ctx, files_, config_, out_).run();
    collectTransactionSites(ctx, files_, config_, out_);
    files_.addAllLoadedFiles();
  }

 private:
  FileTable& files_;
  const AnalyzerConfig& config_;
  FactBatch& out_;
};

class CollectAction : public ASTFrontendAction {
 public:
  CollectAction(const ModuleMapper& mapper, const AnalyzerConfig& config, FactBatch& out)
      : mapper_(mapper), config_(config), out_(out) {}

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance& ci, StringRef) override {
    ci.getFrontendOpts().SkipFunctionBodies = true;
    files_ = std::make_unique<FileTable>(ci.getSourceManager(), mapper_, out_);
    ci.getPreprocessor().addPPCallbacks(
        std::make_unique<IncludeRecorder>(*files_, ci.getSourceManager(), out_));
    return std::make_unique<CollectConsumer>(*files_, config_, out_);
  }

 private:
  const ModuleMapper& mapper_;
  const AnalyzerConfig& config_;
  FactBatch& out_;
  std::unique_ptr<FileTable> files_;
};

}  // namespace

void collectFacts(ASTContext& ctx, const ModuleMapper& mapper, const AnalyzerConfig& config, FactBatch& out) {
  FileTable files(ctx.getSourceManager(), mapper, out);
  Collector(ctx, files, config, out).run();
  collectTransactionSites(ctx, files, config, out);
  files.addAllLoadedFiles();
}

std::unique_ptr<FrontendAction> makeCollectAction(const ModuleMapper& mapper, const AnalyzerConfig& config,
                                                  FactBatch& out) {
  return std::make_unique<CollectAction>(mapper, config, out);
}

}  // namespace seam::analyzer
