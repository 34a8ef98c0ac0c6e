// Tables owned by orders.
#include "orders/orders.h"

namespace bookstore::orders {
namespace {

constexpr const char* kOrdersDdl = R"sql(
CREATE TABLE IF NOT EXISTS orders (
  id                  INTEGER PRIMARY KEY,
  customer_id         INTEGER NOT NULL REFERENCES customers(id),
  status              TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled')),
  shipping_address_id INTEGER NOT NULL REFERENCES addresses(id),
  item_count          INTEGER NOT NULL DEFAULT 0,
  subtotal_cents      INTEGER NOT NULL DEFAULT 0,
  shipping_cents      INTEGER NOT NULL DEFAULT 0,
  total_cents         INTEGER NOT NULL DEFAULT 0,
  cancel_reason       TEXT,
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  paid_at             TEXT
);
CREATE INDEX IF NOT EXISTS orders_by_customer ON orders(customer_id, id);
CREATE INDEX IF NOT EXISTS orders_by_status ON orders(status);
CREATE INDEX IF NOT EXISTS orders_by_created ON orders(created_at);
CREATE TABLE IF NOT EXISTS order_items (
  order_id         INTEGER NOT NULL REFERENCES orders(id),
  book_id          INTEGER NOT NULL REFERENCES books(id),
  title            TEXT NOT NULL,
  quantity         INTEGER NOT NULL CHECK (quantity > 0),
  unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
  PRIMARY KEY (order_id, book_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS order_items_by_book ON order_items(book_id);
CREATE TABLE IF NOT EXISTS order_status_history (
  id          INTEGER PRIMARY KEY,
  order_id    INTEGER NOT NULL REFERENCES orders(id),
  from_status TEXT,
  to_status   TEXT NOT NULL,
  note        TEXT,
  created_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS order_status_history_by_order ON order_status_history(order_id, id);
)sql";

}  // namespace

std::string schemaDdl() { return kOrdersDdl; }

}  // namespace bookstore::orders
