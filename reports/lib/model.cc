// Lookups on the report model.
#include "seam/reports/model.h"

#include <algorithm>
#include <cctype>

namespace seam::reports {

int ReportModel::moduleIndex(const std::string& name) const {
  auto it = std::lower_bound(modules.begin(), modules.end(), name,
                             [](const Module& m, const std::string& n) { return m.name < n; });
  if (it != modules.end() && it->name == name) return static_cast<int>(it - modules.begin());
  return -1;
}

int ReportModel::tableIndex(const std::string& name) const {
  auto lower = [](std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  std::string wanted = lower(name);
  for (size_t i = 0; i < tables.size(); ++i) {
    if (lower(tables[i].name) == wanted) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace seam::reports
