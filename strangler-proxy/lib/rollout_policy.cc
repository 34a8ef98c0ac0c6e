// Rollout policy: thresholds over a window -> decision. See rollout_policy.h.
#include "strangler/rollout_policy.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace strangler {
namespace {

/// Bucket bounds, computed once (50 us * 1.2^i, rounded up).
const std::array<std::uint64_t, LatencyHistogram::kBuckets>& bounds() {
  static const auto table = [] {
    std::array<std::uint64_t, LatencyHistogram::kBuckets> t{};
    double b = 50;
    for (std::size_t i = 0; i < t.size(); ++i) {
      t[i] = static_cast<std::uint64_t>(std::ceil(b));
      b *= 1.2;
    }
    t.back() = UINT64_MAX;
    return t;
  }();
  return table;
}

/// Ladder order: shadow < canary (by weight) < migrated.
std::uint32_t rank(const RolloutStep& s) {
  switch (s.state) {
    case RouteState::kShadow: return 0;
    case RouteState::kCanary: return 1 + s.weight;
    case RouteState::kMigrated: return 20000;
    default: return UINT32_MAX;
  }
}

std::string percentText(std::uint64_t part, std::uint64_t whole) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0);
  return buf;
}

std::string bpText(std::uint32_t bp) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", bp / 100.0);
  return buf;
}

std::string spanText(Millis span) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fs", static_cast<double>(span.count()) / 1000.0);
  return buf;
}

/// part/whole > bp/10000, in integers (no rounding surprises at 0%).
bool above(std::uint64_t part, std::uint64_t whole, std::uint32_t bp) {
  return whole != 0 && part * 10000 > static_cast<std::uint64_t>(bp) * whole;
}

}  // namespace

std::uint64_t LatencyHistogram::upperBoundUs(std::size_t i) { return bounds()[i]; }

std::size_t LatencyHistogram::bucketFor(std::uint64_t us) {
  const auto& b = bounds();
  return static_cast<std::size_t>(std::lower_bound(b.begin(), b.end(), us) - b.begin());
}

std::uint64_t quantileUs(const LatencyCounts& counts, double q) {
  std::uint64_t total = 0;
  for (std::uint64_t c : counts) total += c;
  if (total == 0) return 0;
  auto rank_needed = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total)));
  if (rank_needed == 0) rank_needed = 1;
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    seen += counts[i];
    if (seen >= rank_needed) return LatencyHistogram::upperBoundUs(std::min(i, counts.size() - 2));
  }
  return LatencyHistogram::upperBoundUs(counts.size() - 2);
}

std::optional<RolloutStep> previousStep(const std::vector<RolloutStep>& steps, const RolloutStep& current) {
  std::uint32_t r = rank(current);
  if (r == UINT32_MAX) return std::nullopt;
  std::optional<RolloutStep> best;
  for (const RolloutStep& s : steps)
    if (rank(s) < r && (!best || rank(s) > rank(*best))) best = s;
  return best;
}

std::optional<RolloutStep> nextStep(const std::vector<RolloutStep>& steps, const RolloutStep& current) {
  std::uint32_t r = rank(current);
  if (r == UINT32_MAX) return std::nullopt;
  std::optional<RolloutStep> best;
  for (const RolloutStep& s : steps)
    if (rank(s) > r && (!best || rank(s) < rank(*best))) best = s;
  return best;
}

std::string crossedThreshold(const AnalysisConfig& a, RouteState state, const WindowFigures& f) {
  if (f.judged < a.min_requests || f.judged == 0) return {};
  std::string in = " requests in " + spanText(f.span) + ")";
  if (above(f.errors, f.judged, a.max_error_rate))
    return "error rate " + percentText(f.errors, f.judged) + " > " + bpText(a.max_error_rate) + " (" +
           std::to_string(f.errors) + "/" + std::to_string(f.judged) + in;
  if (state == RouteState::kShadow && above(f.mismatches, f.compared, a.max_mismatch_rate))
    return "mismatch rate " + percentText(f.mismatches, f.compared) + " > " + bpText(a.max_mismatch_rate) + " (" +
           std::to_string(f.mismatches) + "/" + std::to_string(f.compared) + " compared in " + spanText(f.span) + ")";
  if (a.max_p99_ratio > 0 && f.service_p99_us != 0 && f.legacy_p99_us != 0) {
    double ratio = static_cast<double>(f.service_p99_us) / static_cast<double>(f.legacy_p99_us);
    if (ratio > a.max_p99_ratio) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "p99 ratio %.2f > %.2f (service p99 %.1f ms, legacy p99 %.1f ms, ", ratio,
                    a.max_p99_ratio, static_cast<double>(f.service_p99_us) / 1000.0,
                    static_cast<double>(f.legacy_p99_us) / 1000.0);
      return buf + std::to_string(f.judged) + in;
    }
  }
  return {};
}

RolloutDecision decide(const AnalysisConfig& a, const RolloutStep& current, bool failing, Millis in_step_for,
                       const WindowFigures& f) {
  RolloutDecision d;
  if (!a.enabled) return d;
  if (current.state != RouteState::kShadow && current.state != RouteState::kCanary &&
      current.state != RouteState::kMigrated)
    return d;  // legacy has no service; retired has no legacy to go back to
  if (std::string why = crossedThreshold(a, current.state, f); !why.empty()) {
    if (current.state == RouteState::kShadow) {
      if (failing) return d;  // already marked: one event per failure, not one per tick
      d.kind = RolloutDecision::Kind::kMarkFailing;
      d.to = current;
      d.reason = why;
      return d;
    }
    auto back = previousStep(a.steps, current);
    if (!back) return d;
    d.kind = RolloutDecision::Kind::kRollback;
    d.to = *back;
    d.reason = why;
    return d;
  }
  bool full = in_step_for >= a.window && f.judged >= a.min_requests && f.judged > 0;
  if (!full) return d;
  std::string clean = "clean window: " + std::to_string(f.judged) + " requests, " + std::to_string(f.errors) +
                      " errors";
  if (current.state == RouteState::kShadow)
    clean += ", " + std::to_string(f.mismatches) + "/" + std::to_string(f.compared) + " mismatches";
  clean += " in " + spanText(f.span);
  if (failing) {
    d.kind = RolloutDecision::Kind::kClearFailing;
    d.to = current;
    d.reason = clean;
    return d;
  }
  if (!a.auto_advance) return d;
  auto next = nextStep(a.steps, current);
  if (!next) return d;
  d.kind = RolloutDecision::Kind::kAdvance;
  d.to = *next;
  d.reason = clean;
  return d;
}

}  // namespace strangler
