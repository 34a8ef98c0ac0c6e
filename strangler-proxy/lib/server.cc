// Server lifecycle, configuration publishing (snapshot build + swap) and the
// ProxyControl operations used by the admin API.
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <sstream>

#include "runtime.h"

namespace strangler {
namespace {

using boost::system::error_code;

Expected<tcp::endpoint> resolve(asio::io_context& ioc, std::string_view address, bool allow_port_zero) {
  std::string host;
  std::uint16_t port = 0;
  if (!splitHostPort(address, host, port) || (port == 0 && !allow_port_zero))
    return Status::error("bad address '" + std::string(address) + "'");
  error_code ec;
  auto ip = asio::ip::make_address(host, ec);
  if (!ec) return tcp::endpoint(ip, port);
  tcp::resolver resolver(ioc);
  auto results = resolver.resolve(host, std::to_string(port), ec);
  if (ec || results.empty()) return Status::error("cannot resolve '" + host + "': " + ec.message());
  return results.begin()->endpoint();
}

std::string joinErrors(const std::vector<std::string>& errors) {
  std::string all;
  for (const auto& e : errors) {
    if (!all.empty()) all += "; ";
    all += e;
  }
  return all;
}

}  // namespace

void startHealthChecksImpl(Server::Impl& impl, const std::shared_ptr<const Snapshot>& snap);
void startAdminImpl(Server::Impl& impl);
void startReloadTriggersImpl(Server::Impl& impl, Server& server);
void startShadowAnalysisImpl(Server::Impl& impl, Server& server);
void fillShadowStatus(const Snapshot& snap, const Route& route, RouteStatus& status);

Status Server::Impl::publishLocked(const ProxyConfig& config) {
  auto snap = std::make_shared<Snapshot>();
  snap->config = config;
  const Snapshot* previous = snapshot.get();
  for (std::size_t i = 0; i < config.upstreams.size(); ++i) {
    const UpstreamConfig& uc = config.upstreams[i];
    auto up = std::make_shared<UpstreamRuntime>();
    up->config = uc;
    up->metrics_id = options.metrics ? options.metrics->upstreamId(uc.name) : static_cast<std::uint32_t>(i);
    auto& count = connection_counts[uc.name];
    if (!count) count = std::make_unique<UpstreamConnections>();
    up->connections = count.get();
    const UpstreamRuntime* old = nullptr;
    if (previous) {
      auto it = previous->upstream_index.find(uc.name);
      if (it != previous->upstream_index.end()) old = previous->upstreams[it->second].get();
    }
    for (const std::string& address : uc.endpoints) {
      std::shared_ptr<EndpointRuntime> ep;
      if (old) {
        for (const auto& candidate : old->endpoints)
          if (candidate->address == address) ep = candidate;
      }
      if (!ep) {
        auto resolved = resolve(control_ioc, address, false);
        if (!resolved) return Status::error("upstream '" + uc.name + "': " + resolved.error());
        ep = std::make_shared<EndpointRuntime>();
        ep->address = address;
        ep->resolved = *resolved;
        ep->pools = std::make_unique<EndpointRuntime::WorkerPool[]>(worker_count);
      }
      up->endpoints.push_back(std::move(ep));
    }
    if (auto it = drained.find(uc.name); it != drained.end()) up->draining.store(it->second);
    snap->upstream_index[uc.name] = static_cast<int>(i);
    snap->upstreams.push_back(std::move(up));
  }
  auto legacy = snap->upstream_index.find(config.legacy);
  if (legacy == snap->upstream_index.end()) return Status::error("unknown legacy upstream '" + config.legacy + "'");
  snap->legacy = legacy->second;
  auto table = RouteTable::build(config, rollouts, snap->upstream_index, counters, options.metrics);
  if (!table) return table.status();
  snap->routes = std::move(*table);
  // Shadow verification / analysis runtime of the new table (shadow_dispatch.cc).
  if (!shadow_registry) shadow_registry = std::make_unique<ShadowRegistry>(worker_count);
  if (Status s = buildShadowRuntime(*shadow_registry, *snap, snap->shadow); !s) return s;
  snap->generation = generation.load() + 1;
  snapshot = std::move(snap);
  generation.store(snapshot->generation, std::memory_order_release);
  return Status::ok();
}

void Server::Impl::requestStop() {
  std::lock_guard<std::mutex> lock(stop_mu);
  stop_requested = true;
  stop_cv.notify_all();
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { stop(); }

Expected<std::unique_ptr<Server>> Server::create(ServerOptions options) {
  std::vector<std::string> errors = validate(options.config);
  if (!errors.empty()) return Status::error("invalid config: " + joinErrors(errors));
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  const ProxyConfig& config = impl->options.config;
  unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  impl->worker_count = config.listener.workers ? config.listener.workers : hw;
  if (impl->options.metrics) {
    impl->options.metrics->setWorkers(impl->worker_count);
    impl->unmatched_route_id = impl->options.metrics->routeId("");
  }
  if (impl->options.access_log) impl->options.access_log->setWorkers(impl->worker_count);
  if (impl->options.state_store) {
    auto stored = impl->options.state_store->load();
    if (!stored) return Status::error("state store: " + stored.error());
    impl->rollouts = std::move(*stored);
  }
  {
    std::lock_guard<std::mutex> lock(impl->mu);
    if (Status s = impl->publishLocked(config); !s) return s;
  }
  auto endpoint = resolve(impl->control_ioc, config.listener.address, true);
  if (!endpoint) return Status::error("listener: " + endpoint.error());
  for (unsigned i = 0; i < impl->worker_count; ++i) {
    auto worker = std::make_unique<Worker>(*impl, i);
    if (Status s = worker->bind(*endpoint); !s) return s;
    // With port 0 the first bind picks the port; the others share it.
    if (i == 0) *endpoint = worker->localEndpoint();
    impl->workers.push_back(std::move(worker));
  }
  impl->traffic_endpoint = *endpoint;
  if (!config.admin.address.empty()) {
    auto admin = resolve(impl->control_ioc, config.admin.address, true);
    if (!admin) return Status::error("admin: " + admin.error());
    auto acceptor = std::make_unique<tcp::acceptor>(impl->control_ioc);
    error_code ec;
    acceptor->open(admin->protocol(), ec);
    if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor->bind(*admin, ec);
    if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return Status::error("admin listen on " + config.admin.address + ": " + ec.message());
    impl->admin_acceptor = std::move(acceptor);
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

void Server::setAdminHandler(AdminHandler* handler) { impl_->admin_handler = handler; }

Status Server::start() {
  Impl& impl = *impl_;
  if (impl.started) return Status::error("already started");
  impl.started = true;
  for (auto& worker : impl.workers) {
    Worker* w = worker.get();
    impl.threads.emplace_back([w] { w->run(); });
  }
  startAdminImpl(impl);
  startHealthChecksImpl(impl, impl.current());
  startReloadTriggersImpl(impl, *this);
  startShadowAnalysisImpl(impl, *this);
  impl.control_thread = std::thread([&impl] {
    auto guard = asio::make_work_guard(impl.control_ioc);
    impl.control_ioc.run();
  });
  return Status::ok();
}

void Server::wait() {
  std::unique_lock<std::mutex> lock(impl_->stop_mu);
  impl_->stop_cv.wait(lock, [this] { return impl_->stop_requested; });
}

void Server::stop() {
  Impl& impl = *impl_;
  if (impl.stopped) return;
  impl.stopped = true;
  impl.stopping.store(true);
  for (auto& worker : impl.workers) worker->stop();
  impl.control_ioc.stop();
  for (auto& t : impl.threads)
    if (t.joinable()) t.join();
  if (impl.control_thread.joinable()) impl.control_thread.join();
  // Pooled sockets belong to the workers' io_contexts: release them first.
  for (auto& worker : impl.workers) worker->clearPools();
  for (auto& worker : impl.workers) worker->shadow->clear();  // shadow calls' idle sockets
  {
    std::lock_guard<std::mutex> lock(impl.mu);
    if (impl.snapshot)
      for (const auto& up : impl.snapshot->upstreams)
        for (const auto& ep : up->endpoints)
          for (unsigned i = 0; i < impl.worker_count; ++i) ep->pools[i].idle.clear();
  }
  impl.requestStop();
}

bool Server::drainAndStop() {
  Impl& impl = *impl_;
  bool drained = true;
  if (impl.started && !impl.stopped) {
    Millis limit = impl.current()->config.listener.timeouts.drain;
    impl.draining.store(true);
    for (auto& worker : impl.workers) worker->beginDrain();
    // Sessions decrement `connections` as they close; polling it keeps the
    // hot path free of any shutdown bookkeeping.
    auto deadline = SteadyClock::now() + limit;
    while (impl.connections.load() > 0 && SteadyClock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    drained = impl.connections.load() == 0;
  }
  stop();
  return drained;
}

std::uint16_t Server::trafficPort() const { return impl_->traffic_endpoint.port(); }

std::uint16_t Server::adminPort() const {
  if (!impl_->admin_acceptor) return 0;
  error_code ec;
  return impl_->admin_acceptor->local_endpoint(ec).port();
}

unsigned Server::workers() const { return impl_->worker_count; }

Status Server::applyConfig(const ProxyConfig& incoming) {
  std::vector<std::string> errors = validate(incoming);
  if (!errors.empty()) return Status::error("invalid config: " + joinErrors(errors));
  std::shared_ptr<const Snapshot> published;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    ProxyConfig config = incoming;
    // Sockets and threads stay as they are; these need a restart.
    config.listener.address = impl_->snapshot->config.listener.address;
    config.listener.workers = impl_->snapshot->config.listener.workers;
    config.admin = impl_->snapshot->config.admin;
    if (Status s = impl_->publishLocked(config); !s) return s;
    published = impl_->snapshot;
  }
  if (impl_->started) {
    Impl* impl = impl_.get();
    asio::post(impl->control_ioc, [impl, published] { startHealthChecksImpl(*impl, published); });
  }
  return Status::ok();
}

Status Server::reload() {
  if (!impl_->options.load_config) return Status::error("no configuration file to reload");
  auto config = impl_->options.load_config();
  if (!config) return Status::error("reload refused: " + config.error());
  return applyConfig(*config);
}

std::vector<RouteStatus> Server::routes() const {
  auto snap = impl_->current();
  std::vector<RouteStatus> out;
  for (const RouteConfig& rc : snap->config.routes) {
    const Route* route = snap->routes->find(rc.name);
    if (!route) continue;
    RouteStatus s;
    s.name = rc.name;
    s.match = rc.match;
    s.state = route->config.state;
    s.weight = route->config.weight;
    s.service = rc.service;
    s.requests = route->counters->requests.load(std::memory_order_relaxed);
    s.service_requests = route->counters->service_requests.load(std::memory_order_relaxed);
    s.fallbacks = route->counters->fallbacks.load(std::memory_order_relaxed);
    s.errors = route->counters->errors.load(std::memory_order_relaxed);
    fillShadowStatus(*snap, *route, s);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<UpstreamStatus> Server::upstreams() const {
  auto snap = impl_->current();
  std::vector<UpstreamStatus> out;
  std::int64_t now = nowMillis();
  for (const auto& up : snap->upstreams) {
    UpstreamStatus s;
    s.name = up->config.name;
    s.draining = up->draining.load();
    s.circuit_open = up->circuitOpen() || up->atConnectionLimit();
    s.open_connections = up->connections->open.load(std::memory_order_relaxed);
    s.max_connections = up->config.circuit_breaker.max_connections;
    s.connection_overflows = up->connections->overflows.load(std::memory_order_relaxed);
    for (const auto& ep : up->endpoints)
      s.endpoints.push_back({ep->address, ep->healthy.load(), ep->ejected_until_ms.load() > now});
    out.push_back(std::move(s));
  }
  return out;
}

Status Server::setRouteRollout(std::string_view name, const RouteRollout& rollout) {
  if (rollout.weight > 10000) return Status::error("weight must be 0..10000 basis points");
  std::lock_guard<std::mutex> lock(impl_->mu);
  const ProxyConfig& config = impl_->snapshot->config;
  auto it = std::find_if(config.routes.begin(), config.routes.end(), [&](const RouteConfig& r) { return r.name == name; });
  if (it == config.routes.end()) return Status::error("unknown route '" + std::string(name) + "'");
  if (it->service.empty() && rollout.state != RouteState::kLegacy && rollout.state != RouteState::kShadow)
    return Status::error("route '" + std::string(name) + "' has no service");
  if (auto* store = impl_->options.state_store) {
    if (Status s = store->save(name, rollout); !s) return Status::error("state store: " + s.message());
  }
  RouteRollout previous;
  bool had = false;
  if (auto found = impl_->rollouts.find(std::string(name)); found != impl_->rollouts.end()) {
    previous = found->second;
    had = true;
  }
  impl_->rollouts[std::string(name)] = rollout;
  ProxyConfig copy = config;
  Status s = impl_->publishLocked(copy);
  if (!s) {
    if (had) impl_->rollouts[std::string(name)] = previous;
    else impl_->rollouts.erase(std::string(name));
  }
  return s;
}

Status Server::drainUpstream(std::string_view name, bool drain) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  const Snapshot& snap = *impl_->snapshot;
  auto it = snap.upstream_index.find(name);
  if (it == snap.upstream_index.end()) return Status::error("unknown upstream '" + std::string(name) + "'");
  if (it->second == snap.legacy) return Status::error("the legacy upstream cannot be drained");
  impl_->drained[std::string(name)] = drain;
  snap.upstreams[it->second]->draining.store(drain);
  return Status::ok();
}

}  // namespace strangler
