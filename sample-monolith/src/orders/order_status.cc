// Order lookups and status transitions.
//
// markPaid() commits the order's reservations by writing inventory's stock,
// reservations and stock_movements tables itself (an entanglement kept from
// the days when orders and inventory were one class).
#include <string>

#include "common/clock.h"
#include "common/errors.h"
#include "common/http.h"
#include "inventory/inventory.h"
#include "notifications/notifications.h"
#include "orders/orders.h"
#include "payments/payments.h"

namespace bookstore::orders {
namespace {

static const std::string kSelectOrder =
    "SELECT id, customer_id, status, shipping_address_id, item_count, subtotal_cents, "
    "shipping_cents, total_cents, cancel_reason, created_at, updated_at, paid_at "
    "FROM orders WHERE id = ?";
static const std::string kInsertHistory =
    "INSERT INTO order_status_history (order_id, from_status, to_status, note, created_at) "
    "VALUES (?, ?, ?, ?, ?)";

OrderSummary requireOrder(Db& db, int64_t order_id) {
  auto order = findOrder(db, order_id);
  if (!order) throw AppError::notFound("order " + std::to_string(order_id) + " not found");
  return *order;
}

// Moves the order from `from` to `to`; 409 when it is not in `from`.
void transition(Db& db, const OrderSummary& order, const std::string& from, const std::string& to,
                const std::string& note) {
  if (order.status != from) {
    throw AppError::conflict("order " + std::to_string(order.id) + " is " + order.status + ", not " + from);
  }
  std::string now = nowIso();
  db.exec("UPDATE orders SET status = ?, updated_at = ? WHERE id = ? AND status = ?", {to, now, order.id, from});
  db.exec(kInsertHistory, {order.id, from, to, note, now});
}

void restockPaidOrder(Db& db, int64_t order_id) {
  std::string now = nowIso();
  auto items = db.query("SELECT book_id, quantity FROM order_items WHERE order_id = ?", {order_id});
  for (const auto& item : items) {
    db.exec("UPDATE stock SET on_hand = on_hand + ?, updated_at = ? WHERE book_id = ?",
            {item.integer("quantity"), now, item.integer("book_id")});
    db.exec(
        "INSERT INTO stock_movements (book_id, delta, reason, reference, created_at) "
        "VALUES (?, ?, 'cancellation', ?, ?)",
        {item.integer("book_id"), item.integer("quantity"), "order " + std::to_string(order_id), now});
  }
}

}  // namespace

std::optional<OrderSummary> findOrder(Db& db, int64_t order_id) {
  auto row = db.queryOne(kSelectOrder, {order_id});
  if (!row) return std::nullopt;
  return OrderSummary{row->integer("id"), row->integer("customer_id"), row->text("status"),
                      row->integer("total_cents"), row->integer("shipping_address_id")};
}

Json orderDetails(Db& db, int64_t order_id) {
  auto row = db.queryOne(kSelectOrder, {order_id});
  if (!row) throw AppError::notFound("order " + std::to_string(order_id) + " not found");
  Json order = row->json();
  order["items"] = toJson(db.query(
      "SELECT book_id, title, quantity, unit_price_cents, quantity * unit_price_cents AS line_total_cents "
      "FROM order_items WHERE order_id = ? ORDER BY book_id",
      {order_id}));
  order["reservations"] = toJson(db.query(
      "SELECT id, book_id, quantity, status, expires_at FROM reservations "
      "WHERE order_id = ? ORDER BY id",
      {order_id}));
  return order;
}

int64_t orderTotal(Db& db, int64_t order_id) {
  return db.queryInt("SELECT total_cents FROM orders WHERE id = ?", {order_id}, -1);
}

void markPaid(Db& db, int64_t order_id, int64_t payment_id) {
  Transaction tx(db);
  OrderSummary order = requireOrder(db, order_id);
  std::string now = nowIso();
  auto reservations = db.query(
      "SELECT id, book_id, quantity, status, expires_at FROM reservations "
      "WHERE order_id = ? ORDER BY id",
      {order_id});
  for (const auto& r : reservations) {
    if (r.text("status") != "active" || r.text("expires_at") < now) {
      throw AppError::conflict("order " + std::to_string(order_id) + " expired: its stock is no longer reserved");
    }
  }
  transition(db, order, "pending", "paid", "payment " + std::to_string(payment_id));
  for (const auto& r : reservations) {
    db.exec(
        "UPDATE stock SET on_hand = on_hand - ?, reserved = reserved - ?, updated_at = ? "
        "WHERE book_id = ?",
        {r.integer("quantity"), r.integer("quantity"), now, r.integer("book_id")});
    db.exec("UPDATE reservations SET status = 'committed', updated_at = ? WHERE id = ?", {now, r.integer("id")});
    db.exec(
        "INSERT INTO stock_movements (book_id, delta, reason, reference, created_at) "
        "VALUES (?, ?, 'sale', ?, ?)",
        {r.integer("book_id"), -r.integer("quantity"), "order " + std::to_string(order_id), now});
  }
  db.exec("UPDATE orders SET paid_at = ? WHERE id = ?", {now, order_id});
  tx.commit();
}

void markShipped(Db& db, int64_t order_id, int64_t shipment_id) {
  Transaction tx(db);
  transition(db, requireOrder(db, order_id), "paid", "shipped", "shipment " + std::to_string(shipment_id));
  tx.commit();
}

void markDelivered(Db& db, int64_t order_id) {
  Transaction tx(db);
  transition(db, requireOrder(db, order_id), "shipped", "delivered", "delivered");
  tx.commit();
}

void cancelOrder(Db& db, int64_t order_id, const std::string& reason) {
  Transaction tx(db);
  OrderSummary order = requireOrder(db, order_id);
  if (order.status == "pending") {
    auto active = db.query("SELECT id FROM reservations WHERE order_id = ? AND status = 'active'", {order_id});
    for (const auto& r : active) inventory::release(db, r.integer("id"), "released");
    transition(db, order, "pending", "cancelled", reason);
  } else if (order.status == "paid") {
    payments::refundForOrder(db, order_id, reason);
    restockPaidOrder(db, order_id);
    transition(db, order, "paid", "cancelled", reason);
  } else {
    throw AppError::conflict("order " + std::to_string(order_id) + " is " + order.status + " and cannot be cancelled");
  }
  db.exec("UPDATE orders SET cancel_reason = ? WHERE id = ?", {reason, order_id});
  notifications::enqueue(db, "order_cancelled", order.customer_id, "order", order_id,
                         Json{{"order_id", order_id}, {"reason", reason}});
  tx.commit();
}

}  // namespace bookstore::orders
