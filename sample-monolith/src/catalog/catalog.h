// Catalog: books, authors, categories. Other modules read books through
// findBook() (price, weight, active) rather than through SQL... mostly; see
// ENTANGLEMENTS.md for the places that join `books` directly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <httplib.h>

#include "common/connection_pool.h"
#include "common/db.h"
#include "common/json_fields.h"
#include "common/random.h"

namespace bookstore::catalog {

struct BookSummary {
  int64_t id = 0;
  std::string title;
  int64_t price_cents = 0;
  int64_t weight_grams = 0;
  bool active = false;
};

/// CREATE statements for the catalog's tables.
std::string schemaDdl();
void register_routes(httplib::Server& server, ConnectionPool& pool);
/// Categories, authors and books; deterministic for a given generator.
void seed(Db& db, Random& random, int books);

std::optional<BookSummary> findBook(Db& db, int64_t book_id);
/// Like findBook, but 404 when unknown and 409 when discontinued.
BookSummary requireActiveBook(Db& db, int64_t book_id);
/// Full book document with authors, category and availability.
Json bookDetails(Db& db, int64_t book_id);

}  // namespace bookstore::catalog
