// Catalog services used by the catalog's own routes (not by other modules).
#pragma once

#include <optional>
#include <string>

#include "common/db.h"
#include "common/http.h"

namespace bookstore::catalog {

struct BookFilter {
  std::optional<int64_t> category_id;
  std::optional<int64_t> author_id;
  std::optional<int64_t> min_price;
  std::optional<int64_t> max_price;
  std::optional<std::string> query;  // substring of the title
  std::string sort = "title";        // title | price | rating | newest
  bool include_inactive = false;
};

Json listBooks(Db& db, const BookFilter& filter, const Paging& paging);
Json createBook(Db& db, const Json& body);
Json updateBook(Db& db, int64_t book_id, const Json& body);
void discontinueBook(Db& db, int64_t book_id);

Json listAuthors(Db& db, const std::optional<std::string>& name, const Paging& paging);
Json authorDetails(Db& db, int64_t author_id);
Json createAuthor(Db& db, const Json& body);
Json updateAuthor(Db& db, int64_t author_id, const Json& body);

Json listCategories(Db& db);
Json categoryDetails(Db& db, int64_t category_id);
Json createCategory(Db& db, const Json& body);

}  // namespace bookstore::catalog
