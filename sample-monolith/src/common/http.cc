#include "common/http.h"

#include <charconv>
#include <exception>

#include "common/errors.h"
#include "common/log.h"

namespace bookstore {
namespace {

int statusFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kBadRequest: return 400;
    case ErrorKind::kPaymentRequired: return 402;
    case ErrorKind::kNotFound: return 404;
    case ErrorKind::kConflict: return 409;
    case ErrorKind::kUnprocessable: return 422;
  }
  return 500;
}

std::optional<int64_t> parseInt64(const std::string& text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

void sendError(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(Json{{"error", message}}.dump(), "application/json");
}

}  // namespace

Json parseJsonBody(const httplib::Request& req) {
  Json body = Json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) throw AppError::badRequest("malformed JSON body");
  if (!body.is_object()) throw AppError::badRequest("JSON body must be an object");
  return body;
}

void sendJson(httplib::Response& res, const Json& body, int status) {
  res.status = status;
  // Replace invalid UTF-8 from stored text rather than throwing mid-response.
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
}

int64_t pathId(const httplib::Request& req, size_t index) {
  if (index >= req.matches.size()) throw AppError::notFound("not found");
  auto id = parseInt64(req.matches[index].str());
  if (!id || *id <= 0) throw AppError::notFound("not found");
  return *id;
}

Paging parsePaging(const httplib::Request& req) {
  Paging paging;
  if (auto page = queryInt(req, "page", 1, 1000000)) paging.page = static_cast<int>(*page);
  if (auto per_page = queryInt(req, "per_page", 1, 100)) paging.per_page = static_cast<int>(*per_page);
  return paging;
}

std::optional<int64_t> queryInt(const httplib::Request& req, const char* name, int64_t lo, int64_t hi) {
  if (!req.has_param(name)) return std::nullopt;
  auto value = parseInt64(req.get_param_value(name));
  if (!value || *value < lo || *value > hi) {
    throw AppError::badRequest(std::string("query parameter '") + name + "' must be an integer in " +
                               std::to_string(lo) + ".." + std::to_string(hi));
  }
  return value;
}

std::optional<std::string> queryString(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return std::nullopt;
  std::string value = req.get_param_value(name);
  if (value.empty()) return std::nullopt;
  if (value.size() > 200) throw AppError::badRequest(std::string("query parameter '") + name + "' is too long");
  return value;
}

Json toJson(const std::vector<Row>& rows) {
  Json items = Json::array();
  for (const auto& row : rows) items.push_back(row.json());
  return items;
}

Json pageOf(const std::vector<Row>& rows, const Paging& paging, int64_t total) {
  return Json{{"items", toJson(rows)}, {"page", paging.page}, {"per_page", paging.per_page}, {"total", total}};
}

void installErrorHandling(httplib::Server& server) {
  server.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    try {
      std::rethrow_exception(ep);
    } catch (const AppError& e) {
      sendError(res, statusFor(e.kind()), e.what());
    } catch (const DbError& e) {
      log::error(req.method + " " + req.path + ": " + e.what());
      sendError(res, 500, "internal database error");
    } catch (const std::exception& e) {
      log::error(req.method + " " + req.path + ": " + e.what());
      sendError(res, 500, "internal error");
    } catch (...) {
      sendError(res, 500, "internal error");
    }
  });
  // httplib calls this for every response with status >= 400; only fill in
  // a body for the ones no handler wrote (unknown route, wrong method).
  httplib::Server::HandlerWithResponse fill_empty_error = [](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    sendError(res, res.status, res.status == 404 ? "not found" : "bad request");
    return httplib::Server::HandlerResponse::Handled;
  };
  server.set_error_handler(std::move(fill_empty_error));
}

}  // namespace bookstore
