// The rollout policy as pure functions: thresholds, ladder moves, p99.
#include "strangler/rollout_policy.h"

#include <gtest/gtest.h>

namespace strangler {
namespace {

AnalysisConfig policy() {
  AnalysisConfig a;
  a.enabled = true;
  a.window = Millis(1000);
  a.min_requests = 10;
  a.max_error_rate = 100;   // 1%
  a.max_mismatch_rate = 0;  // any
  a.max_p99_ratio = 2.0;
  a.steps = defaultRolloutSteps();
  return a;
}

const RolloutStep kShadow{RouteState::kShadow, 0};
const RolloutStep kCanary5{RouteState::kCanary, 500};
const RolloutStep kCanary25{RouteState::kCanary, 2500};
const RolloutStep kMigrated{RouteState::kMigrated, 0};

TEST(ShadowRolloutPolicyTest, LadderMoves) {
  auto steps = defaultRolloutSteps();
  EXPECT_EQ(previousStep(steps, kCanary5), kShadow);
  EXPECT_EQ(previousStep(steps, kCanary25), kCanary5);
  EXPECT_EQ(previousStep(steps, kMigrated), (RolloutStep{RouteState::kCanary, 5000}));
  EXPECT_FALSE(previousStep(steps, kShadow));
  EXPECT_EQ(nextStep(steps, kShadow), kCanary5);
  EXPECT_FALSE(nextStep(steps, kMigrated));
  // Off-ladder weights snap to the neighbours.
  EXPECT_EQ(previousStep(steps, RolloutStep{RouteState::kCanary, 1000}), kCanary5);
  EXPECT_EQ(nextStep(steps, RolloutStep{RouteState::kCanary, 1000}), kCanary25);
  EXPECT_FALSE(nextStep(steps, RolloutStep{RouteState::kRetired, 0}));
}

TEST(ShadowRolloutPolicyTest, NoVerdictBelowMinRequests) {
  WindowFigures f;
  f.judged = 9;
  f.errors = 9;
  EXPECT_EQ(decide(policy(), kCanary25, false, Millis(5000), f).kind, RolloutDecision::Kind::kNone);
}

TEST(ShadowRolloutPolicyTest, ErrorRateRollsACanaryBack) {
  WindowFigures f;
  f.span = Millis(800);
  f.judged = 100;
  f.errors = 1;  // exactly 1%: not above
  EXPECT_EQ(decide(policy(), kCanary25, false, Millis(100), f).kind, RolloutDecision::Kind::kNone);
  f.errors = 2;
  auto d = decide(policy(), kCanary25, false, Millis(100), f);  // no full window needed to roll back
  EXPECT_EQ(d.kind, RolloutDecision::Kind::kRollback);
  EXPECT_EQ(d.to, kCanary5);
  EXPECT_EQ(d.reason, "error rate 2.00% > 1.00% (2/100 requests in 0.8s)");
  EXPECT_EQ(decide(policy(), kCanary5, false, Millis(100), f).to, kShadow);
}

TEST(ShadowRolloutPolicyTest, ShadowMismatchMarksFailingOnce) {
  WindowFigures f;
  f.judged = f.compared = 20;
  f.mismatches = 1;
  auto d = decide(policy(), kShadow, false, Millis(5000), f);
  EXPECT_EQ(d.kind, RolloutDecision::Kind::kMarkFailing);
  EXPECT_NE(d.reason.find("mismatch rate 5.00% > 0.00%"), std::string::npos) << d.reason;
  EXPECT_EQ(decide(policy(), kShadow, true, Millis(5000), f).kind, RolloutDecision::Kind::kNone);
  // Mismatches mean nothing outside shadow.
  EXPECT_EQ(decide(policy(), kCanary5, false, Millis(5000), f).kind, RolloutDecision::Kind::kNone);
}

TEST(ShadowRolloutPolicyTest, P99Ratio) {
  WindowFigures f;
  f.judged = 50;
  f.service_p99_us = 30000;
  f.legacy_p99_us = 10000;
  auto d = decide(policy(), kMigrated, false, Millis(100), f);
  EXPECT_EQ(d.kind, RolloutDecision::Kind::kRollback);
  EXPECT_NE(d.reason.find("p99 ratio 3.00 > 2.00"), std::string::npos) << d.reason;
  f.legacy_p99_us = 0;  // nothing to compare against
  EXPECT_EQ(decide(policy(), kMigrated, false, Millis(100), f).kind, RolloutDecision::Kind::kNone);
}

TEST(ShadowRolloutPolicyTest, AdvanceNeedsAFullCleanWindowAndTheSwitch) {
  WindowFigures f;
  f.judged = f.compared = 40;
  auto a = policy();
  EXPECT_EQ(decide(a, kShadow, false, Millis(5000), f).kind, RolloutDecision::Kind::kNone);  // auto_advance off
  a.auto_advance = true;
  EXPECT_EQ(decide(a, kShadow, false, Millis(999), f).kind, RolloutDecision::Kind::kNone);  // window not full
  auto d = decide(a, kShadow, false, Millis(1000), f);
  EXPECT_EQ(d.kind, RolloutDecision::Kind::kAdvance);
  EXPECT_EQ(d.to, kCanary5);
  EXPECT_EQ(decide(a, kShadow, true, Millis(1000), f).kind, RolloutDecision::Kind::kClearFailing);
  EXPECT_EQ(decide(a, kMigrated, false, Millis(1000), f).kind, RolloutDecision::Kind::kNone);  // top
  a.enabled = false;
  EXPECT_EQ(decide(a, kShadow, false, Millis(1000), f).kind, RolloutDecision::Kind::kNone);
}

TEST(ShadowRolloutPolicyTest, HistogramQuantile) {
  EXPECT_EQ(LatencyHistogram::bucketFor(0), 0u);
  EXPECT_EQ(LatencyHistogram::bucketFor(50), 0u);
  EXPECT_EQ(LatencyHistogram::bucketFor(51), 1u);
  EXPECT_GE(LatencyHistogram::upperBoundUs(LatencyHistogram::kBuckets - 2), 50'000'000u);
  LatencyCounts c{};
  EXPECT_EQ(quantileUs(c, 0.99), 0u);
  c[LatencyHistogram::bucketFor(1000)] = 99;
  c[LatencyHistogram::bucketFor(100000)] = 1;
  std::uint64_t p99 = quantileUs(c, 0.99);
  EXPECT_GE(p99, 1000u);
  EXPECT_LT(p99, 1300u);  // buckets are 20% wide
  c[LatencyHistogram::bucketFor(100000)] = 2;
  EXPECT_GE(quantileUs(c, 0.99), 100000u);
}

}  // namespace
}  // namespace strangler
