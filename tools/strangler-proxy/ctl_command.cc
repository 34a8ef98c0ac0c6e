// CLI11 wiring of `strangler-proxy ctl`; see ctl_command.h.
#include "ctl_command.h"

#include <cstdlib>
#include <iostream>
#include <memory>

#include "strangler/ctl.h"

namespace strangler::cli {

CLI::App* addCtlCommand(CLI::App& app, int* exit_code) {
  struct State {
    CtlOptions options;
    CtlCommand command;
    std::vector<std::string> operands;
    int timeout_ms = 5000;
  };
  auto state = std::make_shared<State>();
  if (const char* admin = std::getenv("STRANGLER_ADMIN")) state->options.admin = admin;

  CLI::App* ctl = app.add_subcommand(
      "ctl", "operate a running proxy through its admin API (routes, set, drain, reload, ...)");
  ctl->add_option("--admin", state->options.admin,
                  "admin API URL or host:port [$STRANGLER_ADMIN]")
      ->capture_default_str();
  ctl->add_option("--token", state->options.token,
                  "bearer token (default: $STRANGLER_TOKEN; prefer the variable: "
                  "command lines are visible to other users)");
  ctl->add_flag("--json", state->options.json, "print the admin API's JSON answer as is");
  ctl->add_option("--timeout-ms", state->timeout_ms, "connect and read timeout")
      ->capture_default_str()
      ->check(CLI::Range(1, 600000));
  ctl->add_option("--reason", state->command.reason,
                  "with set: why, recorded in the state file's history");
  ctl->add_flag("--undo", state->command.undo, "with drain: put the upstream back in service");
  ctl->add_option("--limit", state->command.limit, "with diffs: how many stored mismatches (default 10)")
      ->check(CLI::Range(1, 10000));
  ctl->add_option("command", state->operands, "COMMAND [ARGS...]")->required();
  ctl->footer(
      "Commands:\n"
      "  routes                      every route: state, weight, service, match, live figures\n"
      "  route NAME                  one route and its recent history\n"
      "  set ROUTE STATE [WEIGHT]    STATE is legacy, shadow, canary, migrated or retired;\n"
      "                              WEIGHT (canary only) in percent: 5, 12.5, 25%\n"
      "  drain UPSTREAM [--undo]     send the upstream's routes to legacy (or stop doing so)\n"
      "  upstreams                   endpoints with health, ejection, drain, circuit\n"
      "  reload                      re-read the configuration file (invalid = refused)\n"
      "  history [ROUTE]             rollout changes, newest first\n"
      "  diffs ROUTE [--limit N]     stored shadow mismatches: request, differences (--json: both responses)\n"
      "  metrics                     the Prometheus text\n"
      "Exit codes: 0 done, 2 usage, 3 refused by the proxy, 69 admin API unreachable or failing,\n"
      "77 token refused. Reference: docs/strangler-admin.md.\n"
      "Example:\n"
      "  STRANGLER_TOKEN=... strangler-proxy ctl set catalog canary 25 --reason 'ticket 42'");
  ctl->callback([state, exit_code] {
    if (state->options.token.empty()) {
      if (const char* token = std::getenv("STRANGLER_TOKEN")) state->options.token = token;
    }
    state->options.timeout = std::chrono::milliseconds(state->timeout_ms);
    state->command.args = state->operands;
    *exit_code = runCtl(state->options, state->command, std::cout, std::cerr);
  });
  return ctl;
}

}  // namespace strangler::cli
