// Writing and moderating reviews.
//
// Entanglements (see ENTANGLEMENTS.md): the verified-purchase check reads
// orders and order_items directly; listings join customers for the author's
// name.
#include <string>

#include "catalog/catalog.h"
#include "common/clock.h"
#include "common/errors.h"
#include "common/http.h"
#include "common/json_fields.h"
#include "customers/customers.h"
#include "reviews/reviews.h"
#include "reviews/reviews_internal.h"

namespace bookstore::reviews {
namespace {

const std::string kReviewColumns =
    "r.id, r.book_id, r.customer_id, c.name AS author, r.rating, r.title, r.body, r.status, "
    "r.verified_purchase, r.created_at, r.moderated_at";

bool hasBoughtBook(Db& db, int64_t customer_id, int64_t book_id) {
  return db.queryInt(
             "SELECT COUNT(*) FROM orders o JOIN order_items oi ON oi.order_id = o.id "
             "WHERE o.customer_id = ? AND oi.book_id = ? AND o.status IN ('paid', 'shipped', 'delivered')",
             {customer_id, book_id}) > 0;
}

}  // namespace

Json reviewDetails(Db& db, int64_t review_id) {
  auto row = db.queryOne("SELECT " + kReviewColumns + " FROM reviews r JOIN customers c ON c.id = r.customer_id "
                         "WHERE r.id = ?",
                         {review_id});
  if (!row) throw AppError::notFound("review " + std::to_string(review_id) + " not found");
  Json review = row->json();
  review["verified_purchase"] = row->integer("verified_purchase") != 0;
  return review;
}

Json listReviews(Db& db, const ReviewFilter& filter, const Paging& paging) {
  std::string where = " WHERE r.status = ?";
  Params params{filter.status};
  if (filter.book_id) {
    where += " AND r.book_id = ?";
    params.emplace_back(*filter.book_id);
  }
  if (filter.customer_id) {
    where += " AND r.customer_id = ?";
    params.emplace_back(*filter.customer_id);
  }
  if (filter.min_rating) {
    where += " AND r.rating >= ?";
    params.emplace_back(*filter.min_rating);
  }
  const std::string from = " FROM reviews r JOIN customers c ON c.id = r.customer_id";
  int64_t total = db.queryInt("SELECT COUNT(*)" + from + where, params);
  params.emplace_back(paging.per_page);
  params.emplace_back(paging.offset());
  auto rows = db.query("SELECT " + kReviewColumns + from + where + " ORDER BY r.id DESC LIMIT ? OFFSET ?", params);
  Json page = pageOf(rows, paging, total);
  for (auto& item : page["items"]) item["verified_purchase"] = item["verified_purchase"] == 1;
  return page;
}

Json createReview(Db& db, const Json& body) {
  int64_t book_id = requireInt(body, "book_id", 1, INT64_MAX);
  int64_t customer_id = requireInt(body, "customer_id", 1, INT64_MAX);
  int64_t rating = requireInt(body, "rating", 1, 5);
  std::string title = requireString(body, "title", 200);
  std::string text = requireString(body, "body", 5000);

  Transaction tx(db);
  catalog::requireActiveBook(db, book_id);
  customers::requireActiveCustomer(db, customer_id);
  if (db.queryInt("SELECT COUNT(*) FROM reviews WHERE book_id = ? AND customer_id = ?", {book_id, customer_id}) > 0) {
    throw AppError::conflict("customer " + std::to_string(customer_id) + " already reviewed book " +
                             std::to_string(book_id));
  }
  // Verified purchases go live at once; everything else waits for a moderator.
  bool verified = hasBoughtBook(db, customer_id, book_id);
  db.exec(
      "INSERT INTO reviews (book_id, customer_id, rating, title, body, status, verified_purchase, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {book_id, customer_id, rating, title, text, verified ? "approved" : "pending", verified ? 1 : 0, nowIso()});
  int64_t id = db.lastInsertId();
  tx.commit();
  return reviewDetails(db, id);
}

Json moderateReview(Db& db, int64_t review_id, const std::string& status) {
  if (status != "approved" && status != "rejected" && status != "pending") {
    throw AppError::invalid("field 'status' must be approved, rejected or pending");
  }
  Transaction tx(db);
  reviewDetails(db, review_id);  // 404
  db.exec("UPDATE reviews SET status = ?, moderated_at = ? WHERE id = ?", {status, nowIso(), review_id});
  tx.commit();
  return reviewDetails(db, review_id);
}

void deleteReview(Db& db, int64_t review_id) {
  if (db.exec("DELETE FROM reviews WHERE id = ?", {review_id}) == 0) {
    throw AppError::notFound("review " + std::to_string(review_id) + " not found");
  }
}

Json bookSummary(Db& db, int64_t book_id) {
  auto book = catalog::findBook(db, book_id);
  if (!book) throw AppError::notFound("book " + std::to_string(book_id) + " not found");
  auto totals = db.queryOne("SELECT rating_avg, rating_count FROM books WHERE id = ?", {book_id});
  Json histogram = Json::object();
  for (int stars = 1; stars <= 5; ++stars) histogram[std::to_string(stars)] = 0;
  for (const auto& row : db.query("SELECT rating, COUNT(*) AS n FROM reviews WHERE book_id = ? AND status = 'approved' "
                                  "GROUP BY rating",
                                  {book_id})) {
    histogram[std::to_string(row.integer("rating"))] = row.integer("n");
  }
  return Json{{"book_id", book_id},
              {"title", book->title},
              {"rating_avg", totals->real("rating_avg")},
              {"rating_count", totals->integer("rating_count")},
              {"histogram", histogram}};
}

void seed(Db& db, Random& random) {
  static const std::vector<std::string> kTitles = {"Loved it", "Not for me", "A classic", "Solid read",
                                                   "Could not put it down", "Disappointing ending"};
  auto delivered = db.query(
      "SELECT o.customer_id, oi.book_id FROM orders o JOIN order_items oi ON oi.order_id = o.id "
      "WHERE o.status = 'delivered' ORDER BY o.id, oi.book_id");
  std::string when = "2024-07-01T12:00:00Z";
  for (const auto& bought : delivered) {
    if (!random.chance(40)) continue;
    int64_t rating = random.chance(70) ? random.between(4, 5) : random.between(1, 3);
    db.exec(
        "INSERT OR IGNORE INTO reviews (book_id, customer_id, rating, title, body, status, verified_purchase, "
        "created_at) VALUES (?, ?, ?, ?, ?, 'approved', 1, ?)",
        {bought.integer("book_id"), bought.integer("customer_id"), rating, random.pick(kTitles),
         "Rated " + std::to_string(rating) + " out of 5.", when});
  }
}

}  // namespace bookstore::reviews
