#include "catalog/catalog.h"

#include <sqlite3.h>

namespace catalog {

static void createSchema(sqlite3* db) {
  sqlite3_exec(db, "CREATE TABLE books (id INTEGER PRIMARY KEY, price INTEGER)", nullptr, nullptr, nullptr);
}

int price(sqlite3* db, int book_id) {
  createSchema(db);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "SELECT price FROM books WHERE id = ?", -1, &stmt, nullptr);
  sqlite3_bind_int(stmt, 1, book_id);
  int cents = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : 0;
  sqlite3_finalize(stmt);
  return cents;
}

}  // namespace catalog
