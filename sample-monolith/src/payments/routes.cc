// HTTP routes of payments: /api/payments/...
#include "common/errors.h"
#include "common/http.h"
#include "common/json_fields.h"
#include "common/query_builder.h"
#include "payments/payments.h"
#include "payments/payments_internal.h"

namespace bookstore::payments {
namespace {

#define SQL_SELECT_PAYMENT                                                                          \
  "SELECT id, order_id, customer_id, amount_cents, refunded_cents, status, card_last4, card_brand, " \
  "gateway_ref, failure_reason, created_at, updated_at FROM payments WHERE id = ?"

Json paymentOf(Db& db, int64_t id) {
  auto row = db.queryOne(SQL_SELECT_PAYMENT, {id});
  if (!row) throw AppError::notFound("payment " + std::to_string(id) + " not found");
  Json payment = row->json();
  payment["refunds"] = toJson(
      db.query("SELECT id, amount_cents, reason, created_at FROM refunds WHERE payment_id = ? ORDER BY id", {id}));
  return payment;
}

}  // namespace

void register_routes(httplib::Server& server, ConnectionPool& pool) {
  using httplib::Request;
  using httplib::Response;

  server.Get("/api/payments", [&pool](const Request& req, Response& res) {
    Paging paging = parsePaging(req);
    Select select("payments");
    select.columns({"id", "order_id", "customer_id", "amount_cents", "refunded_cents", "status", "card_last4",
                    "created_at"});
    Params params;
    if (auto order_id = queryInt(req, "order_id", 1, INT64_MAX)) {
      select.where("order_id = ?");
      params.emplace_back(*order_id);
    }
    if (auto customer_id = queryInt(req, "customer_id", 1, INT64_MAX)) {
      select.where("customer_id = ?");
      params.emplace_back(*customer_id);
    }
    if (auto status = queryString(req, "status")) {
      select.where("status = ?");
      params.emplace_back(*status);
    }
    auto db = pool.acquire();
    int64_t total = db->queryInt(select.countSql(), params);
    select.orderBy("id DESC").limit(paging.per_page).offset(paging.offset());
    sendJson(res, pageOf(db->query(select.sql(), params), paging, total));
  });
  server.Get(R"(/api/payments/(\d+))", [&pool](const Request& req, Response& res) {
    auto db = pool.acquire();
    sendJson(res, paymentOf(*db, pathId(req)));
  });
  server.Post("/api/payments", [&pool](const Request& req, Response& res) {
    Json body = parseJsonBody(req);
    int64_t order_id = requireInt(body, "order_id", 1, INT64_MAX);
    std::string card = requireString(body, "card_number", 40);
    auto db = pool.acquire();
    ChargeResult result = charge(*db, order_id, card);
    if (!result.approved) {
      // The declined attempt is kept (it was committed); the client gets 402.
      sendJson(res, Json{{"error", "payment declined: " + result.failure_reason}, {"payment_id", result.payment_id}},
               402);
      return;
    }
    sendJson(res, paymentOf(*db, result.payment_id), 201);
  });
  server.Post(R"(/api/payments/(\d+)/refunds)", [&pool](const Request& req, Response& res) {
    int64_t id = pathId(req);
    Json body = req.body.empty() ? Json::object() : parseJsonBody(req);
    auto amount = optionalInt(body, "amount_cents", 1, INT64_MAX);
    std::string reason = optionalString(body, "reason", 200).value_or("refund");
    auto db = pool.acquire();
    sendJson(res, refundPayment(*db, id, amount, reason), 201);
  });
  server.Get(R"(/api/payments/(\d+)/refunds)", [&pool](const Request& req, Response& res) {
    int64_t id = pathId(req);
    auto db = pool.acquire();
    sendJson(res, Json{{"items", paymentOf(*db, id)["refunds"]}});
  });
}

}  // namespace bookstore::payments
