// The control thread's side of shadow verification and automatic rollout:
// every tick it stores the mismatching pairs the workers sampled, reads each
// analysed route's per-worker counters, keeps a sliding window of readings,
// asks the rollout policy for a decision and applies it through the same path
// as an operator's `ctl set` (annotated with actor "analysis").
//
// Nothing here runs on a worker: the workers only write their own shards
// (relaxed single-writer counters) and push diffs to their outbox.
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

#include "runtime.h"
#include "strangler/state_store.h"

namespace strangler {
namespace {

using boost::system::error_code;
constexpr Millis kMaxTick{200};   ///< diffs are stored at least this often
constexpr Millis kMinTick{50};

RolloutStep currentStep(const RouteConfig& rc) {
  return RolloutStep{rc.state, rc.state == RouteState::kCanary ? rc.weight : 0u};
}

LatencyCounts minus(const LatencyCounts& a, const LatencyCounts& b) {
  LatencyCounts out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = a[i] >= b[i] ? a[i] - b[i] : 0;
  return out;
}

/// The window's figures for a route at `state` (docs/strangler-config.md,
/// "analysis": what is judged in each state).
WindowFigures figures(const ShadowReading& newest, const ShadowReading& oldest, RouteState state) {
  auto d = [](std::uint64_t a, std::uint64_t b) { return a >= b ? a - b : 0; };
  auto result = [&](ShadowResult r) {
    auto i = static_cast<std::size_t>(r);
    return d(newest.results[i], oldest.results[i]);
  };
  WindowFigures f;
  f.span = Millis(newest.at_ms - oldest.at_ms);
  if (state == RouteState::kShadow) {
    f.compared = result(ShadowResult::kMatch) + result(ShadowResult::kMismatch) + result(ShadowResult::kNoise);
    f.mismatches = result(ShadowResult::kMismatch);
    f.judged = f.compared + result(ShadowResult::kError);
    f.errors = d(newest.shadow_service_errors, oldest.shadow_service_errors);
  } else {
    f.judged = d(newest.service_requests, oldest.service_requests);
    f.errors = d(newest.service_errors, oldest.service_errors);
  }
  f.service_p99_us = quantileUs(minus(newest.service_latency, oldest.service_latency), 0.99);
  f.legacy_p99_us = quantileUs(minus(newest.legacy_latency, oldest.legacy_latency), 0.99);
  return f;
}

/// One JSON line on stderr per rollout event (the proxy's log stream).
void logEvent(std::string_view event, std::string_view route, const RolloutStep& from, const RolloutStep& to,
              std::string_view reason) {
  nlohmann::json line = {{"at_ms", nowUnixMillis()},        {"event", std::string(event)},
                         {"route", std::string(route)},      {"from", toString(from)},
                         {"to", toString(to)},               {"reason", std::string(reason)},
                         {"actor", "analysis"}};
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::fwrite(text.data(), 1, text.size(), stderr);
}

void remember(RouteShadowState& st, std::string text) {
  std::lock_guard<std::mutex> lock(st.event_mu);
  st.last_event = std::move(text);
}

void restartWindow(RouteShadowState& st, const ShadowReading& baseline, std::int64_t now) {
  st.window.clear();
  st.window.push_back(baseline);
  st.step_since_ms = now;
}

struct AnalysisLoop : std::enable_shared_from_this<AnalysisLoop> {
  Server::Impl& impl;
  Server& server;
  asio::steady_timer timer;
  bool store_error_logged = false;

  AnalysisLoop(Server::Impl& i, Server& s) : impl(i), server(s), timer(i.control_ioc) {}

  void storeDiffs() {
    RouteStateStore* store = impl.options.state_store;
    for (auto& worker : impl.workers) {
      for (auto& [diff, keep] : worker->shadow->takeDiffs()) {
        if (store == nullptr) continue;
        Status s = store->saveShadowDiff(diff, keep);
        if (!s && !store_error_logged) {
          store_error_logged = true;  // once: a broken disk must not flood the log
          std::fprintf(stderr, "strangler: cannot store shadow diff: %s\n", s.message().c_str());
        }
      }
    }
  }

  /// Applies `d` to route `rc` (a refused change is logged and retried after a window).
  void apply(const RouteConfig& rc, RouteShadowState& st, const RolloutStep& from, const RolloutDecision& d,
             const ShadowReading& reading, std::int64_t now) {
    using Kind = RolloutDecision::Kind;
    switch (d.kind) {
      case Kind::kNone:
        return;
      case Kind::kRollback:
      case Kind::kAdvance: {
        const char* event = d.kind == Kind::kRollback ? "rollback" : "advance";
        std::string reason = std::string("analysis ") + event + " " + toString(from) + " -> " + toString(d.to) +
                             ": " + d.reason;
        Status s;
        {
          StateStore::Annotation note(reason, "analysis");
          s = server.setRouteRollout(rc.name, RouteRollout{d.to.state, d.to.weight});
        }
        if (!s) {
          std::fprintf(stderr, "strangler: analysis could not %s route '%s': %s\n", event, rc.name.c_str(),
                       s.message().c_str());
          restartWindow(st, reading, now);  // try again after a full window, not every tick
          return;
        }
        (d.kind == Kind::kRollback ? st.rollbacks : st.advances).fetch_add(1, std::memory_order_relaxed);
        st.failing.store(false, std::memory_order_relaxed);
        logEvent(event, rc.name, from, d.to, d.reason);
        remember(st, reason);
        st.seen_step = d.to;
        restartWindow(st, reading, now);
        return;
      }
      case Kind::kMarkFailing:
      case Kind::kClearFailing: {
        bool failing = d.kind == Kind::kMarkFailing;
        const char* event = failing ? "failing" : "recovered";
        std::string reason = std::string("analysis: shadow ") + event + ": " + d.reason;
        st.failing.store(failing, std::memory_order_relaxed);
        if (failing) st.failings.fetch_add(1, std::memory_order_relaxed);
        if (RouteStateStore* store = impl.options.state_store) {
          // Same state, new history entry: the state file records the verdict.
          StateStore::Annotation note(reason, "analysis");
          if (Status s = store->save(rc.name, RouteRollout{from.state, from.weight}); !s)
            std::fprintf(stderr, "strangler: cannot record analysis event: %s\n", s.message().c_str());
        }
        logEvent(event, rc.name, from, from, d.reason);
        remember(st, reason);
        restartWindow(st, reading, now);
        return;
      }
    }
  }

  /// Returns the tick the analysed routes ask for.
  Millis analyse() {
    Millis tick = kMaxTick;
    std::shared_ptr<const Snapshot> snap = impl.current();
    const std::vector<Route>& routes = snap->routes->routes();
    std::int64_t now = nowMillis();
    for (std::size_t i = 0; i < routes.size() && i < snap->shadow.size(); ++i) {
      const ShadowRouteRuntime& rt = snap->shadow[i];
      if (!rt.analyse) continue;
      const RouteConfig& rc = routes[i].config;
      const AnalysisConfig& a = rc.analysis;
      tick = std::min(tick, std::max(kMinTick, Millis(a.window.count() / 10)));
      RouteShadowState& st = *rt.state;
      RolloutStep step = currentStep(rc);
      ShadowReading reading = st.read(now);
      if (!st.seen_valid || !(st.seen_step == step)) {
        // A new step (ours or an operator's): the window starts again.
        st.seen_valid = true;
        st.seen_step = step;
        if (step.state != RouteState::kShadow) st.failing.store(false, std::memory_order_relaxed);
        restartWindow(st, reading, now);
        continue;
      }
      st.window.push_back(reading);
      // Keep one reading at or before now - window as the baseline.
      while (st.window.size() > 2 && st.window[1].at_ms <= now - a.window.count()) st.window.pop_front();
      WindowFigures f = figures(st.window.back(), st.window.front(), step.state);
      RolloutDecision d = decide(a, step, st.failing.load(std::memory_order_relaxed), Millis(now - st.step_since_ms), f);
      apply(rc, st, step, d, reading, now);
    }
    return tick;
  }

  /// The handler holds the loop: it lives as long as ticks are scheduled,
  /// that is until the control io_context stops.
  void schedule(Millis after) {
    timer.expires_after(after);
    timer.async_wait([self = shared_from_this()](const error_code& ec) {
      if (ec || self->impl.stopping.load()) return;
      self->storeDiffs();
      self->schedule(self->analyse());
    });
  }
};

}  // namespace

void startShadowAnalysisImpl(Server::Impl& impl, Server& server) {
  // Owned by the control io_context's handler chain (the server outlives it).
  std::make_shared<AnalysisLoop>(impl, server)->schedule(kMinTick);
}

void fillShadowStatus(const Snapshot& snap, const Route& route, RouteStatus& status) {
  const ShadowRouteRuntime* rt = shadowRuntime(snap, route);
  status.analysis.enabled = route.config.analysis.enabled;
  if (rt == nullptr) return;
  const RouteShadowState& st = *rt->state;
  ShadowReading r = st.read(0);
  status.shadow.match = r.results[static_cast<std::size_t>(ShadowResult::kMatch)];
  status.shadow.mismatch = r.results[static_cast<std::size_t>(ShadowResult::kMismatch)];
  status.shadow.noise = r.results[static_cast<std::size_t>(ShadowResult::kNoise)];
  status.shadow.error = r.results[static_cast<std::size_t>(ShadowResult::kError)];
  status.shadow.dropped = r.results[static_cast<std::size_t>(ShadowResult::kDropped)];
  status.analysis.failing = st.failing.load(std::memory_order_relaxed);
  status.analysis.rollbacks = st.rollbacks.load(std::memory_order_relaxed);
  status.analysis.advances = st.advances.load(std::memory_order_relaxed);
  status.analysis.failings = st.failings.load(std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(st.event_mu);
  status.analysis.last_event = st.last_event;
}

}  // namespace strangler
