// Report queries used by the reporting routes.
#pragma once

#include <string>

#include "common/db.h"
#include "common/http.h"

namespace bookstore::reporting {

struct DateRange {
  std::string from;  // YYYY-MM-DD, inclusive
  std::string to;    // YYYY-MM-DD, inclusive
};

/// Revenue, orders and units per day, month or category.
Json salesReport(Db& db, const DateRange& range, const std::string& group);
Json topBooks(Db& db, const DateRange& range, int limit);
Json stockReport(Db& db, bool low_only);
Json customerReport(Db& db, int64_t customer_id);
/// Headline figures from every module.
Json dashboard(Db& db);
void recordRun(Db& db, const std::string& report, const std::string& parameters, int64_t rows, int64_t duration_ms);

}  // namespace bookstore::reporting
