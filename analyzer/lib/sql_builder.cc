// Declared query-builder model: see sql_builder.h.
#include "seam/analyzer/sql_builder.h"

namespace seam::analyzer {
namespace {

std::string join(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += separator;
    out += p;
  }
  return out;
}

}  // namespace

std::optional<SqlClause> parseSqlClause(const std::string& name) {
  static const std::map<std::string, SqlClause> kNames = {
      {"columns", SqlClause::kColumns}, {"from", SqlClause::kFrom},         {"join", SqlClause::kJoin},
      {"where", SqlClause::kWhere},     {"group_by", SqlClause::kGroupBy},  {"having", SqlClause::kHaving},
      {"order_by", SqlClause::kOrderBy}, {"limit", SqlClause::kLimit},       {"offset", SqlClause::kOffset}};
  auto it = kNames.find(name);
  if (it == kNames.end()) return std::nullopt;
  return it->second;
}

std::optional<SqlRender> parseSqlRender(const std::string& name) {
  if (name == "select") return SqlRender::kSelect;
  if (name == "count") return SqlRender::kCount;
  return std::nullopt;
}

void SelectParts::add(SqlClause clause, const std::string& fragment, bool conditional) {
  auto set_list = [&](std::vector<std::string>& list) {
    if (!conditional) list.clear();
    list.push_back(fragment);
  };
  switch (clause) {
    case SqlClause::kWhere: where_.push_back(fragment); break;
    case SqlClause::kJoin: joins_.push_back(fragment); break;
    case SqlClause::kHaving: having_.push_back(fragment); break;
    case SqlClause::kColumns: set_list(columns_); break;
    case SqlClause::kGroupBy: set_list(group_by_); break;
    case SqlClause::kOrderBy: set_list(order_by_); break;
    case SqlClause::kFrom: from_ = fragment; break;
    case SqlClause::kLimit: limit_ = fragment; break;
    case SqlClause::kOffset: offset_ = fragment; break;
  }
}

std::string SelectParts::render(SqlRender kind) const {
  std::string sql = "SELECT ";
  if (kind == SqlRender::kCount) {
    sql += "COUNT(*)";
  } else {
    sql += columns_.empty() ? "*" : join(columns_, ", ");
  }
  if (from_.empty()) return sql;
  sql += " FROM " + from_;
  for (const std::string& j : joins_) sql += " " + j;
  // Each condition is parenthesised: `a OR b` ANDed with `c` keeps its meaning.
  for (size_t i = 0; i < where_.size(); ++i) sql += (i == 0 ? " WHERE (" : " AND (") + where_[i] + ")";
  if (kind == SqlRender::kCount) return sql;
  if (!group_by_.empty()) sql += " GROUP BY " + join(group_by_, ", ");
  for (size_t i = 0; i < having_.size(); ++i) sql += (i == 0 ? " HAVING (" : " AND (") + having_[i] + ")";
  if (!order_by_.empty()) sql += " ORDER BY " + join(order_by_, ", ");
  if (!limit_.empty()) sql += " LIMIT " + limit_;
  if (!offset_.empty()) sql += " OFFSET " + offset_;
  return sql;
}

}  // namespace seam::analyzer
