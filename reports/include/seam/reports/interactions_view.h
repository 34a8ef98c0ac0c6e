// What the report's "Interactions" tab shows: the `seam interactions` document
// (format seam-interactions, docs/interactions.md) reduced to the fields the
// page renders: counts, interaction counts per service pair, events, and the
// transactions spanning services with their sagas. Every string in it comes
// from the analysed code and is escaped by the writers (report.js sets text
// only through textContent; the JSON is escaped for the script element).
#pragma once

#include <nlohmann/json.hpp>

namespace seam::reports {

struct InteractionsView {
  bool present = false;
  nlohmann::json data = nlohmann::json::object();  ///< {counts, pairs, events, transactions}
};

}  // namespace seam::reports
