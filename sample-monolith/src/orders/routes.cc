// HTTP routes of orders: /api/orders/...
#include "common/clock.h"
#include "common/errors.h"
#include "common/http.h"
#include "common/query_builder.h"
#include "orders/orders.h"

namespace bookstore::orders {
namespace {

const char* const kStatuses[] = {"pending", "paid", "shipped", "delivered", "cancelled"};

bool knownStatus(const std::string& status) {
  for (const char* s : kStatuses) {
    if (status == s) return true;
  }
  return false;
}

}  // namespace

void register_routes(httplib::Server& server, ConnectionPool& pool) {
  using httplib::Request;
  using httplib::Response;

  server.Get("/api/orders", [&pool](const Request& req, Response& res) {
    Paging paging = parsePaging(req);
    Select select("orders");
    select.columns({"id", "customer_id", "status", "item_count", "total_cents", "created_at"});
    Params params;
    if (auto customer_id = queryInt(req, "customer_id", 1, INT64_MAX)) {
      select.where("customer_id = ?");
      params.emplace_back(*customer_id);
    }
    if (auto status = queryString(req, "status")) {
      if (!knownStatus(*status)) throw AppError::badRequest("unknown status '" + *status + "'");
      select.where("status = ?");
      params.emplace_back(*status);
    }
    if (auto from = queryString(req, "from")) {
      if (!isIsoDate(*from)) throw AppError::badRequest("from must be YYYY-MM-DD");
      select.where("created_at >= ?");
      params.emplace_back(*from);
    }
    if (auto to = queryString(req, "to")) {
      if (!isIsoDate(*to)) throw AppError::badRequest("to must be YYYY-MM-DD");
      select.where("created_at < date(?, '+1 day')");
      params.emplace_back(*to);
    }
    auto db = pool.acquire();
    int64_t total = db->queryInt(select.countSql(), params);
    select.orderBy("id DESC").limit(paging.per_page).offset(paging.offset());
    sendJson(res, pageOf(db->query(select.sql(), params), paging, total));
  });
  server.Get(R"(/api/orders/(\d+))", [&pool](const Request& req, Response& res) {
    auto db = pool.acquire();
    sendJson(res, orderDetails(*db, pathId(req)));
  });
  server.Post("/api/orders", [&pool](const Request& req, Response& res) {
    PlaceOrderRequest request = parsePlaceOrder(parseJsonBody(req));
    auto db = pool.acquire();
    int64_t id = placeOrder(*db, request);
    res.set_header("Location", "/api/orders/" + std::to_string(id));
    sendJson(res, orderDetails(*db, id), 201);
  });
  server.Patch(R"(/api/orders/(\d+))", [&pool](const Request& req, Response& res) {
    int64_t id = pathId(req);
    Json body = parseJsonBody(req);
    std::string status = requireString(body, "status", 20);
    if (!knownStatus(status)) throw AppError::invalid("unknown status '" + status + "'");
    auto db = pool.acquire();
    if (status == "cancelled") {
      cancelOrder(*db, id, optionalString(body, "reason", 200).value_or("cancelled by request"));
    } else if (status == "delivered") {
      markDelivered(*db, id);
    } else {
      auto order = findOrder(*db, id);
      if (!order) throw AppError::notFound("order " + std::to_string(id) + " not found");
      throw AppError::conflict("cannot set status '" + status + "' directly; " +
                               (status == "paid" ? "POST /api/payments" : "POST /api/shipping/shipments") +
                               " does that");
    }
    sendJson(res, orderDetails(*db, id));
  });
  server.Post(R"(/api/orders/(\d+)/cancel)", [&pool](const Request& req, Response& res) {
    int64_t id = pathId(req);
    std::string reason = "cancelled by request";
    if (!req.body.empty()) reason = optionalString(parseJsonBody(req), "reason", 200).value_or(reason);
    auto db = pool.acquire();
    cancelOrder(*db, id, reason);
    sendJson(res, orderDetails(*db, id));
  });
  server.Get(R"(/api/orders/(\d+)/history)", [&pool](const Request& req, Response& res) {
    int64_t id = pathId(req);
    auto db = pool.acquire();
    if (!findOrder(*db, id)) throw AppError::notFound("order " + std::to_string(id) + " not found");
    sendJson(res, Json{{"items", toJson(db->query("SELECT from_status, to_status, note, created_at "
                                                  "FROM order_status_history WHERE order_id = ? ORDER BY id",
                                                  {id}))}});
  });
}

}  // namespace bookstore::orders
