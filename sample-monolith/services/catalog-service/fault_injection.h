// Deliberate, subtle wrong answers, for demonstrating and testing shadow
// verification: the service must look healthy (200s, valid JSON, fast) and
// still differ from the monolith, the way a real extraction bug does.
//
//   price       price_cents one cent higher for books whose id ends in 7
//               (every list page and detail of such a book; ~10% of books)
//   drop-field  the "description" field missing from book details
//
// Applied to the response after the (reused, correct) catalog handler ran, so
// the bug lives in the service's own layer, not in the shared module code.
#pragma once

#include <optional>
#include <string>

#include <httplib.h>

namespace catalog_service {

enum class Bug { kNone, kPrice, kDropField };

/// "none", "price", "drop-field"; nullopt for anything else.
std::optional<Bug> parseBug(const std::string& name);

/// Rewrites `res` in place when `bug` applies to this request; a no-op otherwise.
void injectBug(Bug bug, const httplib::Request& req, httplib::Response& res);

}  // namespace catalog_service
