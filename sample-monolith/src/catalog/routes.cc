// HTTP routes of the catalog: /api/catalog/...
#include "catalog/catalog.h"
#include "catalog/catalog_internal.h"
#include "common/errors.h"
#include "common/http.h"

namespace bookstore::catalog {

void register_routes(httplib::Server& server, ConnectionPool& pool) {
  using httplib::Request;
  using httplib::Response;

  server.Get("/api/catalog/books", [&pool](const Request& req, Response& res) {
    BookFilter filter;
    filter.category_id = queryInt(req, "category_id", 1, INT64_MAX);
    filter.author_id = queryInt(req, "author_id", 1, INT64_MAX);
    filter.min_price = queryInt(req, "min_price", 0, INT64_MAX);
    filter.max_price = queryInt(req, "max_price", 0, INT64_MAX);
    filter.query = queryString(req, "q");
    if (auto sort = queryString(req, "sort")) {
      if (*sort != "title" && *sort != "price" && *sort != "rating" && *sort != "newest") {
        throw AppError::badRequest("sort must be one of title, price, rating, newest");
      }
      filter.sort = *sort;
    }
    filter.include_inactive = req.get_param_value("include_inactive") == "true";
    Paging paging = parsePaging(req);
    auto db = pool.acquire();
    sendJson(res, listBooks(*db, filter, paging));
  });
  server.Get(R"(/api/catalog/books/(\d+))", [&pool](const Request& req, Response& res) {
    auto db = pool.acquire();
    sendJson(res, bookDetails(*db, pathId(req)));
  });
  server.Post("/api/catalog/books", [&pool](const Request& req, Response& res) {
    Json body = parseJsonBody(req);
    auto db = pool.acquire();
    sendJson(res, createBook(*db, body), 201);
  });
  server.Put(R"(/api/catalog/books/(\d+))", [&pool](const Request& req, Response& res) {
    int64_t id = pathId(req);
    Json body = parseJsonBody(req);
    auto db = pool.acquire();
    sendJson(res, updateBook(*db, id, body));
  });
  server.Delete(R"(/api/catalog/books/(\d+))", [&pool](const Request& req, Response& res) {
    auto db = pool.acquire();
    discontinueBook(*db, pathId(req));
    res.status = 204;
  });

  server.Get("/api/catalog/authors", [&pool](const Request& req, Response& res) {
    auto name = queryString(req, "q");
    Paging paging = parsePaging(req);
    auto db = pool.acquire();
    sendJson(res, listAuthors(*db, name, paging));
  });
  server.Get(R"(/api/catalog/authors/(\d+))", [&pool](const Request& req, Response& res) {
    auto db = pool.acquire();
    sendJson(res, authorDetails(*db, pathId(req)));
  });
  server.Post("/api/catalog/authors", [&pool](const Request& req, Response& res) {
    Json body = parseJsonBody(req);
    auto db = pool.acquire();
    sendJson(res, createAuthor(*db, body), 201);
  });
  server.Patch(R"(/api/catalog/authors/(\d+))", [&pool](const Request& req, Response& res) {
    int64_t id = pathId(req);
    Json body = parseJsonBody(req);
    auto db = pool.acquire();
    sendJson(res, updateAuthor(*db, id, body));
  });

  server.Get("/api/catalog/categories", [&pool](const Request&, Response& res) {
    auto db = pool.acquire();
    sendJson(res, listCategories(*db));
  });
  server.Get(R"(/api/catalog/categories/(\d+))", [&pool](const Request& req, Response& res) {
    auto db = pool.acquire();
    sendJson(res, categoryDetails(*db, pathId(req)));
  });
  server.Post("/api/catalog/categories", [&pool](const Request& req, Response& res) {
    Json body = parseJsonBody(req);
    auto db = pool.acquire();
    sendJson(res, createCategory(*db, body), 201);
  });
}

}  // namespace bookstore::catalog
