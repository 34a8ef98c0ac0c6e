// Optional inputs merged into a loaded ReportModel. Each one is independent:
// a report without a plan shows modules without services, without smells an
// empty smells list, without proxy state no migration progress. A malformed
// input is an error (the user asked for it); entries that name modules,
// tables or routes unknown to the fact store are kept where they make sense
// and counted in ReportModel::notes.
#pragma once

#include <string>

#include "seam/reports/model.h"
#include "seam/reports/result.h"

namespace seam::reports {

/// Applies a decomposer plan (docs/plan-format.md): services, module
/// membership, table ownership, metrics beside the baselines, and the
/// extraction steps. Table owners are recomputed from the plan.
Status applyPlanFile(const std::string& plan_path, ReportModel& model);
Status applyPlanJson(const std::string& plan_json, ReportModel& model);

/// Applies findings from `seam smells --format json` or SARIF 2.1.0, sorted
/// worst first.
Status applySmellsFile(const std::string& smells_path, ReportModel& model);
Status applySmellsJson(const std::string& smells_json, ReportModel& model);

/// Applies the `seam interactions` document (format seam-interactions):
/// interaction counts per service pair, events, transactions and sagas.
Status applyInteractionsFile(const std::string& path, ReportModel& model);
Status applyInteractionsJson(const std::string& interactions_json, ReportModel& model);

/// Reads route migration states from the strangler proxy's state database
/// (opened read-only).
Status applyProxyState(const std::string& state_db_path, ReportModel& model);

}  // namespace seam::reports
