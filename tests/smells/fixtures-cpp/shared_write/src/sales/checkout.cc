#include <sqlite3.h>

namespace sales {

// Decrements catalog's stock column directly: the shared-persistence smell.
void checkout(sqlite3* db, int book_id) {
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "UPDATE books SET stock = stock - 1 WHERE id = ?", -1, &stmt, nullptr);
  sqlite3_bind_int(stmt, 1, book_id);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
}

}  // namespace sales
