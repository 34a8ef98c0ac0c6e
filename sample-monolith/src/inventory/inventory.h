// Inventory: stock levels per book, reservations with expiry and the stock
// movement ledger. Also owns book_stock_view (books joined with stock), which
// the catalog and reporting read.
//
// Invariant: stock.reserved equals the sum of quantities of 'active'
// reservations of that book, and available = on_hand - reserved >= 0.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <httplib.h>

#include "common/connection_pool.h"
#include "common/db.h"
#include "common/random.h"

namespace bookstore::inventory {

std::string schemaDdl();
void register_routes(httplib::Server& server, ConnectionPool& pool);
/// A stock row for every book; deterministic for a given generator.
void seed(Db& db, Random& random);

/// on_hand - reserved; 0 when the book has no stock row.
int64_t available(Db& db, int64_t book_id);
/// Holds `quantity` units until now + ttl_seconds. 409 when not enough are available.
int64_t reserve(Db& db, int64_t book_id, int64_t quantity, int64_t ttl_seconds,
                std::optional<int64_t> order_id);
/// Ends an active reservation with `final_status` ('released' or 'expired').
/// 404 unknown, 409 when not active.
void release(Db& db, int64_t reservation_id, const char* final_status);
/// Expires every active reservation past its expiry; returns how many.
int expireDue(Db& db);
/// Adds `delta` to on_hand and records a movement. 409 if it would go below the reserved units.
void adjust(Db& db, int64_t book_id, int64_t delta, const std::string& reason, const std::string& reference);

}  // namespace bookstore::inventory
