// A small SELECT builder for list endpoints whose WHERE clause depends on
// which filters the client passed. Only column and table names that the code
// itself supplies go into the text; every client value is bound through '?'.
//
//   Select q("books");
//   q.columns({"id", "title"}).where("category_id = ?").orderBy("title").limit(20).offset(40);
//   db.query(q.sql(), params);
#pragma once

#include <string>
#include <vector>

namespace bookstore {

class Select {
 public:
  explicit Select(std::string table) : table_(std::move(table)) {}

  Select& columns(std::vector<std::string> columns);
  /// Adds a condition, ANDed with the others.
  Select& where(std::string condition);
  Select& join(std::string clause);
  Select& groupBy(std::string expression);
  Select& orderBy(std::string expression);
  Select& limit(int n);
  Select& offset(int n);

  /// The SELECT statement.
  std::string sql() const;
  /// SELECT COUNT(*) over the same FROM/JOIN/WHERE (for paging totals).
  std::string countSql() const;

 private:
  std::string fromAndWhere() const;

  std::string table_;
  std::vector<std::string> columns_;
  std::vector<std::string> joins_;
  std::vector<std::string> conditions_;
  std::string group_by_;
  std::string order_by_;
  int limit_ = -1;
  int offset_ = 0;
};

}  // namespace bookstore
