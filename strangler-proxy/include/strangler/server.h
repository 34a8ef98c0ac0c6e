// The strangler proxy server: N worker threads, each with its own
// io_context and SO_REUSEPORT acceptor on the traffic address, plus one
// control thread running the admin listener, active health checks, SIGHUP /
// file-change reloads and signal handling.
//
//   client bytes -> parseRequestHead -> RouteTable::match -> choose side
//     (weight / sticky / state / health / drain / breaker) -> upstream pool
//     -> forward head + stream body -> parseResponseHead -> on failure and
//     if allowed: retry on legacy -> stream response -> access log, metrics
//
// Thread safety: the public methods are thread-safe. The configuration in
// force is an immutable Snapshot behind a mutex plus a generation counter;
// workers re-read it only when the counter moved, so the hot path takes no
// lock. In-flight requests finish on the snapshot they started with.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "strangler/config.h"
#include "strangler/control.h"
#include "strangler/status.h"

namespace strangler {

struct ServerOptions {
  ProxyConfig config;
  /// Control-plane collaborators; not owned; each may be null (then off).
  /// They must outlive the Server.
  MetricsRecorder* metrics = nullptr;
  AccessLogSink* access_log = nullptr;
  RouteStateStore* state_store = nullptr;
  /// Re-reads the configuration (SIGHUP, file change, ProxyControl::reload).
  /// Null = reloads are refused.
  std::function<Expected<ProxyConfig>()> load_config;
  /// File polled every `watch_interval` for changes (mtime, size); empty = off.
  std::string watch_path;
  Millis watch_interval{1000};
  /// Handle SIGHUP (reload) and SIGINT/SIGTERM (stop) in the control thread.
  bool handle_signals = false;
};

class Server final : public ProxyControl {
 public:
  /// Validates the config, loads persisted rollouts and binds the listeners
  /// (so ports are known before start()). Does not start threads.
  static Expected<std::unique_ptr<Server>> create(ServerOptions options);
  ~Server() override;
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Admin API implementation (control plane); set before start(). Not owned.
  void setAdminHandler(AdminHandler* handler);

  /// Starts the worker and control threads.
  Status start();
  /// Blocks until stop() is called or a SIGINT/SIGTERM arrives (when handled).
  void wait();
  /// Stops accepting, closes connections, joins threads. Idempotent.
  void stop();
  /// Graceful shutdown (what SIGTERM/SIGINT lead to in the CLI): stops
  /// accepting, closes idle keep-alive connections at once, lets requests in
  /// flight finish (their responses say `Connection: close`) for up to
  /// `listener.timeouts.drain`, then stop(). Returns true when every client
  /// connection ended within the drain timeout.
  bool drainAndStop();

  std::uint16_t trafficPort() const;
  std::uint16_t adminPort() const;  ///< 0 when there is no admin listener
  unsigned workers() const;

  /// Validates and swaps in a new configuration (listener address, worker
  /// count and admin address need a restart and are kept as they were).
  Status applyConfig(const ProxyConfig& config);

  // ProxyControl
  std::vector<RouteStatus> routes() const override;
  std::vector<UpstreamStatus> upstreams() const override;
  Status setRouteRollout(std::string_view route, const RouteRollout& rollout) override;
  Status drainUpstream(std::string_view upstream, bool drain) override;
  Status reload() override;

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace strangler
