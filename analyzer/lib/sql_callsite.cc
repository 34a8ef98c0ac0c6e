// SQL call-site facts: see sql_callsite.h.
//
// Reconstruction works on the expression tree of one argument:
//
//   strip()  peels what does not change the text: implicit casts, temporaries,
//            std::string(x) / QString(x) conversions, .c_str() / .data() ...
//   build()  literal => text; a + b => concatenation; a constant => its
//            initializer; a local => its initializer plus the += / append /
//            = before the call (LocalUses); builder(x) => the builder's
//            returned expression with x bound to its parameter; else '?'.
#include "sql_callsite.h"

#include <algorithm>
#include <map>
#include <string_view>

#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "llvm/ADT/SmallString.h"
#include "seam/analyzer/sql_access.h"
#include "sql_lexer.h"
#include "symbol_id.h"

namespace seam::analyzer {
namespace {

using namespace clang;

// How deep builder helpers and constants may nest (cycles end here too).
constexpr int kMaxDepth = 8;

bool isCharType(QualType t) {
  t = t.getCanonicalType();
  return t->isCharType() || t->isChar8Type();
}

// Classes whose values are text: std::string/string_view, Qt, LLVM, absl, pqxx.
bool isStringClass(const CXXRecordDecl* rd) {
  if (!rd || !rd->getIdentifier()) return false;
  llvm::StringRef name = rd->getName();
  if (rd->isInStdNamespace()) return name == "basic_string" || name == "basic_string_view";
  return name == "QString" || name == "QStringView" || name == "QLatin1String" ||
         name == "QByteArray" || name == "StringRef" || name == "Twine" || name == "string_view" ||
         name == "zview" || name == "zstring";
}

// const char*, char[N], std::string, const std::string&, QString, ...
bool isStringLike(QualType t) {
  if (t.isNull()) return false;
  t = t.getNonReferenceType().getCanonicalType();
  if (const auto* pt = t->getAs<PointerType>()) return isCharType(pt->getPointeeType());
  if (const auto* at = dyn_cast<ArrayType>(t.getTypePtr())) return isCharType(at->getElementType());
  return isStringClass(t->getAsCXXRecordDecl());
}

// Member functions that return the text of their object unchanged.
bool isTextAccessor(llvm::StringRef name) {
  return name == "c_str" || name == "data" || name == "toStdString" || name == "toUtf8" ||
         name == "toLatin1" || name == "constData" || name == "toLocal8Bit" || name == "str";
}

// Static / free functions that convert text without changing it.
bool isTextConversion(const FunctionDecl* fn) {
  if (!fn || !fn->getIdentifier()) return false;
  llvm::StringRef name = fn->getName();
  return name == "fromUtf8" || name == "fromLatin1" || name == "fromStdString" ||
         name == "fromLocal8Bit" || name == "fromAscii";
}

struct Text {
  std::string text;
  bool complete = true;
  bool has_literal = false;

  static Text unknown() { return {"?", false, false}; }
  void append(const Text& t) {
    // Adjacent unknown parts are one unknown part.
    if (!t.text.empty() && t.text == "?" && !t.complete && !text.empty() && text.back() == '?' &&
        !complete) {
      return;
    }
    text += t.text;
    complete = complete && t.complete;
    has_literal = has_literal || t.has_literal;
  }
};

// Collects the references to `var` under `s`. (A plain walk over children:
// cheaper than a RecursiveASTVisitor and it sees DeclStmt initializers.)
void collectRefs(const Stmt* s, const VarDecl* var, std::vector<const DeclRefExpr*>& out) {
  if (!s) return;
  if (const auto* ref = dyn_cast<DeclRefExpr>(s); ref && ref->getDecl() == var) out.push_back(ref);
  for (const Stmt* child : s->children()) collectRefs(child, var, out);
}

class Reconstructor {
 public:
  Reconstructor(ASTContext& ctx, const FunctionDecl* caller, const Expr* call,
                const std::vector<SqlBuilderSpec>& builders)
      : ctx_(ctx), sm_(ctx.getSourceManager()), caller_(caller), call_(call), builders_(builders) {}

  Text build(const Expr* e, int depth = 0) {
    if (!e || depth > kMaxDepth) return Text::unknown();
    e = strip(e);
    if (const auto* lit = dyn_cast<StringLiteral>(e)) {
      if (lit->getCharByteWidth() != 1) return Text::unknown();
      return {lit->getString().str(), true, true};
    }
    if (const auto* ch = dyn_cast<CharacterLiteral>(e)) {
      if (ch->getValue() == 0 || ch->getValue() > 127) return Text::unknown();
      return {std::string(1, static_cast<char>(ch->getValue())), true, true};
    }
    if (const auto* op = dyn_cast<CXXOperatorCallExpr>(e)) {
      if (op->getOperator() == OO_Plus && op->getNumArgs() == 2) {
        Text t = build(op->getArg(0), depth + 1);
        t.append(build(op->getArg(1), depth + 1));
        return t;
      }
      return Text::unknown();
    }
    if (const auto* ref = dyn_cast<DeclRefExpr>(e)) return variable(ref, depth);
    if (const auto* member = dyn_cast<MemberExpr>(e)) return field(member);
    if (const auto* call = dyn_cast<CXXMemberCallExpr>(e)) return builderObject(call, depth);
    if (const auto* call = dyn_cast<CallExpr>(e)) return builderCall(call, depth);
    if (const auto* ctor = dyn_cast<CXXConstructExpr>(e)) {
      // `std::string s;` / `std::string()`: empty, and known to be.
      bool all_default = std::all_of(ctor->arg_begin(), ctor->arg_end(),
                                     [](const Expr* a) { return isa<CXXDefaultArgExpr>(a); });
      if (all_default && isStringLike(ctor->getType())) return {"", true, false};
    }
    return Text::unknown();
  }

  // The possible values of `table[i]...` over constant arrays of strings, or
  // of `row[k]` where `row` is the variable of a range-for over one
  // (`for (const auto& q : kQueries) run(q[1])`): every element, rebuilt.
  // Empty when `e` is not such an expression. Used only for a whole
  // argument: the statement text is then the alternatives joined by ';'.
  std::vector<Text> alternatives(const Expr* e) {
    std::vector<const Expr*> values;
    const Expr* stripped = strip(e)->IgnoreParenImpCasts();
    if (!isa<ArraySubscriptExpr>(stripped) || !elementsOf(stripped, values, 0)) return {};
    std::vector<Text> out;
    for (const Expr* v : values) out.push_back(build(v));
    return out;
  }

 private:
  // Appends to `out` the values `e` may denote, if it indexes constant arrays.
  bool elementsOf(const Expr* e, std::vector<const Expr*>& out, int depth) {
    if (depth > kMaxDepth) return false;
    e = e->IgnoreParenImpCasts();
    if (const auto* sub = dyn_cast<ArraySubscriptExpr>(e)) {
      std::vector<const Expr*> bases;
      if (!elementsOf(sub->getBase(), bases, depth + 1)) return false;
      llvm::Optional<llvm::APSInt> index = sub->getIdx()->getIntegerConstantExpr(ctx_);
      for (const Expr* base : bases) {
        const auto* list = dyn_cast<InitListExpr>(base->IgnoreParenImpCasts());
        if (!list) return false;
        if (!index) {
          for (const Expr* init : list->inits()) out.push_back(init);
        } else if (index->isNonNegative() && index->getZExtValue() < list->getNumInits()) {
          out.push_back(list->getInit(static_cast<unsigned>(index->getZExtValue())));
        } else {
          return false;
        }
      }
      return !out.empty();
    }
    const auto* ref = dyn_cast<DeclRefExpr>(e);
    const auto* var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
    if (!var) return false;
    if (const Expr* init = var->getAnyInitializer();
        init && isa<InitListExpr>(init->IgnoreParenImpCasts()) &&
        (var->isConstexpr() || var->getType().isConstQualified())) {
      out.push_back(init);  // the array itself
      return true;
    }
    // A range-for variable: each element of the constant array it ranges over.
    for (const auto& parent : ctx_.getParents(*var)) {
      const auto* decl_stmt = parent.get<DeclStmt>();
      if (!decl_stmt) continue;
      for (const auto& grand : ctx_.getParents(*decl_stmt)) {
        const auto* loop = grand.get<CXXForRangeStmt>();
        if (!loop || loop->getLoopVariable() != var) continue;
        std::vector<const Expr*> arrays;
        if (!elementsOf(loop->getRangeInit(), arrays, depth + 1)) return false;
        for (const Expr* array : arrays) {
          const auto* list = dyn_cast<InitListExpr>(array->IgnoreParenImpCasts());
          if (!list) return false;
          for (const Expr* init : list->inits()) out.push_back(init);
        }
        return !out.empty();
      }
    }
    return false;
  }

 public:

  // Peels conversions that keep the text as it is.
  const Expr* strip(const Expr* e) const {
    while (true) {
      const Expr* before = e;
      e = e->IgnoreParens()->IgnoreImplicit();
      if (const auto* bind = dyn_cast<CXXBindTemporaryExpr>(e)) e = bind->getSubExpr();
      if (const auto* cast = dyn_cast<ExplicitCastExpr>(e)) {
        if (isStringLike(cast->getSubExpr()->getType())) e = cast->getSubExpr();
      } else if (const auto* ctor = dyn_cast<CXXConstructExpr>(e)) {
        // std::string(x), QString(x), copies and moves: one text argument,
        // the rest defaulted (allocators).
        unsigned explicit_args = 0;
        for (const Expr* arg : ctor->arguments()) {
          if (!isa<CXXDefaultArgExpr>(arg)) ++explicit_args;
        }
        if (explicit_args == 1 && ctor->getNumArgs() >= 1 &&
            isStringLike(ctor->getArg(0)->getType()) && isStringLike(ctor->getType())) {
          e = ctor->getArg(0);
        }
      } else if (const auto* member = dyn_cast<CXXMemberCallExpr>(e)) {
        const CXXMethodDecl* method = member->getMethodDecl();
        if (method && member->getNumArgs() == 0 &&
            (isa<CXXConversionDecl>(method) ||
             (method->getIdentifier() && isTextAccessor(method->getName()))) &&
            isStringLike(member->getImplicitObjectArgument()->getType())) {
          e = member->getImplicitObjectArgument();
        }
      } else if (const auto* call = dyn_cast<CallExpr>(e)) {
        if (call->getNumArgs() == 1 && isTextConversion(call->getDirectCallee())) e = call->getArg(0);
      }
      if (e == before) return e;
    }
  }

  // The caller parameter `e` forwards unchanged, or null.
  const ParmVarDecl* forwardedParam(const Expr* e) const {
    const auto* ref = dyn_cast<DeclRefExpr>(strip(e));
    if (!ref || !caller_) return nullptr;
    const auto* param = dyn_cast<ParmVarDecl>(ref->getDecl());
    if (!param) return nullptr;
    const auto* owner = dyn_cast<FunctionDecl>(param->getDeclContext());
    if (!owner || owner->getCanonicalDecl() != caller_->getCanonicalDecl()) return nullptr;
    return param;
  }

 private:
  // A frame of a builder helper being inlined: its parameters are bound to
  // the arguments of `call`, which belong to the frame below.
  struct Frame {
    const FunctionDecl* fn;
    llvm::ArrayRef<const Expr*> args;
  };

  Text variable(const DeclRefExpr* ref, int depth) {
    const auto* var = dyn_cast<VarDecl>(ref->getDecl());
    if (!var) return Text::unknown();
    if (const auto* param = dyn_cast<ParmVarDecl>(var)) {
      if (frames_.empty() || param->getDeclContext() != frames_.back().fn) return Text::unknown();
      Frame top = frames_.back();
      unsigned index = param->getFunctionScopeIndex();
      if (index >= top.args.size()) return Text::unknown();
      frames_.pop_back();
      Text t = build(top.args[index], depth + 1);
      frames_.push_back(top);
      return t;
    }
    const VarDecl* def = var->getDefinition() ? var->getDefinition() : var;
    const Expr* init = def->getAnyInitializer();
    if (!init) return Text::unknown();
    QualType type = var->getType();
    bool constant = var->isConstexpr() || type.isConstQualified();
    // `static const char* kSql = "..."`: the pointer could be reassigned,
    // but this idiom names a constant; only at namespace or static scope.
    if (!constant && !var->hasLocalStorage() && type->isPointerType() &&
        type->getPointeeType().isConstQualified()) {
      constant = true;
    }
    if (constant) return build(init, depth + 1);
    if (var->hasLocalStorage() && frames_.empty() && caller_ &&
        var->getParentFunctionOrMethod() == caller_) {
      return local(var, init, ref, depth);
    }
    Text t = build(init, depth + 1);  // a mutable global: its initial text, not trusted
    t.complete = false;
    return t;
  }

  // A local of the caller: its initializer, then its modifications before
  // the call in source order. Appends and assignments inside control flow
  // that does not also hold the call are applied but make the text partial
  // (a superset of what may run); modifications we cannot follow make it
  // partial too.
  Text local(const VarDecl* var, const Expr* init, const DeclRefExpr* use, int depth) {
    Text t = build(init, depth + 1);
    const Stmt* body = caller_->getBody();
    if (!body) return t;
    std::vector<const DeclRefExpr*> refs;
    collectRefs(body, var, refs);
    std::sort(refs.begin(), refs.end(), [&](const DeclRefExpr* a, const DeclRefExpr* b) {
      return sm_.isBeforeInTranslationUnit(a->getBeginLoc(), b->getBeginLoc());
    });
    for (const DeclRefExpr* ref : refs) {
      if (ref == use || !sm_.isBeforeInTranslationUnit(ref->getBeginLoc(), use->getBeginLoc())) {
        break;
      }
      applyUse(ref, t, depth);
    }
    return t;
  }

  // Applies one reference of a local to its text.
  void applyUse(const DeclRefExpr* ref, Text& t, int depth) {
    const Stmt* user = parentIgnoringImplicit(ref);
    bool conditional = underControlFlowAway(ref);
    auto change = [&](const Expr* value, bool append) {
      Text v = build(value, depth + 1);
      if (append) {
        t.append(v);
      } else {
        t = v;
      }
      if (conditional) t.complete = false;
    };
    if (const auto* op = dyn_cast_or_null<CXXOperatorCallExpr>(user)) {
      bool is_target = op->getNumArgs() == 2 && strip(op->getArg(0)) == ref;
      if (is_target && op->getOperator() == OO_PlusEqual) return change(op->getArg(1), true);
      if (is_target && op->getOperator() == OO_Equal) return change(op->getArg(1), false);
      if (is_target && op->getOperator() != OO_Subscript) t.complete = false;
      return;
    }
    if (const auto* bin = dyn_cast_or_null<BinaryOperator>(user)) {
      if (bin->isAssignmentOp() && bin->getLHS()->IgnoreParenImpCasts() == ref) {
        if (bin->getOpcode() == BO_Assign) return change(bin->getRHS(), false);
        t.complete = false;
      }
      return;
    }
    if (const auto* member = dyn_cast_or_null<MemberExpr>(user)) {
      const auto* call = dyn_cast_or_null<CXXMemberCallExpr>(parentIgnoringImplicit(member));
      const auto* method = call ? call->getMethodDecl() : nullptr;
      if (!method || method->isConst()) return;  // reads
      llvm::StringRef name = method->getIdentifier() ? method->getName() : "";
      if ((name == "append" || name == "push_back") && call->getNumArgs() == 1) {
        return change(call->getArg(0), true);
      }
      if (name == "assign" && call->getNumArgs() == 1) return change(call->getArg(0), false);
      if (name == "reserve" || name == "c_str" || name == "data") return;
      t.complete = false;  // clear, insert, replace, erase, ...
      return;
    }
    if (const auto* unary = dyn_cast_or_null<UnaryOperator>(user)) {
      if (unary->getOpcode() == UO_AddrOf) t.complete = false;  // escapes
      return;
    }
    if (passedByMutableReference(ref, user)) t.complete = false;
  }

  bool passedByMutableReference(const DeclRefExpr* ref, const Stmt* user) const {
    const FunctionDecl* fn = nullptr;
    llvm::ArrayRef<const Expr*> args;
    if (const auto* call = dyn_cast_or_null<CallExpr>(user)) {
      fn = call->getDirectCallee();
      args = llvm::makeArrayRef(call->getArgs(), call->getNumArgs());
    } else if (const auto* ctor = dyn_cast_or_null<CXXConstructExpr>(user)) {
      fn = ctor->getConstructor();
      args = llvm::makeArrayRef(ctor->getArgs(), ctor->getNumArgs());
    } else {
      return false;
    }
    if (!fn) return true;  // through a pointer: unknown
    unsigned shift = isa<CXXOperatorCallExpr>(user) && isa<CXXMethodDecl>(fn) ? 1 : 0;
    for (unsigned i = 0; i < args.size(); ++i) {
      if (strip(args[i]) != ref) continue;
      if (i < shift) return false;
      if (i - shift >= fn->getNumParams()) return false;  // C varargs: by value
      QualType p = fn->getParamDecl(i - shift)->getType();
      if ((p->isReferenceType() || p->isPointerType()) && !p->getPointeeType().isConstQualified()) {
        return true;
      }
    }
    return false;
  }

  // The first parent that is not an implicit node or parentheses.
  const Stmt* parentIgnoringImplicit(const Stmt* s) const {
    const Stmt* current = s;
    while (true) {
      auto parents = ctx_.getParents(*current);
      if (parents.empty()) return nullptr;
      const Stmt* p = parents[0].get<Stmt>();
      if (!p) return nullptr;
      if (isa<ImplicitCastExpr>(p) || isa<ParenExpr>(p) || isa<MaterializeTemporaryExpr>(p) ||
          isa<CXXBindTemporaryExpr>(p) || isa<ExprWithCleanups>(p)) {
        current = p;
        continue;
      }
      return p;
    }
  }

  // True if a control-flow statement (or ?:) encloses `s` but not the call:
  // then the modification may or may not happen before the call.
  bool underControlFlowAway(const Stmt* s) const {
    const Stmt* current = s;
    while (true) {
      auto parents = ctx_.getParents(*current);
      if (parents.empty()) return false;
      const Stmt* p = parents[0].get<Stmt>();
      if (!p || p == caller_->getBody()) return false;
      if (isa<IfStmt>(p) || isa<ForStmt>(p) || isa<WhileStmt>(p) || isa<DoStmt>(p) ||
          isa<SwitchStmt>(p) || isa<CXXForRangeStmt>(p) || isa<ConditionalOperator>(p) ||
          isa<BinaryConditionalOperator>(p) || isa<LambdaExpr>(p) || isa<CXXTryStmt>(p) ||
          (isa<BinaryOperator>(p) && cast<BinaryOperator>(p)->isLogicalOp())) {
        if (!encloses(p, call_)) return true;
      }
      current = p;
    }
  }

  bool encloses(const Stmt* outer, const Stmt* inner) const {
    SourceRange r = outer->getSourceRange();
    SourceLocation loc = inner->getBeginLoc();
    return !sm_.isBeforeInTranslationUnit(loc, r.getBegin()) &&
           !sm_.isBeforeInTranslationUnit(r.getEnd(), loc);
  }

  // --- query-builder objects (sql_builder.h) --------------------------------

  // One call that changed a builder object, in program order.
  struct BuilderEvent {
    const CXXMemberCallExpr* call;
    bool conditional;  // under control flow that does not hold the sink call
  };

  // How a builder object came to be what it is at the render call.
  struct ObjectHistory {
    const CXXConstructExpr* ctor = nullptr;  // null when its origin is unknown
    std::vector<BuilderEvent> calls;
    bool complete = true;  // false when the object escaped or came from elsewhere
  };

  // `this->member` of a learned builder being inlined.
  Text field(const MemberExpr* member) {
    const auto* decl = dyn_cast<FieldDecl>(member->getMemberDecl());
    if (!fields_ || !decl || !isa<CXXThisExpr>(member->getBase()->IgnoreParenImpCasts())) {
      return Text::unknown();
    }
    auto it = fields_->find(decl->getCanonicalDecl());
    return it == fields_->end() ? Text::unknown() : it->second;
  }

  static const Expr* skipTemporaries(const Expr* e) {
    while (true) {
      const Expr* before = e;
      e = e->IgnoreParens()->IgnoreImplicit();
      if (const auto* cast = dyn_cast<CXXFunctionalCastExpr>(e)) e = cast->getSubExpr();
      if (e == before) return e;
    }
  }

  const SqlBuilderSpec* declaredBuilder(const CXXRecordDecl* cls) const {
    if (builders_.empty() || !cls) return nullptr;
    std::string name = cls->getQualifiedNameAsString();
    for (const SqlBuilderSpec& spec : builders_) {
      llvm::StringRef declared(spec.class_name);
      declared.consume_front("::");
      if (declared == name) return &spec;
    }
    return nullptr;
  }

  // `obj.sql()` where obj is a query-builder object: its statement, rebuilt
  // from how the object was constructed and the calls made on it.
  Text builderObject(const CXXMemberCallExpr* render, int depth) {
    const CXXMethodDecl* method = render->getMethodDecl();
    if (!method || method->isStatic() || !method->getIdentifier() || depth > kMaxDepth) {
      return Text::unknown();
    }
    const CXXRecordDecl* cls = method->getParent()->getCanonicalDecl();
    if (isStringClass(cls) || cls->isInStdNamespace()) return Text::unknown();
    if (const SqlBuilderSpec* spec = declaredBuilder(cls)) {
      auto kind = spec->render.find(method->getName().str());
      if (kind == spec->render.end()) return Text::unknown();
      return declaredRender(*spec, kind->second, history(render, cls), depth);
    }
    // Learned: a const method whose body is `return <text of members>;`.
    const FunctionDecl* def = nullptr;
    const auto* body = dyn_cast_or_null<CompoundStmt>(method->getBody(def));
    if (!body || body->size() != 1 || !isStringLike(method->getReturnType())) return Text::unknown();
    const auto* ret = dyn_cast<ReturnStmt>(body->body_front());
    if (!ret || !ret->getRetValue()) return Text::unknown();
    if (sm_.isInSystemHeader(sm_.getExpansionLoc(def->getLocation()))) return Text::unknown();
    return learnedRender(cls, def, ret->getRetValue(), render, history(render, cls), depth);
  }

  // The calls on the object `render` is called on: calls chained before it
  // (`Select("t").where(..).sql()`) and, for a local, its constructor and
  // the calls on it earlier in its function.
  ObjectHistory history(const CXXMemberCallExpr* render, const CXXRecordDecl* cls) {
    ObjectHistory h;
    std::vector<BuilderEvent> chain;
    const Expr* object = skipTemporaries(render->getImplicitObjectArgument());
    while (const auto* link = dyn_cast<CXXMemberCallExpr>(object)) {
      const CXXRecordDecl* returned = link->getType()->getAsCXXRecordDecl();
      if (!returned || returned->getCanonicalDecl() != cls) {
        h.complete = false;  // an object some other call returned
        return h;
      }
      chain.push_back({link, false});
      object = skipTemporaries(link->getImplicitObjectArgument());
    }
    std::reverse(chain.begin(), chain.end());
    if (const auto* ctor = dyn_cast<CXXConstructExpr>(object)) {
      h.ctor = ctor;
    } else if (const auto* ref = dyn_cast<DeclRefExpr>(object)) {
      localHistory(ref, h);
    } else {
      h.complete = false;
    }
    h.calls.insert(h.calls.end(), chain.begin(), chain.end());
    return h;
  }

  // A local builder object: its initializer, then every non-const call on
  // it before `use`, including calls chained on their results.
  void localHistory(const DeclRefExpr* use, ObjectHistory& h) {
    const auto* var = dyn_cast<VarDecl>(use->getDecl());
    const auto* fn = var ? dyn_cast_or_null<FunctionDecl>(var->getParentFunctionOrMethod()) : nullptr;
    if (!var || !fn || !fn->getBody() || !var->hasLocalStorage() || isa<ParmVarDecl>(var) ||
        var->getType()->isReferenceType() || var->getType()->isPointerType() || !frames_.empty() ||
        !caller_) {
      h.complete = false;
      return;
    }
    if (const Expr* init = var->getInit()) h.ctor = dyn_cast<CXXConstructExpr>(skipTemporaries(init));
    if (!h.ctor) h.complete = false;
    std::vector<const DeclRefExpr*> refs;
    collectRefs(fn->getBody(), var, refs);
    std::sort(refs.begin(), refs.end(), [&](const DeclRefExpr* a, const DeclRefExpr* b) {
      return sm_.isBeforeInTranslationUnit(a->getBeginLoc(), b->getBeginLoc());
    });
    for (const DeclRefExpr* ref : refs) {
      if (ref == use || !sm_.isBeforeInTranslationUnit(ref->getBeginLoc(), use->getBeginLoc())) break;
      const Stmt* user = parentIgnoringImplicit(ref);
      if (const auto* member = dyn_cast_or_null<MemberExpr>(user)) {
        const auto* call = dyn_cast_or_null<CXXMemberCallExpr>(parentIgnoringImplicit(member));
        bool conditional = underControlFlowAway(ref);
        while (call && call->getMethodDecl() && !call->getMethodDecl()->isConst()) {
          h.calls.push_back({call, conditional});
          const auto* next = dyn_cast_or_null<MemberExpr>(parentIgnoringImplicit(call));
          call = next ? dyn_cast_or_null<CXXMemberCallExpr>(parentIgnoringImplicit(next)) : nullptr;
        }
        continue;
      }
      if (const auto* unary = dyn_cast_or_null<UnaryOperator>(user)) {
        if (unary->getOpcode() == UO_AddrOf) h.complete = false;  // escapes
        continue;
      }
      if (const auto* op = dyn_cast_or_null<CXXOperatorCallExpr>(user)) {
        if (op->getNumArgs() >= 1 && skipTemporaries(op->getArg(0)) == ref) h.complete = false;  // q = ..
        continue;
      }
      if (passedByMutableReference(ref, user)) h.complete = false;
    }
  }

  // A fragment for `clause` from a builder argument: text, a number, or a
  // braced list of texts (`columns({"id", "title"})`, joined by ", ").
  Text fragment(SqlClause clause, const Expr* arg, int depth) {
    const Expr* e = strip(arg);
    if (clause == SqlClause::kLimit || clause == SqlClause::kOffset) {
      if (llvm::Optional<llvm::APSInt> n = e->getIntegerConstantExpr(ctx_)) {
        return {llvm::toString(*n, 10), true, false};
      }
    }
    if (const InitListExpr* list = findInitList(e, 0)) {
      Text t{"", true, false};
      for (const Expr* element : list->inits()) {
        if (!t.text.empty()) t.append({", ", true, false});
        t.append(build(element, depth + 1));
      }
      return t;
    }
    if (isStringLike(e->getType())) return build(e, depth + 1);
    return Text::unknown();
  }

  // The braced list under the implicit nodes of a std::vector /
  // std::initializer_list argument.
  static const InitListExpr* findInitList(const Stmt* s, int depth) {
    if (!s || depth > 6) return nullptr;
    if (const auto* list = dyn_cast<InitListExpr>(s)) return list;
    if (const auto* e = dyn_cast<Expr>(s);
        e && !isa<CXXConstructExpr>(s) && !isa<CXXStdInitializerListExpr>(s) &&
        !isa<MaterializeTemporaryExpr>(s) && !isa<CXXBindTemporaryExpr>(s) && !isa<ImplicitCastExpr>(s) &&
        !isa<ExprWithCleanups>(s) && !isa<ParenExpr>(s) && !isa<CXXFunctionalCastExpr>(s)) {
      return nullptr;
    }
    for (const Stmt* child : s->children()) {
      if (const InitListExpr* list = findInitList(child, depth + 1)) return list;
    }
    return nullptr;
  }

  Text declaredRender(const SqlBuilderSpec& spec, SqlRender kind, const ObjectHistory& h, int depth) {
    SelectParts parts;
    bool complete = h.complete;
    bool has_literal = false;
    auto add = [&](SqlClause clause, const Expr* arg, bool conditional) {
      Text t = fragment(clause, arg, depth);
      parts.add(clause, t.text, conditional);
      complete = complete && t.complete && !conditional;
      has_literal = has_literal || t.has_literal;
    };
    if (h.ctor) {
      size_t text_arg = 0;
      for (const Expr* arg : h.ctor->arguments()) {
        if (isa<CXXDefaultArgExpr>(arg) || !isStringLike(arg->getType())) continue;
        if (text_arg < spec.constructor.size()) add(spec.constructor[text_arg], arg, false);
        ++text_arg;
      }
    } else if (!spec.constructor.empty()) {
      complete = false;
    }
    for (const BuilderEvent& event : h.calls) {
      const CXXMethodDecl* method = event.call->getMethodDecl();
      auto clause = method && method->getIdentifier() ? spec.methods.find(method->getName().str())
                                                      : spec.methods.end();
      if (clause == spec.methods.end() || event.call->getNumArgs() < 1) {
        complete = false;  // a change the spec does not describe
        continue;
      }
      add(clause->second, event.call->getArg(0), event.conditional);
    }
    return {parts.render(kind), complete, has_literal};
  }

  // Runs a learned builder: member initializers and constructor body, every
  // method called on the object (inlined, parameters bound to arguments),
  // then the render method's returned expression over the members' text.
  Text learnedRender(const CXXRecordDecl* cls, const FunctionDecl* render_def, const Expr* returned,
                     const CXXMemberCallExpr* render, const ObjectHistory& h, int depth) {
    const CXXRecordDecl* def = cls->getDefinition();
    if (!def) return Text::unknown();
    std::map<const FieldDecl*, Text> members;
    for (const FieldDecl* f : def->fields()) {
      if (!isStringLike(f->getType()) || f->getType()->isReferenceType()) continue;
      const Expr* init = f->getInClassInitializer();
      members[f->getCanonicalDecl()] = init ? build(init, depth + 1) : Text{"", true, false};
    }
    if (members.empty()) return Text::unknown();
    std::map<const FieldDecl*, Text>* saved = fields_;
    fields_ = &members;
    bool complete = h.complete;
    if (h.ctor) {
      const FunctionDecl* ctor_def = nullptr;
      const Stmt* body = h.ctor->getConstructor()->getBody(ctor_def);
      const auto* ctor = dyn_cast_or_null<CXXConstructorDecl>(ctor_def);
      if (ctor && body) {
        frames_.push_back({ctor, llvm::makeArrayRef(h.ctor->getArgs(), h.ctor->getNumArgs())});
        for (const CXXCtorInitializer* init : ctor->inits()) {
          const FieldDecl* f = init->getMember();
          auto it = f ? members.find(f->getCanonicalDecl()) : members.end();
          if (it != members.end() && init->isWritten()) it->second = build(init->getInit(), depth + 1);
        }
        complete = runBody(body, false, depth) && complete;
        frames_.pop_back();
      } else if (!h.ctor->getConstructor()->isTrivial() && !h.ctor->getConstructor()->isDefaulted()) {
        complete = false;
      }
    } else {
      complete = false;
    }
    for (const BuilderEvent& event : h.calls) {
      const FunctionDecl* method_def = nullptr;
      const CXXMethodDecl* method = event.call->getMethodDecl();
      const Stmt* body = method ? method->getBody(method_def) : nullptr;
      if (!body) {
        complete = false;  // defined elsewhere: its effect is unknown
        continue;
      }
      frames_.push_back({method_def, llvm::makeArrayRef(event.call->getArgs(), event.call->getNumArgs())});
      complete = runBody(body, event.conditional, depth) && complete;
      frames_.pop_back();
    }
    frames_.push_back({render_def, llvm::makeArrayRef(render->getArgs(), render->getNumArgs())});
    Text t = build(returned, depth + 1);
    frames_.pop_back();
    fields_ = saved;
    if (!complete) t.complete = false;
    return t;
  }

  // Applies the member changes of one builder method body: `m += x`,
  // `m = x`, `m.append(x)`, `m.assign(x)`, also inside control flow (then
  // partial). Returns false when the body changes members in ways not
  // followed (m.clear(), calls on *this).
  bool runBody(const Stmt* s, bool conditional, int depth) {
    if (!s) return true;
    if (isa<IfStmt>(s) || isa<ForStmt>(s) || isa<WhileStmt>(s) || isa<DoStmt>(s) || isa<SwitchStmt>(s) ||
        isa<CXXForRangeStmt>(s) || isa<ConditionalOperator>(s)) {
      bool ok = true;
      for (const Stmt* child : s->children()) ok = runBody(child, true, depth) && ok;
      return ok;
    }
    if (isa<CompoundStmt>(s) || isa<ExprWithCleanups>(s) || isa<CaseStmt>(s) || isa<DefaultStmt>(s)) {
      bool ok = true;
      for (const Stmt* child : s->children()) ok = runBody(child, conditional, depth) && ok;
      return ok;
    }
    const auto* e = dyn_cast<Expr>(s);
    if (!e) return true;  // declarations, returns of *this
    e = e->IgnoreParenImpCasts();
    auto target = [&](const Expr* x) -> Text* {
      const auto* member = dyn_cast<MemberExpr>(x->IgnoreParenImpCasts());
      if (!member || !isa<CXXThisExpr>(member->getBase()->IgnoreParenImpCasts())) return nullptr;
      const auto* f = dyn_cast<FieldDecl>(member->getMemberDecl());
      auto it = f ? fields_->find(f->getCanonicalDecl()) : fields_->end();
      return it == fields_->end() ? nullptr : &it->second;
    };
    auto change = [&](Text* member, const Expr* value, bool append) {
      Text v = build(value, depth + 1);
      if (append) {
        member->append(v);
      } else {
        *member = v;
      }
      if (conditional) member->complete = false;
    };
    if (const auto* op = dyn_cast<CXXOperatorCallExpr>(e); op && op->getNumArgs() == 2) {
      Text* member = target(op->getArg(0));
      if (!member) return true;
      if (op->getOperator() == OO_PlusEqual) return change(member, op->getArg(1), true), true;
      if (op->getOperator() == OO_Equal) return change(member, op->getArg(1), false), true;
      return false;
    }
    if (const auto* call = dyn_cast<CXXMemberCallExpr>(e)) {
      const CXXMethodDecl* method = call->getMethodDecl();
      if (!method || method->isConst()) return true;
      if (isa<CXXThisExpr>(call->getImplicitObjectArgument()->IgnoreParenImpCasts())) return false;
      Text* member = target(call->getImplicitObjectArgument());
      if (!member) return true;
      llvm::StringRef name = method->getIdentifier() ? method->getName() : "";
      if ((name == "append" || name == "push_back") && call->getNumArgs() == 1) {
        return change(member, call->getArg(0), true), true;
      }
      if (name == "assign" && call->getNumArgs() == 1) return change(member, call->getArg(0), false), true;
      return name == "reserve";
    }
    return true;
  }

  // builder(x): a function whose body is `return <expr>;`, inlined.
  Text builderCall(const CallExpr* call, int depth) {
    const FunctionDecl* fn = call->getDirectCallee();
    if (!fn || (isa<CXXMethodDecl>(fn) && !cast<CXXMethodDecl>(fn)->isStatic())) {
      return Text::unknown();
    }
    const FunctionDecl* def = nullptr;
    const Stmt* body = fn->getBody(def);
    const auto* compound = dyn_cast_or_null<CompoundStmt>(body);
    if (!compound || compound->size() != 1 || !isStringLike(fn->getReturnType())) {
      return Text::unknown();
    }
    const auto* ret = dyn_cast<ReturnStmt>(compound->body_front());
    if (!ret || !ret->getRetValue()) return Text::unknown();
    if (sm_.isInSystemHeader(sm_.getExpansionLoc(def->getLocation()))) return Text::unknown();
    frames_.push_back({def, llvm::makeArrayRef(call->getArgs(), call->getNumArgs())});
    Text t = build(ret->getRetValue(), depth + 1);
    frames_.pop_back();
    return t;
  }

  ASTContext& ctx_;
  const SourceManager& sm_;
  const FunctionDecl* caller_;
  const Expr* call_;
  const std::vector<SqlBuilderSpec>& builders_;
  std::vector<Frame> frames_;
  // While a learned builder's method is inlined: the text of its object's
  // string members (`this->sql_`), by canonical field.
  std::map<const FieldDecl*, Text>* fields_ = nullptr;
};

// Calls that only build or carry text (std::string's constructors and
// operator+, QString's methods, stream <<): they are parts of the arguments
// of the interesting call, reconstructed there, not call sites themselves.
bool isTextPlumbing(const Expr* call, const FunctionDecl* callee) {
  if (callee->isInStdNamespace()) return true;
  if (const auto* op = dyn_cast<CXXOperatorCallExpr>(call)) return op->getOperator() != OO_Call;
  if (const auto* method = dyn_cast<CXXMethodDecl>(callee)) return isStringClass(method->getParent());
  return false;
}

}  // namespace

int64_t sqlSymbolId(const clang::FunctionDecl* fn) {
  if (!fn) return 0;
  if (const clang::FunctionDecl* pattern = fn->getTemplateInstantiationPattern()) fn = pattern;
  llvm::SmallString<128> usr;
  if (clang::index::generateUSRForDecl(fn, usr)) return 0;  // true means failure
  return symbolIdFromUsr(std::string_view(usr.data(), usr.size()));
}

void collectSqlCallFacts(const clang::Expr* call, const clang::FunctionDecl* callee,
                         const clang::FunctionDecl* caller, clang::ASTContext& ctx,
                         SqlCallFacts& out, const std::vector<SqlBuilderSpec>& builders) {
  using namespace clang;
  if (!call || !callee) return;
  // Text plumbing is no call site, except that a string constructed from
  // CREATE ... text (`std::string schemaDdl() { return kDdl; }`) still tells
  // the schema: recorded as a candidate resolveSql uses for its catalog only.
  bool plumbing = isTextPlumbing(call, callee);
  if (plumbing && !isa<CXXConstructExpr>(call)) return;
  const SourceManager& sm = ctx.getSourceManager();
  if (sm.isInSystemHeader(sm.getExpansionLoc(call->getBeginLoc()))) return;

  llvm::ArrayRef<const Expr*> args;
  unsigned first = 0;  // skip the object argument of member operators
  if (const auto* ctor = dyn_cast<CXXConstructExpr>(call)) {
    args = llvm::makeArrayRef(ctor->getArgs(), ctor->getNumArgs());
  } else if (const auto* c = dyn_cast<CallExpr>(call)) {
    args = llvm::makeArrayRef(c->getArgs(), c->getNumArgs());
    if (isa<CXXOperatorCallExpr>(c) && isa<CXXMethodDecl>(callee)) first = 1;
  } else {
    return;
  }

  int64_t callee_id = 0;  // computed on the first string argument only
  std::string callee_name;
  Reconstructor rebuild(ctx, caller, call, builders);
  for (unsigned i = first; i < args.size(); ++i) {
    const Expr* arg = args[i];
    if (isa<CXXDefaultArgExpr>(arg)) continue;
    unsigned index = i - first;
    QualType type = index < callee->getNumParams() ? callee->getParamDecl(index)->getType()
                                                   : arg->IgnoreParenImpCasts()->getType();
    if (!isStringLike(type)) continue;
    if (callee_id == 0) {
      callee_id = sqlSymbolId(callee);
      if (callee_id == 0) return;
      const FunctionDecl* named = callee->getTemplateInstantiationPattern();
      callee_name = (named ? named : callee)->getQualifiedNameAsString();
    }
    if (plumbing) {
      Text text = rebuild.build(arg);
      std::vector<sql::Token> tokens = sql::lex(text.text);
      if (text.has_literal && !tokens.empty() && tokens[0].isWord("create") && looksLikeSql(text.text)) {
        out.candidates.push_back({callee_id, callee_name, index, std::move(text.text), text.complete,
                                  sm.getExpansionLoc(arg->getBeginLoc())});
      }
      continue;
    }
    if (const ParmVarDecl* param = rebuild.forwardedParam(arg)) {
      out.sink_params.push_back({param->getFunctionScopeIndex(), callee_id, callee_name, index});
      continue;
    }
    Text text;
    if (std::vector<Text> options = rebuild.alternatives(arg); !options.empty()) {
      // One statement per possible element; which one runs is not known.
      for (const Text& option : options) {
        if (!text.text.empty()) text.text += ";\n";
        text.append(option);
      }
      if (options.size() > 1) text.complete = false;
    } else {
      text = rebuild.build(arg);
    }
    // Only SQL-looking text can become a statement (resolveSql applies the
    // same test); dropping the rest here keeps the store small.
    if (!text.has_literal || text.text.empty() || !looksLikeSql(text.text)) continue;
    out.candidates.push_back({callee_id, callee_name, index, std::move(text.text), text.complete,
                              sm.getExpansionLoc(arg->getBeginLoc())});
  }
}

}  // namespace seam::analyzer
