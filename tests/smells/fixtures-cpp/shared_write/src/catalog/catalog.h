#pragma once
struct sqlite3;
namespace catalog {
void createSchema(sqlite3* db);
void addBook(sqlite3* db, const char* title);
}  // namespace catalog
