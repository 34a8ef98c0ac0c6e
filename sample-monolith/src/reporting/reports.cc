// The reports. Queries are assembled from table-name constants and fixed
// fragments with std::string concatenation; client values are always bound.
#include <sqlite3.h>

#include <chrono>
#include <string>

#include "common/clock.h"
#include "common/errors.h"
#include "common/http.h"
#include "reporting/reporting_internal.h"

namespace bookstore::reporting {
namespace {

const std::string kOrders = "orders";
const std::string kOrderItems = "order_items";
const std::string kBooks = "books";
const std::string kCategories = "categories";
// Orders that count as revenue.
const std::string kRevenueStatuses = "('paid', 'shipped', 'delivered')";

}  // namespace

Json salesReport(Db& db, const DateRange& range, const std::string& group) {
  std::string key;
  std::string from = " FROM " + kOrders + " o";
  if (group == "day") key = "substr(o.created_at, 1, 10)";
  else if (group == "month") key = "substr(o.created_at, 1, 7)";
  else if (group == "category") {
    key = "COALESCE(c.name, 'Uncategorised')";
    from += " JOIN " + kOrderItems + " oi ON oi.order_id = o.id JOIN " + kBooks + " b ON b.id = oi.book_id LEFT JOIN " +
            kCategories + " c ON c.id = b.category_id";
  } else {
    throw AppError::badRequest("group must be day, month or category");
  }
  std::string revenue = group == "category" ? "SUM(oi.quantity * oi.unit_price_cents)" : "SUM(o.total_cents)";
  std::string units = group == "category" ? "SUM(oi.quantity)" : "SUM(o.item_count)";
  std::string sql = "SELECT " + key + " AS bucket, COUNT(DISTINCT o.id) AS orders, " + units + " AS units, " + revenue +
                    " AS revenue_cents" + from + " WHERE o.status IN " + kRevenueStatuses +
                    " AND o.created_at >= ? AND o.created_at < date(?, '+1 day')"
                    " GROUP BY bucket ORDER BY bucket";
  auto rows = db.query(sql, {range.from, range.to});
  int64_t revenue_total = 0;
  for (const auto& row : rows) revenue_total += row.integer("revenue_cents");
  return Json{{"from", range.from}, {"to", range.to},       {"group", group},
              {"rows", toJson(rows)}, {"revenue_cents", revenue_total}};
}

Json topBooks(Db& db, const DateRange& range, int limit) {
  std::string sql =
      "SELECT b.id AS book_id, b.title, b.rating_avg, SUM(oi.quantity) AS units, "
      "SUM(oi.quantity * oi.unit_price_cents) AS revenue_cents, "
      "(SELECT COUNT(*) FROM reviews r WHERE r.book_id = b.id AND r.status = 'approved') AS reviews"
      " FROM " + kOrderItems + " oi JOIN " + kOrders + " o ON o.id = oi.order_id JOIN " + kBooks +
      " b ON b.id = oi.book_id WHERE o.status IN " + kRevenueStatuses +
      " AND o.created_at >= ? AND o.created_at < date(?, '+1 day')"
      " GROUP BY b.id ORDER BY units DESC, revenue_cents DESC, b.id LIMIT ?";
  return Json{{"from", range.from}, {"to", range.to}, {"rows", toJson(db.query(sql, {range.from, range.to, limit}))}};
}

Json stockReport(Db& db, bool low_only) {
  std::string sql =
      "SELECT v.book_id, v.title, v.on_hand, v.reserved, v.available, v.reorder_level, "
      "(SELECT COUNT(*) FROM reservations r WHERE r.book_id = v.book_id AND r.status = 'active') AS open_reservations, "
      "(SELECT COALESCE(-SUM(m.delta), 0) FROM stock_movements m WHERE m.book_id = v.book_id AND m.reason = 'sale') "
      "AS units_sold FROM book_stock_view v WHERE v.active = 1";
  if (low_only) sql += " AND v.available <= v.reorder_level";
  sql += " ORDER BY v.available, v.book_id LIMIT 500";
  auto rows = db.query(sql);
  int64_t value = db.queryInt("SELECT SUM(s.on_hand * b.price_cents) FROM stock s JOIN books b ON b.id = s.book_id");
  return Json{{"rows", toJson(rows)}, {"stock_value_cents", value}};
}

Json customerReport(Db& db, int64_t customer_id) {
  auto customer = db.queryOne("SELECT id, name, email, status, created_at FROM customers WHERE id = ?", {customer_id});
  if (!customer) throw AppError::notFound("customer " + std::to_string(customer_id) + " not found");
  Json report = customer->json();
  report["orders"] = db.queryOne(
                           "SELECT COUNT(*) AS count, COALESCE(SUM(total_cents), 0) AS total_cents, "
                           "MAX(created_at) AS last_order_at FROM orders WHERE customer_id = ? "
                           "AND status IN ('paid', 'shipped', 'delivered')",
                           {customer_id})
                         ->json();
  report["payments"] = db.queryOne(
                             "SELECT COUNT(*) AS count, SUM(status = 'declined') AS declined, "
                             "COALESCE(SUM(refunded_cents), 0) AS refunded_cents FROM payments WHERE customer_id = ?",
                             {customer_id})
                           ->json();
  report["reviews"] = db.queryOne(
                            "SELECT COUNT(*) AS count, ROUND(AVG(rating), 2) AS average_rating FROM reviews "
                            "WHERE customer_id = ?",
                            {customer_id})
                          ->json();
  report["shipments_in_flight"] = db.queryInt(
      "SELECT COUNT(*) FROM shipments s JOIN orders o ON o.id = s.order_id "
      "WHERE o.customer_id = ? AND s.status <> 'delivered'",
      {customer_id});
  report["open_carts"] =
      db.queryInt("SELECT COUNT(*) FROM carts WHERE customer_id = ? AND status = 'open'", {customer_id});
  report["favourite_category"] = db.queryOne(
      "SELECT c.name, SUM(oi.quantity) AS units FROM orders o JOIN order_items oi ON oi.order_id = o.id "
      "JOIN books b ON b.id = oi.book_id JOIN categories c ON c.id = b.category_id "
      "WHERE o.customer_id = ? GROUP BY c.id ORDER BY units DESC, c.name LIMIT 1",
      {customer_id}).value_or(Row(nullptr)).json();
  return report;
}

Json dashboard(Db& db) {
  // One statement per figure, through the raw API: the oldest code in the
  // module, kept because the dashboard must not allocate a Row per figure.
  static const char* const kFigures[][2] = {
      {"books", "SELECT COUNT(*) FROM books WHERE active = 1"},
      {"authors", "SELECT COUNT(*) FROM authors"},
      {"customers", "SELECT COUNT(*) FROM customers WHERE status = 'active'"},
      {"orders_pending", "SELECT COUNT(*) FROM orders WHERE status = 'pending'"},
      {"orders_paid", "SELECT COUNT(*) FROM orders WHERE status = 'paid'"},
      {"orders_shipped", "SELECT COUNT(*) FROM orders WHERE status = 'shipped'"},
      {"orders_delivered", "SELECT COUNT(*) FROM orders WHERE status = 'delivered'"},
      {"revenue_cents", "SELECT COALESCE(SUM(total_cents), 0) FROM orders WHERE status IN ('paid', 'shipped', 'delivered')"},
      {"refunded_cents", "SELECT COALESCE(SUM(amount_cents), 0) FROM refunds"},
      {"declined_payments", "SELECT COUNT(*) FROM payments WHERE status = 'declined'"},
      {"units_on_hand", "SELECT COALESCE(SUM(on_hand), 0) FROM stock"},
      {"active_reservations", "SELECT COUNT(*) FROM reservations WHERE status = 'active'"},
      {"shipments_in_transit", "SELECT COUNT(*) FROM shipments WHERE status <> 'delivered'"},
      {"reviews_pending", "SELECT COUNT(*) FROM reviews WHERE status = 'pending'"},
      {"open_carts", "SELECT COUNT(*) FROM carts WHERE status = 'open'"},
      {"cart_items", "SELECT COUNT(*) FROM cart_items"},
      {"notifications_queued", "SELECT COUNT(*) FROM outbox WHERE status = 'queued'"},
  };
  Json figures = Json::object();
  for (const auto& figure : kFigures) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db.handle(), figure[1], -1, &stmt, nullptr) != SQLITE_OK) {
      std::string message = sqlite3_errmsg(db.handle());
      sqlite3_finalize(stmt);
      throw DbError(SQLITE_ERROR, message);
    }
    figures[figure[0]] = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
    sqlite3_finalize(stmt);
  }
  figures["generated_at"] = nowIso();
  return figures;
}

void recordRun(Db& db, const std::string& report, const std::string& parameters, int64_t rows,
               int64_t duration_ms) {
  db.exec("INSERT INTO report_runs (report, parameters, row_count, duration_ms, generated_at) VALUES (?, ?, ?, ?, ?)",
          {report, parameters, rows, duration_ms, nowIso()});
}

}  // namespace bookstore::reporting
