// Cart services used by the cart's own routes.
#pragma once

#include <optional>
#include <string>

#include "common/db.h"
#include "common/http.h"

namespace bookstore::cart {

Json cartDetails(Db& db, int64_t cart_id);
Json createCart(Db& db, int64_t customer_id);
Json listCarts(Db& db, std::optional<int64_t> customer_id, std::optional<std::string> status, const Paging& paging);
Json addItem(Db& db, int64_t cart_id, int64_t book_id, int64_t quantity);
Json setItemQuantity(Db& db, int64_t cart_id, int64_t book_id, int64_t quantity);
void removeItem(Db& db, int64_t cart_id, int64_t book_id);
void abandonCart(Db& db, int64_t cart_id);
/// Places an order from the cart's items and closes the cart; returns the order id.
int64_t checkout(Db& db, int64_t cart_id, std::optional<int64_t> address_id, std::optional<std::string> card_number);

}  // namespace bookstore::cart
