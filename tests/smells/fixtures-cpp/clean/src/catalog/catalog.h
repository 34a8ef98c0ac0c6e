#pragma once
struct sqlite3;
namespace catalog {
int price(sqlite3* db, int book_id);
}  // namespace catalog
