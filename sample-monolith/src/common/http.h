// HTTP helpers shared by every module's routes: JSON bodies, path ids,
// paging, query parameters and the mapping from errors to status codes.
//
// Request -> route (regex, per module register_routes) -> handler
//   -> lease a connection -> module service -> JSON response
// Errors thrown anywhere on that path are turned into {"error": "..."} by the
// exception handler installed with installErrorHandling().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "common/db.h"

namespace bookstore {

using Json = nlohmann::json;

struct Paging {
  int page = 1;       // 1-based
  int per_page = 20;  // 1..100
  int offset() const { return (page - 1) * per_page; }
};

/// The body as a JSON object; 400 when it is not valid JSON or not an object.
Json parseJsonBody(const httplib::Request& req);
void sendJson(httplib::Response& res, const Json& body, int status = 200);
/// Numeric path capture `index` (1-based, as in the route regex); 404 when it does not fit an id.
int64_t pathId(const httplib::Request& req, size_t index = 1);
/// ?page=&per_page= with defaults; 400 when malformed or out of range.
Paging parsePaging(const httplib::Request& req);
/// An integer query parameter; 400 when present but malformed or outside [lo, hi].
std::optional<int64_t> queryInt(const httplib::Request& req, const char* name, int64_t lo, int64_t hi);
/// A non-empty query parameter.
std::optional<std::string> queryString(const httplib::Request& req, const char* name);
/// {"items": [...], "page": P, "per_page": N, "total": T}
Json pageOf(const std::vector<Row>& rows, const Paging& paging, int64_t total);
Json toJson(const std::vector<Row>& rows);

/// JSON errors for AppError/DbError/other exceptions and for unknown routes.
void installErrorHandling(httplib::Server& server);

}  // namespace bookstore
