// Tables and the view owned by inventory.
#include "inventory/inventory.h"

namespace bookstore::inventory {
namespace {

constexpr const char* kInventoryDdl = R"sql(
CREATE TABLE IF NOT EXISTS stock (
  book_id       INTEGER PRIMARY KEY REFERENCES books(id),
  on_hand       INTEGER NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
  reserved      INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  reorder_level INTEGER NOT NULL DEFAULT 5,
  updated_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reservations (
  id         INTEGER PRIMARY KEY,
  book_id    INTEGER NOT NULL REFERENCES books(id),
  quantity   INTEGER NOT NULL CHECK (quantity > 0),
  order_id   INTEGER,
  status     TEXT NOT NULL CHECK (status IN ('active', 'committed', 'released', 'expired')),
  expires_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reservations_by_status ON reservations(status, expires_at);
CREATE INDEX IF NOT EXISTS reservations_by_order ON reservations(order_id);
CREATE TABLE IF NOT EXISTS stock_movements (
  id         INTEGER PRIMARY KEY,
  book_id    INTEGER NOT NULL REFERENCES books(id),
  delta      INTEGER NOT NULL,
  reason     TEXT NOT NULL,
  reference  TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS stock_movements_by_book ON stock_movements(book_id, id);
CREATE VIEW IF NOT EXISTS book_stock_view AS
  SELECT b.id AS book_id, b.title, b.price_cents, b.active,
         COALESCE(s.on_hand, 0) AS on_hand,
         COALESCE(s.reserved, 0) AS reserved,
         COALESCE(s.on_hand, 0) - COALESCE(s.reserved, 0) AS available,
         COALESCE(s.reorder_level, 5) AS reorder_level
  FROM books b LEFT JOIN stock s ON s.book_id = b.id;
)sql";

}  // namespace

std::string schemaDdl() { return kInventoryDdl; }

}  // namespace bookstore::inventory
