// Carts and their items.
#include <string>

#include "cart/cart_internal.h"
#include "catalog/catalog.h"
#include "common/clock.h"
#include "common/errors.h"
#include "common/http.h"
#include "customers/customers.h"
#include "inventory/inventory.h"
#include "orders/orders.h"

namespace bookstore::cart {
namespace {

constexpr int64_t kMaxQuantity = 100;
constexpr int64_t kMaxLines = 50;

Row requireCart(Db& db, int64_t cart_id) {
  auto row = db.queryOne("SELECT id, customer_id, status, order_id FROM carts WHERE id = ?", {cart_id});
  if (!row) throw AppError::notFound("cart " + std::to_string(cart_id) + " not found");
  return *row;
}

Row requireOpenCart(Db& db, int64_t cart_id) {
  Row cart = requireCart(db, cart_id);
  if (cart.text("status") != "open") {
    throw AppError::conflict("cart " + std::to_string(cart_id) + " is " + cart.text("status"));
  }
  return cart;
}

void requireAvailable(Db& db, int64_t book_id, int64_t quantity) {
  int64_t available = inventory::available(db, book_id);
  if (available < quantity) {
    throw AppError::conflict("only " + std::to_string(available) + " copies of book " + std::to_string(book_id) +
                             " available");
  }
}

void touch(Db& db, int64_t cart_id) { db.exec("UPDATE carts SET updated_at = ? WHERE id = ?", {nowIso(), cart_id}); }

}  // namespace

Json cartDetails(Db& db, int64_t cart_id) {
  auto row = db.queryOne("SELECT id, customer_id, status, order_id, created_at, updated_at FROM carts WHERE id = ?",
                         {cart_id});
  if (!row) throw AppError::notFound("cart " + std::to_string(cart_id) + " not found");
  Json cart = row->json();
  Json items = Json::array();
  int64_t subtotal = 0;
  int64_t count = 0;
  for (const auto& item : db.query("SELECT book_id, quantity, unit_price_cents, added_at FROM cart_items "
                                   "WHERE cart_id = ? ORDER BY added_at, book_id",
                                   {cart_id})) {
    Json line = item.json();
    auto book = catalog::findBook(db, item.integer("book_id"));
    line["title"] = book ? book->title : "";
    line["line_total_cents"] = item.integer("quantity") * item.integer("unit_price_cents");
    subtotal += item.integer("quantity") * item.integer("unit_price_cents");
    count += item.integer("quantity");
    items.push_back(std::move(line));
  }
  cart["items"] = std::move(items);
  cart["item_count"] = count;
  cart["subtotal_cents"] = subtotal;
  return cart;
}

Json createCart(Db& db, int64_t customer_id) {
  Transaction tx(db);
  customers::requireActiveCustomer(db, customer_id);
  std::string now = nowIso();
  db.exec("INSERT INTO carts (customer_id, status, created_at, updated_at) VALUES (?, 'open', ?, ?)",
          {customer_id, now, now});
  int64_t id = db.lastInsertId();
  tx.commit();
  return cartDetails(db, id);
}

Json listCarts(Db& db, std::optional<int64_t> customer_id, std::optional<std::string> status, const Paging& paging) {
  std::string where = " WHERE 1 = 1";
  Params params;
  if (customer_id) {
    where += " AND customer_id = ?";
    params.emplace_back(*customer_id);
  }
  if (status) {
    where += " AND status = ?";
    params.emplace_back(*status);
  }
  int64_t total = db.queryInt("SELECT COUNT(*) FROM carts" + where, params);
  params.emplace_back(paging.per_page);
  params.emplace_back(paging.offset());
  auto rows = db.query("SELECT id, customer_id, status, order_id, created_at, updated_at FROM carts" + where +
                           " ORDER BY id DESC LIMIT ? OFFSET ?",
                       params);
  return pageOf(rows, paging, total);
}

Json addItem(Db& db, int64_t cart_id, int64_t book_id, int64_t quantity) {
  Transaction tx(db);
  requireOpenCart(db, cart_id);
  catalog::BookSummary book = catalog::requireActiveBook(db, book_id);
  int64_t current = db.queryInt("SELECT quantity FROM cart_items WHERE cart_id = ? AND book_id = ?", {cart_id, book_id});
  if (current + quantity > kMaxQuantity) {
    throw AppError::invalid("at most " + std::to_string(kMaxQuantity) + " copies of one book per cart");
  }
  if (current == 0 && db.queryInt("SELECT COUNT(*) FROM cart_items WHERE cart_id = ?", {cart_id}) >= kMaxLines) {
    throw AppError::invalid("a cart holds at most " + std::to_string(kMaxLines) + " different books");
  }
  requireAvailable(db, book_id, current + quantity);
  db.exec(
      "INSERT INTO cart_items (cart_id, book_id, quantity, unit_price_cents, added_at) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT(cart_id, book_id) DO UPDATE SET quantity = quantity + excluded.quantity, "
      "unit_price_cents = excluded.unit_price_cents",
      {cart_id, book_id, quantity, book.price_cents, nowIso()});
  touch(db, cart_id);
  tx.commit();
  return cartDetails(db, cart_id);
}

Json setItemQuantity(Db& db, int64_t cart_id, int64_t book_id, int64_t quantity) {
  Transaction tx(db);
  requireOpenCart(db, cart_id);
  if (db.queryInt("SELECT COUNT(*) FROM cart_items WHERE cart_id = ? AND book_id = ?", {cart_id, book_id}) == 0) {
    throw AppError::notFound("book " + std::to_string(book_id) + " is not in cart " + std::to_string(cart_id));
  }
  requireAvailable(db, book_id, quantity);
  db.exec("UPDATE cart_items SET quantity = ? WHERE cart_id = ? AND book_id = ?", {quantity, cart_id, book_id});
  touch(db, cart_id);
  tx.commit();
  return cartDetails(db, cart_id);
}

void removeItem(Db& db, int64_t cart_id, int64_t book_id) {
  Transaction tx(db);
  requireOpenCart(db, cart_id);
  if (db.exec("DELETE FROM cart_items WHERE cart_id = ? AND book_id = ?", {cart_id, book_id}) == 0) {
    throw AppError::notFound("book " + std::to_string(book_id) + " is not in cart " + std::to_string(cart_id));
  }
  touch(db, cart_id);
  tx.commit();
}

void abandonCart(Db& db, int64_t cart_id) {
  Transaction tx(db);
  requireOpenCart(db, cart_id);
  db.exec("UPDATE carts SET status = 'abandoned', updated_at = ? WHERE id = ?", {nowIso(), cart_id});
  tx.commit();
}

int64_t checkout(Db& db, int64_t cart_id, std::optional<int64_t> address_id, std::optional<std::string> card_number) {
  Row cart = requireOpenCart(db, cart_id);
  orders::PlaceOrderRequest request;
  request.customer_id = cart.integer("customer_id");
  request.address_id = address_id;
  request.card_number = std::move(card_number);
  for (const auto& item : db.query("SELECT book_id, quantity FROM cart_items WHERE cart_id = ? ORDER BY book_id",
                                   {cart_id})) {
    request.lines.push_back({item.integer("book_id"), item.integer("quantity")});
  }
  if (request.lines.empty()) throw AppError::conflict("cart " + std::to_string(cart_id) + " is empty");

  // placeOrder commits on its own (so a declined card still leaves its
  // attempt on record); closing the cart is a second, guarded step. If two
  // checkouts race, the loser's order is cancelled again.
  int64_t order_id = orders::placeOrder(db, request);
  int closed = db.exec(
      "UPDATE carts SET status = 'checked_out', order_id = ?, updated_at = ? WHERE id = ? AND status = 'open'",
      {order_id, nowIso(), cart_id});
  if (closed == 0) {
    orders::cancelOrder(db, order_id, "duplicate checkout of cart " + std::to_string(cart_id));
    throw AppError::conflict("cart " + std::to_string(cart_id) + " was checked out concurrently");
  }
  return order_id;
}

}  // namespace bookstore::cart
