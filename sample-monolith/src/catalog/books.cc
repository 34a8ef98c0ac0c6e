// Books: queries, validation and writes.
#include <string>

#include "catalog/catalog.h"
#include "catalog/catalog_internal.h"
#include "common/clock.h"
#include "common/errors.h"
#include "common/query_builder.h"

namespace bookstore::catalog {
namespace {

constexpr const char* kSelectBookSummary =
    "SELECT id, title, price_cents, weight_grams, active FROM books WHERE id = ?";
constexpr const char* kInsertBook =
    "INSERT INTO books (isbn, title, description, category_id, price_cents, weight_grams, "
    "published_year, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)";
constexpr const char* kInsertBookAuthor = "INSERT OR IGNORE INTO book_authors (book_id, author_id) VALUES (?, ?)";

constexpr int64_t kMaxPriceCents = 1000000;  // 10,000.00

// ISBN-13 digits only, with a valid check digit (books from the seed and most
// real books); hyphens are accepted and dropped.
std::optional<std::string> normalizeIsbn(const std::string& raw) {
  std::string digits;
  for (char c : raw) {
    if (c == '-' || c == ' ') continue;
    if (c < '0' || c > '9') return std::nullopt;
    digits += c;
  }
  if (digits.size() != 13) return std::nullopt;
  int sum = 0;
  for (size_t i = 0; i < 12; ++i) sum += (digits[i] - '0') * (i % 2 == 0 ? 1 : 3);
  if ((10 - sum % 10) % 10 != digits[12] - '0') return std::nullopt;
  return digits;
}

void requireCategory(Db& db, int64_t category_id) {
  if (db.queryInt("SELECT COUNT(*) FROM categories WHERE id = ?", {category_id}) == 0) {
    throw AppError::invalid("unknown category_id " + std::to_string(category_id));
  }
}

void linkAuthors(Db& db, int64_t book_id, const Json& author_ids) {
  if (!author_ids.is_array() || author_ids.size() > 10) {
    throw AppError::invalid("field 'author_ids' must be an array of at most 10 ids");
  }
  db.exec("DELETE FROM book_authors WHERE book_id = ?", {book_id});
  for (const auto& id : author_ids) {
    if (!id.is_number_integer()) throw AppError::invalid("field 'author_ids' must contain integers");
    int64_t author_id = id.get<int64_t>();
    if (db.queryInt("SELECT COUNT(*) FROM authors WHERE id = ?", {author_id}) == 0) {
      throw AppError::invalid("unknown author id " + std::to_string(author_id));
    }
    db.exec(kInsertBookAuthor, {book_id, author_id});
  }
}

}  // namespace

std::optional<BookSummary> findBook(Db& db, int64_t book_id) {
  auto row = db.queryOne(kSelectBookSummary, {book_id});
  if (!row) return std::nullopt;
  return BookSummary{row->integer("id"), row->text("title"), row->integer("price_cents"),
                     row->integer("weight_grams"), row->integer("active") != 0};
}

BookSummary requireActiveBook(Db& db, int64_t book_id) {
  auto book = findBook(db, book_id);
  if (!book) throw AppError::notFound("book " + std::to_string(book_id) + " not found");
  if (!book->active) throw AppError::conflict("book " + std::to_string(book_id) + " is discontinued");
  return *book;
}

Json bookDetails(Db& db, int64_t book_id) {
  // Availability comes from inventory's view (an entanglement: the catalog
  // reads stock through book_stock_view instead of asking inventory).
  auto row = db.queryOne(
      "SELECT b.id, b.isbn, b.title, b.description, b.category_id, c.name AS category, "
      "b.price_cents, b.weight_grams, b.published_year, b.active, b.rating_avg, b.rating_count, "
      "b.created_at, b.updated_at, v.available "
      "FROM books b LEFT JOIN categories c ON c.id = b.category_id "
      "LEFT JOIN book_stock_view v ON v.book_id = b.id WHERE b.id = ?",
      {book_id});
  if (!row) throw AppError::notFound("book " + std::to_string(book_id) + " not found");
  Json book = row->json();
  book["active"] = row->integer("active") != 0;
  book["available"] = row->isNull("available") ? 0 : row->integer("available");
  book["authors"] = toJson(db.query(
      "SELECT a.id, a.name FROM authors a JOIN book_authors ba ON ba.author_id = a.id "
      "WHERE ba.book_id = ? ORDER BY a.name",
      {book_id}));
  return book;
}

Json listBooks(Db& db, const BookFilter& filter, const Paging& paging) {
  Select select("books b");
  select.columns({"b.id", "b.isbn", "b.title", "b.category_id", "b.price_cents", "b.published_year",
                  "b.rating_avg", "b.rating_count", "b.active"});
  Params params;
  if (!filter.include_inactive) select.where("b.active = 1");
  if (filter.category_id) {
    select.where("b.category_id = ?");
    params.emplace_back(*filter.category_id);
  }
  if (filter.author_id) {
    select.where("b.id IN (SELECT book_id FROM book_authors WHERE author_id = ?)");
    params.emplace_back(*filter.author_id);
  }
  if (filter.min_price) {
    select.where("b.price_cents >= ?");
    params.emplace_back(*filter.min_price);
  }
  if (filter.max_price) {
    select.where("b.price_cents <= ?");
    params.emplace_back(*filter.max_price);
  }
  if (filter.query) {
    select.where("b.title LIKE ? ESCAPE '\\'");
    std::string pattern = "%";
    for (char c : *filter.query) {
      if (c == '%' || c == '_' || c == '\\') pattern += '\\';
      pattern += c;
    }
    params.emplace_back(pattern + "%");
  }
  int64_t total = db.queryInt(select.countSql(), params);

  if (filter.sort == "price") select.orderBy("b.price_cents, b.id");
  else if (filter.sort == "rating") select.orderBy("b.rating_avg DESC, b.rating_count DESC, b.id");
  else if (filter.sort == "newest") select.orderBy("b.published_year DESC, b.id DESC");
  else select.orderBy("b.title, b.id");
  select.limit(paging.per_page).offset(paging.offset());
  auto rows = db.query(select.sql(), params);
  Json page = pageOf(rows, paging, total);
  for (auto& item : page["items"]) item["active"] = item["active"] == 1;
  return page;
}

Json createBook(Db& db, const Json& body) {
  auto isbn = normalizeIsbn(requireString(body, "isbn", 20));
  if (!isbn) throw AppError::invalid("field 'isbn' must be a valid ISBN-13");
  std::string title = requireString(body, "title", 300);
  auto description = optionalString(body, "description", 4000);
  auto category_id = optionalInt(body, "category_id", 1, INT64_MAX);
  int64_t price = requireInt(body, "price_cents", 0, kMaxPriceCents);
  int64_t weight = optionalInt(body, "weight_grams", 1, 20000).value_or(300);
  auto year = optionalInt(body, "published_year", 1450, 2100);

  Transaction tx(db);
  if (category_id) requireCategory(db, *category_id);
  if (db.queryInt("SELECT COUNT(*) FROM books WHERE isbn = ?", {*isbn}) > 0) {
    throw AppError::conflict("a book with ISBN " + *isbn + " already exists");
  }
  std::string now = nowIso();
  db.exec(kInsertBook, {*isbn, title, description, category_id, price, weight, year, now, now});
  int64_t book_id = db.lastInsertId();
  if (body.contains("author_ids")) linkAuthors(db, book_id, body["author_ids"]);
  tx.commit();
  return bookDetails(db, book_id);
}

Json updateBook(Db& db, int64_t book_id, const Json& body) {
  Transaction tx(db);
  if (!findBook(db, book_id)) throw AppError::notFound("book " + std::to_string(book_id) + " not found");
  // PUT replaces the editable fields; fields left out keep their value.
  if (auto title = optionalString(body, "title", 300)) {
    db.exec("UPDATE books SET title = ? WHERE id = ?", {*title, book_id});
  }
  if (auto description = optionalString(body, "description", 4000)) {
    db.exec("UPDATE books SET description = ? WHERE id = ?", {*description, book_id});
  }
  if (auto category_id = optionalInt(body, "category_id", 1, INT64_MAX)) {
    requireCategory(db, *category_id);
    db.exec("UPDATE books SET category_id = ? WHERE id = ?", {*category_id, book_id});
  }
  if (auto price = optionalInt(body, "price_cents", 0, kMaxPriceCents)) {
    db.exec("UPDATE books SET price_cents = ? WHERE id = ?", {*price, book_id});
  }
  if (auto weight = optionalInt(body, "weight_grams", 1, 20000)) {
    db.exec("UPDATE books SET weight_grams = ? WHERE id = ?", {*weight, book_id});
  }
  if (auto year = optionalInt(body, "published_year", 1450, 2100)) {
    db.exec("UPDATE books SET published_year = ? WHERE id = ?", {*year, book_id});
  }
  if (auto active = optionalBool(body, "active")) {
    db.exec("UPDATE books SET active = ? WHERE id = ?", {*active ? 1 : 0, book_id});
  }
  if (body.contains("author_ids")) linkAuthors(db, book_id, body["author_ids"]);
  db.exec("UPDATE books SET updated_at = ? WHERE id = ?", {nowIso(), book_id});
  tx.commit();
  return bookDetails(db, book_id);
}

void discontinueBook(Db& db, int64_t book_id) {
  // Books are referenced by orders, carts and reviews, so they are never
  // deleted: DELETE marks them inactive and hides them from listings.
  int changed = db.exec("UPDATE books SET active = 0, updated_at = ? WHERE id = ?", {nowIso(), book_id});
  if (changed == 0) throw AppError::notFound("book " + std::to_string(book_id) + " not found");
}

}  // namespace bookstore::catalog
