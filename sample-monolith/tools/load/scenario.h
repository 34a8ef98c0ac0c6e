// The traffic mix: a read-heavy shopper session against the bookstore API.
//
// Each call to Scenario::step() performs one user action (one to three HTTP
// requests) chosen by weight, and records every request in Stats. A Scenario
// belongs to one worker thread (its own httplib::Client, keep-alive, and its
// own deterministic PRNG).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <httplib.h>

#include "stats.h"

namespace bookstore::load {

/// What the workers need to know about the target, discovered once.
struct Catalog {
  int64_t books = 0;                  // ids 1..books are assumed to exist
  std::vector<int64_t> customer_ids;  // active customers (with an address, as seeded)
};

/// Asks the server for the book count and some active customers; false with
/// an error message when it does not answer like a bookstore.
bool discover(const std::string& url, Catalog* catalog, std::string* error);

class Scenario {
 public:
  Scenario(const std::string& url, const Catalog& catalog, uint64_t seed, Stats& stats);

  void step();

 private:
  uint64_t next();
  int64_t between(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1)); }
  int64_t anyBook() { return between(1, catalog_.books); }
  int64_t anyCustomer();

  int get(const std::string& endpoint, const std::string& path, std::string* body = nullptr);
  int send(const char* method, const std::string& endpoint, const std::string& path, const std::string& json,
           std::string* body = nullptr);

  void browse();
  void viewBook();
  void readReviews();
  void search();
  void cartSession();
  void placeOrder();
  void checkOrders();
  void viewCustomer();
  void quoteShipping();
  void viewStock();
  void reports();

  httplib::Client client_;
  const Catalog& catalog_;
  uint64_t state_;
  Stats& stats_;
};

}  // namespace bookstore::load
