// Charges and refunds. SQL lives in #define constants, the house style of
// the team that wrote this module.
#include <algorithm>
#include <string>

#include "common/clock.h"
#include "common/errors.h"
#include "notifications/notifications.h"
#include "orders/orders.h"
#include "payments/gateway.h"
#include "payments/payments.h"
#include "payments/payments_internal.h"

#define SQL_INSERT_PAYMENT                                                                       \
  "INSERT INTO payments (order_id, customer_id, amount_cents, status, card_last4, card_brand, " \
  "gateway_ref, failure_reason, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define SQL_CAPTURED_FOR_ORDER                                                          \
  "SELECT id, amount_cents, refunded_cents FROM payments "                             \
  "WHERE order_id = ? AND status IN ('captured', 'partially_refunded') ORDER BY id"
#define SQL_INSERT_REFUND "INSERT INTO refunds (payment_id, amount_cents, reason, created_at) VALUES (?, ?, ?, ?)"
#define SQL_APPLY_REFUND                                                                          \
  "UPDATE payments SET refunded_cents = refunded_cents + ?, "                                  \
  "status = CASE WHEN refunded_cents + ? >= amount_cents THEN 'refunded' ELSE 'partially_refunded' END, " \
  "updated_at = ? WHERE id = ?"

namespace bookstore::payments {
namespace {

std::string last4(const std::string& digits) { return digits.size() >= 4 ? digits.substr(digits.size() - 4) : digits; }

std::string formatCents(int64_t cents) {
  std::string fraction = std::to_string(cents % 100);
  return std::to_string(cents / 100) + "." + (fraction.size() == 1 ? "0" : "") + fraction;
}

}  // namespace

void validateCardNumber(const std::string& card_number) {
  if (normalizedCard(card_number).empty()) {
    throw AppError::invalid("field 'card_number' is not a valid card number");
  }
}

ChargeResult charge(Db& db, int64_t order_id, const std::string& card_number) {
  std::string digits = normalizedCard(card_number);
  if (digits.empty()) throw AppError::invalid("field 'card_number' is not a valid card number");

  Transaction tx(db);
  auto order = orders::findOrder(db, order_id);
  if (!order) throw AppError::notFound("order " + std::to_string(order_id) + " not found");
  if (order->status != "pending") {
    throw AppError::conflict("order " + std::to_string(order_id) + " is " + order->status + ", not pending");
  }
  int64_t amount = orders::orderTotal(db, order_id);
  GatewayDecision decision = authorize(digits, amount, order_id);
  std::string now = nowIso();
  db.exec(SQL_INSERT_PAYMENT, {order_id, order->customer_id, amount, decision.approved ? "captured" : "declined",
                               last4(digits), cardBrand(digits), decision.reference,
                               decision.approved ? Param(nullptr) : Param(decision.reason), now, now});
  ChargeResult result{decision.approved, db.lastInsertId(), amount, decision.reason};
  if (decision.approved) {
    orders::markPaid(db, order_id, result.payment_id);
    notifications::enqueue(db, "payment_received", order->customer_id, "payment", result.payment_id,
                           Json{{"order_id", order_id}, {"amount", formatCents(amount)}});
  }
  tx.commit();
  return result;
}

void recordDeclinedAttempt(Db& db, int64_t customer_id, int64_t amount_cents, const std::string& card_number,
                           const std::string& reason) {
  std::string digits = normalizedCard(card_number);
  std::string now = nowIso();
  db.exec(SQL_INSERT_PAYMENT, {nullptr, customer_id, amount_cents, "declined", last4(digits), cardBrand(digits),
                               nullptr, reason, now, now});
}

Json refundPayment(Db& db, int64_t payment_id, std::optional<int64_t> amount, const std::string& reason) {
  Transaction tx(db);
  auto payment = db.queryOne("SELECT id, order_id, customer_id, amount_cents, refunded_cents, status "
                             "FROM payments WHERE id = ?",
                             {payment_id});
  if (!payment) throw AppError::notFound("payment " + std::to_string(payment_id) + " not found");
  std::string status = payment->text("status");
  if (status != "captured" && status != "partially_refunded") {
    throw AppError::conflict("payment " + std::to_string(payment_id) + " is " + status + " and cannot be refunded");
  }
  int64_t remaining = payment->integer("amount_cents") - payment->integer("refunded_cents");
  int64_t refund = amount.value_or(remaining);
  if (refund > remaining) {
    throw AppError::conflict("refund of " + std::to_string(refund) + " exceeds the remaining " +
                             std::to_string(remaining) + " cents");
  }
  std::string now = nowIso();
  db.exec(SQL_INSERT_REFUND, {payment_id, refund, reason, now});
  int64_t refund_id = db.lastInsertId();
  db.exec(SQL_APPLY_REFUND, {refund, refund, now, payment_id});
  notifications::enqueue(db, "refund_issued", payment->integer("customer_id"), "refund", refund_id,
                         Json{{"order_id", payment->isNull("order_id") ? 0 : payment->integer("order_id")},
                              {"amount", formatCents(refund)}});
  tx.commit();
  return Json{{"id", refund_id}, {"payment_id", payment_id}, {"amount_cents", refund}, {"reason", reason},
              {"created_at", now}};
}

void refundForOrder(Db& db, int64_t order_id, const std::string& reason) {
  Transaction tx(db);
  for (const auto& payment : db.query(SQL_CAPTURED_FOR_ORDER, {order_id})) {
    int64_t remaining = payment.integer("amount_cents") - payment.integer("refunded_cents");
    if (remaining > 0) refundPayment(db, payment.integer("id"), remaining, reason);
  }
  tx.commit();
}

}  // namespace bookstore::payments
