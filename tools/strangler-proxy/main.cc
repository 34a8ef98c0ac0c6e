// strangler-proxy: thin driver over the strangler library.
//
//   strangler-proxy --config strangler.yaml          serve (SIGHUP / file change reload)
//   strangler-proxy --config strangler.yaml --check  validate and exit
//   strangler-proxy --listen A --legacy URL [--route PREFIX=URL]... [--admin A]
//
// Exit codes follow docs/exit-codes.md: 0 ok, 2 usage, 3 bad config, 70 internal.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "ctl_command.h"
#include "export_command.h"
#include "strangler/access_log.h"
#include "strangler/admin_api.h"
#include "strangler/config_yaml.h"
#include "strangler/metrics.h"
#include "strangler/server.h"
#include "strangler/state_store.h"

namespace {

enum ExitCode : int { kOk = 0, kUsage = 2, kBadInput = 3, kInternal = 70 };

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "strangler-proxy: %s\n", message.c_str());
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "strangler-proxy: HTTP/1.1 reverse proxy that moves a monolith's routes to new services "
      "step by step (legacy -> canary N% -> migrated -> retired).\n"
      "Configuration reference: docs/strangler-config.md; design: docs/proxy-architecture.md."};
  app.set_version_flag("--version", "strangler-proxy 0.1.0");
  int ctl_exit = 0;  // set by the ctl and export subcommands
  CLI::App* ctl = strangler::cli::addCtlCommand(app, &ctl_exit);
  CLI::App* export_cmd = strangler::cli::addExportCommand(app, &ctl_exit);

  std::string config_path;
  bool check = false;
  strangler::QuickStartOptions quick;
  unsigned workers = 0;
  bool quick_workers = false;
  app.add_option("-c,--config", config_path, "YAML configuration file (see docs/strangler-config.md)");
  app.add_flag("--check", check, "validate the configuration, print the problems, and exit");
  app.add_option("--listen", quick.listen, "quick start: traffic address host:port")->capture_default_str();
  app.add_option("--legacy", quick.legacy, "quick start: legacy monolith URL, e.g. http://127.0.0.1:9000");
  app.add_option("--route", quick.routes,
                 "quick start: PREFIX=URL sends a path prefix to a service (state migrated, legacy as fallback); repeatable");
  app.add_option("--admin", quick.admin, "quick start: admin listener host:port (token from $STRANGLER_TOKEN)");
  app.add_option("--state", quick.state_file, "quick start: SQLite rollout state file");
  app.add_option("--access-log", quick.access_log, "quick start: JSON access log path ('-' = stdout)");
  app.add_option("--workers", workers, "event-loop threads (0 = one per core); overrides the config")
      ->each([&](const std::string&) { quick_workers = true; });
  app.footer(
      "Examples:\n"
      "  strangler-proxy --config strangler.yaml\n"
      "  strangler-proxy --listen 127.0.0.1:8080 --legacy http://127.0.0.1:9000 \\\n"
      "                  --route /api/catalog/=http://127.0.0.1:9100\n"
      "Signals: SIGHUP reloads the configuration file; SIGINT/SIGTERM stop accepting,\n"
      "let requests in flight finish (listener.timeouts.drain, default 10s) and exit 0.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kOk : kUsage;
  }
  if (ctl->parsed() || export_cmd->parsed()) return ctl_exit;

  if (config_path.empty() && quick.legacy.empty())
    return fail(kUsage, "either --config FILE or --legacy URL is required (see --help)");
  if (!config_path.empty() && !quick.legacy.empty())
    return fail(kUsage, "--config and the quick-start flags (--legacy, --route) are exclusive");
  if (const char* token = std::getenv("STRANGLER_TOKEN")) quick.token = token;

  auto load = [&]() -> strangler::Expected<strangler::ProxyConfig> {
    auto config = config_path.empty() ? strangler::configFromQuickStart(quick) : strangler::loadConfigFile(config_path);
    if (config && quick_workers) config->listener.workers = workers;
    return config;
  };
  auto config = load();
  if (!config) return fail(kBadInput, config.error());
  if (auto errors = strangler::validate(*config); !errors.empty()) {
    for (const auto& e : errors) std::fprintf(stderr, "strangler-proxy: %s\n", e.c_str());
    return kBadInput;
  }
  if (check) {
    std::printf("%s: ok (%zu upstreams, %zu routes)\n", config_path.empty() ? "quick start" : config_path.c_str(),
                config->upstreams.size(), config->routes.size());
    return kOk;
  }

  strangler::MetricsRegistry metrics;
  std::unique_ptr<strangler::JsonAccessLog> access_log;
  if (!config->access_log.empty()) {
    auto opened = strangler::JsonAccessLog::open(config->access_log);
    if (!opened) return fail(kBadInput, "access log: " + opened.error());
    access_log = std::move(*opened);
  }
  std::unique_ptr<strangler::StateStore> state;
  if (!config->state_path.empty()) {
    auto opened = strangler::StateStore::open(config->state_path);
    if (!opened) return fail(kBadInput, "state file: " + opened.error());
    state = std::move(*opened);
  }

  strangler::ServerOptions options;
  options.config = *config;
  options.metrics = &metrics;
  options.access_log = access_log.get();
  options.state_store = state.get();
  options.handle_signals = true;
  if (!config_path.empty()) {
    options.load_config = load;
    options.watch_path = config_path;
  }
  auto server = strangler::Server::create(std::move(options));
  if (!server) return fail(kBadInput, server.error());
  // The admin API (control plane) answers on the admin listener only.
  strangler::AdminApi admin_api(
      strangler::AdminApiOptions{config->admin.token, server->get(), &metrics, state.get()});
  (*server)->setAdminHandler(&admin_api);
  if (auto s = (*server)->start(); !s) return fail(kInternal, s.message());
  std::fprintf(stderr, "strangler-proxy: listening on port %u (%u workers)%s\n", (*server)->trafficPort(),
               (*server)->workers(),
               (*server)->adminPort() ? (", admin on port " + std::to_string((*server)->adminPort())).c_str() : "");
  (*server)->wait();
  // SIGTERM/SIGINT: finish what is in flight (listener.timeouts.drain), then exit 0.
  (*server)->drainAndStop();
  if (access_log) access_log->flushAll();
  return kOk;
}
