#include "catalog/catalog.h"

#include <sqlite3.h>

namespace catalog {

void createSchema(sqlite3* db) {
  sqlite3_exec(db, "CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT, stock INTEGER)", nullptr, nullptr,
               nullptr);
}

void addBook(sqlite3* db, const char* title) {
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO books (title, stock) VALUES (?, 0)", -1, &stmt, nullptr);
  sqlite3_bind_text(stmt, 1, title, -1, SQLITE_TRANSIENT);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
}

}  // namespace catalog
