// Deterministic sample customers with one or two addresses each.
#include <cctype>
#include <string>
#include <vector>

#include "customers/customers.h"

namespace bookstore::customers {
namespace {

const std::vector<std::string> kGiven = {"Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi",
                                         "Ivan", "Judy", "Mallory", "Niaj", "Olivia", "Peggy", "Rupert",
                                         "Sybil", "Trent", "Victor", "Walter", "Yasmin"};
const std::vector<std::string> kFamily = {"Smith", "Jones", "Garcia", "Müller", "Rossi", "Dubois", "Nowak",
                                          "Silva", "Kim", "Tanaka", "Okafor", "Larsen", "Novak", "Costa"};
struct City {
  const char* name;
  const char* country;
};
const std::vector<City> kCities = {{"London", "GB"},  {"Manchester", "GB"}, {"Edinburgh", "GB"},
                                   {"Paris", "FR"},   {"Berlin", "DE"},     {"Madrid", "ES"},
                                   {"Rome", "IT"},    {"Warsaw", "PL"},     {"New York", "US"},
                                   {"Toronto", "CA"}, {"Tokyo", "JP"},      {"Sydney", "AU"}};

}  // namespace

void seed(Db& db, Random& random, int customers) {
  Transaction tx(db);
  for (int i = 1; i <= customers; ++i) {
    std::string given = random.pick(kGiven);
    std::string family = random.pick(kFamily);
    std::string email = given + "." + std::to_string(i) + "@example.com";
    for (auto& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string created = "2023-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10) + "T09:00:00Z";
    db.exec("INSERT INTO customers (email, name, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            {email, given + " " + family, random.chance(3) ? "closed" : "active", created, created});
    int64_t id = db.lastInsertId();
    int addresses = random.chance(25) ? 2 : 1;
    for (int a = 0; a < addresses; ++a) {
      const City& city = random.pick(kCities);
      db.exec(
          "INSERT INTO addresses (customer_id, line1, line2, city, postal_code, country, is_default, created_at) "
          "VALUES (?, ?, NULL, ?, ?, ?, ?, ?)",
          {id, std::to_string(random.between(1, 200)) + " " + random.pick(kFamily) + " Street", city.name,
           std::to_string(random.between(10000, 99999)), city.country, a == 0 ? 1 : 0, created});
    }
  }
  tx.commit();
}

}  // namespace bookstore::customers
