// Sample orders, placed through placeOrder() like real ones, then dated over
// the past half year so that the reports have history.
#include <string>

#include "common/clock.h"
#include "common/errors.h"
#include "orders/orders.h"

namespace bookstore::orders {

void seed(Db& db, Random& random, int count) {
  auto customers = db.query(
      "SELECT c.id FROM customers c WHERE c.status = 'active' "
      "AND EXISTS (SELECT 1 FROM addresses a WHERE a.customer_id = c.id AND a.deleted = 0) ORDER BY c.id");
  int64_t books = db.queryInt("SELECT MAX(id) FROM books");
  if (customers.empty() || books == 0) return;
  const int64_t base = 1704067200;  // 2024-01-01T00:00:00Z
  int placed = 0;
  for (int attempt = 0; placed < count && attempt < count * 3; ++attempt) {
    PlaceOrderRequest request;
    request.customer_id = random.pick(customers).integer("id");
    int lines = static_cast<int>(random.between(1, 4));
    for (int l = 0; l < lines; ++l) {
      int64_t book_id = random.between(1, books);
      bool duplicate = false;
      for (const auto& line : request.lines) duplicate = duplicate || line.book_id == book_id;
      if (!duplicate) request.lines.push_back({book_id, random.between(1, 3)});
    }
    if (random.chance(88)) request.card_number = random.chance(97) ? "4242424242424242" : "4000000000000002";
    try {
      int64_t id = placeOrder(db, request);
      std::string created = isoFromUnix(base + random.between(0, 180) * 86400 + random.between(0, 86399));
      db.exec("UPDATE orders SET created_at = ?, updated_at = ?, paid_at = CASE WHEN paid_at IS NULL THEN NULL ELSE ? END "
              "WHERE id = ?",
              {created, created, created, id});
      db.exec("UPDATE order_status_history SET created_at = ? WHERE order_id = ?", {created, id});
      ++placed;
    } catch (const AppError&) {
      // Discontinued book, sold out, declined card: the same outcomes real
      // traffic has; nothing was written but a declined attempt.
    }
  }
}

}  // namespace bookstore::orders
