// An in-memory ProxyControl for the admin API and ctl tests: three routes,
// two upstreams, persists through a RouteStateStore like the real Server.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "strangler/control.h"

namespace strangler::test_support {

// A fake data plane that keeps routes in memory and persists like Server.
class FakeControl final : public ProxyControl {
 public:
  explicit FakeControl(RouteStateStore* store = nullptr) : store_(store) {
    RouteStatus catalog;
    catalog.name = "catalog";
    catalog.match.path = "/api/catalog/";
    catalog.match.methods = {"GET"};
    catalog.match.headers = {{"X-Beta", "1"}};
    catalog.service = "catalog-svc";
    catalog.requests = 42;
    catalog.fallbacks = 2;
    RouteStatus orders;
    orders.name = "orders/v1";  // a name that needs %-encoding in a path
    orders.match.path_kind = PathKind::kExact;
    orders.match.path = "/api/orders";
    orders.state = RouteState::kCanary;
    orders.weight = 500;
    orders.service = "orders-svc";
    RouteStatus legacy_only;
    legacy_only.name = "legacy-only";
    routes_ = {catalog, orders, legacy_only};
    UpstreamStatus legacy{"legacy", false, false, {{"127.0.0.1:9000", true, false}}};
    UpstreamStatus svc{"catalog-svc", false, false, {{"127.0.0.1:9100", true, false}}};
    svc.open_connections = 3;
    svc.max_connections = 4096;
    upstreams_ = {legacy, svc};
  }
  std::vector<RouteStatus> routes() const override { return routes_; }
  std::vector<UpstreamStatus> upstreams() const override { return upstreams_; }
  Status setRouteRollout(std::string_view name, const RouteRollout& rollout) override {
    auto it = std::find_if(routes_.begin(), routes_.end(),
                           [&](const RouteStatus& r) { return r.name == name; });
    if (it == routes_.end()) return Status::error("unknown route");
    if (it->service.empty() && rollout.state != RouteState::kLegacy)
      return Status::error("route '" + std::string(name) + "' has no service");
    if (store_) {
      if (Status s = store_->save(name, rollout); !s) return s;
    }
    it->state = rollout.state;
    it->weight = rollout.weight;
    return Status::ok();
  }
  Status drainUpstream(std::string_view name, bool drain) override {
    if (name == "legacy") return Status::error("the legacy upstream cannot be drained");
    for (auto& u : upstreams_)
      if (u.name == name) u.draining = drain;
    return Status::ok();
  }
  Status reload() override {
    ++reloads;
    return reload_ok ? Status::ok() : Status::error("reload refused: strangler.yaml:3: bad");
  }
  int reloads = 0;
  bool reload_ok = true;

 private:
  RouteStateStore* store_;
  std::vector<RouteStatus> routes_;
  std::vector<UpstreamStatus> upstreams_;
};

}  // namespace strangler::test_support
