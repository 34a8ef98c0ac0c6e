// The report run log, owned by reporting.
#include "reporting/reporting.h"

namespace bookstore::reporting {
namespace {

constexpr const char* kReportingDdl = R"sql(
CREATE TABLE IF NOT EXISTS report_runs (
  id           INTEGER PRIMARY KEY,
  report       TEXT NOT NULL,
  parameters   TEXT NOT NULL,
  row_count    INTEGER NOT NULL,
  duration_ms  INTEGER NOT NULL,
  generated_at TEXT NOT NULL
);
)sql";

}  // namespace

std::string schemaDdl() { return kReportingDdl; }

}  // namespace bookstore::reporting
