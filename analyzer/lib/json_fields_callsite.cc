// JSON field facts from one function body (see json_fields_callsite.h).
//
// One RecursiveASTVisitor walk gathers candidate reads and objects under
// construction plus the few facts needed to place them (variables initialised
// by a read, range-for loop variables, returned variables, call arguments);
// finish() then resolves parents and where each object goes. No regex, no
// source text: everything comes from the typed AST.
#include "json_fields_callsite.h"

#include <algorithm>
#include <map>
#include <set>

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

namespace seam::analyzer {

using namespace clang;

namespace {

bool isInNamespace(const Decl* d, llvm::StringRef name) {
  for (const DeclContext* dc = d->getDeclContext(); dc; dc = dc->getParent()) {
    if (auto* ns = dyn_cast<NamespaceDecl>(dc); ns && ns->getName() == name) return true;
  }
  return false;
}

bool isJsonRecord(const CXXRecordDecl* rd) {
  if (!rd) return false;
  if (auto* spec = dyn_cast<ClassTemplateSpecializationDecl>(rd)) rd = spec->getSpecializedTemplate()->getTemplatedDecl();
  return rd->getIdentifier() && rd->getName() == "basic_json" && isInNamespace(rd, "nlohmann");
}

bool isJsonType(QualType t) {
  if (t.isNull()) return false;
  return isJsonRecord(t.getNonReferenceType()->getAsCXXRecordDecl());
}

/// cpp-httplib's request: its query parameters are read like JSON fields.
bool isHttpRequestRecord(const CXXRecordDecl* rd) {
  return rd && rd->getIdentifier() && rd->getName() == "Request" && isInNamespace(rd, "httplib");
}

bool isHttpRequest(QualType t) {
  return !t.isNull() && isHttpRequestRecord(t.getNonReferenceType()->getAsCXXRecordDecl());
}

/// Peels the wrappers Clang puts around values that flow unchanged:
/// implicit casts, temporaries, cleanups, functional casts, copy/move
/// construction and nlohmann's json_ref conversions.
const Expr* strip(const Expr* e) {
  while (e) {
    const Expr* next = e->IgnoreParenImpCasts();
    if (auto* m = dyn_cast<MaterializeTemporaryExpr>(next)) next = m->getSubExpr();
    else if (auto* b = dyn_cast<CXXBindTemporaryExpr>(next)) next = b->getSubExpr();
    else if (auto* c = dyn_cast<ExprWithCleanups>(next)) next = c->getSubExpr();
    else if (auto* f = dyn_cast<CXXFunctionalCastExpr>(next)) next = f->getSubExpr();
    else if (auto* ce = dyn_cast<CXXConstructExpr>(next);
             ce && ce->getNumArgs() >= 1 && !isa<CXXStdInitializerListExpr>(ce->getArg(0)->IgnoreImplicit()) &&
             (ce->getConstructor()->isCopyOrMoveConstructor() ||
              (ce->getConstructor()->getParent()->getName() == "json_ref" && ce->getNumArgs() == 1) ||
              (isJsonType(ce->getType()) && ce->getNumArgs() == 1 && !isa<CXXTemporaryObjectExpr>(ce)))) {
      next = ce->getArg(0);
    }
    if (next == e) return e;
    e = next;
  }
  return e;
}

/// The string literal an argument is (through std::string / json_ref construction).
const StringLiteral* literalOf(const Expr* e) {
  for (int depth = 0; e && depth < 6; ++depth) {
    e = e->IgnoreParenImpCasts();
    if (auto* s = dyn_cast<StringLiteral>(e)) return s;
    if (auto* m = dyn_cast<MaterializeTemporaryExpr>(e)) { e = m->getSubExpr(); continue; }
    if (auto* b = dyn_cast<CXXBindTemporaryExpr>(e)) { e = b->getSubExpr(); continue; }
    if (auto* ce = dyn_cast<CXXConstructExpr>(e); ce && ce->getNumArgs() >= 1) { e = ce->getArg(0); continue; }
    return nullptr;
  }
  return nullptr;
}

/// The elements of a braced list handed to nlohmann (basic_json or json_ref
/// constructed from std::initializer_list), or null when `e` is not one.
const InitListExpr* bracedElements(const Expr* e) {
  auto* ce = dyn_cast_or_null<CXXConstructExpr>(e);
  if (!ce || ce->getNumArgs() == 0) return nullptr;
  auto* il = dyn_cast<CXXStdInitializerListExpr>(ce->getArg(0)->IgnoreImplicit());
  if (!il) return nullptr;
  const Expr* sub = il->getSubExpr();
  while (true) {
    sub = sub->IgnoreImplicit();
    if (auto* m = dyn_cast<MaterializeTemporaryExpr>(sub)) sub = m->getSubExpr();
    else if (auto* b = dyn_cast<CXXBindTemporaryExpr>(sub)) sub = b->getSubExpr();
    else break;
  }
  return dyn_cast<InitListExpr>(sub);
}

/// {"key", value}: nlohmann's rule for an object entry.
bool asPair(const Expr* element, const StringLiteral** key, const Expr** value) {
  const InitListExpr* list = bracedElements(strip(element));
  if (!list || list->getNumInits() != 2) return false;
  const StringLiteral* k = literalOf(list->getInit(0));
  if (!k) return false;
  *key = k;
  *value = list->getInit(1);
  return true;
}

/// The entries of a braced object (every element a pair), or empty.
std::vector<std::pair<const StringLiteral*, const Expr*>> objectEntries(const InitListExpr* list) {
  std::vector<std::pair<const StringLiteral*, const Expr*>> out;
  if (!list || list->getNumInits() == 0) return out;
  for (const Expr* element : list->inits()) {
    const StringLiteral* key = nullptr;
    const Expr* value = nullptr;
    if (!asPair(element, &key, &value)) return {};
    out.emplace_back(key, value);
  }
  return out;
}

std::string calleeName(const FunctionDecl* fn) {
  if (!fn) return "?";
  if (auto* md = dyn_cast<CXXMethodDecl>(fn); md && isJsonRecord(md->getParent())) {
    return "nlohmann::json::" + fn->getNameAsString();
  }
  return fn->getQualifiedNameAsString();
}

std::string join(const std::string& parent, const std::string& name) {
  return parent.empty() ? name : parent + "." + name;
}

class JsonFieldVisitor : public RecursiveASTVisitor<JsonFieldVisitor> {
  using Base = RecursiveASTVisitor<JsonFieldVisitor>;

 public:
  JsonFieldVisitor(ASTContext& ctx, std::vector<JsonFieldRow>& out) : sm_(ctx.getSourceManager()), out_(out) {}

  bool shouldVisitLambdaBody() const { return true; }
  bool shouldVisitTemplateInstantiations() const { return false; }

  bool TraverseLambdaExpr(LambdaExpr* e) {
    lambdas_.push_back(e);
    bool ok = Base::TraverseLambdaExpr(e);
    lambdas_.pop_back();
    return ok;
  }

  bool VisitCXXForRangeStmt(CXXForRangeStmt* s) {
    if (const VarDecl* v = s->getLoopVariable()) range_of_[v] = strip(s->getRangeInit());
    return true;
  }

  bool VisitVarDecl(VarDecl* v) {
    if (v->hasInit() && !isa<ParmVarDecl>(v)) init_of_[v] = strip(v->getInit());
    return true;
  }

  bool VisitReturnStmt(ReturnStmt* r) {
    if (const Expr* value = r->getRetValue()) returned_.insert(strip(value));
    return true;
  }

  bool VisitCallExpr(CallExpr* call) {
    const FunctionDecl* callee = call->getDirectCallee();
    if (!callee || skipped(call->getBeginLoc())) return true;
    // Where objects go: an argument of this call.
    // nlohmann's own methods and operators (operator[], ==, at) only look at it.
    if (!isInNamespace(callee, "nlohmann")) {
      for (const Expr* arg : call->arguments()) noteSink(strip(arg), callee);
    }
    // obj.dump(): serialised (e.g. into res.set_content), so it leaves too.
    if (auto* mc = dyn_cast<CXXMemberCallExpr>(call); mc && callee->getName() == "dump") {
      if (const Expr* object = strip(mc->getImplicitObjectArgument())) noteSink(object, callee);
    }
    if (auto* op = dyn_cast<CXXOperatorCallExpr>(call)) return visitOperator(op);
    if (auto* mc = dyn_cast<CXXMemberCallExpr>(call)) {
      const CXXMethodDecl* md = mc->getMethodDecl();
      if (md && isJsonRecord(md->getParent())) return visitJsonMethod(mc, md);
      if (md && isHttpRequestRecord(md->getParent()) && mc->getNumArgs() >= 1 &&
          (md->getName() == "get_param_value" || md->getName() == "has_param")) {
        if (const StringLiteral* key = literalOf(mc->getArg(0))) {
          addRead(mc, mc->getImplicitObjectArgument(), key, "string", false, "httplib::Request::" + md->getName().str());
          reads_.back().row.direction = "query";
        }
        return true;
      }
    }
    // accessor(json, "key", ...): a JSON value read through a helper;
    // accessor(request, "name", ...): a query parameter, the same way.
    unsigned n = call->getNumArgs();
    for (unsigned i = 0; i + 1 < n; ++i) {
      bool query = isHttpRequest(call->getArg(i)->getType());
      if (!query && !isJsonType(call->getArg(i)->getType())) continue;
      if (i < callee->getNumParams()) {
        QualType p = callee->getParamDecl(i)->getType();
        if (p->isReferenceType() && !p.getNonReferenceType().isConstQualified()) continue;  // a writer
      }
      const StringLiteral* key = literalOf(call->getArg(i + 1));
      if (!key) continue;
      bool nullable = false;
      std::string type = jsonTypeOf(callee->getReturnType(), &nullable);
      addRead(call, call->getArg(i), key, type, /*required=*/!nullable, calleeName(callee));
      if (query) reads_.back().row.direction = "query";
      break;
    }
    return true;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr* e) {
    if (!isJsonType(e->getType()) || skipped(e->getBeginLoc())) return true;
    const InitListExpr* list = bracedElements(e);
    if (!list || nested_.count(list)) return true;
    auto entries = objectEntries(list);
    if (entries.empty()) return true;
    Object& obj = objectFor(e);
    obj.root = e;
    obj.at = e->getBeginLoc();
    addEntries(obj, "", entries);
    return true;
  }

  /// Resolves parents and destinations, then appends the rows.
  void finish() {
    // Reads: parents from the variable read from.
    for (size_t i = 0; i < reads_.size(); ++i) resolveParent(i, 0);
    for (Read& r : reads_) out_.push_back(std::move(r.row));
    // A braced object bound to a variable takes that variable's assignments too.
    for (auto& [key, obj] : objects_) {
      if (!obj.root) continue;
      for (auto& [v, init] : init_of_) {
        if (init != obj.root) continue;
        obj.var = v;
        if (auto it = objects_.find(v); it != objects_.end()) {
          for (JsonFieldRow& row : it->second.rows) obj.rows.push_back(std::move(row));
          it->second.rows.clear();
        }
      }
    }
    // In order of first appearance (the map is keyed by pointers).
    std::vector<Object*> ordered;
    for (auto& [key, obj] : objects_) ordered.push_back(&obj);
    std::sort(ordered.begin(), ordered.end(), [](const Object* a, const Object* b) { return a->seq < b->seq; });
    for (Object* o : ordered) {
      Object& obj = *o;
      if (obj.rows.empty()) continue;
      const VarDecl* var = obj.var;
      std::string via = "local";
      if (returned_.count(obj.root)) via = "return";
      else if (auto it = sink_.find(obj.root); it != sink_.end()) via = it->second;
      if (var) {
        for (const Expr* r : returned_) {
          if (auto* ref = dyn_cast<DeclRefExpr>(r); ref && ref->getDecl() == var) via = "return";
        }
        if (via == "local") {
          if (auto it = var_sink_.find(var); it != var_sink_.end()) via = it->second;
        }
      }
      bool open = obj.open;
      if (var && !obj.root) {
        // Only assigned into: open unless it started empty (default-initialised,
        // Json::object(), or a braced object whose keys are rows already).
        auto it = init_of_.find(var);
        const Expr* init = it == init_of_.end() ? nullptr : it->second;
        open = init && !isEmptyObject(init);
      }
      PresumedLoc p = sm_.getPresumedLoc(sm_.getExpansionLoc(obj.at));
      std::string id = p.isValid() ? std::to_string(p.getLine()) + ":" + std::to_string(p.getColumn()) : "?";
      for (JsonFieldRow& row : obj.rows) {
        row.via = via;
        row.object = id;
        row.open = open;
        out_.push_back(std::move(row));
      }
    }
  }

 private:
  struct Read {
    JsonFieldRow row;
    const Expr* call = nullptr;      ///< the accessor call (stripped)
    const VarDecl* from = nullptr;   ///< variable read from, when the object is one
    bool resolved = false;
  };
  struct Object {
    const Expr* root = nullptr;      ///< braced construction; null for objects only assigned into
    const VarDecl* var = nullptr;
    SourceLocation at;
    bool open = false;
    size_t seq = 0;                  ///< order of first appearance
    std::vector<JsonFieldRow> rows;
  };

  Object& objectFor(const void* key) {
    auto [it, inserted] = objects_.try_emplace(key);
    if (inserted) it->second.seq = objects_.size();
    return it->second;
  }

  /// The first call an object (or the variable holding it) is handed to.
  void noteSink(const Expr* arg, const FunctionDecl* callee) {
    if (!arg) return;
    if (auto* ref = dyn_cast<DeclRefExpr>(arg)) {
      if (auto* v = dyn_cast<VarDecl>(ref->getDecl())) var_sink_.try_emplace(v, calleeName(callee));
      return;
    }
    sink_.try_emplace(arg, calleeName(callee));
  }

  bool skipped(SourceLocation loc) const {
    return loc.isInvalid() || sm_.isInSystemHeader(sm_.getExpansionLoc(loc));
  }

  JsonFieldRow baseRow(const char* direction, const StringLiteral* key) const {
    JsonFieldRow row;
    row.lambda = lambdas_.empty() ? nullptr : lambdas_.back();
    row.direction = direction;
    row.name = key->getString().str();
    row.loc = key->getBeginLoc();
    return row;
  }

  void addRead(const Expr* call, const Expr* object, const StringLiteral* key, std::string type, bool required,
               std::string via) {
    Read r;
    r.row = baseRow("in", key);
    r.row.type = std::move(type);
    r.row.required = required;
    r.row.via = std::move(via);
    r.call = call;
    if (auto* ref = dyn_cast<DeclRefExpr>(strip(object))) {
      r.from = dyn_cast<VarDecl>(ref->getDecl());
      if (r.from) r.row.object = r.from->getNameAsString();
    }
    reads_.push_back(std::move(r));
  }

  bool visitOperator(const CXXOperatorCallExpr* op) {
    if (op->getOperator() == OO_Equal && op->getNumArgs() == 2) {
      // obj["key"] = value
      auto* lhs = dyn_cast<CXXOperatorCallExpr>(strip(op->getArg(0)));
      if (!lhs || lhs->getOperator() != OO_Subscript || lhs->getNumArgs() != 2 || !isJsonType(lhs->getArg(0)->getType()))
        return true;
      const StringLiteral* key = literalOf(lhs->getArg(1));
      auto* ref = dyn_cast<DeclRefExpr>(strip(lhs->getArg(0)));
      auto* var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
      if (!key || !var) return true;
      assigned_.insert(lhs);
      // The object is the variable: one per variable, whatever its init.
      Object& obj = objectFor(var);
      obj.var = var;
      if (obj.at.isInvalid()) obj.at = var->getLocation();
      addValue(obj, "", key, op->getArg(1));
      return true;
    }
    if (op->getOperator() == OO_Subscript && op->getNumArgs() == 2 && isJsonType(op->getArg(0)->getType()) &&
        !assigned_.count(op) && op->getArg(0)->getType().getNonReferenceType().isConstQualified()) {
      // Only reads of const JSON: a mutable object indexed without '=' is
      // being built or edited in place, not read as input.
      if (const StringLiteral* key = literalOf(op->getArg(1))) {
        addRead(op, op->getArg(0), key, "unknown", false, "nlohmann::json::operator[]");
      }
    }
    return true;
  }

  bool visitJsonMethod(const CXXMemberCallExpr* mc, const CXXMethodDecl* md) {
    llvm::StringRef name = md->getName();
    if (mc->getNumArgs() == 0) return true;
    const StringLiteral* key = literalOf(mc->getArg(0));
    if (!key) return true;
    const Expr* object = mc->getImplicitObjectArgument();
    if (name == "at") {
      addRead(mc, object, key, "unknown", true, "nlohmann::json::at");
    } else if (name == "value" && mc->getNumArgs() >= 2) {
      addRead(mc, object, key, jsonTypeOf(mc->getType()), false, "nlohmann::json::value");
    } else if (name == "contains" || name == "count" || name == "find") {
      addRead(mc, object, key, "unknown", false, "nlohmann::json::" + name.str());
    }
    return true;
  }

  void addEntries(Object& obj, const std::string& parent,
                  const std::vector<std::pair<const StringLiteral*, const Expr*>>& entries) {
    for (auto& [key, value] : entries) addValue(obj, parent, key, value);
  }

  void addValue(Object& obj, const std::string& parent, const StringLiteral* key, const Expr* value) {
    JsonFieldRow row = baseRow("out", key);
    row.parent = parent;
    row.required = true;
    const Expr* v = strip(value);
    if (const InitListExpr* list = bracedElements(v)) {
      nested_.insert(list);
      auto entries = objectEntries(list);
      if (!entries.empty()) {
        row.type = "object";
        obj.rows.push_back(row);
        addEntries(obj, join(parent, row.name), entries);
        return;
      }
      for (const Expr* e : list->inits()) {
        if (const InitListExpr* inner = bracedElements(strip(e))) nested_.insert(inner);
      }
      row.type = "array";
    } else if (isJsonType(v->getType())) {
      row.type = "unknown";
      if (auto* call = dyn_cast<CallExpr>(v)) {
        if (const FunctionDecl* f = call->getDirectCallee(); f && isa<CXXMethodDecl>(f) &&
                                                             isJsonRecord(cast<CXXMethodDecl>(f)->getParent())) {
          if (f->getName() == "array") row.type = "array";
          if (f->getName() == "object") row.type = "object";
        }
      }
    } else {
      row.type = jsonTypeOf(v->getType(), &row.nullable);
    }
    obj.rows.push_back(std::move(row));
  }

  bool isEmptyObject(const Expr* init) const {
    if (auto* ce = dyn_cast<CXXConstructExpr>(init)) {
      if (ce->getNumArgs() == 0) return true;
      if (const InitListExpr* list = bracedElements(ce)) return !objectEntries(list).empty() || list->getNumInits() == 0;
    }
    if (auto* call = dyn_cast<CallExpr>(init)) {
      if (const FunctionDecl* f = call->getDirectCallee(); f && f->getName() == "object") return true;
    }
    return false;
  }

  /// Parent of read i: the field its variable came from.
  void resolveParent(size_t i, int depth) {
    Read& r = reads_[i];
    if (r.resolved || depth > 8) return;
    r.resolved = true;
    if (!r.from) return;
    bool element = false;
    const Expr* source = nullptr;
    if (auto it = range_of_.find(r.from); it != range_of_.end()) {
      element = true;
      source = it->second;
      if (auto* ref = dyn_cast_or_null<DeclRefExpr>(source)) {
        if (auto* v = dyn_cast<VarDecl>(ref->getDecl())) {
          auto init = init_of_.find(v);
          source = init == init_of_.end() ? nullptr : init->second;
        }
      }
    } else if (auto it = init_of_.find(r.from); it != init_of_.end()) {
      source = it->second;
    }
    if (!source) return;
    for (size_t j = 0; j < reads_.size(); ++j) {
      if (j == i || reads_[j].call != source) continue;
      resolveParent(j, depth + 1);
      Read& p = reads_[j];
      if (p.row.type == "unknown") p.row.type = element ? "array" : "object";
      r.row.parent = join(p.row.parent, p.row.name) + (element ? "[]" : "");
      return;
    }
  }

  const SourceManager& sm_;
  std::vector<JsonFieldRow>& out_;
  std::vector<const LambdaExpr*> lambdas_;
  std::vector<Read> reads_;
  std::map<const void*, Object> objects_;               // keyed by root expr or variable
  std::set<const InitListExpr*> nested_;                // braced lists already taken as values
  std::set<const Expr*> assigned_;                      // obj["k"] on the left of '='
  std::map<const VarDecl*, const Expr*> range_of_;      // range-for loop variable -> range
  std::map<const VarDecl*, const Expr*> init_of_;       // local -> initializer (stripped)
  std::set<const Expr*> returned_;                      // returned values (stripped)
  std::map<const Expr*, std::string> sink_;             // call argument (stripped) -> first callee
  std::map<const VarDecl*, std::string> var_sink_;      // variable passed as an argument -> first callee
};

}  // namespace

std::string jsonTypeOf(QualType type, bool* nullable) {
  if (type.isNull()) return "unknown";
  QualType t = type.getNonReferenceType().getCanonicalType().getUnqualifiedType();
  if (t->isBooleanType()) return "boolean";
  if (t->isAnyCharacterType()) return "string";
  if (t->isIntegerType() || t->isEnumeralType()) return "integer";
  if (t->isRealFloatingType()) return "number";
  if (t->isPointerType() || t->isArrayType()) {
    QualType pointee = t->isPointerType() ? t->getPointeeType() : QualType(t->getPointeeOrArrayElementType(), 0);
    if (pointee->isAnyCharacterType()) return "string";
    return t->isArrayType() ? "array" : "unknown";
  }
  const CXXRecordDecl* rd = t->getAsCXXRecordDecl();
  if (!rd || !rd->getIdentifier()) return "unknown";
  if (isJsonRecord(rd)) return "unknown";
  if (rd->isInStdNamespace()) {
    llvm::StringRef name = rd->getName();
    if (name == "basic_string" || name == "basic_string_view") return "string";
    if (name == "optional") {
      if (nullable) *nullable = true;
      if (auto* spec = dyn_cast<ClassTemplateSpecializationDecl>(rd); spec && spec->getTemplateArgs().size() > 0 &&
                                                                     spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type) {
        return jsonTypeOf(spec->getTemplateArgs()[0].getAsType(), nullptr);
      }
      return "unknown";
    }
    if (name == "vector" || name == "array" || name == "list" || name == "deque" || name == "set" ||
        name == "unordered_set" || name == "span") {
      return "array";
    }
    if (name == "map" || name == "unordered_map") return "object";
  }
  return "unknown";
}

namespace {

/// The record a type names, through references, std::optional and containers.
const CXXRecordDecl* namedRecord(QualType type, std::string* items) {
  QualType t = type.getNonReferenceType().getCanonicalType().getUnqualifiedType();
  const CXXRecordDecl* rd = t->getAsCXXRecordDecl();
  if (!rd) return nullptr;
  if (rd->isInStdNamespace()) {
    auto* spec = dyn_cast<ClassTemplateSpecializationDecl>(rd);
    if (!spec || spec->getTemplateArgs().size() == 0 || spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
      return nullptr;
    llvm::StringRef name = rd->getName();
    QualType arg = spec->getTemplateArgs()[0].getAsType();
    if (name == "optional") return namedRecord(arg, items);
    if (name == "vector" || name == "array" || name == "list" || name == "deque" || name == "set" ||
        name == "unordered_set" || name == "span") {
      if (items) *items = jsonTypeOf(arg);
      return namedRecord(arg, nullptr);
    }
    return nullptr;
  }
  return rd->getDefinition();
}

TypeMemberRow memberRow(const NamedDecl* owner, const char* kind, unsigned position, const std::string& name,
                        QualType type, SourceLocation loc) {
  TypeMemberRow row;
  row.owner = owner;
  row.kind = kind;
  row.position = position;
  row.name = name;
  row.cpp_type = type.getAsString();
  row.json_type = type->isVoidType() ? "void" : isJsonType(type) ? "json" : jsonTypeOf(type, &row.nullable);
  if (row.json_type == "array") {
    QualType t = type.getNonReferenceType().getCanonicalType();
    if (const CXXRecordDecl* rd = t->getAsCXXRecordDecl(); rd && rd->isInStdNamespace()) {
      if (auto* spec = dyn_cast<ClassTemplateSpecializationDecl>(rd); spec && spec->getTemplateArgs().size() > 0 &&
                                                                     spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
        row.items = jsonTypeOf(spec->getTemplateArgs()[0].getAsType());
    }
  }
  row.loc = loc;
  return row;
}

}  // namespace

void collectSignature(const FunctionDecl* fn, const std::function<bool(const Decl*)>& is_project,
                      std::vector<TypeMemberRow>& out) {
  if (!fn) return;
  std::vector<const CXXRecordDecl*> pending;
  auto withRecord = [&](TypeMemberRow row, QualType type) {
    std::string items;
    const CXXRecordDecl* rd = namedRecord(type, &items);
    if (rd && is_project(rd) && !rd->isLambda() && !isJsonRecord(rd)) {
      row.record = rd;
      if (row.json_type == "unknown") row.json_type = "object";
      if (row.json_type == "array" && (row.items.empty() || row.items == "unknown")) row.items = "object";
      pending.push_back(rd);
    }
    out.push_back(std::move(row));
  };
  withRecord(memberRow(fn, "return", 0, "", fn->getReturnType(), fn->getLocation()), fn->getReturnType());
  for (unsigned i = 0; i < fn->getNumParams(); ++i) {
    const ParmVarDecl* p = fn->getParamDecl(i);
    withRecord(memberRow(fn, "param", i, p->getNameAsString(), p->getType(), p->getLocation()), p->getType());
  }
  std::set<const CXXRecordDecl*> seen;
  while (!pending.empty()) {
    const CXXRecordDecl* rd = pending.back();
    pending.pop_back();
    if (!seen.insert(rd).second || seen.size() > 64) continue;
    unsigned i = 0;
    for (const FieldDecl* f : rd->fields()) {
      withRecord(memberRow(rd, "field", i++, f->getNameAsString(), f->getType(), f->getLocation()), f->getType());
    }
  }
}

void collectJsonFields(const FunctionDecl* fn, ASTContext& ctx, std::vector<JsonFieldRow>& out) {
  if (!fn || !fn->hasBody()) return;
  JsonFieldVisitor v(ctx, out);
  v.TraverseStmt(fn->getBody());
  v.finish();
}

}  // namespace seam::analyzer
