// CLI11 wiring of `strangler-proxy export`; see export_command.h.
#include "export_command.h"

#include <filesystem>
#include <iostream>
#include <memory>

#include "strangler/config_yaml.h"
#include "strangler/export.h"
#include "strangler/state_store.h"

namespace strangler::cli {

CLI::App* addExportCommand(CLI::App& app, int* exit_code) {
  struct State {
    std::string config, state, format = "gateway-api";
    GatewayApiOptions gateway;
    NginxOptions nginx;
  };
  auto s = std::make_shared<State>();
  CLI::App* cmd = app.add_subcommand(
      "export", "write the routing (with the persisted rollout) for another data plane");
  cmd->add_option("-c,--config", s->config, "strangler.yaml")->required();
  cmd->add_option("--state", s->state,
                  "rollout state file (default: the config's state_file, when it exists)");
  cmd->add_option("--format", s->format, "output format")
      ->check(CLI::IsMember({"gateway-api", "nginx", "envoy"}))
      ->capture_default_str();
  cmd->add_option("--name", s->gateway.name, "HTTPRoute metadata.name")->capture_default_str();
  cmd->add_option("--namespace", s->gateway.namespace_, "HTTPRoute metadata.namespace");
  cmd->add_option("--gateway", s->gateway.gateway, "parent Gateway name")->capture_default_str();
  cmd->add_option("--worker-processes", s->nginx.worker_processes, "nginx: worker_processes")
      ->capture_default_str()
      ->check(CLI::Range(1u, 256u));
  cmd->footer(
      "Writes the routing with the live rollout (the state file overrides the YAML) to stdout:\n"
      "  gateway-api  a Kubernetes Gateway API HTTPRoute: one rule per route, most specific first,\n"
      "               weighted backendRefs, a catch-all rule to legacy\n"
      "  nginx        a complete nginx.conf (run: nginx -p DIR -c FILE -e stderr): map + split_clients,\n"
      "               legacy as backup server for fallback, mirror for shadow\n"
      "  envoy        an Envoy v3 static bootstrap: weighted_clusters, request_mirror_policies with\n"
      "               runtime_fraction, aggregate cluster + retry policy for fallback\n"
      "What the engine cannot express (sticky hashing, shadow comparison, analysis policy, retry\n"
      "budget, ...) is printed as notes on stderr, never dropped silently (docs/scaling.md).\n"
      "Exit codes: 0 written, 2 usage, 3 invalid config or unreadable state file.");
  cmd->callback([s, exit_code] {
    auto fail = [&](const std::string& message) {
      std::cerr << "strangler-proxy export: " << message << "\n";
      *exit_code = 3;
    };
    auto config = loadConfigFile(s->config);
    if (!config) {
      // Several problems come one per line; prefix each.
      std::string text = config.error();
      for (std::size_t start = 0; start < text.size();) {
        std::size_t end = text.find('\n', start);
        fail(text.substr(start, end - start));
        if (end == std::string::npos) break;
        start = end + 1;
      }
      return;
    }
    std::string state_path = s->state.empty() ? config->state_path : s->state;
    std::map<std::string, RouteRollout> rollouts;
    // Never create a state file just to read it.
    if (!state_path.empty() && std::filesystem::exists(state_path)) {
      auto store = StateStore::open(state_path);
      if (!store) return fail(store.error());
      auto loaded = (*store)->load();
      if (!loaded) return fail(loaded.error());
      rollouts = std::move(*loaded);
    } else if (!s->state.empty()) {
      return fail("state file " + s->state + ": not found");
    }
    auto out = s->format == "nginx"   ? exportNginx(*config, rollouts, s->nginx)
               : s->format == "envoy" ? exportEnvoy(*config, rollouts)
                                      : exportGatewayApi(*config, rollouts, s->gateway);
    if (!out) return fail(out.error());
    std::cout << out->text;
    for (const std::string& note : out->notes) std::cerr << "strangler-proxy export: note: " << note << "\n";
    *exit_code = 0;
  });
  return cmd;
}

}  // namespace strangler::cli
