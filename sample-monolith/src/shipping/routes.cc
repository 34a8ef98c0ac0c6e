// HTTP routes of shipping: /api/shipping/...
#include <cctype>

#include "catalog/catalog.h"
#include "common/errors.h"
#include "common/http.h"
#include "common/json_fields.h"
#include "common/query_builder.h"
#include "shipping/shipping.h"

namespace bookstore::shipping {
namespace {

Json shipmentOf(Db& db, int64_t id) {
  auto row = db.queryOne(
      "SELECT id, order_id, carrier, tracking_number, zone, weight_grams, cost_cents, status, recipient, "
      "address, created_at, updated_at, delivered_at FROM shipments WHERE id = ?",
      {id});
  if (!row) throw AppError::notFound("shipment " + std::to_string(id) + " not found");
  return row->json();
}

}  // namespace

void register_routes(httplib::Server& server, ConnectionPool& pool) {
  using httplib::Request;
  using httplib::Response;

  server.Get("/api/shipping/rates", [&pool](const Request&, Response& res) {
    auto db = pool.acquire();
    sendJson(res, Json{{"items", toJson(db->query("SELECT zone, carrier, base_cents, per_kg_cents, free_over_cents "
                                                  "FROM shipping_rates ORDER BY base_cents"))}});
  });
  server.Post("/api/shipping/quote", [&pool](const Request& req, Response& res) {
    Json body = parseJsonBody(req);
    std::string country = requireString(body, "country", 2);
    if (country.size() != 2) throw AppError::invalid("field 'country' must be a two-letter ISO code");
    for (auto& c : country) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const Json& items = requireObjectArray(body, "items", 50);
    auto db = pool.acquire();
    int64_t weight = 0;
    int64_t subtotal = 0;
    for (const auto& item : items) {
      int64_t quantity = requireInt(item, "quantity", 1, 100);
      auto book = catalog::findBook(*db, requireInt(item, "book_id", 1, INT64_MAX));
      if (!book) throw AppError::notFound("book " + std::to_string(item["book_id"].get<int64_t>()) + " not found");
      weight += book->weight_grams * quantity;
      subtotal += book->price_cents * quantity;
    }
    std::string zone = zoneFor(country);
    sendJson(res, Json{{"zone", zone}, {"weight_grams", weight}, {"subtotal_cents", subtotal},
                       {"cost_cents", quote(*db, zone, weight, subtotal)}});
  });
  server.Get("/api/shipping/shipments", [&pool](const Request& req, Response& res) {
    Paging paging = parsePaging(req);
    Select select("shipments");
    select.columns({"id", "order_id", "carrier", "tracking_number", "status", "cost_cents", "created_at"});
    Params params;
    if (auto status = queryString(req, "status")) {
      select.where("status = ?");
      params.emplace_back(*status);
    }
    if (auto order_id = queryInt(req, "order_id", 1, INT64_MAX)) {
      select.where("order_id = ?");
      params.emplace_back(*order_id);
    }
    auto db = pool.acquire();
    int64_t total = db->queryInt(select.countSql(), params);
    select.orderBy("id DESC").limit(paging.per_page).offset(paging.offset());
    sendJson(res, pageOf(db->query(select.sql(), params), paging, total));
  });
  server.Get(R"(/api/shipping/shipments/(\d+))", [&pool](const Request& req, Response& res) {
    auto db = pool.acquire();
    sendJson(res, shipmentOf(*db, pathId(req)));
  });
  server.Post("/api/shipping/shipments", [&pool](const Request& req, Response& res) {
    Json body = parseJsonBody(req);
    int64_t order_id = requireInt(body, "order_id", 1, INT64_MAX);
    std::string carrier = optionalString(body, "carrier", 40).value_or("");
    auto db = pool.acquire();
    int64_t id = createShipment(*db, order_id, carrier);
    sendJson(res, shipmentOf(*db, id), 201);
  });
  server.Patch(R"(/api/shipping/shipments/(\d+))", [&pool](const Request& req, Response& res) {
    int64_t id = pathId(req);
    Json body = parseJsonBody(req);
    std::string status = requireString(body, "status", 20);
    if (status != "in_transit" && status != "delivered") {
      throw AppError::invalid("field 'status' must be in_transit or delivered");
    }
    auto db = pool.acquire();
    advanceShipment(*db, id, status);
    sendJson(res, shipmentOf(*db, id));
  });
}

}  // namespace bookstore::shipping
