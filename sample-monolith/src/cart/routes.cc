// HTTP routes of the cart: /api/cart/...
#include "cart/cart.h"
#include "cart/cart_internal.h"
#include "common/errors.h"
#include "common/http.h"
#include "common/json_fields.h"
#include "orders/orders.h"

namespace bookstore::cart {

void register_routes(httplib::Server& server, ConnectionPool& pool) {
  using httplib::Request;
  using httplib::Response;

  server.Get("/api/cart", [&pool](const Request& req, Response& res) {
    auto customer_id = queryInt(req, "customer_id", 1, INT64_MAX);
    auto status = queryString(req, "status");
    if (status && *status != "open" && *status != "checked_out" && *status != "abandoned") {
      throw AppError::badRequest("status must be open, checked_out or abandoned");
    }
    Paging paging = parsePaging(req);
    auto db = pool.acquire();
    sendJson(res, listCarts(*db, customer_id, status, paging));
  });
  server.Post("/api/cart", [&pool](const Request& req, Response& res) {
    Json body = parseJsonBody(req);
    int64_t customer_id = requireInt(body, "customer_id", 1, INT64_MAX);
    auto db = pool.acquire();
    sendJson(res, createCart(*db, customer_id), 201);
  });
  server.Get(R"(/api/cart/(\d+))", [&pool](const Request& req, Response& res) {
    auto db = pool.acquire();
    sendJson(res, cartDetails(*db, pathId(req)));
  });
  server.Delete(R"(/api/cart/(\d+))", [&pool](const Request& req, Response& res) {
    auto db = pool.acquire();
    abandonCart(*db, pathId(req));
    res.status = 204;
  });
  server.Post(R"(/api/cart/(\d+)/items)", [&pool](const Request& req, Response& res) {
    int64_t cart_id = pathId(req);
    Json body = parseJsonBody(req);
    int64_t book_id = requireInt(body, "book_id", 1, INT64_MAX);
    int64_t quantity = requireInt(body, "quantity", 1, 100);
    auto db = pool.acquire();
    sendJson(res, addItem(*db, cart_id, book_id, quantity), 201);
  });
  server.Patch(R"(/api/cart/(\d+)/items/(\d+))", [&pool](const Request& req, Response& res) {
    int64_t cart_id = pathId(req, 1);
    int64_t book_id = pathId(req, 2);
    Json body = parseJsonBody(req);
    int64_t quantity = requireInt(body, "quantity", 1, 100);
    auto db = pool.acquire();
    sendJson(res, setItemQuantity(*db, cart_id, book_id, quantity));
  });
  server.Delete(R"(/api/cart/(\d+)/items/(\d+))", [&pool](const Request& req, Response& res) {
    auto db = pool.acquire();
    removeItem(*db, pathId(req, 1), pathId(req, 2));
    res.status = 204;
  });
  server.Post(R"(/api/cart/(\d+)/checkout)", [&pool](const Request& req, Response& res) {
    int64_t cart_id = pathId(req);
    Json body = req.body.empty() ? Json::object() : parseJsonBody(req);
    auto address_id = optionalInt(body, "address_id", 1, INT64_MAX);
    auto card_number = optionalString(body, "card_number", 40);
    auto db = pool.acquire();
    int64_t order_id = checkout(*db, cart_id, address_id, card_number);
    res.set_header("Location", "/api/orders/" + std::to_string(order_id));
    sendJson(res, orders::orderDetails(*db, order_id), 201);
  });
}

}  // namespace bookstore::cart
