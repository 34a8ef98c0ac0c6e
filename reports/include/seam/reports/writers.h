// The three output formats of `seam report`. Each is a pure function of the
// model; none performs I/O.
//
//   toJson  -- the data model the HTML page embeds, also `--format json`
//              (documented in docs/report.md, "format": "seam-report", "version": 1)
//   toDot   -- Graphviz: one cluster per service, edge width by coupling
//   toHtml  -- one self-contained page: assets inlined, data in a
//              non-executable <script type="application/json">, strict CSP
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "seam/reports/model.h"

namespace seam::reports {

nlohmann::json toJson(const ReportModel& model);
std::string toDot(const ReportModel& model);

struct HtmlOptions {
  std::string title = "Seam report";
  /// Above this many modules the graph opens collapsed to services.
  int collapse_threshold = 300;
};
std::string toHtml(const ReportModel& model, const HtmlOptions& options = {});

}  // namespace seam::reports
