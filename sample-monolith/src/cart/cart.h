// Cart: a customer's basket and its checkout into an order.
//
// Prices are captured when an item is added and refreshed at checkout (the
// order charges the current catalog price). Carts do not reserve stock; they
// check availability on add, and the order reserves at checkout.
#pragma once

#include <string>

#include <httplib.h>

#include "common/connection_pool.h"
#include "common/db.h"

namespace bookstore::cart {

std::string schemaDdl();
void register_routes(httplib::Server& server, ConnectionPool& pool);

}  // namespace bookstore::cart
