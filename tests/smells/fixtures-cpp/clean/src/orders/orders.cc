#include <sqlite3.h>

#include "catalog/catalog.h"

namespace orders {

const char* kBindAddress = "0.0.0.0";  // listen address, not a service address

void add(sqlite3* db, int book_id) {
  sqlite3_exec(db, "CREATE TABLE orders (id INTEGER PRIMARY KEY, total INTEGER)", nullptr, nullptr, nullptr);
  int cents = catalog::price(db, book_id);  // through catalog's API, not its table
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO orders (total) VALUES (?)", -1, &stmt, nullptr);
  sqlite3_bind_int(stmt, 1, cents);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
}

}  // namespace orders
