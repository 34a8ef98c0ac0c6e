// Tables owned by payments.
#include "payments/payments.h"

namespace bookstore::payments {
namespace {

#define PAYMENTS_DDL                                                                             \
  "CREATE TABLE IF NOT EXISTS payments ("                                                        \
  "  id             INTEGER PRIMARY KEY,"                                                        \
  "  order_id       INTEGER REFERENCES orders(id),"                                              \
  "  customer_id    INTEGER NOT NULL REFERENCES customers(id),"                                  \
  "  amount_cents   INTEGER NOT NULL CHECK (amount_cents >= 0),"                                 \
  "  refunded_cents INTEGER NOT NULL DEFAULT 0,"                                                 \
  "  status         TEXT NOT NULL CHECK (status IN ('captured', 'declined', 'refunded', "        \
  "'partially_refunded')),"                                                                      \
  "  card_last4     TEXT NOT NULL,"                                                              \
  "  card_brand     TEXT NOT NULL,"                                                              \
  "  gateway_ref    TEXT,"                                                                       \
  "  failure_reason TEXT,"                                                                       \
  "  created_at     TEXT NOT NULL,"                                                              \
  "  updated_at     TEXT NOT NULL"                                                               \
  ");"                                                                                           \
  "CREATE INDEX IF NOT EXISTS payments_by_order ON payments(order_id);"                          \
  "CREATE INDEX IF NOT EXISTS payments_by_status ON payments(status);"                           \
  "CREATE TABLE IF NOT EXISTS refunds ("                                                         \
  "  id           INTEGER PRIMARY KEY,"                                                          \
  "  payment_id   INTEGER NOT NULL REFERENCES payments(id),"                                     \
  "  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),"                                    \
  "  reason       TEXT,"                                                                         \
  "  created_at   TEXT NOT NULL"                                                                 \
  ");"                                                                                           \
  "CREATE INDEX IF NOT EXISTS refunds_by_payment ON refunds(payment_id);"

}  // namespace

std::string schemaDdl() { return PAYMENTS_DDL; }

}  // namespace bookstore::payments
