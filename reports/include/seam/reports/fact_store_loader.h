// Reads a Seam fact store (analyzer/lib/schema.sql, schema version 2) and
// aggregates its symbol-level facts into the report's module-level model.
// The database is opened read-only: a report never modifies its input.
#pragma once

#include <string>

#include "seam/reports/model.h"
#include "seam/reports/result.h"

namespace seam::reports {

struct LoadOptions {
  int max_symbols_per_module = 40;  ///< details listed per module (largest first)
  int max_evidence_per_edge = 5;    ///< symbol edges kept to explain a module edge
  int max_sites_per_access = 5;     ///< statements kept per (module, table) cell
};

/// Loads `db_path`. Fails with a one-line message when the file is missing,
/// is not a Seam fact store, has another schema version, or cannot be read.
Result<ReportModel> loadFactStore(const std::string& db_path, const LoadOptions& options = {});

}  // namespace seam::reports
