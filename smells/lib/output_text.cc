// Text report: grouped by service, worst service first, findings worst first.
#include <algorithm>
#include <map>

#include "seam/smells/smells.h"

namespace seam::smells {

void writeText(const Report& report, std::ostream& out) {
  int counts[3] = {0, 0, 0}, baselined = 0;
  std::map<std::string, std::vector<const Finding*>> by_service;
  for (const auto& f : report.findings) {
    ++counts[static_cast<int>(f.severity)];
    baselined += f.baselined;
    by_service[f.service].push_back(&f);
  }
  out << "seam smells: " << report.findings.size() << " findings (" << counts[2] << " errors, " << counts[1]
      << " warnings, " << counts[0] << " notes";
  if (baselined) out << "; " << baselined << " in baseline";
  out << ") over " << report.services.size() << " services from " << report.origin << "\n";

  // Worst first: most errors, then most warnings, then name.
  std::vector<std::pair<std::string, std::vector<const Finding*>>> groups(by_service.begin(), by_service.end());
  auto score = [](const std::vector<const Finding*>& v) {
    int e = 0, w = 0;
    for (const Finding* f : v) {
      e += f->severity == Severity::kError;
      w += f->severity == Severity::kWarning;
    }
    return std::make_pair(e, w);
  };
  std::stable_sort(groups.begin(), groups.end(), [&](const auto& a, const auto& b) {
    auto sa = score(a.second), sb = score(b.second);
    if (sa != sb) return sa > sb;
    return a.first < b.first;
  });
  for (const auto& [service, findings] : groups) {
    auto [e, w] = score(findings);
    out << "\n== " << service << " (" << e << " errors, " << w << " warnings)\n";
    for (const Finding* f : findings) {
      out << severityName(f->severity) << " " << f->rule_id << " " << f->rule_name << ": " << f->message;
      if (f->baselined) out << " [baseline]";
      out << "\n";
      for (const auto& l : f->locations) {
        out << "  " << l.file << ":" << l.line << ":" << l.col;
        if (!l.note.empty()) out << ": " << l.note;
        out << "\n";
      }
      if (!f->explanation.empty()) out << "  why: " << f->explanation << "\n";
      if (!f->remedy.empty()) out << "  fix: " << f->remedy << "\n";
    }
  }
  if (!report.unassigned_modules.empty()) {
    out << "\nunassigned modules (" << report.unassigned_modules.size() << "):";
    for (const auto& m : report.unassigned_modules) out << " " << m;
    out << "\n";
  }
}

}  // namespace seam::smells
