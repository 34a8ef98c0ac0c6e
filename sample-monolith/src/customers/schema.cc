// Tables owned by customers.
#include "customers/customers.h"

namespace bookstore::customers {
namespace {

static const std::string kCustomersDdl = R"sql(
CREATE TABLE IF NOT EXISTS customers (
  id         INTEGER PRIMARY KEY,
  email      TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name       TEXT NOT NULL,
  status     TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS addresses (
  id          INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  line1       TEXT NOT NULL,
  line2       TEXT,
  city        TEXT NOT NULL,
  postal_code TEXT NOT NULL,
  country     TEXT NOT NULL,
  is_default  INTEGER NOT NULL DEFAULT 0,
  deleted     INTEGER NOT NULL DEFAULT 0,
  created_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS addresses_by_customer ON addresses(customer_id);
)sql";

}  // namespace

std::string schemaDdl() { return kCustomersDdl; }

}  // namespace bookstore::customers
