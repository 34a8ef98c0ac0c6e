// HTTP routes of reporting: /api/reporting/...
#include <chrono>

#include "common/clock.h"
#include "common/errors.h"
#include "common/http.h"
#include "reporting/reporting.h"
#include "reporting/reporting_internal.h"

namespace bookstore::reporting {
namespace {

DateRange parseRange(const httplib::Request& req) {
  DateRange range{"2000-01-01", nowIso().substr(0, 10)};
  if (auto from = queryString(req, "from")) range.from = *from;
  if (auto to = queryString(req, "to")) range.to = *to;
  if (!isIsoDate(range.from) || !isIsoDate(range.to)) throw AppError::badRequest("from and to must be YYYY-MM-DD");
  if (range.from > range.to) throw AppError::badRequest("from must not be after to");
  return range;
}

// Runs a report, logs the run, and sends it.
template <typename Fn>
void runReport(ConnectionPool& pool, httplib::Response& res, const std::string& name, const std::string& parameters,
               Fn&& fn) {
  auto db = pool.acquire();
  auto started = std::chrono::steady_clock::now();
  Json report = fn(*db);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  int64_t rows = report.contains("rows") ? static_cast<int64_t>(report["rows"].size()) : 1;
  recordRun(*db, name, parameters, rows, ms);
  sendJson(res, report);
}

}  // namespace

void register_routes(httplib::Server& server, ConnectionPool& pool) {
  using httplib::Request;
  using httplib::Response;

  server.Get("/api/reporting/sales", [&pool](const Request& req, Response& res) {
    DateRange range = parseRange(req);
    std::string group = queryString(req, "group").value_or("day");
    runReport(pool, res, "sales", range.from + ".." + range.to + " by " + group,
              [&](Db& db) { return salesReport(db, range, group); });
  });
  server.Get("/api/reporting/top-books", [&pool](const Request& req, Response& res) {
    DateRange range = parseRange(req);
    int limit = static_cast<int>(queryInt(req, "limit", 1, 100).value_or(10));
    runReport(pool, res, "top-books", range.from + ".." + range.to + " limit " + std::to_string(limit),
              [&](Db& db) { return topBooks(db, range, limit); });
  });
  server.Get("/api/reporting/stock", [&pool](const Request& req, Response& res) {
    bool low = req.get_param_value("low") == "true";
    runReport(pool, res, "stock", low ? "low" : "all", [&](Db& db) { return stockReport(db, low); });
  });
  server.Get(R"(/api/reporting/customers/(\d+))", [&pool](const Request& req, Response& res) {
    int64_t id = pathId(req);
    runReport(pool, res, "customer", std::to_string(id), [&](Db& db) { return customerReport(db, id); });
  });
  server.Get("/api/reporting/dashboard", [&pool](const Request&, Response& res) {
    runReport(pool, res, "dashboard", "", [](Db& db) { return dashboard(db); });
  });
  server.Get("/api/reporting/runs", [&pool](const Request& req, Response& res) {
    Paging paging = parsePaging(req);
    auto db = pool.acquire();
    int64_t total = db->queryInt("SELECT COUNT(*) FROM report_runs");
    auto rows = db->query(
        "SELECT id, report, parameters, row_count, duration_ms, generated_at FROM report_runs "
        "ORDER BY id DESC LIMIT ? OFFSET ?",
        {paging.per_page, paging.offset()});
    sendJson(res, pageOf(rows, paging, total));
  });
}

}  // namespace bookstore::reporting
