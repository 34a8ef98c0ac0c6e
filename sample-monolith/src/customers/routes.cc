// HTTP routes of customers: /api/customers/...
#include "common/errors.h"
#include "common/http.h"
#include "customers/customers.h"
#include "customers/customers_internal.h"

namespace bookstore::customers {

void register_routes(httplib::Server& server, ConnectionPool& pool) {
  using httplib::Request;
  using httplib::Response;

  server.Get("/api/customers", [&pool](const Request& req, Response& res) {
    auto query = queryString(req, "q");
    auto status = queryString(req, "status");
    if (status && *status != "active" && *status != "closed") {
      throw AppError::badRequest("status must be active or closed");
    }
    Paging paging = parsePaging(req);
    auto db = pool.acquire();
    sendJson(res, listCustomers(*db, query, status, paging));
  });
  server.Get(R"(/api/customers/(\d+))", [&pool](const Request& req, Response& res) {
    auto db = pool.acquire();
    sendJson(res, customerDetails(*db, pathId(req)));
  });
  server.Post("/api/customers", [&pool](const Request& req, Response& res) {
    Json body = parseJsonBody(req);
    auto db = pool.acquire();
    sendJson(res, createCustomer(*db, body), 201);
  });
  server.Patch(R"(/api/customers/(\d+))", [&pool](const Request& req, Response& res) {
    int64_t id = pathId(req);
    Json body = parseJsonBody(req);
    auto db = pool.acquire();
    sendJson(res, updateCustomer(*db, id, body));
  });
  server.Delete(R"(/api/customers/(\d+))", [&pool](const Request& req, Response& res) {
    auto db = pool.acquire();
    closeCustomer(*db, pathId(req));
    res.status = 204;
  });
  server.Get(R"(/api/customers/(\d+)/addresses)", [&pool](const Request& req, Response& res) {
    auto db = pool.acquire();
    sendJson(res, listAddresses(*db, pathId(req)));
  });
  server.Post(R"(/api/customers/(\d+)/addresses)", [&pool](const Request& req, Response& res) {
    int64_t id = pathId(req);
    Json body = parseJsonBody(req);
    auto db = pool.acquire();
    sendJson(res, addAddress(*db, id, body), 201);
  });
  server.Delete(R"(/api/customers/(\d+)/addresses/(\d+))", [&pool](const Request& req, Response& res) {
    auto db = pool.acquire();
    removeAddress(*db, pathId(req, 1), pathId(req, 2));
    res.status = 204;
  });
}

}  // namespace bookstore::customers
