// The bookstore's HTTP API, end to end: every module's routes, the bad-input
// cases, and the transactional guarantees (an order that fails writes
// nothing). Each test gets a fresh server and seeded database, or uses
// BOOKSTORE_URL; tests create the rows they change, so they do not depend on
// each other or on the seed's exact content.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "api_client.h"

namespace bookstore_test {
namespace {

constexpr const char* kGoodCard = "4242424242424242";
constexpr const char* kDeclinedCard = "4000000000000002";

class BookstoreApi : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<Server>();
    ASSERT_TRUE(server_->ok()) << server_->error();
    api_ = std::make_unique<Client>(server_->host(), server_->port());
  }

  void TearDown() override {
    api_.reset();
    if (server_ && server_->spawned()) {
      EXPECT_EQ(server_->stop(), 0) << "bookstore did not exit cleanly on SIGTERM";
    }
  }

  Client& api() { return *api_; }

  // An active customer with one address in GB; returns the customer id.
  int64_t newCustomer(const std::string& country = "GB") {
    Reply c = api().post("/api/customers", {{"email", "t" + uniqueSuffix() + "@example.com"}, {"name", "Test Customer"}});
    EXPECT_EQ(c.status, 201) << c.raw;
    int64_t id = c.body.value("id", int64_t{0});
    Reply a = api().post("/api/customers/" + std::to_string(id) + "/addresses",
                         {{"line1", "1 Test Street"}, {"city", "Testville"}, {"postal_code", "T1 1TT"}, {"country", country}});
    EXPECT_EQ(a.status, 201) << a.raw;
    return id;
  }

  // A new book with `stock` units on hand; returns the book id.
  int64_t newBook(int64_t stock, int64_t price_cents = 1500, int64_t weight = 400) {
    Reply b = api().post("/api/catalog/books", {{"isbn", uniqueIsbn()},
                                                {"title", "Test Book " + uniqueSuffix()},
                                                {"price_cents", price_cents},
                                                {"weight_grams", weight},
                                                {"category_id", 1},
                                                {"author_ids", {1}}});
    EXPECT_EQ(b.status, 201) << b.raw;
    int64_t id = b.body.value("id", int64_t{0});
    if (stock > 0) {
      Reply s = api().post("/api/inventory/stock/" + std::to_string(id) + "/adjustments",
                           {{"delta", stock}, {"reason", "restock"}});
      EXPECT_EQ(s.status, 201) << s.raw;
    }
    return id;
  }

  Json stock(int64_t book_id) { return api().get("/api/inventory/stock/" + std::to_string(book_id)).body; }
  int64_t available(int64_t book_id) { return stock(book_id).value("available", int64_t{-1}); }
  int64_t onHand(int64_t book_id) { return stock(book_id).value("on_hand", int64_t{-1}); }
  int64_t orderCount(int64_t customer_id) {
    return api().get("/api/orders?customer_id=" + std::to_string(customer_id)).body.value("total", int64_t{-1});
  }

  Reply order(int64_t customer_id, int64_t book_id, int64_t quantity, const char* card = kGoodCard) {
    Json body = {{"customer_id", customer_id}, {"items", {{{"book_id", book_id}, {"quantity", quantity}}}}};
    if (card) body["card_number"] = card;
    return api().post("/api/orders", body);
  }

  std::unique_ptr<Server> server_;
  std::unique_ptr<Client> api_;
};

// One suite name per module, all sharing the fixture.
class BookstoreHealth : public BookstoreApi {};
class BookstoreCatalog : public BookstoreApi {};
class BookstoreInventory : public BookstoreApi {};
class BookstoreCustomers : public BookstoreApi {};
class BookstoreCart : public BookstoreApi {};
class BookstoreOrders : public BookstoreApi {};
class BookstorePayments : public BookstoreApi {};
class BookstoreShipping : public BookstoreApi {};
class BookstoreReviews : public BookstoreApi {};
class BookstoreNotifications : public BookstoreApi {};
class BookstoreReporting : public BookstoreApi {};
class BookstoreBadInput : public BookstoreApi {};

std::string path(const std::string& prefix, int64_t id, const std::string& suffix = "") {
  return prefix + std::to_string(id) + suffix;
}

// ---------------------------------------------------------------- health

TEST_F(BookstoreHealth, HealthzAnswersOk) {
  Reply r = api().get("/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["status"], "ok");
}

TEST_F(BookstoreHealth, UnknownRouteIsJson404) {
  Reply r = api().get("/api/nothing-here");
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(r.body.contains("error")) << r.raw;
}

TEST_F(BookstoreHealth, SeedFilledTheStore) {
  Reply r = api().get("/api/reporting/dashboard");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_GE(r.body["books"].get<int64_t>(), 1000);
  EXPECT_GE(r.body["customers"].get<int64_t>(), 100);
  EXPECT_GE(r.body["orders_delivered"].get<int64_t>() + r.body["orders_paid"].get<int64_t>(), 100);
}

// ---------------------------------------------------------------- catalog

TEST_F(BookstoreCatalog, ListsBooksInPages) {
  Reply r = api().get("/api/catalog/books?page=2&per_page=5");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["items"].size(), 5u);
  EXPECT_EQ(r.body["page"], 2);
  EXPECT_GT(r.body["total"].get<int64_t>(), 5);
}

TEST_F(BookstoreCatalog, FiltersByCategoryAndPrice) {
  Reply r = api().get("/api/catalog/books?category_id=3&min_price=1000&max_price=3000&per_page=100");
  ASSERT_EQ(r.status, 200) << r.raw;
  for (const auto& book : r.body["items"]) {
    EXPECT_EQ(book["category_id"], 3);
    EXPECT_GE(book["price_cents"].get<int64_t>(), 1000);
    EXPECT_LE(book["price_cents"].get<int64_t>(), 3000);
  }
}

TEST_F(BookstoreCatalog, SearchesTitles) {
  int64_t id = newBook(0);
  std::string title = api().get(path("/api/catalog/books/", id)).body["title"];
  std::string query;
  for (char c : title) query += c == ' ' ? std::string("%20") : std::string(1, c);
  Reply r = api().get("/api/catalog/books?q=" + query);
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.body["total"], 1) << r.raw;
  EXPECT_EQ(r.body["items"][0]["id"], id);
}

TEST_F(BookstoreCatalog, ShowsBookWithAuthorsAndAvailability) {
  int64_t id = newBook(7);
  Reply r = api().get(path("/api/catalog/books/", id));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["available"], 7);
  EXPECT_EQ(r.body["authors"].size(), 1u);
  EXPECT_EQ(r.body["price_cents"], 1500);
}

TEST_F(BookstoreCatalog, UpdatesBook) {
  int64_t id = newBook(0);
  Reply r = api().put(path("/api/catalog/books/", id), {{"price_cents", 2599}, {"title", "Renamed"}});
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["price_cents"], 2599);
  EXPECT_EQ(r.body["title"], "Renamed");
}

TEST_F(BookstoreCatalog, RejectsDuplicateAndInvalidIsbn) {
  std::string isbn = uniqueIsbn();
  Json book = {{"isbn", isbn}, {"title", "Once"}, {"price_cents", 100}};
  EXPECT_EQ(api().post("/api/catalog/books", book).status, 201);
  EXPECT_EQ(api().post("/api/catalog/books", book).status, 409);
  book["isbn"] = "9780000000000";  // wrong check digit
  EXPECT_EQ(api().post("/api/catalog/books", book).status, 422);
}

TEST_F(BookstoreCatalog, DiscontinuedBookCannotBeOrdered) {
  int64_t book = newBook(5);
  EXPECT_EQ(api().del(path("/api/catalog/books/", book)).status, 204);
  EXPECT_EQ(api().get(path("/api/catalog/books/", book)).body["active"], false);
  Reply r = order(newCustomer(), book, 1);
  EXPECT_EQ(r.status, 409) << r.raw;
  EXPECT_EQ(available(book), 5);
}

TEST_F(BookstoreCatalog, ManagesAuthors) {
  Reply created = api().post("/api/catalog/authors", {{"name", "Ursula Test"}, {"bio", "Writes tests."}});
  ASSERT_EQ(created.status, 201) << created.raw;
  int64_t id = created.body["id"];
  Reply patched = api().patch(path("/api/catalog/authors/", id), {{"name", "Ursula K. Test"}});
  EXPECT_EQ(patched.body["name"], "Ursula K. Test");
  EXPECT_EQ(api().get(path("/api/catalog/authors/", id)).status, 200);
  EXPECT_EQ(api().get("/api/catalog/authors?q=Ursula").status, 200);
  EXPECT_EQ(api().get("/api/catalog/authors/999999999").status, 404);
}

TEST_F(BookstoreCatalog, ManagesCategories) {
  std::string name = "Category " + uniqueSuffix();
  Reply created = api().post("/api/catalog/categories", {{"name", name}, {"parent_id", 1}});
  ASSERT_EQ(created.status, 201) << created.raw;
  EXPECT_EQ(api().post("/api/catalog/categories", {{"name", name}}).status, 409);
  EXPECT_EQ(api().post("/api/catalog/categories", {{"name", "x" + name}, {"parent_id", 999999}}).status, 422);
  Reply list = api().get("/api/catalog/categories");
  EXPECT_GE(list.body["items"].size(), 24u);
  EXPECT_EQ(api().get(path("/api/catalog/categories/", created.body["id"].get<int64_t>())).status, 200);
}

// ---------------------------------------------------------------- inventory

TEST_F(BookstoreInventory, AdjustsStockAndKeepsLedger) {
  int64_t book = newBook(10);
  Reply r = api().post(path("/api/inventory/stock/", book, "/adjustments"), {{"delta", -3}, {"reason", "damaged"}});
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_EQ(r.body["on_hand"], 7);
  Reply ledger = api().get(path("/api/inventory/stock/", book, "/movements"));
  ASSERT_EQ(ledger.body["total"], 2);
  EXPECT_EQ(ledger.body["items"][0]["delta"], -3);
  EXPECT_EQ(ledger.body["items"][0]["reason"], "damaged");
}

TEST_F(BookstoreInventory, ReservationHoldsStockUntilReleased) {
  int64_t book = newBook(5);
  Reply r = api().post("/api/inventory/reservations", {{"book_id", book}, {"quantity", 3}, {"ttl_seconds", 600}});
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_EQ(r.body["status"], "active");
  EXPECT_EQ(available(book), 2);
  EXPECT_EQ(api().post("/api/inventory/reservations", {{"book_id", book}, {"quantity", 3}}).status, 409);
  int64_t id = r.body["id"];
  EXPECT_EQ(api().del(path("/api/inventory/reservations/", id)).status, 204);
  EXPECT_EQ(api().get(path("/api/inventory/reservations/", id)).body["status"], "released");
  EXPECT_EQ(api().del(path("/api/inventory/reservations/", id)).status, 409);
  EXPECT_EQ(available(book), 5);
}

TEST_F(BookstoreInventory, ExpiredReservationsAreSwept) {
  int64_t book = newBook(4);
  Reply r = api().post("/api/inventory/reservations", {{"book_id", book}, {"quantity", 4}, {"ttl_seconds", 1}});
  ASSERT_EQ(r.status, 201);
  EXPECT_EQ(available(book), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  Reply sweep = api().post("/api/inventory/reservations/expire", Json::object());
  EXPECT_GE(sweep.body["expired"].get<int64_t>(), 1);
  EXPECT_EQ(api().get(path("/api/inventory/reservations/", r.body["id"].get<int64_t>())).body["status"], "expired");
  EXPECT_EQ(available(book), 4);
}

TEST_F(BookstoreInventory, CannotAdjustBelowReserved) {
  int64_t book = newBook(5);
  ASSERT_EQ(api().post("/api/inventory/reservations", {{"book_id", book}, {"quantity", 4}}).status, 201);
  EXPECT_EQ(api().post(path("/api/inventory/stock/", book, "/adjustments"), {{"delta", -2}}).status, 409);
  EXPECT_EQ(onHand(book), 5);
}

TEST_F(BookstoreInventory, StockCountAndLowStockList) {
  int64_t book = newBook(50);
  Reply r = api().put(path("/api/inventory/stock/", book), {{"on_hand", 2}, {"reorder_level", 10}});
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["on_hand"], 2);
  EXPECT_EQ(r.body["reorder_level"], 10);
  Reply low = api().get("/api/inventory/stock?low=true&per_page=100");
  ASSERT_EQ(low.status, 200);
  for (const auto& s : low.body["items"]) EXPECT_LE(s["available"].get<int64_t>(), s["reorder_level"].get<int64_t>());
}

// ---------------------------------------------------------------- customers

TEST_F(BookstoreCustomers, CreatesReadsAndUpdates) {
  std::string email = "c" + uniqueSuffix() + "@example.com";
  Reply c = api().post("/api/customers", {{"email", email}, {"name", "Ann"}});
  ASSERT_EQ(c.status, 201) << c.raw;
  int64_t id = c.body["id"];
  EXPECT_EQ(api().get(path("/api/customers/", id)).body["email"], email);
  Reply p = api().patch(path("/api/customers/", id), {{"name", "Ann B."}});
  EXPECT_EQ(p.body["name"], "Ann B.");
  EXPECT_EQ(api().post("/api/customers", {{"email", email}, {"name", "Dup"}}).status, 409);
  EXPECT_EQ(api().post("/api/customers", {{"email", "not-an-email"}, {"name", "X"}}).status, 422);
  Reply list = api().get("/api/customers?q=" + email);
  EXPECT_EQ(list.body["total"], 1);
}

TEST_F(BookstoreCustomers, ManagesAddresses) {
  int64_t id = newCustomer();
  Reply second = api().post(path("/api/customers/", id, "/addresses"),
                            {{"line1", "2 Rue"}, {"city", "Paris"}, {"postal_code", "75001"}, {"country", "fr"}, {"is_default", true}});
  ASSERT_EQ(second.status, 201) << second.raw;
  EXPECT_EQ(second.body["country"], "FR");
  Reply list = api().get(path("/api/customers/", id, "/addresses"));
  ASSERT_EQ(list.body["items"].size(), 2u);
  EXPECT_EQ(list.body["items"][0]["id"], second.body["id"]);  // default first
  EXPECT_EQ(api().del(path("/api/customers/", id, "/addresses/" + std::to_string(second.body["id"].get<int64_t>()))).status, 204);
  EXPECT_EQ(api().get(path("/api/customers/", id, "/addresses")).body["items"].size(), 1u);
  EXPECT_EQ(api().post(path("/api/customers/", id, "/addresses"), {{"line1", "x"}, {"city", "y"}, {"postal_code", "z"}, {"country", "France"}}).status, 422);
}

TEST_F(BookstoreCustomers, ClosedCustomerCannotOrder) {
  int64_t id = newCustomer();
  int64_t book = newBook(3);
  EXPECT_EQ(api().del(path("/api/customers/", id)).status, 204);
  EXPECT_EQ(api().get(path("/api/customers/", id)).body["status"], "closed");
  EXPECT_EQ(order(id, book, 1).status, 409);
  EXPECT_EQ(available(book), 3);
}

// ---------------------------------------------------------------- cart

TEST_F(BookstoreCart, AddsUpdatesAndRemovesItems) {
  int64_t customer = newCustomer();
  int64_t book = newBook(10, 1200);
  Reply cart = api().post("/api/cart", {{"customer_id", customer}});
  ASSERT_EQ(cart.status, 201) << cart.raw;
  std::string base = path("/api/cart/", cart.body["id"].get<int64_t>());
  Reply added = api().post(base + "/items", {{"book_id", book}, {"quantity", 2}});
  ASSERT_EQ(added.status, 201) << added.raw;
  EXPECT_EQ(added.body["subtotal_cents"], 2400);
  Reply updated = api().patch(base + "/items/" + std::to_string(book), {{"quantity", 3}});
  EXPECT_EQ(updated.body["item_count"], 3);
  EXPECT_EQ(api().post(base + "/items", {{"book_id", book}, {"quantity", 8}}).status, 409);  // only 10 in stock
  EXPECT_EQ(api().del(base + "/items/" + std::to_string(book)).status, 204);
  EXPECT_EQ(api().get(base).body["items"].size(), 0u);
  EXPECT_EQ(api().del(base + "/items/" + std::to_string(book)).status, 404);
}

TEST_F(BookstoreCart, ChecksOutIntoPaidOrder) {
  int64_t customer = newCustomer();
  int64_t book = newBook(10);
  int64_t cart_id = api().post("/api/cart", {{"customer_id", customer}}).body["id"];
  std::string base = path("/api/cart/", cart_id);
  ASSERT_EQ(api().post(base + "/items", {{"book_id", book}, {"quantity", 4}}).status, 201);
  Reply checkout = api().post(base + "/checkout", {{"card_number", kGoodCard}});
  ASSERT_EQ(checkout.status, 201) << checkout.raw;
  EXPECT_EQ(checkout.body["status"], "paid");
  EXPECT_EQ(onHand(book), 6);
  Reply cart = api().get(base);
  EXPECT_EQ(cart.body["status"], "checked_out");
  EXPECT_EQ(cart.body["order_id"], checkout.body["id"]);
  EXPECT_EQ(api().post(base + "/items", {{"book_id", book}, {"quantity", 1}}).status, 409);
  EXPECT_EQ(api().post(base + "/checkout", Json::object()).status, 409);
}

TEST_F(BookstoreCart, EmptyOrAbandonedCartCannotCheckOut) {
  int64_t customer = newCustomer();
  int64_t cart_id = api().post("/api/cart", {{"customer_id", customer}}).body["id"];
  EXPECT_EQ(api().post(path("/api/cart/", cart_id, "/checkout"), Json::object()).status, 409);
  EXPECT_EQ(api().del(path("/api/cart/", cart_id)).status, 204);
  EXPECT_EQ(api().get(path("/api/cart/", cart_id)).body["status"], "abandoned");
  EXPECT_EQ(api().get("/api/cart?customer_id=" + std::to_string(customer)).body["total"], 1);
}

// ---------------------------------------------------------------- orders

TEST_F(BookstoreOrders, PlacingPaidOrderCommitsStock) {
  int64_t customer = newCustomer();
  int64_t book = newBook(10, 2000, 500);
  Reply r = order(customer, book, 3);
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_EQ(r.body["status"], "paid");
  EXPECT_EQ(r.body["subtotal_cents"], 6000);
  EXPECT_EQ(r.body["shipping_cents"], 0);  // domestic, free over 50.00
  EXPECT_EQ(r.body["total_cents"], 6000);
  EXPECT_EQ(r.body["reservations"][0]["status"], "committed");
  Json s = stock(book);
  EXPECT_EQ(s["on_hand"], 7);
  EXPECT_EQ(s["reserved"], 0);
  Reply payments = api().get("/api/payments?order_id=" + std::to_string(r.body["id"].get<int64_t>()));
  ASSERT_EQ(payments.body["total"], 1);
  EXPECT_EQ(payments.body["items"][0]["status"], "captured");
}

TEST_F(BookstoreOrders, ChargesShippingByZoneAndWeight) {
  int64_t customer = newCustomer("US");
  int64_t book = newBook(10, 1000, 1200);
  Reply r = order(customer, book, 1);
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_EQ(r.body["shipping_cents"], 1299 + 2 * 500);  // world: base + 2 started kg
  EXPECT_EQ(r.body["total_cents"], 1000 + 2299);
}

TEST_F(BookstoreOrders, OrderWithoutCardStaysPendingAndReserves) {
  int64_t customer = newCustomer();
  int64_t book = newBook(5);
  Reply r = order(customer, book, 2, nullptr);
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_EQ(r.body["status"], "pending");
  Json s = stock(book);
  EXPECT_EQ(s["on_hand"], 5);
  EXPECT_EQ(s["reserved"], 2);
  EXPECT_EQ(s["available"], 3);
}

TEST_F(BookstoreOrders, InsufficientStockWritesNothing) {
  int64_t customer = newCustomer();
  int64_t plenty = newBook(50);
  int64_t scarce = newBook(2);
  Json body = {{"customer_id", customer},
               {"card_number", kGoodCard},
               {"items", {{{"book_id", plenty}, {"quantity", 5}}, {{"book_id", scarce}, {"quantity", 3}}}}};
  Reply r = api().post("/api/orders", body);
  EXPECT_EQ(r.status, 409) << r.raw;
  EXPECT_TRUE(r.body.contains("error"));
  // The first line's reservation was rolled back with everything else.
  EXPECT_EQ(stock(plenty)["reserved"], 0);
  EXPECT_EQ(onHand(plenty), 50);
  EXPECT_EQ(available(scarce), 2);
  EXPECT_EQ(orderCount(customer), 0);
  EXPECT_EQ(api().get("/api/payments?customer_id=" + std::to_string(customer)).body["total"], 0);
}

TEST_F(BookstoreOrders, DeclinedCardWritesNothingButTheAttempt) {
  int64_t customer = newCustomer();
  int64_t book = newBook(5);
  Reply r = order(customer, book, 1, kDeclinedCard);
  EXPECT_EQ(r.status, 402) << r.raw;
  EXPECT_EQ(available(book), 5);
  EXPECT_EQ(onHand(book), 5);
  EXPECT_EQ(orderCount(customer), 0);
  Reply attempts = api().get("/api/payments?customer_id=" + std::to_string(customer));
  ASSERT_EQ(attempts.body["total"], 1);
  EXPECT_EQ(attempts.body["items"][0]["status"], "declined");
  EXPECT_TRUE(attempts.body["items"][0]["order_id"].is_null());
}

TEST_F(BookstoreOrders, CancellingPendingOrderReleasesReservation) {
  int64_t customer = newCustomer();
  int64_t book = newBook(5);
  int64_t id = order(customer, book, 4, nullptr).body["id"];
  EXPECT_EQ(available(book), 1);
  Reply r = api().post(path("/api/orders/", id, "/cancel"), {{"reason", "changed my mind"}});
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["status"], "cancelled");
  EXPECT_EQ(available(book), 5);
  EXPECT_EQ(api().post(path("/api/orders/", id, "/cancel"), Json::object()).status, 409);
}

TEST_F(BookstoreOrders, CancellingPaidOrderRefundsAndRestocks) {
  int64_t customer = newCustomer();
  int64_t book = newBook(5);
  Reply placed = order(customer, book, 2);
  ASSERT_EQ(placed.status, 201);
  int64_t id = placed.body["id"];
  EXPECT_EQ(onHand(book), 3);
  Reply r = api().patch(path("/api/orders/", id), {{"status", "cancelled"}});
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(onHand(book), 5);
  Reply payments = api().get("/api/payments?order_id=" + std::to_string(id));
  EXPECT_EQ(payments.body["items"][0]["status"], "refunded");
  Reply history = api().get(path("/api/orders/", id, "/history"));
  ASSERT_EQ(history.body["items"].size(), 3u);
  EXPECT_EQ(history.body["items"][2]["to_status"], "cancelled");
}

TEST_F(BookstoreOrders, RejectsInvalidTransitions) {
  int64_t customer = newCustomer();
  int64_t id = order(customer, newBook(5), 1).body["id"];
  EXPECT_EQ(api().patch(path("/api/orders/", id), {{"status", "delivered"}}).status, 409);  // paid, not shipped
  EXPECT_EQ(api().patch(path("/api/orders/", id), {{"status", "paid"}}).status, 409);
  EXPECT_EQ(api().patch(path("/api/orders/", id), {{"status", "teleported"}}).status, 422);
}

TEST_F(BookstoreOrders, ValidatesLines) {
  int64_t customer = newCustomer();
  int64_t book = newBook(5);
  EXPECT_EQ(order(customer, book, 0).status, 422);
  EXPECT_EQ(order(customer, book, -1).status, 422);
  EXPECT_EQ(order(customer, book, 101).status, 422);
  EXPECT_EQ(order(customer, 999999999, 1).status, 404);
  EXPECT_EQ(order(999999999, book, 1).status, 404);
  EXPECT_EQ(api().post("/api/orders", {{"customer_id", customer}, {"items", Json::array()}}).status, 422);
  EXPECT_EQ(api().post("/api/orders", {{"customer_id", customer}, {"items", {{{"book_id", book}, {"quantity", "2"}}}}}).status, 422);
  EXPECT_EQ(order(customer, book, 1, "1234").status, 422);
  EXPECT_EQ(available(book), 5);
  EXPECT_EQ(orderCount(customer), 0);
}

TEST_F(BookstoreOrders, ListsAndFiltersOrders) {
  int64_t customer = newCustomer();
  int64_t book = newBook(10);
  order(customer, book, 1);
  order(customer, book, 1, nullptr);
  EXPECT_EQ(orderCount(customer), 2);
  Reply pending = api().get("/api/orders?status=pending&customer_id=" + std::to_string(customer));
  EXPECT_EQ(pending.body["total"], 1);
  EXPECT_EQ(api().get("/api/orders?status=bogus").status, 400);
  EXPECT_EQ(api().get("/api/orders/999999999").status, 404);
}

// ---------------------------------------------------------------- payments

TEST_F(BookstorePayments, PaysPendingOrderOnce) {
  int64_t customer = newCustomer();
  int64_t book = newBook(5);
  int64_t id = order(customer, book, 2, nullptr).body["id"];
  Reply paid = api().post("/api/payments", {{"order_id", id}, {"card_number", kGoodCard}});
  ASSERT_EQ(paid.status, 201) << paid.raw;
  EXPECT_EQ(paid.body["status"], "captured");
  EXPECT_EQ(paid.body["card_last4"], "4242");
  EXPECT_EQ(api().get(path("/api/orders/", id)).body["status"], "paid");
  EXPECT_EQ(onHand(book), 3);
  EXPECT_EQ(api().post("/api/payments", {{"order_id", id}, {"card_number", kGoodCard}}).status, 409);
}

TEST_F(BookstorePayments, DeclinedPaymentKeepsOrderPending) {
  int64_t customer = newCustomer();
  int64_t id = order(customer, newBook(5), 1, nullptr).body["id"];
  Reply r = api().post("/api/payments", {{"order_id", id}, {"card_number", "4000000000009995"}});
  EXPECT_EQ(r.status, 402) << r.raw;
  EXPECT_NE(r.body["error"].get<std::string>().find("insufficient_funds"), std::string::npos);
  EXPECT_EQ(api().get(path("/api/orders/", id)).body["status"], "pending");
  Reply declined = api().get(path("/api/payments/", r.body["payment_id"].get<int64_t>()));
  EXPECT_EQ(declined.body["status"], "declined");
}

TEST_F(BookstorePayments, RefundsPartiallyThenFully) {
  int64_t customer = newCustomer();
  Reply placed = order(customer, newBook(5, 3000), 1);
  int64_t payment = api().get("/api/payments?order_id=" + std::to_string(placed.body["id"].get<int64_t>()))
                        .body["items"][0]["id"];
  std::string refunds = path("/api/payments/", payment, "/refunds");
  Reply partial = api().post(refunds, {{"amount_cents", 1000}, {"reason", "damaged cover"}});
  ASSERT_EQ(partial.status, 201) << partial.raw;
  EXPECT_EQ(api().get(path("/api/payments/", payment)).body["status"], "partially_refunded");
  EXPECT_EQ(api().post(refunds, {{"amount_cents", 999999}}).status, 409);
  EXPECT_EQ(api().post(refunds, Json::object()).status, 201);
  Reply full = api().get(path("/api/payments/", payment));
  EXPECT_EQ(full.body["status"], "refunded");
  EXPECT_EQ(full.body["refunded_cents"], full.body["amount_cents"]);
  EXPECT_EQ(api().get(refunds).body["items"].size(), 2u);
  EXPECT_EQ(api().post(refunds, Json::object()).status, 409);
}

TEST_F(BookstorePayments, RejectsBadPaymentRequests) {
  EXPECT_EQ(api().post("/api/payments", {{"order_id", 999999999}, {"card_number", kGoodCard}}).status, 404);
  EXPECT_EQ(api().post("/api/payments", {{"order_id", 1}, {"card_number", "4242424242424241"}}).status, 422);
  EXPECT_EQ(api().post("/api/payments", {{"order_id", 1}}).status, 422);
  EXPECT_EQ(api().get("/api/payments/999999999").status, 404);
}

// ---------------------------------------------------------------- shipping

TEST_F(BookstoreShipping, QuotesByZone) {
  int64_t book = newBook(0, 1000, 1500);
  Reply rates = api().get("/api/shipping/rates");
  EXPECT_EQ(rates.body["items"].size(), 3u);
  Reply gb = api().post("/api/shipping/quote", {{"country", "GB"}, {"items", {{{"book_id", book}, {"quantity", 1}}}}});
  ASSERT_EQ(gb.status, 200) << gb.raw;
  EXPECT_EQ(gb.body["zone"], "domestic");
  EXPECT_EQ(gb.body["cost_cents"], 299 + 2 * 100);
  Reply free = api().post("/api/shipping/quote", {{"country", "gb"}, {"items", {{{"book_id", book}, {"quantity", 5}}}}});
  EXPECT_EQ(free.body["cost_cents"], 0);
  Reply de = api().post("/api/shipping/quote", {{"country", "DE"}, {"items", {{{"book_id", book}, {"quantity", 1}}}}});
  EXPECT_EQ(de.body["zone"], "eu");
}

TEST_F(BookstoreShipping, ShipsAndDeliversPaidOrder) {
  int64_t customer = newCustomer();
  int64_t id = order(customer, newBook(5), 1).body["id"];
  Reply shipment = api().post("/api/shipping/shipments", {{"order_id", id}});
  ASSERT_EQ(shipment.status, 201) << shipment.raw;
  EXPECT_EQ(shipment.body["status"], "label_created");
  EXPECT_EQ(shipment.body["carrier"], "Royal Mail");
  EXPECT_EQ(api().get(path("/api/orders/", id)).body["status"], "shipped");
  EXPECT_EQ(api().post("/api/shipping/shipments", {{"order_id", id}}).status, 409);
  int64_t sid = shipment.body["id"];
  EXPECT_EQ(api().patch(path("/api/shipping/shipments/", sid), {{"status", "in_transit"}}).status, 200);
  Reply delivered = api().patch(path("/api/shipping/shipments/", sid), {{"status", "delivered"}});
  ASSERT_EQ(delivered.status, 200) << delivered.raw;
  EXPECT_FALSE(delivered.body["delivered_at"].is_null());
  EXPECT_EQ(api().get(path("/api/orders/", id)).body["status"], "delivered");
  EXPECT_EQ(api().patch(path("/api/shipping/shipments/", sid), {{"status", "in_transit"}}).status, 409);
  Reply mails = api().get("/api/notifications?customer_id=" + std::to_string(customer) + "&kind=order_shipped");
  EXPECT_EQ(mails.body["total"], 1);
}

TEST_F(BookstoreShipping, PendingOrderCannotShip) {
  int64_t id = order(newCustomer(), newBook(5), 1, nullptr).body["id"];
  EXPECT_EQ(api().post("/api/shipping/shipments", {{"order_id", id}}).status, 409);
  EXPECT_EQ(api().post("/api/shipping/shipments", {{"order_id", 999999999}}).status, 404);
  EXPECT_EQ(api().get("/api/shipping/shipments/999999999").status, 404);
  EXPECT_EQ(api().get("/api/shipping/shipments?status=delivered").status, 200);
}

// ---------------------------------------------------------------- reviews

TEST_F(BookstoreReviews, ModerationDrivesBookRating) {
  int64_t book = newBook(0);
  int64_t a = newCustomer();
  int64_t b = newCustomer();
  Reply first = api().post("/api/reviews", {{"book_id", book}, {"customer_id", a}, {"rating", 5}, {"title", "Great"}, {"body", "Loved it."}});
  ASSERT_EQ(first.status, 201) << first.raw;
  EXPECT_EQ(first.body["status"], "pending");  // not a verified purchase
  EXPECT_EQ(api().get(path("/api/catalog/books/", book)).body["rating_count"], 0);
  Reply second = api().post("/api/reviews", {{"book_id", book}, {"customer_id", b}, {"rating", 2}, {"title", "Meh"}, {"body", "Not for me."}});
  ASSERT_EQ(api().patch(path("/api/reviews/", first.body["id"].get<int64_t>()), {{"status", "approved"}}).status, 200);
  ASSERT_EQ(api().patch(path("/api/reviews/", second.body["id"].get<int64_t>()), {{"status", "approved"}}).status, 200);
  Json details = api().get(path("/api/catalog/books/", book)).body;
  EXPECT_EQ(details["rating_count"], 2);
  EXPECT_DOUBLE_EQ(details["rating_avg"].get<double>(), 3.5);
  Reply summary = api().get(path("/api/reviews/books/", book, "/summary"));
  EXPECT_EQ(summary.body["histogram"]["5"], 1);
  EXPECT_EQ(api().del(path("/api/reviews/", second.body["id"].get<int64_t>())).status, 204);
  EXPECT_DOUBLE_EQ(api().get(path("/api/catalog/books/", book)).body["rating_avg"].get<double>(), 5.0);
}

TEST_F(BookstoreReviews, VerifiedPurchaseIsApprovedAtOnce) {
  int64_t customer = newCustomer();
  int64_t book = newBook(5);
  ASSERT_EQ(order(customer, book, 1).status, 201);
  Reply r = api().post("/api/reviews", {{"book_id", book}, {"customer_id", customer}, {"rating", 4}, {"title", "Good"}, {"body", "Solid."}});
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_EQ(r.body["status"], "approved");
  EXPECT_EQ(r.body["verified_purchase"], true);
  EXPECT_EQ(api().get("/api/reviews?book_id=" + std::to_string(book)).body["total"], 1);
  EXPECT_EQ(api().post("/api/reviews", {{"book_id", book}, {"customer_id", customer}, {"rating", 1}, {"title", "Again"}, {"body", "x"}}).status, 409);
}

TEST_F(BookstoreReviews, ValidatesReviews) {
  int64_t customer = newCustomer();
  int64_t book = newBook(0);
  Json review = {{"book_id", book}, {"customer_id", customer}, {"rating", 6}, {"title", "t"}, {"body", "b"}};
  EXPECT_EQ(api().post("/api/reviews", review).status, 422);
  review["rating"] = 3;
  review["title"] = "   ";
  EXPECT_EQ(api().post("/api/reviews", review).status, 422);
  review["title"] = "ok";
  review["book_id"] = 999999999;
  EXPECT_EQ(api().post("/api/reviews", review).status, 404);
  EXPECT_EQ(api().get("/api/reviews/999999999").status, 404);
  EXPECT_EQ(api().get("/api/reviews?status=maybe").status, 400);
}

// ---------------------------------------------------------------- notifications

TEST_F(BookstoreNotifications, OrdersQueueRenderedMail) {
  int64_t customer = newCustomer();
  int64_t id = order(customer, newBook(5), 1, nullptr).body["id"];
  Reply list = api().get("/api/notifications?kind=order_confirmation&customer_id=" + std::to_string(customer));
  ASSERT_EQ(list.body["total"], 1) << list.raw;
  int64_t mail = list.body["items"][0]["id"];
  Reply message = api().get(path("/api/notifications/", mail));
  EXPECT_EQ(message.body["status"], "queued");
  EXPECT_NE(message.body["subject"].get<std::string>().find("#" + std::to_string(id)), std::string::npos);
  EXPECT_NE(message.body["body"].get<std::string>().find("Test Customer"), std::string::npos);
}

TEST_F(BookstoreNotifications, DispatchesAndCancels) {
  int64_t customer = newCustomer();
  Reply custom = api().post("/api/notifications", {{"customer_id", customer}, {"subject", "Hello"}, {"body", "A note."}});
  ASSERT_EQ(custom.status, 201) << custom.raw;
  EXPECT_EQ(custom.body["subject"], "Hello");
  int64_t keep = custom.body["id"];
  int64_t drop = api().post("/api/notifications", {{"customer_id", customer}, {"subject", "Drop"}, {"body", "x"}}).body["id"];
  EXPECT_EQ(api().del(path("/api/notifications/", drop)).status, 204);
  Reply sent = api().post("/api/notifications/dispatch", {{"limit", 10000}});
  EXPECT_GE(sent.body["sent"].get<int64_t>(), 1);
  EXPECT_EQ(api().get(path("/api/notifications/", keep)).body["status"], "sent");
  EXPECT_EQ(api().get(path("/api/notifications/", drop)).body["status"], "cancelled");
  EXPECT_EQ(api().del(path("/api/notifications/", keep)).status, 409);
  EXPECT_EQ(api().post("/api/notifications", {{"customer_id", 999999999}, {"subject", "x"}, {"body", "y"}}).status, 404);
}

TEST_F(BookstoreNotifications, EditsTemplates) {
  Reply list = api().get("/api/notifications/templates");
  EXPECT_GE(list.body["items"].size(), 8u);
  Json original;
  for (const auto& t : list.body["items"]) {
    if (t["kind"] == "welcome") original = t;
  }
  ASSERT_FALSE(original.is_null());
  Reply put = api().put("/api/notifications/templates/welcome", {{"subject", "Hi {{name}}"}, {"body", "Welcome."}});
  EXPECT_EQ(put.status, 200) << put.raw;
  int64_t customer = newCustomer();
  Reply mails = api().get("/api/notifications?kind=welcome&customer_id=" + std::to_string(customer));
  EXPECT_EQ(mails.body["items"][0]["subject"], "Hi Test Customer");
  EXPECT_EQ(api().put("/api/notifications/templates/nope", {{"subject", "x"}, {"body", "y"}}).status, 404);
  // Leave a shared server (BOOKSTORE_URL) as we found it.
  EXPECT_EQ(api().put("/api/notifications/templates/welcome", {{"subject", original["subject"]}, {"body", original["body"]}}).status, 200);
}

// ---------------------------------------------------------------- reporting

TEST_F(BookstoreReporting, SalesIncludeNewOrders) {
  std::string today = api().get("/api/reporting/dashboard").body["generated_at"].get<std::string>().substr(0, 10);
  std::string url = "/api/reporting/sales?group=day&from=" + today + "&to=" + today;
  Reply before = api().get(url);
  ASSERT_EQ(before.status, 200) << before.raw;
  Reply placed = order(newCustomer(), newBook(5, 4321), 1);
  ASSERT_EQ(placed.status, 201);
  Reply after = api().get(url);
  EXPECT_EQ(after.body["revenue_cents"].get<int64_t>() - before.body["revenue_cents"].get<int64_t>(),
            placed.body["total_cents"].get<int64_t>());
}

TEST_F(BookstoreReporting, ReportsOverSeededHistory) {
  Reply monthly = api().get("/api/reporting/sales?group=month&from=2024-01-01&to=2024-12-31");
  ASSERT_EQ(monthly.status, 200) << monthly.raw;
  Reply by_category = api().get("/api/reporting/sales?group=category");
  EXPECT_EQ(by_category.status, 200);
  Reply top = api().get("/api/reporting/top-books?limit=5");
  ASSERT_EQ(top.status, 200);
  EXPECT_LE(top.body["rows"].size(), 5u);
  Reply stock = api().get("/api/reporting/stock?low=true");
  EXPECT_EQ(stock.status, 200);
  EXPECT_GE(stock.body["stock_value_cents"].get<int64_t>(), 0);
  Reply runs = api().get("/api/reporting/runs");
  EXPECT_GE(runs.body["total"].get<int64_t>(), 4);
}

TEST_F(BookstoreReporting, CustomerReport) {
  int64_t customer = newCustomer();
  ASSERT_EQ(order(customer, newBook(5, 1000), 2).status, 201);
  Reply r = api().get(path("/api/reporting/customers/", customer));
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["orders"]["count"], 1);
  EXPECT_EQ(r.body["payments"]["count"], 1);
  EXPECT_EQ(api().get("/api/reporting/customers/999999999").status, 404);
}

TEST_F(BookstoreReporting, RejectsBadRanges) {
  EXPECT_EQ(api().get("/api/reporting/sales?from=2024-13-01").status, 400);
  EXPECT_EQ(api().get("/api/reporting/sales?from=2024-05-01&to=2024-01-01").status, 400);
  EXPECT_EQ(api().get("/api/reporting/sales?group=week").status, 400);
  EXPECT_EQ(api().get("/api/reporting/top-books?limit=0").status, 400);
}

// ---------------------------------------------------------------- bad input

TEST_F(BookstoreBadInput, MalformedJsonIs400Everywhere) {
  for (const char* route : {"/api/catalog/books", "/api/catalog/authors", "/api/customers", "/api/cart", "/api/orders",
                            "/api/payments", "/api/shipping/shipments", "/api/reviews", "/api/notifications",
                            "/api/inventory/reservations"}) {
    Reply r = api().postRaw(route, "{\"customer_id\": 1,");
    EXPECT_EQ(r.status, 400) << route << ": " << r.raw;
    EXPECT_TRUE(r.body.contains("error")) << route;
    EXPECT_EQ(api().postRaw(route, "[1, 2]").status, 400) << route;
  }
}

TEST_F(BookstoreBadInput, UnknownIdsAre404) {
  for (const char* route : {"/api/catalog/books/999999999", "/api/catalog/categories/999999999",
                            "/api/inventory/stock/999999999", "/api/inventory/reservations/999999999",
                            "/api/customers/999999999", "/api/cart/999999999", "/api/orders/999999999",
                            "/api/orders/999999999/history", "/api/payments/999999999",
                            "/api/shipping/shipments/999999999", "/api/reviews/999999999",
                            "/api/notifications/999999999", "/api/catalog/books/99999999999999999999999"}) {
    Reply r = api().get(route);
    EXPECT_EQ(r.status, 404) << route << ": " << r.raw;
    EXPECT_TRUE(r.body.contains("error")) << route;
  }
}

TEST_F(BookstoreBadInput, BadQueryParametersAre400) {
  EXPECT_EQ(api().get("/api/catalog/books?page=0").status, 400);
  EXPECT_EQ(api().get("/api/catalog/books?per_page=1000").status, 400);
  EXPECT_EQ(api().get("/api/catalog/books?category_id=abc").status, 400);
  EXPECT_EQ(api().get("/api/catalog/books?sort=random").status, 400);
  EXPECT_EQ(api().get("/api/customers?status=zombie").status, 400);
}

TEST_F(BookstoreBadInput, WrongTypesAndRangesAre422) {
  EXPECT_EQ(api().post("/api/catalog/books", {{"isbn", uniqueIsbn()}, {"title", "x"}, {"price_cents", -1}}).status, 422);
  EXPECT_EQ(api().post("/api/catalog/books", {{"isbn", uniqueIsbn()}, {"title", 42}, {"price_cents", 1}}).status, 422);
  EXPECT_EQ(api().post("/api/catalog/books", {{"isbn", uniqueIsbn()}, {"title", "x"}, {"price_cents", 1.5}}).status, 422);
  EXPECT_EQ(api().post("/api/catalog/books", {{"isbn", uniqueIsbn()}, {"title", "x"}, {"price_cents", 18446744073709551615ULL}}).status, 422);
  EXPECT_EQ(api().post("/api/inventory/reservations", {{"book_id", 1}, {"quantity", 0}}).status, 422);
  EXPECT_EQ(api().post("/api/inventory/stock/1/adjustments", {{"delta", 0}}).status, 422);
  EXPECT_EQ(api().post("/api/cart", {{"customer_id", "one"}}).status, 422);
  EXPECT_EQ(api().post("/api/customers", {{"email", std::string(300, 'a') + "@example.com"}, {"name", "x"}}).status, 422);
}

}  // namespace
}  // namespace bookstore_test
