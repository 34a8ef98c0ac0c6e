// Query-builder objects: how a builder class assembles its SQL.
//
//   Select q("books");                       constructor  -> clause of each text argument
//   q.columns({"id"}).where("a = ?");        method calls -> clause fragments, in order
//   db.query(q.sql(), params);               render call  -> SELECT ... / SELECT COUNT(*) ...
//
// Two kinds of builder are understood at a call site (sql_callsite.cc):
//   - learned: the builder's own code is visible in the TU and each method
//     appends to a string member (`sql_ += " WHERE " + c; return *this;`),
//     the render method returns an expression of those members;
//   - declared in seam.yaml (sql.builders) with an SqlBuilderSpec, for
//     builders that keep clauses apart and render them later, possibly in
//     another TU (bookstore::Select).
// This header holds the declared model and its renderer: pure functions over
// text, no Clang, so the clause semantics are unit-tested on their own.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace seam::analyzer {

/// The part of a SELECT statement a builder call contributes to.
enum class SqlClause { kColumns, kFrom, kJoin, kWhere, kGroupBy, kHaving, kOrderBy, kLimit, kOffset };

/// What a render method produces from the clauses.
enum class SqlRender { kSelect, kCount };

/// "columns", "from", "join", "where", "group_by", "having", "order_by",
/// "limit", "offset"; nullopt for anything else.
std::optional<SqlClause> parseSqlClause(const std::string& name);
/// "select" or "count".
std::optional<SqlRender> parseSqlRender(const std::string& name);

/// A builder class declared in seam.yaml:
///
///   sql:
///     builders:
///       - class: bookstore::Select           # qualified name
///         constructor: [from]                # clause of each text argument
///         methods: {where: where, orderBy: order_by, limit: limit}
///         render: {sql: select, countSql: count}
struct SqlBuilderSpec {
  std::string class_name;
  std::vector<SqlClause> constructor;
  std::map<std::string, SqlClause> methods;
  std::map<std::string, SqlRender> render;
};

/// The clauses accumulated on one builder object. Each fragment is SQL text
/// (unknown parts already '?').
class SelectParts {
 public:
  /// Applies one fragment. Where, join and having fragments accumulate
  /// (ANDed / space-separated). Other clauses are set: an unconditional set
  /// replaces the previous value; a conditional one (inside an `if` that does
  /// not also hold the render call) is added to the list clauses (columns,
  /// group by, order by) so the statement reads a superset of what may run,
  /// and replaces the single-valued ones (from, limit, offset).
  void add(SqlClause clause, const std::string& fragment, bool conditional);

  /// `SELECT cols|* FROM from joins [WHERE ..] [GROUP BY ..] [HAVING ..]
  /// [ORDER BY ..] [LIMIT ..] [OFFSET ..]`, or `SELECT COUNT(*) FROM from
  /// joins [WHERE ..]` for kCount. Without a FROM clause the text is
  /// `SELECT cols` alone.
  std::string render(SqlRender kind) const;

 private:
  std::vector<std::string> columns_, joins_, where_, group_by_, having_, order_by_;
  std::string from_, limit_, offset_;
};

}  // namespace seam::analyzer
