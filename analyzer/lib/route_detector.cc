#include "route_detector.h"

#include <algorithm>
#include <cctype>

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"

namespace seam::analyzer {
namespace {

using namespace clang;

const Expr* strip(const Expr* e) {
  for (int guard = 0; e && guard < 16; ++guard) {
    e = e->IgnoreParenImpCasts();
    if (auto* m = dyn_cast<MaterializeTemporaryExpr>(e)) e = m->getSubExpr();
    else if (auto* b = dyn_cast<CXXBindTemporaryExpr>(e)) e = b->getSubExpr();
    else if (auto* f = dyn_cast<CXXFunctionalCastExpr>(e)) e = f->getSubExpr();
    else if (auto* c = dyn_cast<CXXConstructExpr>(e); c && c->getNumArgs() >= 1 && !isa<CXXTemporaryObjectExpr>(c))
      e = c->getArg(0);
    else if (auto* ewc = dyn_cast<ExprWithCleanups>(e)) e = ewc->getSubExpr();
    else break;
  }
  return e;
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

bool inNamespace(const NamedDecl* d, llvm::StringRef ns) {
  for (const DeclContext* dc = d->getDeclContext(); dc; dc = dc->getParent()) {
    if (auto* n = dyn_cast<NamespaceDecl>(dc); n && n->getName() == ns) return true;
  }
  return false;
}

const Expr* arg(const CallExpr* call, unsigned i) {
  // For member operator calls, argument 0 is the object; callers index the
  // written arguments, so skip it.
  unsigned offset = 0;
  if (auto* op = dyn_cast<CXXOperatorCallExpr>(call)) {
    if (isa<CXXMethodDecl>(op->getDirectCallee())) offset = 1;
  }
  return i + offset < call->getNumArgs() ? call->getArg(i + offset) : nullptr;
}

/// HTTP method names in an expression: enum constants (drogon::Get,
/// crow::HTTPMethod::Post), "GET"_method literals, string literals.
void collectMethods(const Stmt* s, std::vector<std::string>& out) {
  if (!s) return;
  if (auto* e = dyn_cast<Expr>(s)) {
    const Expr* x = e->IgnoreParenImpCasts();
    if (auto* ref = dyn_cast<DeclRefExpr>(x)) {
      if (auto* ec = dyn_cast<EnumConstantDecl>(ref->getDecl())) {
        std::string name = upper(ec->getName().str());
        if (name == "INVALID") return;
        out.push_back(name == "DEL" ? "DELETE" : name);
        return;
      }
    }
    if (auto* udl = dyn_cast<UserDefinedLiteral>(x)) {
      const Expr* cooked = udl->getCookedLiteral();
      if (auto* lit = dyn_cast_or_null<StringLiteral>(cooked ? cooked->IgnoreParenImpCasts() : nullptr)) {
        out.push_back(upper(lit->getString().str()));
        return;
      }
    }
  }
  for (const Stmt* child : s->children()) collectMethods(child, out);
}

void emit(std::vector<RouteMatch>& out, std::vector<std::string> methods, const std::string& path,
          const char* framework, const Expr* handler, const FunctionDecl* handler_decl = nullptr) {
  if (methods.empty()) methods.push_back("ANY");
  std::sort(methods.begin(), methods.end());
  methods.erase(std::unique(methods.begin(), methods.end()), methods.end());
  for (std::string& m : methods) {
    out.push_back(RouteMatch{std::move(m), path, framework, handler, handler_decl});
  }
}

bool isHttpVerb(llvm::StringRef name) {
  return name == "Get" || name == "Post" || name == "Put" || name == "Patch" || name == "Delete" ||
         name == "Options" || name == "Head";
}

void detectCrow(const CallExpr* call, const FunctionDecl* callee, std::vector<RouteMatch>& out) {
  // rule.operator()(handler) where rule came from app.route("/path")[.methods(...)]
  auto* md = dyn_cast<CXXMethodDecl>(callee);
  if (!md || md->getOverloadedOperator() != OO_Call || !inNamespace(md, "crow")) return;
  const Expr* object = nullptr;
  if (auto* op = dyn_cast<CXXOperatorCallExpr>(call)) object = op->getArg(0);
  else if (auto* mc = dyn_cast<CXXMemberCallExpr>(call)) object = mc->getImplicitObjectArgument();
  std::vector<std::string> methods;
  for (int guard = 0; object && guard < 32; ++guard) {
    auto* mc = dyn_cast<CXXMemberCallExpr>(strip(object));
    if (!mc || !mc->getMethodDecl()) return;
    llvm::StringRef name = mc->getMethodDecl()->getName();
    if (name == "methods") {
      for (const Expr* a : mc->arguments()) collectMethods(a, methods);
    } else if (name == "route" || name == "route_dynamic") {
      std::string path = mc->getNumArgs() > 0 ? constantString(mc->getArg(0)) : "?";
      if (methods.empty()) methods.push_back("GET");  // Crow's default
      emit(out, methods, path, "crow", arg(call, 0));
      return;
    }
    object = mc->getImplicitObjectArgument();
  }
}

void detectDrogon(const CallExpr* call, const FunctionDecl* callee, const FunctionDecl* enclosing,
                  std::vector<RouteMatch>& out) {
  if (!inNamespace(callee, "drogon")) return;
  llvm::StringRef name = callee->getName();
  std::vector<std::string> methods;
  if (name == "registerMethod") {
    // registerMethod(&Class::method, pattern, {constraints}, classNameInPath, ...)
    if (call->getNumArgs() < 3) return;
    std::string path = constantString(arg(call, 1));
    collectMethods(arg(call, 2), methods);
    bool class_prefix = false;
    if (const Expr* b = arg(call, 3)) {
      if (auto* lit = dyn_cast<CXXBoolLiteralExpr>(b->IgnoreParenImpCasts())) class_prefix = lit->getValue();
    }
    if (class_prefix && enclosing) {
      if (auto* m = dyn_cast<CXXMethodDecl>(enclosing)) {
        std::string prefix = "/" + m->getParent()->getQualifiedNameAsString();
        for (size_t p = prefix.find("::"); p != std::string::npos; p = prefix.find("::")) prefix.replace(p, 2, "/");
        if (!path.empty() && path[0] != '/') prefix += "/";
        path = prefix + path;
      }
    }
    emit(out, methods, path, "drogon", arg(call, 0));
  } else if (name == "registerHandler") {
    // app().registerHandler(pattern, handler, {constraints})
    if (call->getNumArgs() < 2) return;
    collectMethods(arg(call, 2), methods);
    emit(out, methods, constantString(arg(call, 0)), "drogon", arg(call, 1));
  } else if (name == "registerSelf__") {
    // PATH_ADD(path, constraints...) inside an HttpSimpleController: the
    // handler is the controller's asyncHandleHttpRequest.
    auto* m = dyn_cast_or_null<CXXMethodDecl>(enclosing);
    if (!m || call->getNumArgs() < 1) return;
    const FunctionDecl* handler = nullptr;
    for (const CXXMethodDecl* candidate : m->getParent()->methods()) {
      if (candidate->getDeclName().isIdentifier() && candidate->getName() == "asyncHandleHttpRequest") {
        handler = candidate;
        break;
      }
    }
    collectMethods(arg(call, 1), methods);
    emit(out, methods, constantString(arg(call, 0)), "drogon", nullptr, handler);
  }
}

}  // namespace

std::string constantString(const Expr* e) {
  for (int guard = 0; e && guard < 8; ++guard) {
    e = strip(e);
    if (auto* lit = dyn_cast<StringLiteral>(e)) return lit->getString().str();
    if (auto* ref = dyn_cast<DeclRefExpr>(e)) {
      auto* var = dyn_cast<VarDecl>(ref->getDecl());
      if (!var || !var->getInit() || !(var->getType().isConstQualified() || var->isConstexpr()))
        return "?";
      e = var->getInit();
      continue;
    }
    break;
  }
  return "?";
}

void detectRoutes(const CallExpr* call, const FunctionDecl* callee, const FunctionDecl* enclosing,
                  const AnalyzerConfig& config, std::vector<RouteMatch>& out) {
  if (!callee || !callee->getDeclName().isIdentifier()) {
    if (callee) detectCrow(call, callee, out);
    return;
  }
  llvm::StringRef name = callee->getName();
  if (auto* md = dyn_cast<CXXMethodDecl>(callee)) {
    const CXXRecordDecl* cls = md->getParent();
    if (isHttpVerb(name) && inNamespace(cls, "httplib")) {
      emit(out, {upper(name.str())}, constantString(arg(call, 0)), "httplib", arg(call, 1));
      return;
    }
  }
  if (isHttpVerb(name) || name == "Remove") {
    // Pistache::Rest::Routes::Get(router, "/path", handler)
    const DeclContext* dc = callee->getDeclContext();
    auto* ns = dyn_cast<NamespaceDecl>(dc);
    if (ns && ns->getName() == "Routes" && inNamespace(callee, "Pistache")) {
      std::string method = name == "Remove" ? "DELETE" : upper(name.str());
      emit(out, {method}, constantString(arg(call, 1)), "pistache", arg(call, 2));
      return;
    }
  }
  detectDrogon(call, callee, enclosing, out);
  if (!config.routes.empty()) {
    std::string qualified = callee->getQualifiedNameAsString();
    for (const RouteRule& rule : config.routes) {
      if (rule.callee != qualified) continue;
      std::string method = rule.method;
      if (rule.method_arg) method = upper(constantString(arg(call, *rule.method_arg)));
      emit(out, {method}, constantString(arg(call, rule.path_arg)), "config", arg(call, rule.handler_arg));
    }
  }
}

}  // namespace seam::analyzer
