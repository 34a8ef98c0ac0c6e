// HTTP routes of reviews: /api/reviews/...
#include "common/errors.h"
#include "common/http.h"
#include "common/json_fields.h"
#include "reviews/reviews.h"
#include "reviews/reviews_internal.h"

namespace bookstore::reviews {

void register_routes(httplib::Server& server, ConnectionPool& pool) {
  using httplib::Request;
  using httplib::Response;

  server.Get("/api/reviews", [&pool](const Request& req, Response& res) {
    ReviewFilter filter;
    filter.book_id = queryInt(req, "book_id", 1, INT64_MAX);
    filter.customer_id = queryInt(req, "customer_id", 1, INT64_MAX);
    filter.min_rating = queryInt(req, "min_rating", 1, 5);
    if (auto status = queryString(req, "status")) {
      if (*status != "approved" && *status != "pending" && *status != "rejected") {
        throw AppError::badRequest("status must be approved, pending or rejected");
      }
      filter.status = *status;
    }
    Paging paging = parsePaging(req);
    auto db = pool.acquire();
    sendJson(res, listReviews(*db, filter, paging));
  });
  server.Get(R"(/api/reviews/(\d+))", [&pool](const Request& req, Response& res) {
    auto db = pool.acquire();
    sendJson(res, reviewDetails(*db, pathId(req)));
  });
  server.Post("/api/reviews", [&pool](const Request& req, Response& res) {
    Json body = parseJsonBody(req);
    auto db = pool.acquire();
    sendJson(res, createReview(*db, body), 201);
  });
  server.Patch(R"(/api/reviews/(\d+))", [&pool](const Request& req, Response& res) {
    int64_t id = pathId(req);
    Json body = parseJsonBody(req);
    std::string status = requireString(body, "status", 20);
    auto db = pool.acquire();
    sendJson(res, moderateReview(*db, id, status));
  });
  server.Delete(R"(/api/reviews/(\d+))", [&pool](const Request& req, Response& res) {
    auto db = pool.acquire();
    deleteReview(*db, pathId(req));
    res.status = 204;
  });
  server.Get(R"(/api/reviews/books/(\d+)/summary)", [&pool](const Request& req, Response& res) {
    auto db = pool.acquire();
    sendJson(res, bookSummary(*db, pathId(req)));
  });
}

}  // namespace bookstore::reviews
