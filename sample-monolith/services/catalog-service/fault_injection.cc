#include "fault_injection.h"

#include <nlohmann/json.hpp>

namespace catalog_service {
namespace {

using Json = nlohmann::json;

bool startsWith(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

void skewPrice(Json& book) {
  if (!book.is_object() || !book.contains("id") || !book["id"].is_number_integer()) return;
  if (!book.contains("price_cents") || !book["price_cents"].is_number_integer()) return;
  if (book["id"].get<int64_t>() % 10 == 7) book["price_cents"] = book["price_cents"].get<int64_t>() + 1;
}

}  // namespace

std::optional<Bug> parseBug(const std::string& name) {
  if (name == "none" || name.empty()) return Bug::kNone;
  if (name == "price") return Bug::kPrice;
  if (name == "drop-field") return Bug::kDropField;
  return std::nullopt;
}

void injectBug(Bug bug, const httplib::Request& req, httplib::Response& res) {
  if (bug == Bug::kNone || res.status != 200 || !startsWith(req.path, "/api/catalog/books")) return;
  Json body = Json::parse(res.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) return;
  if (bug == Bug::kPrice) {
    if (body.contains("items") && body["items"].is_array()) {
      for (auto& item : body["items"]) skewPrice(item);
    } else {
      skewPrice(body);
    }
  } else if (bug == Bug::kDropField) {
    if (!body.contains("items")) body.erase("description");
  }
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
}

}  // namespace catalog_service
