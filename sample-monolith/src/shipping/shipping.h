// Shipping: rates by zone and weight, quotes, shipments and their tracking.
#pragma once

#include <cstdint>
#include <string>

#include <httplib.h>

#include "common/connection_pool.h"
#include "common/db.h"
#include "common/random.h"

namespace bookstore::shipping {

std::string schemaDdl();
void register_routes(httplib::Server& server, ConnectionPool& pool);
/// Ships most paid sample orders and delivers most of those.
void seed(Db& db, Random& random);

/// "domestic" (GB), "eu" or "world", from an ISO country code.
std::string zoneFor(const std::string& country);
/// base + per started kg, free above the zone's threshold. 422 for an unknown zone.
int64_t quote(Db& db, const std::string& zone, int64_t weight_grams, int64_t subtotal_cents);
/// Creates the shipment of a paid order and marks the order shipped; returns the shipment id.
int64_t createShipment(Db& db, int64_t order_id, const std::string& carrier_override);
/// label_created -> in_transit -> delivered (delivery marks the order delivered).
void advanceShipment(Db& db, int64_t shipment_id, const std::string& status);

}  // namespace bookstore::shipping
