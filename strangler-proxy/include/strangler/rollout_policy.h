// The automatic rollout policy of a route, as pure functions: from the
// figures of a sliding window to a decision (roll back, mark failing, clear,
// advance, or nothing). The control thread gathers the figures from per-worker
// counters (shadow_analysis.cc) and applies the decision; everything here is
// deterministic and unit-tested without a server.
//
// Rules (docs/strangler-config.md, "analysis"):
//   - no verdict below `min_requests` judged requests;
//   - a threshold is crossed when the measured value is strictly above it;
//   - crossed in canary/migrated -> previous step on the ladder; in shadow ->
//     stays shadow, marked failing (once);
//   - clean + full window + auto_advance + not failing -> next step;
//   - clean + full window + failing -> failing cleared (advance on a later tick).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "strangler/config.h"

namespace strangler {

/// Latency histogram with fixed geometric buckets (50 us * 1.2^i, about 60 s
/// at the top), cumulative counts. One writer per instance (a worker); the
/// control thread reads with relaxed loads and differences two readings.
struct LatencyHistogram {
  static constexpr std::size_t kBuckets = 80;
  std::array<std::atomic<std::uint64_t>, kBuckets> counts{};

  /// Upper bound (microseconds) of bucket `i`; the last bucket is open.
  static std::uint64_t upperBoundUs(std::size_t i);
  static std::size_t bucketFor(std::uint64_t us);
  /// Single-writer increment (no locked read-modify-write).
  void record(std::uint64_t us) {
    auto& c = counts[bucketFor(us)];
    c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
};

/// Plain (non-atomic) bucket counts, for sums and differences.
using LatencyCounts = std::array<std::uint64_t, LatencyHistogram::kBuckets>;

/// The upper bound (microseconds) of the bucket holding quantile `q` of
/// `counts`; 0 when empty.
std::uint64_t quantileUs(const LatencyCounts& counts, double q);

/// What the window says, already differenced (newest - oldest reading).
struct WindowFigures {
  Millis span{0};               ///< time covered by the readings
  std::uint64_t judged = 0;     ///< requests judged (see the docs table per state)
  std::uint64_t errors = 0;     ///< of which service errors
  std::uint64_t compared = 0;   ///< shadow: match + mismatch + noise
  std::uint64_t mismatches = 0;
  std::uint64_t service_p99_us = 0;  ///< 0 = no sample
  std::uint64_t legacy_p99_us = 0;   ///< 0 = no sample
};

struct RolloutDecision {
  enum class Kind { kNone, kRollback, kMarkFailing, kClearFailing, kAdvance };
  Kind kind = Kind::kNone;
  RolloutStep to;      ///< for kRollback and kAdvance
  std::string reason;  ///< figures, for the log and the state file's history
};

/// The step before / after `current` on `steps`. For a canary weight not on
/// the ladder, "before" is the highest step below it and "after" the lowest
/// step above it. nullopt when there is none (or `current` is not rollable).
std::optional<RolloutStep> previousStep(const std::vector<RolloutStep>& steps, const RolloutStep& current);
std::optional<RolloutStep> nextStep(const std::vector<RolloutStep>& steps, const RolloutStep& current);

/// The threshold crossed by `f`, as a reason text ("error rate 12.50% >
/// 1.00% (5/40 requests in 30s)"), or "" when clean. Below min_requests: "".
std::string crossedThreshold(const AnalysisConfig& a, RouteState state, const WindowFigures& f);

/// The decision for a route at `current`. `in_step_for`: how long the route
/// has been at this step (or since the window was last restarted).
RolloutDecision decide(const AnalysisConfig& a, const RolloutStep& current, bool failing, Millis in_step_for,
                       const WindowFigures& f);

}  // namespace strangler
