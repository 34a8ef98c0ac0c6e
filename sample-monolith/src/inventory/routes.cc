// HTTP routes of inventory: /api/inventory/...
#include "common/clock.h"
#include "common/errors.h"
#include "common/http.h"
#include "common/json_fields.h"
#include "common/query_builder.h"
#include "inventory/inventory.h"

namespace bookstore::inventory {
namespace {

constexpr int64_t kMaxTtlSeconds = 24 * 3600;

Json stockOf(Db& db, int64_t book_id) {
  auto row = db.queryOne(
      "SELECT book_id, title, on_hand, reserved, available, reorder_level FROM book_stock_view WHERE book_id = ?",
      {book_id});
  if (!row) throw AppError::notFound("book " + std::to_string(book_id) + " not found");
  Json stock = row->json();
  stock["active_reservations"] = toJson(db.query(
      "SELECT id, quantity, order_id, expires_at FROM reservations "
      "WHERE book_id = ? AND status = 'active' ORDER BY id",
      {book_id}));
  return stock;
}

Json reservationOf(Db& db, int64_t id) {
  auto row = db.queryOne(
      "SELECT id, book_id, quantity, order_id, status, expires_at, created_at, updated_at "
      "FROM reservations WHERE id = ?",
      {id});
  if (!row) throw AppError::notFound("reservation " + std::to_string(id) + " not found");
  return row->json();
}

}  // namespace

void register_routes(httplib::Server& server, ConnectionPool& pool) {
  using httplib::Request;
  using httplib::Response;

  server.Get("/api/inventory/stock", [&pool](const Request& req, Response& res) {
    Paging paging = parsePaging(req);
    Select select("book_stock_view");
    select.columns({"book_id", "title", "on_hand", "reserved", "available", "reorder_level"});
    if (req.get_param_value("low") == "true") select.where("available <= reorder_level");
    Params params;
    if (auto max = queryInt(req, "max_available", 0, INT64_MAX)) {
      select.where("available <= ?");
      params.emplace_back(*max);
    }
    auto db = pool.acquire();
    int64_t total = db->queryInt(select.countSql(), params);
    select.orderBy("available, book_id").limit(paging.per_page).offset(paging.offset());
    sendJson(res, pageOf(db->query(select.sql(), params), paging, total));
  });
  server.Get(R"(/api/inventory/stock/(\d+))", [&pool](const Request& req, Response& res) {
    auto db = pool.acquire();
    sendJson(res, stockOf(*db, pathId(req)));
  });
  server.Put(R"(/api/inventory/stock/(\d+))", [&pool](const Request& req, Response& res) {
    int64_t book_id = pathId(req);
    Json body = parseJsonBody(req);
    auto on_hand = optionalInt(body, "on_hand", 0, 1000000);
    auto reorder_level = optionalInt(body, "reorder_level", 0, 100000);
    if (!on_hand && !reorder_level) throw AppError::invalid("set 'on_hand' and/or 'reorder_level'");
    auto db = pool.acquire();
    Transaction tx(*db);
    if (on_hand) {
      // A stock count: record the difference as a movement.
      int64_t current = db->queryInt("SELECT on_hand FROM stock WHERE book_id = ?", {book_id}, 0);
      if (*on_hand != current) adjust(*db, book_id, *on_hand - current, "count", "stock count");
    }
    if (reorder_level) {
      stockOf(*db, book_id);  // 404 for unknown books
      db->exec(
          "INSERT INTO stock (book_id, on_hand, reserved, reorder_level, updated_at) VALUES (?, 0, 0, ?, ?) "
          "ON CONFLICT(book_id) DO UPDATE SET reorder_level = excluded.reorder_level, updated_at = excluded.updated_at",
          {book_id, *reorder_level, nowIso()});
    }
    tx.commit();
    sendJson(res, stockOf(*db, book_id));
  });
  server.Post(R"(/api/inventory/stock/(\d+)/adjustments)", [&pool](const Request& req, Response& res) {
    int64_t book_id = pathId(req);
    Json body = parseJsonBody(req);
    int64_t delta = requireInt(body, "delta", -100000, 100000);
    if (delta == 0) throw AppError::invalid("field 'delta' must not be 0");
    std::string reason = optionalString(body, "reason", 40).value_or(delta > 0 ? "restock" : "adjustment");
    std::string reference = optionalString(body, "reference", 200).value_or("");
    auto db = pool.acquire();
    adjust(*db, book_id, delta, reason, reference);
    sendJson(res, stockOf(*db, book_id), 201);
  });
  server.Get(R"(/api/inventory/stock/(\d+)/movements)", [&pool](const Request& req, Response& res) {
    int64_t book_id = pathId(req);
    Paging paging = parsePaging(req);
    auto db = pool.acquire();
    stockOf(*db, book_id);
    int64_t total = db->queryInt("SELECT COUNT(*) FROM stock_movements WHERE book_id = ?", {book_id});
    auto rows = db->query(
        "SELECT id, delta, reason, reference, created_at FROM stock_movements WHERE book_id = ? "
        "ORDER BY id DESC LIMIT ? OFFSET ?",
        {book_id, paging.per_page, paging.offset()});
    sendJson(res, pageOf(rows, paging, total));
  });

  server.Post("/api/inventory/reservations", [&pool](const Request& req, Response& res) {
    Json body = parseJsonBody(req);
    int64_t book_id = requireInt(body, "book_id", 1, INT64_MAX);
    int64_t quantity = requireInt(body, "quantity", 1, 1000);
    int64_t ttl = optionalInt(body, "ttl_seconds", 1, kMaxTtlSeconds).value_or(900);
    auto db = pool.acquire();
    int64_t id = reserve(*db, book_id, quantity, ttl, std::nullopt);
    sendJson(res, reservationOf(*db, id), 201);
  });
  server.Get(R"(/api/inventory/reservations/(\d+))", [&pool](const Request& req, Response& res) {
    auto db = pool.acquire();
    sendJson(res, reservationOf(*db, pathId(req)));
  });
  server.Delete(R"(/api/inventory/reservations/(\d+))", [&pool](const Request& req, Response& res) {
    auto db = pool.acquire();
    release(*db, pathId(req), "released");
    res.status = 204;
  });
  server.Post("/api/inventory/reservations/expire", [&pool](const Request&, Response& res) {
    auto db = pool.acquire();
    sendJson(res, Json{{"expired", expireDue(*db)}});
  });
}

}  // namespace bookstore::inventory
