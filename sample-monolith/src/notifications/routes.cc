// HTTP routes of notifications: /api/notifications/...
#include "common/errors.h"
#include "common/http.h"
#include "common/json_fields.h"
#include "common/query_builder.h"
#include "notifications/notifications.h"

namespace bookstore::notifications {
namespace {

Json messageOf(Db& db, int64_t id) {
  auto row = db.queryOne(
      "SELECT id, kind, customer_id, recipient, subject, body, ref_type, ref_id, status, attempts, "
      "created_at, sent_at FROM outbox WHERE id = ?",
      {id});
  if (!row) throw AppError::notFound("notification " + std::to_string(id) + " not found");
  return row->json();
}

}  // namespace

void register_routes(httplib::Server& server, ConnectionPool& pool) {
  using httplib::Request;
  using httplib::Response;

  server.Get("/api/notifications", [&pool](const Request& req, Response& res) {
    Paging paging = parsePaging(req);
    Select select("outbox");
    select.columns({"id", "kind", "customer_id", "recipient", "subject", "status", "created_at", "sent_at"});
    Params params;
    if (auto status = queryString(req, "status")) {
      if (*status != "queued" && *status != "sent" && *status != "cancelled") {
        throw AppError::badRequest("status must be queued, sent or cancelled");
      }
      select.where("status = ?");
      params.emplace_back(*status);
    }
    if (auto customer_id = queryInt(req, "customer_id", 1, INT64_MAX)) {
      select.where("customer_id = ?");
      params.emplace_back(*customer_id);
    }
    if (auto kind = queryString(req, "kind")) {
      select.where("kind = ?");
      params.emplace_back(*kind);
    }
    auto db = pool.acquire();
    int64_t total = db->queryInt(select.countSql(), params);
    select.orderBy("id DESC").limit(paging.per_page).offset(paging.offset());
    sendJson(res, pageOf(db->query(select.sql(), params), paging, total));
  });
  server.Get(R"(/api/notifications/(\d+))", [&pool](const Request& req, Response& res) {
    auto db = pool.acquire();
    sendJson(res, messageOf(*db, pathId(req)));
  });
  server.Post("/api/notifications", [&pool](const Request& req, Response& res) {
    Json body = parseJsonBody(req);
    int64_t customer_id = requireInt(body, "customer_id", 1, INT64_MAX);
    Json vars = {{"subject", requireString(body, "subject", 200)}, {"body", requireString(body, "body", 10000)}};
    auto db = pool.acquire();
    int64_t id = enqueue(*db, "custom", customer_id, "manual", 0, vars);
    sendJson(res, messageOf(*db, id), 201);
  });
  server.Delete(R"(/api/notifications/(\d+))", [&pool](const Request& req, Response& res) {
    int64_t id = pathId(req);
    auto db = pool.acquire();
    Transaction tx(*db);
    Json message = messageOf(*db, id);
    if (message["status"] != "queued") throw AppError::conflict("notification " + std::to_string(id) + " was already " + message["status"].get<std::string>());
    db->exec("UPDATE outbox SET status = 'cancelled' WHERE id = ?", {id});
    tx.commit();
    res.status = 204;
  });
  server.Post("/api/notifications/dispatch", [&pool](const Request& req, Response& res) {
    int limit = 100;
    if (!req.body.empty()) {
      Json body = parseJsonBody(req);
      limit = static_cast<int>(optionalInt(body, "limit", 1, 10000).value_or(100));
    }
    auto db = pool.acquire();
    sendJson(res, Json{{"sent", dispatch(*db, limit)}});
  });
  server.Get("/api/notifications/templates", [&pool](const Request&, Response& res) {
    auto db = pool.acquire();
    sendJson(res, Json{{"items", toJson(db->query("SELECT kind, subject, body FROM email_templates ORDER BY kind"))}});
  });
  server.Put(R"(/api/notifications/templates/([a-z_]+))", [&pool](const Request& req, Response& res) {
    std::string kind = req.matches[1];
    Json body = parseJsonBody(req);
    std::string subject = requireString(body, "subject", 200);
    std::string text = requireString(body, "body", 10000);
    auto db = pool.acquire();
    if (db->exec("UPDATE email_templates SET subject = ?, body = ? WHERE kind = ?", {subject, text, kind}) == 0) {
      throw AppError::notFound("no e-mail template '" + kind + "'");
    }
    sendJson(res, Json{{"kind", kind}, {"subject", subject}, {"body", text}});
  });
}

}  // namespace bookstore::notifications
