// Tables owned by shipping, with the rate card.
#include "shipping/shipping.h"

namespace bookstore::shipping {
namespace {

constexpr const char* kShippingDdl =
    "CREATE TABLE IF NOT EXISTS shipping_rates ("
    "  zone            TEXT PRIMARY KEY,"
    "  carrier         TEXT NOT NULL,"
    "  base_cents      INTEGER NOT NULL,"
    "  per_kg_cents    INTEGER NOT NULL,"
    "  free_over_cents INTEGER"
    ");"
    "INSERT OR IGNORE INTO shipping_rates (zone, carrier, base_cents, per_kg_cents, free_over_cents) VALUES "
    "  ('domestic', 'Royal Mail', 299, 100, 5000),"
    "  ('eu', 'DHL', 699, 250, 15000),"
    "  ('world', 'FedEx', 1299, 500, NULL);"
    "CREATE TABLE IF NOT EXISTS shipments ("
    "  id              INTEGER PRIMARY KEY,"
    "  order_id        INTEGER NOT NULL UNIQUE REFERENCES orders(id),"
    "  carrier         TEXT NOT NULL,"
    "  tracking_number TEXT NOT NULL UNIQUE,"
    "  zone            TEXT NOT NULL,"
    "  weight_grams    INTEGER NOT NULL,"
    "  cost_cents      INTEGER NOT NULL,"
    "  status          TEXT NOT NULL CHECK (status IN ('label_created', 'in_transit', 'delivered')),"
    "  recipient       TEXT NOT NULL,"
    "  address         TEXT NOT NULL,"
    "  created_at      TEXT NOT NULL,"
    "  updated_at      TEXT NOT NULL,"
    "  delivered_at    TEXT"
    ");"
    "CREATE INDEX IF NOT EXISTS shipments_by_status ON shipments(status);";

}  // namespace

std::string schemaDdl() { return kShippingDdl; }

}  // namespace bookstore::shipping
