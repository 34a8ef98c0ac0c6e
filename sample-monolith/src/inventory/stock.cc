// Stock levels, adjustments and reservations.
#include <sqlite3.h>

#include <string>

#include "common/clock.h"
#include "common/errors.h"
#include "common/log.h"
#include "inventory/inventory.h"

namespace bookstore::inventory {
namespace {

#define SQL_ENSURE_STOCK_ROW \
  "INSERT OR IGNORE INTO stock (book_id, on_hand, reserved, reorder_level, updated_at) VALUES (?, 0, 0, 5, ?)"
#define SQL_INSERT_MOVEMENT \
  "INSERT INTO stock_movements (book_id, delta, reason, reference, created_at) VALUES (?, ?, ?, ?, ?)"

void requireBook(Db& db, int64_t book_id) {
  if (db.queryInt("SELECT COUNT(*) FROM books WHERE id = ?", {book_id}) == 0) {
    throw AppError::notFound("book " + std::to_string(book_id) + " not found");
  }
}

}  // namespace

int64_t available(Db& db, int64_t book_id) {
  return db.queryInt("SELECT on_hand - reserved FROM stock WHERE book_id = ?", {book_id}, 0);
}

int64_t reserve(Db& db, int64_t book_id, int64_t quantity, int64_t ttl_seconds,
                std::optional<int64_t> order_id) {
  if (quantity <= 0) throw AppError::invalid("quantity must be positive");
  Transaction tx(db);
  requireBook(db, book_id);
  std::string now = nowIso();
  // The guard in the WHERE clause makes check-and-reserve one atomic step.
  int changed = db.exec(
      "UPDATE stock SET reserved = reserved + ?, updated_at = ? "
      "WHERE book_id = ? AND on_hand - reserved >= ?",
      {quantity, now, book_id, quantity});
  if (changed == 0) {
    throw AppError::conflict("insufficient stock for book " + std::to_string(book_id) + ": " +
                             std::to_string(available(db, book_id)) + " available, " +
                             std::to_string(quantity) + " requested");
  }
  db.exec(
      "INSERT INTO reservations (book_id, quantity, order_id, status, expires_at, created_at, updated_at) "
      "VALUES (?, ?, ?, 'active', ?, ?, ?)",
      {book_id, quantity, order_id, isoAfter(ttl_seconds), now, now});
  int64_t id = db.lastInsertId();
  tx.commit();
  return id;
}

void release(Db& db, int64_t reservation_id, const char* final_status) {
  Transaction tx(db);
  auto row = db.queryOne("SELECT book_id, quantity, status FROM reservations WHERE id = ?", {reservation_id});
  if (!row) throw AppError::notFound("reservation " + std::to_string(reservation_id) + " not found");
  if (row->text("status") != "active") {
    throw AppError::conflict("reservation " + std::to_string(reservation_id) + " is " + row->text("status"));
  }
  std::string now = nowIso();
  db.exec("UPDATE stock SET reserved = reserved - ?, updated_at = ? WHERE book_id = ?",
          {row->integer("quantity"), now, row->integer("book_id")});
  db.exec("UPDATE reservations SET status = ?, updated_at = ? WHERE id = ?", {final_status, now, reservation_id});
  tx.commit();
}

int expireDue(Db& db) {
  // Legacy sweep written straight against the sqlite3 API: collect the due
  // ids first, then release each through release() so the invariant holds.
  std::vector<int64_t> due;
  sqlite3_stmt* stmt = nullptr;
  const char* sql = "SELECT id FROM reservations WHERE status = 'active' AND expires_at < ? ORDER BY id";
  if (sqlite3_prepare_v2(db.handle(), sql, -1, &stmt, nullptr) != SQLITE_OK) {
    throw DbError(sqlite3_errcode(db.handle()), sqlite3_errmsg(db.handle()));
  }
  std::string now = nowIso();
  sqlite3_bind_text(stmt, 1, now.c_str(), -1, SQLITE_TRANSIENT);
  while (sqlite3_step(stmt) == SQLITE_ROW) due.push_back(sqlite3_column_int64(stmt, 0));
  sqlite3_finalize(stmt);

  Transaction tx(db);
  for (int64_t id : due) release(db, id, "expired");
  tx.commit();
  if (!due.empty()) log::info("expired " + std::to_string(due.size()) + " reservations");
  return static_cast<int>(due.size());
}

void adjust(Db& db, int64_t book_id, int64_t delta, const std::string& reason, const std::string& reference) {
  Transaction tx(db);
  requireBook(db, book_id);
  std::string now = nowIso();
  db.exec(SQL_ENSURE_STOCK_ROW, {book_id, now});
  int changed = db.exec(
      "UPDATE stock SET on_hand = on_hand + ?, updated_at = ? "
      "WHERE book_id = ? AND on_hand + ? >= reserved",
      {delta, now, book_id, delta});
  if (changed == 0) {
    throw AppError::conflict("adjustment would leave book " + std::to_string(book_id) +
                             " with fewer units than are reserved");
  }
  db.exec(SQL_INSERT_MOVEMENT, {book_id, delta, reason, reference, now});
  tx.commit();
}

void seed(Db& db, Random& random) {
  Transaction tx(db);
  auto books = db.query("SELECT id FROM books ORDER BY id");
  const std::string when = "2023-01-01T00:00:00Z";
  for (const auto& book : books) {
    int64_t on_hand = random.chance(5) ? 0 : random.between(5, 120);
    db.exec("INSERT INTO stock (book_id, on_hand, reserved, reorder_level, updated_at) VALUES (?, ?, 0, ?, ?)",
            {book.integer("id"), on_hand, random.between(3, 10), when});
    db.exec(SQL_INSERT_MOVEMENT, {book.integer("id"), on_hand, "restock", "seed", when});
  }
  tx.commit();
}

}  // namespace bookstore::inventory
