// Payments: charges against a deterministic fake card gateway, refunds.
//
// payments and orders call each other (see ENTANGLEMENTS.md): orders calls
// charge() while placing an order; charge() calls back orders::orderTotal()
// and orders::markPaid(); cancelling a paid order calls refundForOrder().
#pragma once

#include <cstdint>
#include <string>

#include <httplib.h>

#include "common/connection_pool.h"
#include "common/db.h"

namespace bookstore::payments {

struct ChargeResult {
  bool approved = false;
  int64_t payment_id = 0;  // the captured or declined payments row
  int64_t amount_cents = 0;
  std::string failure_reason;  // when declined
};

std::string schemaDdl();
void register_routes(httplib::Server& server, ConnectionPool& pool);

/// 422 unless 12-19 digits with a valid Luhn check digit (spaces/dashes allowed).
void validateCardNumber(const std::string& card_number);
/// Charges the order's total. Approved: a captured payment and the order is
/// paid. Declined: a declined payment row, the order stays pending. 404
/// unknown order, 409 not pending (or its reservations expired).
ChargeResult charge(Db& db, int64_t order_id, const std::string& card_number);
/// Records a declined attempt that belongs to no order (its order was rolled back).
void recordDeclinedAttempt(Db& db, int64_t customer_id, int64_t amount_cents, const std::string& card_number,
                           const std::string& reason);
/// Refunds the remaining amount of every captured payment of the order.
void refundForOrder(Db& db, int64_t order_id, const std::string& reason);

}  // namespace bookstore::payments
