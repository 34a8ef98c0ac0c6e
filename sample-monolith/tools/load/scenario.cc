#include "scenario.h"

#include <chrono>

#include <nlohmann/json.hpp>

namespace bookstore::load {
namespace {

using Json = nlohmann::json;

const char* const kSearchWords[] = {"River", "Garden", "Silent", "Library", "Machine", "Winter", "Empire"};

}  // namespace

bool discover(const std::string& url, Catalog* catalog, std::string* error) {
  httplib::Client client(url);
  client.set_connection_timeout(5);
  client.set_read_timeout(10);
  auto books = client.Get("/api/catalog/books?per_page=1&include_inactive=true");
  if (!books || books->status != 200) {
    *error = "GET /api/catalog/books failed: " + (books ? std::to_string(books->status) : httplib::to_string(books.error()));
    return false;
  }
  Json page = Json::parse(books->body, nullptr, false);
  if (page.is_discarded() || !page.contains("total")) {
    *error = "GET /api/catalog/books did not return a page";
    return false;
  }
  catalog->books = page["total"].get<int64_t>();
  auto customers = client.Get("/api/customers?status=active&per_page=100");
  if (!customers || customers->status != 200) {
    *error = "GET /api/customers failed";
    return false;
  }
  Json list = Json::parse(customers->body, nullptr, false);
  if (!list.is_discarded() && list.contains("items")) {
    for (const auto& c : list["items"]) catalog->customer_ids.push_back(c["id"].get<int64_t>());
  }
  if (catalog->books == 0 || catalog->customer_ids.empty()) {
    *error = "the bookstore has no books or customers (start it with --seed)";
    return false;
  }
  return true;
}

Scenario::Scenario(const std::string& url, const Catalog& catalog, uint64_t seed, Stats& stats)
    : client_(url), catalog_(catalog), state_(seed), stats_(stats) {
  client_.set_keep_alive(true);
  client_.set_connection_timeout(5);
  client_.set_read_timeout(30);
}

uint64_t Scenario::next() {
  // SplitMix64, as the server's seeder: reproducible across platforms.
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

int64_t Scenario::anyCustomer() {
  return catalog_.customer_ids[static_cast<size_t>(between(0, static_cast<int64_t>(catalog_.customer_ids.size()) - 1))];
}

int Scenario::get(const std::string& endpoint, const std::string& path, std::string* body) {
  auto started = std::chrono::steady_clock::now();
  auto res = client_.Get(path.c_str());
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  int status = res ? res->status : 0;
  stats_.record("GET " + endpoint, status, ms);
  if (res && body) *body = res->body;
  return status;
}

int Scenario::send(const char* method, const std::string& endpoint, const std::string& path, const std::string& json,
                   std::string* body) {
  auto started = std::chrono::steady_clock::now();
  httplib::Result res = std::string(method) == "PATCH" ? client_.Patch(path.c_str(), json, "application/json")
                                                        : client_.Post(path.c_str(), json, "application/json");
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  int status = res ? res->status : 0;
  stats_.record(std::string(method) + " " + endpoint, status, ms);
  if (res && body) *body = res->body;
  return status;
}

void Scenario::step() {
  // Weights out of 100: mostly reads, like a real shop.
  int64_t roll = between(1, 100);
  if (roll <= 28) browse();
  else if (roll <= 52) viewBook();
  else if (roll <= 63) readReviews();
  else if (roll <= 68) search();
  else if (roll <= 75) cartSession();
  else if (roll <= 79) placeOrder();
  else if (roll <= 85) checkOrders();
  else if (roll <= 89) viewCustomer();
  else if (roll <= 92) quoteShipping();
  else if (roll <= 98) viewStock();
  else reports();
}

void Scenario::browse() {
  std::string path = "/api/catalog/books?page=" + std::to_string(between(1, 50)) + "&per_page=20";
  if (between(0, 1)) path += "&category_id=" + std::to_string(between(1, 24));
  if (between(0, 3) == 0) path += "&sort=rating";
  get("/api/catalog/books", path);
}

void Scenario::viewBook() { get("/api/catalog/books/{id}", "/api/catalog/books/" + std::to_string(anyBook())); }

void Scenario::readReviews() {
  get("/api/reviews?book_id", "/api/reviews?book_id=" + std::to_string(anyBook()));
}

void Scenario::search() {
  get("/api/catalog/books?q", std::string("/api/catalog/books?q=") + kSearchWords[between(0, 6)]);
}

void Scenario::cartSession() {
  std::string body;
  if (send("POST", "/api/cart", "/api/cart", Json{{"customer_id", anyCustomer()}}.dump(), &body) != 201) return;
  Json cart = Json::parse(body, nullptr, false);
  if (cart.is_discarded() || !cart.contains("id")) return;
  std::string base = "/api/cart/" + std::to_string(cart["id"].get<int64_t>());
  send("POST", "/api/cart/{id}/items", base + "/items", Json{{"book_id", anyBook()}, {"quantity", 1}}.dump());
  get("/api/cart/{id}", base);
  if (between(1, 4) == 1) {
    send("POST", "/api/cart/{id}/checkout", base + "/checkout", Json{{"card_number", "4242424242424242"}}.dump());
  }
}

void Scenario::placeOrder() {
  Json items = Json::array();
  items.push_back({{"book_id", anyBook()}, {"quantity", between(1, 2)}});
  if (between(0, 1)) items.push_back({{"book_id", anyBook()}, {"quantity", 1}});
  Json order = {{"customer_id", anyCustomer()}, {"items", items}, {"card_number", "4242424242424242"}};
  std::string body;
  if (send("POST", "/api/orders", "/api/orders", order.dump(), &body) != 201) return;
  Json placed = Json::parse(body, nullptr, false);
  if (!placed.is_discarded() && placed.contains("id")) {
    get("/api/orders/{id}", "/api/orders/" + std::to_string(placed["id"].get<int64_t>()));
  }
}

void Scenario::checkOrders() {
  get("/api/orders?customer_id", "/api/orders?customer_id=" + std::to_string(anyCustomer()));
}

void Scenario::viewCustomer() { get("/api/customers/{id}", "/api/customers/" + std::to_string(anyCustomer())); }

void Scenario::quoteShipping() {
  static const char* const kCountries[] = {"GB", "FR", "US", "DE", "JP"};
  Json quote = {{"country", kCountries[between(0, 4)]}, {"items", {{{"book_id", anyBook()}, {"quantity", between(1, 3)}}}}};
  send("POST", "/api/shipping/quote", "/api/shipping/quote", quote.dump());
}

void Scenario::viewStock() {
  get("/api/inventory/stock/{id}", "/api/inventory/stock/" + std::to_string(anyBook()));
}

void Scenario::reports() {
  if (between(0, 1)) get("/api/reporting/dashboard", "/api/reporting/dashboard");
  else get("/api/reporting/top-books", "/api/reporting/top-books?limit=10");
}

}  // namespace bookstore::load
