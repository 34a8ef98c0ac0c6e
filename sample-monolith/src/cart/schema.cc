// Tables owned by the cart.
#include "cart/cart.h"

namespace bookstore::cart {
namespace {

constexpr const char* kCartDdl = R"sql(
CREATE TABLE IF NOT EXISTS carts (
  id          INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  status      TEXT NOT NULL CHECK (status IN ('open', 'checked_out', 'abandoned')),
  order_id    INTEGER,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS carts_by_customer ON carts(customer_id, status);
CREATE TABLE IF NOT EXISTS cart_items (
  cart_id          INTEGER NOT NULL REFERENCES carts(id),
  book_id          INTEGER NOT NULL REFERENCES books(id),
  quantity         INTEGER NOT NULL CHECK (quantity > 0),
  unit_price_cents INTEGER NOT NULL,
  added_at         TEXT NOT NULL,
  PRIMARY KEY (cart_id, book_id)
) WITHOUT ROWID;
)sql";

}  // namespace

std::string schemaDdl() { return kCartDdl; }

}  // namespace bookstore::cart
