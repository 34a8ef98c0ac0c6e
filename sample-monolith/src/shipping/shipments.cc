// Quotes and shipments.
//
// Entanglements (see ENTANGLEMENTS.md): createShipment() reads orders,
// order_items, books, customers and addresses with its own joins to print the
// label, and calls orders and notifications synchronously.
#include <string>

#include "common/clock.h"
#include "common/errors.h"
#include "notifications/notifications.h"
#include "orders/orders.h"
#include "shipping/shipping.h"

namespace bookstore::shipping {
namespace {

const char* const kEuCountries[] = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
                                    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"};

std::string trackingNumber(const std::string& carrier, int64_t shipment_id) {
  std::string prefix = carrier == "DHL" ? "JD" : carrier == "FedEx" ? "FX" : "RM";
  std::string digits = std::to_string(100000000 + shipment_id * 7919 % 900000000);
  return prefix + digits + "GB";
}

}  // namespace

std::string zoneFor(const std::string& country) {
  if (country == "GB") return "domestic";
  for (const char* eu : kEuCountries) {
    if (country == eu) return "eu";
  }
  return "world";
}

int64_t quote(Db& db, const std::string& zone, int64_t weight_grams, int64_t subtotal_cents) {
  auto rate = db.queryOne("SELECT base_cents, per_kg_cents, free_over_cents FROM shipping_rates WHERE zone = ?", {zone});
  if (!rate) throw AppError::invalid("unknown shipping zone '" + zone + "'");
  if (!rate->isNull("free_over_cents") && subtotal_cents >= rate->integer("free_over_cents")) return 0;
  int64_t started_kg = (weight_grams + 999) / 1000;
  return rate->integer("base_cents") + rate->integer("per_kg_cents") * started_kg;
}

int64_t createShipment(Db& db, int64_t order_id, const std::string& carrier_override) {
  Transaction tx(db);
  auto order = db.queryOne(
      "SELECT o.id, o.status, o.customer_id, c.name AS recipient, "
      "a.line1, a.city, a.postal_code, a.country "
      "FROM orders o "
      "JOIN customers c ON c.id = o.customer_id "
      "JOIN addresses a ON a.id = o.shipping_address_id "
      "WHERE o.id = ?",
      {order_id});
  if (!order) throw AppError::notFound("order " + std::to_string(order_id) + " not found");
  if (order->text("status") != "paid") {
    throw AppError::conflict("order " + std::to_string(order_id) + " is " + order->text("status") + ", not paid");
  }
  if (db.queryInt("SELECT COUNT(*) FROM shipments WHERE order_id = ?", {order_id}) > 0) {
    throw AppError::conflict("order " + std::to_string(order_id) + " already has a shipment");
  }
  int64_t weight = db.queryInt(
      "SELECT SUM(oi.quantity * b.weight_grams) FROM order_items oi JOIN books b ON b.id = oi.book_id "
      "WHERE oi.order_id = ?",
      {order_id});
  int64_t subtotal = db.queryInt("SELECT subtotal_cents FROM orders WHERE id = ?", {order_id});
  std::string zone = zoneFor(order->text("country"));
  auto rate = db.queryOne("SELECT carrier FROM shipping_rates WHERE zone = ?", {zone});
  std::string carrier = carrier_override.empty() ? rate->text("carrier") : carrier_override;
  std::string address = order->text("line1") + ", " + order->text("postal_code") + " " + order->text("city") + ", " +
                         order->text("country");
  std::string now = nowIso();
  // The tracking number derives from the id, so insert a placeholder first.
  db.exec(
      "INSERT INTO shipments (order_id, carrier, tracking_number, zone, weight_grams, cost_cents, status, "
      "recipient, address, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'label_created', ?, ?, ?, ?)",
      {order_id, carrier, "pending-" + std::to_string(order_id), zone, weight, quote(db, zone, weight, subtotal),
       order->text("recipient"), address, now, now});
  int64_t shipment_id = db.lastInsertId();
  std::string tracking = trackingNumber(carrier, shipment_id);
  db.exec("UPDATE shipments SET tracking_number = ? WHERE id = ?", {tracking, shipment_id});

  orders::markShipped(db, order_id, shipment_id);
  notifications::enqueue(db, "order_shipped", order->integer("customer_id"), "shipment", shipment_id,
                         Json{{"order_id", order_id}, {"carrier", carrier}, {"tracking", tracking}});
  tx.commit();
  return shipment_id;
}

void advanceShipment(Db& db, int64_t shipment_id, const std::string& status) {
  Transaction tx(db);
  auto shipment = db.queryOne(
      "SELECT s.id, s.order_id, s.status, o.customer_id FROM shipments s JOIN orders o ON o.id = s.order_id "
      "WHERE s.id = ?",
      {shipment_id});
  if (!shipment) throw AppError::notFound("shipment " + std::to_string(shipment_id) + " not found");
  std::string current = shipment->text("status");
  bool allowed = (current == "label_created" && (status == "in_transit" || status == "delivered")) ||
                 (current == "in_transit" && status == "delivered");
  if (!allowed) throw AppError::conflict("shipment " + std::to_string(shipment_id) + " is " + current + ", cannot become " + status);
  std::string now = nowIso();
  db.exec("UPDATE shipments SET status = ?, updated_at = ?, delivered_at = CASE WHEN ? = 'delivered' THEN ? END "
          "WHERE id = ?",
          {status, now, status, now, shipment_id});
  if (status == "delivered") {
    int64_t order_id = shipment->integer("order_id");
    orders::markDelivered(db, order_id);
    notifications::enqueue(db, "order_delivered", shipment->integer("customer_id"), "shipment", shipment_id,
                           Json{{"order_id", order_id}});
  }
  tx.commit();
}

void seed(Db& db, Random& random) {
  auto paid = db.query("SELECT id FROM orders WHERE status = 'paid' ORDER BY id");
  for (const auto& order : paid) {
    if (!random.chance(80)) continue;
    int64_t shipment_id = createShipment(db, order.integer("id"), "");
    if (random.chance(75)) advanceShipment(db, shipment_id, "delivered");
    else if (random.chance(50)) advanceShipment(db, shipment_id, "in_transit");
  }
}

}  // namespace bookstore::shipping
