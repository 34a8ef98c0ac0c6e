#include "common/query_builder.h"

namespace bookstore {

Select& Select::columns(std::vector<std::string> columns) {
  columns_ = std::move(columns);
  return *this;
}

Select& Select::where(std::string condition) {
  conditions_.push_back(std::move(condition));
  return *this;
}

Select& Select::join(std::string clause) {
  joins_.push_back(std::move(clause));
  return *this;
}

Select& Select::groupBy(std::string expression) {
  group_by_ = std::move(expression);
  return *this;
}

Select& Select::orderBy(std::string expression) {
  order_by_ = std::move(expression);
  return *this;
}

Select& Select::limit(int n) {
  limit_ = n;
  return *this;
}

Select& Select::offset(int n) {
  offset_ = n;
  return *this;
}

std::string Select::fromAndWhere() const {
  std::string sql = " FROM " + table_;
  for (const auto& j : joins_) sql += " " + j;
  for (size_t i = 0; i < conditions_.size(); ++i) {
    sql += (i == 0 ? " WHERE " : " AND ") + conditions_[i];
  }
  return sql;
}

std::string Select::sql() const {
  std::string sql = "SELECT ";
  if (columns_.empty()) sql += "*";
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (i) sql += ", ";
    sql += columns_[i];
  }
  sql += fromAndWhere();
  if (!group_by_.empty()) sql += " GROUP BY " + group_by_;
  if (!order_by_.empty()) sql += " ORDER BY " + order_by_;
  if (limit_ >= 0) sql += " LIMIT " + std::to_string(limit_);
  if (offset_ > 0) sql += " OFFSET " + std::to_string(offset_);
  return sql;
}

std::string Select::countSql() const { return "SELECT COUNT(*)" + fromAndWhere(); }

}  // namespace bookstore
