// Orders: placing an order (one transaction over orders, order_items, stock,
// reservations and payments), status transitions and history.
//
// Status machine:  pending -> paid -> shipped -> delivered
//                  pending | paid -> cancelled (reservations released / stock restocked, payment refunded)
// A pending order holds its stock through reservations that expire after
// kReservationTtlSeconds; paying commits them (on_hand decreases).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <httplib.h>

#include "common/connection_pool.h"
#include "common/db.h"
#include "common/json_fields.h"
#include "common/random.h"

namespace bookstore::orders {

constexpr int64_t kReservationTtlSeconds = 30 * 60;

struct OrderLine {
  int64_t book_id = 0;
  int64_t quantity = 0;
};

struct PlaceOrderRequest {
  int64_t customer_id = 0;
  std::optional<int64_t> address_id;   // default address when absent
  std::vector<OrderLine> lines;
  std::optional<std::string> card_number;  // pay immediately when present
};

struct OrderSummary {
  int64_t id = 0;
  int64_t customer_id = 0;
  std::string status;
  int64_t total_cents = 0;
  int64_t shipping_address_id = 0;
};

std::string schemaDdl();
void register_routes(httplib::Server& server, ConnectionPool& pool);
/// Places `count` orders through placeOrder() and spreads them over the past half year.
void seed(Db& db, Random& random, int count);

/// Validates and places an order; returns its id. Throws AppError: 404
/// unknown customer/book/address, 409 insufficient stock or closed account,
/// 422 invalid lines, 402 declined card (nothing is written but the declined
/// payment attempt).
int64_t placeOrder(Db& db, const PlaceOrderRequest& request);
/// Parses {"customer_id", "address_id"?, "items": [{"book_id", "quantity"}], "card_number"?}.
PlaceOrderRequest parsePlaceOrder(const Json& body);

std::optional<OrderSummary> findOrder(Db& db, int64_t order_id);
Json orderDetails(Db& db, int64_t order_id);
/// Total to charge (called back by payments).
int64_t orderTotal(Db& db, int64_t order_id);
/// pending -> paid: commits the order's reservations. Called by payments.
void markPaid(Db& db, int64_t order_id, int64_t payment_id);
/// paid -> shipped. Called by shipping.
void markShipped(Db& db, int64_t order_id, int64_t shipment_id);
/// shipped -> delivered. Called by shipping.
void markDelivered(Db& db, int64_t order_id);
/// pending|paid -> cancelled.
void cancelOrder(Db& db, int64_t order_id, const std::string& reason);

}  // namespace bookstore::orders
