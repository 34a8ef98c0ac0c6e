#include "seed.h"

#include <chrono>

#include "catalog/catalog.h"
#include "common/log.h"
#include "common/random.h"
#include "customers/customers.h"
#include "inventory/inventory.h"
#include "notifications/notifications.h"
#include "orders/orders.h"
#include "reviews/reviews.h"
#include "shipping/shipping.h"

namespace bookstore {
namespace {

constexpr uint64_t kSeed = 20240301;
constexpr int kBooks = 2000;
constexpr int kCustomers = 400;
constexpr int kOrders = 600;

}  // namespace

void seedIfEmpty(Db& db) {
  if (catalog::findBook(db, 1)) {
    log::info("database already has data; not seeding");
    return;
  }
  auto started = std::chrono::steady_clock::now();
  Random random(kSeed);
  Transaction tx(db);
  catalog::seed(db, random, kBooks);
  inventory::seed(db, random);
  customers::seed(db, random, kCustomers);
  orders::seed(db, random, kOrders);
  shipping::seed(db, random);
  reviews::seed(db, random);
  notifications::dispatch(db, 1000000);
  tx.commit();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  log::info("seeded " + std::to_string(kBooks) + " books, " + std::to_string(kCustomers) + " customers, " +
            std::to_string(kOrders) + " orders in " + std::to_string(ms.count()) + " ms");
}

}  // namespace bookstore
