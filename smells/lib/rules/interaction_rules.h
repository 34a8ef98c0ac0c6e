// Shared by the rules computed through seam::interactions (SEAM012, SEAM013):
// they need the plan and a fact store with transaction scopes (schema v2).
#pragma once

#include <algorithm>
#include <optional>

#include "rule_util.h"
#include "seam/interactions/interactions.h"

namespace seam::smells {

/// The interactions analysis of the run's store and plan; nullopt (the rules
/// report nothing) without a plan or with a store that has no transaction scopes.
inline std::optional<interactions::Analysis> analyzeInteractions(const Context& ctx) {
  if (ctx.plan_path.empty() || ctx.db_path.empty()) return std::nullopt;
  auto a = interactions::analyzeFiles(ctx.db_path, ctx.plan_path, {});
  if (!a) return std::nullopt;
  return std::move(*a);
}

/// "path:line" (as the interactions library writes it) -> a finding location.
inline Location location(const std::string& path_line, std::string note) {
  Location l;
  auto colon = path_line.rfind(':');
  l.file = colon == std::string::npos ? path_line : path_line.substr(0, colon);
  if (colon != std::string::npos) l.line = std::atoi(path_line.c_str() + colon + 1);
  if (l.file == "?") l.file.clear();
  l.note = std::move(note);
  return l;
}

}  // namespace seam::smells
