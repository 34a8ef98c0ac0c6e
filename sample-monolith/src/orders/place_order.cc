// Placing an order. Everything from the customer check to the payment runs in
// ONE transaction; any AppError thrown on the way rolls all of it back.
//
// Entanglements (see ENTANGLEMENTS.md): this file reads customers/addresses
// with its own SQL and writes inventory's stock and reservations tables
// directly instead of going through inventory::reserve().
#include <algorithm>
#include <map>
#include <string>

#include "catalog/catalog.h"
#include "common/clock.h"
#include "common/errors.h"
#include "notifications/notifications.h"
#include "orders/orders.h"
#include "payments/payments.h"
#include "shipping/shipping.h"

namespace bookstore::orders {
namespace {

constexpr size_t kMaxLines = 50;
constexpr int64_t kMaxQuantity = 100;

struct Destination {
  int64_t address_id = 0;
  std::string country;
};

void requireCustomerCanOrder(Db& db, int64_t customer_id) {
  auto row = db.queryOne("SELECT status FROM customers WHERE id = ?", {customer_id});
  if (!row) throw AppError::notFound("customer " + std::to_string(customer_id) + " not found");
  if (row->text("status") != "active") {
    throw AppError::conflict("customer " + std::to_string(customer_id) + " is closed");
  }
}

Destination resolveAddress(Db& db, int64_t customer_id, std::optional<int64_t> address_id) {
  std::optional<Row> row;
  if (address_id) {
    row = db.queryOne(
        "SELECT id, country FROM addresses "
        "WHERE id = ? AND customer_id = ? AND deleted = 0",
        {*address_id, customer_id});
    if (!row) throw AppError::notFound("address " + std::to_string(*address_id) + " not found for this customer");
  } else {
    row = db.queryOne(
        "SELECT id, country FROM addresses "
        "WHERE customer_id = ? AND deleted = 0 "
        "ORDER BY is_default DESC, id LIMIT 1",
        {customer_id});
    if (!row) throw AppError::invalid("customer has no shipping address; add one or pass 'address_id'");
  }
  return Destination{row->integer("id"), row->text("country")};
}

// Reserves stock for one line in inventory's own tables.
void reserveLine(Db& db, int64_t order_id, const OrderLine& line, const std::string& now,
                 const std::string& expires_at) {
  int changed = db.exec(
      "UPDATE stock SET reserved = reserved + ?, updated_at = ? "
      "WHERE book_id = ? AND on_hand - reserved >= ?",
      {line.quantity, now, line.book_id, line.quantity});
  if (changed == 0) {
    int64_t left = db.queryInt("SELECT on_hand - reserved FROM stock WHERE book_id = ?", {line.book_id}, 0);
    throw AppError::conflict("insufficient stock for book " + std::to_string(line.book_id) + ": " +
                             std::to_string(left) + " available, " + std::to_string(line.quantity) +
                             " requested");
  }
  db.exec(
      "INSERT INTO reservations (book_id, quantity, order_id, status, expires_at, created_at, updated_at) "
      "VALUES (?, ?, ?, 'active', ?, ?, ?)",
      {line.book_id, line.quantity, order_id, expires_at, now, now});
}

std::string formatCents(int64_t cents) {
  std::string fraction = std::to_string(cents % 100);
  return std::to_string(cents / 100) + "." + (fraction.size() == 1 ? "0" : "") + fraction;
}

// Everything but the payment's failure path; returns the order id.
int64_t placeInTransaction(Db& db, const PlaceOrderRequest& request, std::optional<payments::ChargeResult>* charge) {
  Transaction tx(db);
  requireCustomerCanOrder(db, request.customer_id);
  Destination destination = resolveAddress(db, request.customer_id, request.address_id);

  std::string now = nowIso();
  db.exec(
      "INSERT INTO orders (customer_id, status, shipping_address_id, created_at, updated_at) "
      "VALUES (?, 'pending', ?, ?, ?)",
      {request.customer_id, destination.address_id, now, now});
  int64_t order_id = db.lastInsertId();

  int64_t subtotal = 0;
  int64_t weight = 0;
  int64_t items = 0;
  std::string expires_at = isoAfter(kReservationTtlSeconds);
  for (const auto& line : request.lines) {
    catalog::BookSummary book = catalog::requireActiveBook(db, line.book_id);
    reserveLine(db, order_id, line, now, expires_at);
    db.exec(
        "INSERT INTO order_items (order_id, book_id, title, quantity, unit_price_cents) "
        "VALUES (?, ?, ?, ?, ?)",
        {order_id, line.book_id, book.title, line.quantity, book.price_cents});
    subtotal += book.price_cents * line.quantity;
    weight += book.weight_grams * line.quantity;
    items += line.quantity;
  }
  int64_t shipping = shipping::quote(db, shipping::zoneFor(destination.country), weight, subtotal);
  db.exec(
      "UPDATE orders SET item_count = ?, subtotal_cents = ?, shipping_cents = ?, total_cents = ? "
      "WHERE id = ?",
      {items, subtotal, shipping, subtotal + shipping, order_id});
  db.exec(
      "INSERT INTO order_status_history (order_id, from_status, to_status, note, created_at) "
      "VALUES (?, NULL, 'pending', 'order placed', ?)",
      {order_id, now});
  notifications::enqueue(db, "order_confirmation", request.customer_id, "order", order_id,
                         Json{{"order_id", order_id}, {"items", items}, {"total", formatCents(subtotal + shipping)}});

  if (request.card_number) {
    // payments calls back into orders (orderTotal, markPaid) inside this transaction.
    *charge = payments::charge(db, order_id, *request.card_number);
    if (!(*charge)->approved) return order_id;  // tx rolls back everything, declined row included
  }
  tx.commit();
  return order_id;
}

}  // namespace

PlaceOrderRequest parsePlaceOrder(const Json& body) {
  PlaceOrderRequest request;
  request.customer_id = requireInt(body, "customer_id", 1, INT64_MAX);
  request.address_id = optionalInt(body, "address_id", 1, INT64_MAX);
  request.card_number = optionalString(body, "card_number", 40);
  const Json& items = requireObjectArray(body, "items", kMaxLines);
  std::map<int64_t, int64_t> quantities;  // merges repeated books; ordered, so locks are taken in id order
  for (const auto& item : items) {
    int64_t book_id = requireInt(item, "book_id", 1, INT64_MAX);
    int64_t quantity = requireInt(item, "quantity", 1, kMaxQuantity);
    quantities[book_id] += quantity;
    if (quantities[book_id] > kMaxQuantity) {
      throw AppError::invalid("at most " + std::to_string(kMaxQuantity) + " copies of one book per order");
    }
  }
  for (const auto& [book_id, quantity] : quantities) request.lines.push_back({book_id, quantity});
  return request;
}

int64_t placeOrder(Db& db, const PlaceOrderRequest& request) {
  if (request.lines.empty() || request.lines.size() > kMaxLines) {
    throw AppError::invalid("an order needs 1 to " + std::to_string(kMaxLines) + " lines");
  }
  for (const auto& line : request.lines) {
    if (line.quantity < 1 || line.quantity > kMaxQuantity) {
      throw AppError::invalid("quantity must be between 1 and " + std::to_string(kMaxQuantity));
    }
  }
  if (request.card_number) payments::validateCardNumber(*request.card_number);

  std::optional<payments::ChargeResult> charge;
  int64_t order_id = placeInTransaction(db, request, &charge);
  if (charge && !charge->approved) {
    // The order is gone; keep a trace of the declined attempt for fraud review.
    payments::recordDeclinedAttempt(db, request.customer_id, charge->amount_cents, *request.card_number,
                                    charge->failure_reason);
    throw AppError::declined("payment declined: " + charge->failure_reason);
  }
  return order_id;
}

}  // namespace bookstore::orders
