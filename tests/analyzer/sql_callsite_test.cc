// Tests for SQL call-site facts: inline C++ parsed with Clang 14, visited the
// way the analyzer's collector does (every call in every function body).
#include "sql_callsite.h"

#include <gtest/gtest.h>

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "seam/analyzer/analyze.h"

namespace seam::analyzer {
namespace {

// Declarations the inline snippets use, as a project would get them from
// sqlite3.h; declared here so the tests depend on no SQL headers.
constexpr const char* kPrelude = R"cc(
#include <string>
#include <string_view>
struct sqlite3;
struct sqlite3_stmt;
extern "C" int sqlite3_prepare_v2(sqlite3*, const char*, int, sqlite3_stmt**, const char**);
extern "C" int sqlite3_exec(sqlite3*, const char*, int (*)(void*, int, char**, char**), void*,
                            char**);
extern "C" int log_message(const char* fmt, ...);
)cc";

struct Facts {
  SqlCallFacts facts;
  std::vector<std::string> callers;  // per candidate, the caller's name
};

class Visitor : public clang::RecursiveASTVisitor<Visitor> {
 public:
  Visitor(clang::ASTContext& ctx, Facts& out, const std::vector<SqlBuilderSpec>& builders)
      : ctx_(ctx), out_(out), builders_(builders) {}

  bool TraverseDecl(clang::Decl* d) {
    auto* fn = llvm::dyn_cast_or_null<clang::FunctionDecl>(d);
    if (fn) functions_.push_back(fn);
    bool ok = clang::RecursiveASTVisitor<Visitor>::TraverseDecl(d);
    if (fn) functions_.pop_back();
    return ok;
  }
  bool VisitCallExpr(clang::CallExpr* call) {
    collect(call, call->getDirectCallee());
    return true;
  }
  bool VisitCXXConstructExpr(clang::CXXConstructExpr* ctor) {
    collect(ctor, ctor->getConstructor());
    return true;
  }

 private:
  void collect(const clang::Expr* call, const clang::FunctionDecl* callee) {
    const clang::FunctionDecl* caller = functions_.empty() ? nullptr : functions_.back();
    size_t before = out_.facts.candidates.size();
    collectSqlCallFacts(call, callee, caller, ctx_, out_.facts, builders_);
    for (size_t i = before; i < out_.facts.candidates.size(); ++i) {
      out_.callers.push_back(caller ? caller->getQualifiedNameAsString() : "");
    }
  }

  clang::ASTContext& ctx_;
  Facts& out_;
  const std::vector<SqlBuilderSpec>& builders_;
  std::vector<const clang::FunctionDecl*> functions_;
};

class SqlCallsiteTest : public ::testing::Test {
 protected:
  Facts collect(const std::string& code, const std::vector<SqlBuilderSpec>& builders = {}) {
    std::vector<std::string> args = {"-std=c++20", "-resource-dir", findResourceDir(),
                                     "-Wno-unused-value"};
    ast_ = clang::tooling::buildASTFromCodeWithArgs(std::string(kPrelude) + code, args, "input.cc");
    EXPECT_TRUE(ast_);
    Facts facts;
    if (!ast_) return facts;
    EXPECT_FALSE(ast_->getDiagnostics().hasErrorOccurred()) << code;
    Visitor(ast_->getASTContext(), facts, builders).TraverseDecl(ast_->getASTContext().getTranslationUnitDecl());
    return facts;
  }

  // "callee#arg: text" for each candidate, with " (partial)" when incomplete.
  static std::vector<std::string> describe(const Facts& f) {
    std::vector<std::string> out;
    for (const SqlCandidateRow& c : f.facts.candidates) {
      out.push_back(c.callee_name + "#" + std::to_string(c.arg_index) + ": " + c.text +
                    (c.complete ? "" : " (partial)"));
    }
    return out;
  }

  std::unique_ptr<clang::ASTUnit> ast_;
};

TEST_F(SqlCallsiteTest, LiteralsAndAdjacentLiterals) {
  Facts f = collect(R"cc(
    void load(sqlite3* db, sqlite3_stmt** st) {
      sqlite3_prepare_v2(db, "SELECT id, title FROM books WHERE id = ?", -1, st, nullptr);
      sqlite3_exec(db, "DELETE FROM carts "
                       "WHERE expires < 1", nullptr, nullptr, nullptr);
    }
  )cc");
  EXPECT_EQ(describe(f), (std::vector<std::string>{
                             "sqlite3_prepare_v2#1: SELECT id, title FROM books WHERE id = ?",
                             "sqlite3_exec#1: DELETE FROM carts WHERE expires < 1"}));
  EXPECT_EQ(f.callers, (std::vector<std::string>{"load", "load"}));
  ASSERT_EQ(f.facts.candidates.size(), 2u);
  EXPECT_NE(f.facts.candidates[0].callee_id, 0);
  EXPECT_NE(f.facts.candidates[0].callee_id, f.facts.candidates[1].callee_id);
  const auto& sm = ast_->getSourceManager();
  EXPECT_EQ(sm.getSpellingLineNumber(f.facts.candidates[0].loc), 12u);  // 10 prelude lines + 2
}

TEST_F(SqlCallsiteTest, NamedConstantsAndMacros) {
  Facts f = collect(R"cc(
    #define SQL_STOCK "SELECT qty FROM stock WHERE book_id = ?"
    constexpr const char* kOrders = "SELECT * FROM orders";
    static const char* kAuthors = "SELECT name FROM authors";
    static const std::string kReviews = "SELECT stars FROM reviews";
    namespace q { constexpr std::string_view kTable = "books"; }
    void run(sqlite3* db, sqlite3_stmt** st) {
      sqlite3_prepare_v2(db, SQL_STOCK, -1, st, nullptr);
      sqlite3_prepare_v2(db, kOrders, -1, st, nullptr);
      sqlite3_prepare_v2(db, kAuthors, -1, st, nullptr);
      sqlite3_prepare_v2(db, kReviews.c_str(), -1, st, nullptr);
      sqlite3_prepare_v2(db, (std::string("SELECT * FROM ") + std::string(q::kTable)).c_str(), -1, st,
                         nullptr);
    }
  )cc");
  EXPECT_EQ(describe(f),
            (std::vector<std::string>{"sqlite3_prepare_v2#1: SELECT qty FROM stock WHERE book_id = ?",
                                      "sqlite3_prepare_v2#1: SELECT * FROM orders",
                                      "sqlite3_prepare_v2#1: SELECT name FROM authors",
                                      "sqlite3_prepare_v2#1: SELECT stars FROM reviews",
                                      "sqlite3_prepare_v2#1: SELECT * FROM books"}));
}

TEST_F(SqlCallsiteTest, StringConcatenationAndLocals) {
  Facts f = collect(R"cc(
    const std::string kCols = "id, title";
    void run(sqlite3* db, sqlite3_stmt** st, int limit, bool by_author) {
      std::string sql = "SELECT " + kCols + " FROM books";
      sql += " ORDER BY title";
      sql.append(" LIMIT ");
      sql += std::to_string(limit);
      sqlite3_prepare_v2(db, sql.c_str(), -1, st, nullptr);

      const char* plain = "UPDATE stock SET qty = 0";
      sqlite3_exec(db, plain, nullptr, nullptr, nullptr);

      std::string filtered = "SELECT id FROM books";
      if (by_author) filtered += " WHERE author_id = ?";
      sqlite3_prepare_v2(db, filtered.c_str(), -1, st, nullptr);

      std::string later = "DELETE FROM carts";
      sqlite3_exec(db, later.c_str(), nullptr, nullptr, nullptr);
      later += " WHERE id = 1";  // after the call: irrelevant to it
    }
  )cc");
  EXPECT_EQ(describe(f),
            (std::vector<std::string>{
                "sqlite3_prepare_v2#1: SELECT id, title FROM books ORDER BY title LIMIT ? (partial)",
                "sqlite3_exec#1: UPDATE stock SET qty = 0",
                "sqlite3_prepare_v2#1: SELECT id FROM books WHERE author_id = ? (partial)",
                "sqlite3_exec#1: DELETE FROM carts"}));
}

TEST_F(SqlCallsiteTest, LocalsModifiedInUnknownWaysArePartial) {
  Facts f = collect(R"cc(
    void addFilter(std::string& sql);
    void run(sqlite3* db, sqlite3_stmt** st) {
      std::string sql = "SELECT id FROM books";
      addFilter(sql);
      sqlite3_prepare_v2(db, sql.c_str(), -1, st, nullptr);
      std::string other = "SELECT id FROM authors";
      other.clear();
      sqlite3_prepare_v2(db, other.c_str(), -1, st, nullptr);
    }
  )cc");
  EXPECT_EQ(describe(f), (std::vector<std::string>{
                             "addFilter#0: SELECT id FROM books",  // a call site too
                             "sqlite3_prepare_v2#1: SELECT id FROM books (partial)",
                             "sqlite3_prepare_v2#1: SELECT id FROM authors (partial)"}));
}

TEST_F(SqlCallsiteTest, DaoWrapperForwardingItsParameterIsASinkParam) {
  Facts f = collect(R"cc(
    struct Db {
      sqlite3* db;
      int exec(const std::string& sql) {
        return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
      }
      int query(int flags, std::string_view sql, sqlite3_stmt** st) {
        return sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), st, nullptr);
      }
    };
    void useIt(Db& db, sqlite3_stmt** st) {
      db.exec("DELETE FROM sessions");
      db.query(0, std::string("SELECT * FROM ") + "books", st);
    }
  )cc");
  ASSERT_EQ(f.facts.sink_params.size(), 2u);
  EXPECT_EQ(f.facts.sink_params[0].param_index, 0u);
  EXPECT_EQ(f.facts.sink_params[0].callee_name, "sqlite3_exec");
  EXPECT_EQ(f.facts.sink_params[0].arg_index, 1u);
  EXPECT_EQ(f.facts.sink_params[1].param_index, 1u);
  EXPECT_EQ(f.facts.sink_params[1].callee_name, "sqlite3_prepare_v2");
  EXPECT_EQ(describe(f), (std::vector<std::string>{"Db::exec#0: DELETE FROM sessions",
                                                   "Db::query#1: SELECT * FROM books"}));
  EXPECT_EQ(f.callers, (std::vector<std::string>{"useIt", "useIt"}));
}

TEST_F(SqlCallsiteTest, NonReconstructableArgumentIsPartialNeverGuessed) {
  Facts f = collect(R"cc(
    std::string tableFor(int kind);
    void run(sqlite3* db, sqlite3_stmt** st, int kind, const std::string& where) {
      sqlite3_prepare_v2(db, ("SELECT * FROM " + tableFor(kind) + " WHERE " + where).c_str(), -1, st,
                         nullptr);
      sqlite3_prepare_v2(db, tableFor(kind).c_str(), -1, st, nullptr);  // nothing known: skipped
    }
  )cc");
  EXPECT_EQ(describe(f), (std::vector<std::string>{
                             "sqlite3_prepare_v2#1: SELECT * FROM ? WHERE ? (partial)"}));
  EXPECT_TRUE(f.facts.sink_params.empty());  // `where` is only a part of the text
}

TEST_F(SqlCallsiteTest, BuilderHelpersAreInlined) {
  Facts f = collect(R"cc(
    std::string selectAll(const char* table) { return std::string("SELECT * FROM ") + table; }
    std::string byId(const std::string& sql) { return sql + " WHERE id = ?"; }
    void run(sqlite3* db, sqlite3_stmt** st) {
      sqlite3_prepare_v2(db, byId(selectAll("orders")).c_str(), -1, st, nullptr);
    }
  )cc");
  EXPECT_EQ(describe(f), (std::vector<std::string>{
                             "sqlite3_prepare_v2#1: SELECT * FROM orders WHERE id = ?",
                             "byId#0: SELECT * FROM orders"}));  // not a sink: dropped later
}

TEST_F(SqlCallsiteTest, ElementsOfConstantArraysAreAlternatives) {
  Facts f = collect(R"cc(
    static const char* const kFigures[][2] = {
        {"books", "SELECT COUNT(*) FROM books"},
        {"carts", "SELECT COUNT(*) FROM carts WHERE status = 'open'"},
    };
    constexpr const char* kTables[] = {"DELETE FROM a", "DELETE FROM b"};
    void run(sqlite3* db, sqlite3_stmt** st, int i) {
      for (const auto& figure : kFigures) sqlite3_prepare_v2(db, figure[1], -1, st, nullptr);
      sqlite3_exec(db, kTables[1], nullptr, nullptr, nullptr);
      sqlite3_exec(db, kTables[i], nullptr, nullptr, nullptr);
    }
  )cc");
  EXPECT_EQ(describe(f),
            (std::vector<std::string>{
                "sqlite3_prepare_v2#1: SELECT COUNT(*) FROM books;\nSELECT COUNT(*) FROM carts "
                "WHERE status = 'open' (partial)",
                "sqlite3_exec#1: DELETE FROM b",
                "sqlite3_exec#1: DELETE FROM a;\nDELETE FROM b (partial)"}));
}

TEST_F(SqlCallsiteTest, DefaultConstructedStringsAreEmptyAndKnown) {
  Facts f = collect(R"cc(
    void run(sqlite3* db, bool by_month) {
      std::string key;
      std::string sql = "SELECT " + key + "count(*) FROM orders";
      sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
    }
  )cc");
  EXPECT_EQ(describe(f),
            (std::vector<std::string>{"sqlite3_exec#1: SELECT count(*) FROM orders"}));
}

TEST_F(SqlCallsiteTest, NonSqlTextAndNonStringArgumentsAreNotRecorded) {
  Facts f = collect(R"cc(
    void greet(const std::string& who);
    void run(sqlite3* db) {
      greet("hello world");
      log_message("order %d placed", 3);
      log_message("SELECT failed: %s", "x");
      sqlite3_exec(db, "https://example.com", nullptr, nullptr, nullptr);
    }
  )cc");
  EXPECT_TRUE(f.facts.candidates.empty()) << describe(f).front();
}

TEST_F(SqlCallsiteTest, ConstructorsAreCallSites) {
  Facts f = collect(R"cc(
    struct Query {
      explicit Query(const std::string& sql);
    };
    void run() {
      Query q("SELECT title FROM books");
      auto p = Query(std::string("INSERT INTO carts(id) VALUES (1)"));
    }
  )cc");
  EXPECT_EQ(describe(f), (std::vector<std::string>{
                             "Query::Query#0: SELECT title FROM books",
                             "Query::Query#0: INSERT INTO carts(id) VALUES (1)"}));
}

// A clause-keeping builder like the bookstore's Select: its methods are
// defined in another TU, so only a seam.yaml spec says what they do.
constexpr const char* kSelectBuilder = R"cc(
  #include <vector>
  struct Db {
    void query(const std::string& sql);
    long queryInt(const std::string& sql);
  };
  namespace shop {
  class Select {
   public:
    explicit Select(std::string table);
    Select& columns(std::vector<std::string> columns);
    Select& where(std::string condition);
    Select& orderBy(std::string expression);
    Select& limit(int n);
    Select& reset();
    std::string sql() const;
    std::string countSql() const;
  };
  }  // namespace shop
  void list(Db& db, bool by_author, bool by_price, int per_page) {
    shop::Select q("books b");
    q.columns({"b.id", "b.title"});
    if (by_author) q.where("b.id IN (SELECT book_id FROM book_authors WHERE author_id = ?)");
    q.where("b.active = 1 OR b.featured = 1");
    db.queryInt(q.countSql());
    if (by_price) q.orderBy("b.price_cents");
    else q.orderBy("b.title");
    q.limit(per_page);
    db.query(q.sql());
    db.query(shop::Select("authors").limit(10).sql());
    auto handler = [&db](bool open) {
      shop::Select orders("orders");
      if (open) orders.where("status = 'open'");
      db.query(orders.sql());
    };
    shop::Select changed("carts");
    changed.reset();
    db.query(changed.sql());
  }
)cc";

SqlBuilderSpec selectSpec() {
  SqlBuilderSpec spec;
  spec.class_name = "shop::Select";
  spec.constructor = {SqlClause::kFrom};
  spec.methods = {{"columns", SqlClause::kColumns},
                  {"where", SqlClause::kWhere},
                  {"orderBy", SqlClause::kOrderBy},
                  {"limit", SqlClause::kLimit}};
  spec.render = {{"sql", SqlRender::kSelect}, {"countSql", SqlRender::kCount}};
  return spec;
}

TEST_F(SqlCallsiteTest, DeclaredBuilderObjectsAreRenderedFromTheirCalls) {
  Facts f = collect(kSelectBuilder, {selectSpec()});
  EXPECT_EQ(describe(f),
            (std::vector<std::string>{
                // Conditional fragments are kept (a superset: book_authors is read
                // when the filter is set), and make the statement partial.
                "Db::queryInt#0: SELECT COUNT(*) FROM books b WHERE (b.id IN (SELECT book_id FROM "
                "book_authors WHERE author_id = ?)) AND (b.active = 1 OR b.featured = 1) (partial)",
                "Db::query#0: SELECT b.id, b.title FROM books b WHERE (b.id IN (SELECT book_id FROM "
                "book_authors WHERE author_id = ?)) AND (b.active = 1 OR b.featured = 1) ORDER BY "
                "b.price_cents, b.title LIMIT ? (partial)",
                "Db::query#0: SELECT * FROM authors LIMIT 10",
                "Db::query#0: SELECT * FROM orders WHERE (status = 'open') (partial)",
                // reset() is not in the spec: whatever it does, the text is partial.
                "Db::query#0: SELECT * FROM carts (partial)"}));
}

TEST_F(SqlCallsiteTest, UndeclaredBuilderWithoutVisibleCodeYieldsNothing) {
  // Nothing literal reaches the sink, nothing is guessed.
  EXPECT_TRUE(collect(kSelectBuilder).facts.candidates.empty());
}

TEST_F(SqlCallsiteTest, BuildersWithVisibleCodeAreLearned) {
  Facts f = collect(R"cc(
    class Query {
     public:
      explicit Query(const char* table) : sql_(std::string("SELECT * FROM ") + table) {}
      Query& where(const std::string& condition) {
        sql_ += (has_where_ ? " AND " : " WHERE ") + condition;
        has_where_ = true;
        return *this;
      }
      Query& filter(const std::string& condition) {
        sql_ += " WHERE " + condition;
        return *this;
      }
      Query& orderBy(const char* column) {
        sql_.append(" ORDER BY ");
        sql_.append(column);
        return *this;
      }
      Query& clear() {
        sql_.clear();
        return *this;
      }
      std::string str() const { return sql_ + ";"; }
     private:
      std::string sql_;
      bool has_where_ = false;
    };
    void run(sqlite3* db, bool sorted) {
      Query q("orders");
      q.filter("status = 'open'");
      if (sorted) q.orderBy("id");
      sqlite3_exec(db, q.str().c_str(), nullptr, nullptr, nullptr);
      sqlite3_exec(db, Query("carts").filter("id = 1").str().c_str(), nullptr, nullptr, nullptr);
      sqlite3_exec(db, Query("books").where("id = 2").str().c_str(), nullptr, nullptr, nullptr);
      sqlite3_exec(db, Query("authors").clear().str().c_str(), nullptr, nullptr, nullptr);
    }
  )cc");
  EXPECT_EQ(describe(f), (std::vector<std::string>{
                             "sqlite3_exec#1: SELECT * FROM orders WHERE status = 'open' ORDER BY id; (partial)",
                             "sqlite3_exec#1: SELECT * FROM carts WHERE id = 1;",
                             // a ?: inside the method: unknown, never guessed
                             "sqlite3_exec#1: SELECT * FROM books?id = 2; (partial)",
                             "sqlite3_exec#1: SELECT * FROM authors; (partial)"}));
}

}  // namespace
}  // namespace seam::analyzer
