// `strangler-proxy ctl`: a small HTTP client for the admin API, for operators
// and scripts. The driver parses the command line; this file does the calls
// and renders the answers.
//
//   ctl routes                        table of routes (state, weight, figures)
//   ctl route NAME                    one route and its recent history
//   ctl set ROUTE STATE [WEIGHT]      e.g. `set catalog canary 25` / `set catalog migrated`
//   ctl drain UPSTREAM [--undo]       send the upstream's routes to legacy (or stop)
//   ctl upstreams                     endpoints, health, ejection, drain, circuit
//   ctl reload                        re-read the config file
//   ctl history [ROUTE]               rollout changes, newest first
//   ctl diffs ROUTE [--limit N]       stored shadow mismatches, newest first
//   ctl metrics                       the Prometheus text
//
// Exit codes (docs/exit-codes.md): 0 done; 3 the proxy refused the request
// (unknown route, invalid state or weight, invalid config on reload); 69 the
// admin API is unreachable or failed (5xx); 77 the token was refused (401).
#pragma once

#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include "strangler/status.h"

namespace strangler {

enum CtlExit : int {
  kCtlOk = 0,
  kCtlUsage = 2,
  kCtlRefused = 3,
  kCtlUnavailable = 69,
  kCtlUnauthorized = 77,
};

struct CtlOptions {
  std::string admin = "http://127.0.0.1:9901";  ///< URL or host:port of the admin listener
  std::string token;                            ///< bearer token
  bool json = false;                            ///< print the raw JSON answer
  std::chrono::milliseconds timeout{5000};      ///< connect and read timeout
};

/// The answer of one admin call.
struct AdminReply {
  int status = 0;
  std::string content_type;
  std::string body;
};

/// One HTTP call to the admin API. An Expected error means no HTTP answer
/// (connection refused, timeout, bad URL).
Expected<AdminReply> callAdmin(const CtlOptions& options, const std::string& method,
                               const std::string& path, const std::string& body = "");

/// Runs one ctl command. `args` is the command and its operands, e.g.
/// {"set", "catalog", "canary", "25"}; `reason` goes with `set`; `undo` with
/// `drain`. Writes results to `out` and one-line problems to `err`
/// ("strangler-proxy ctl: ..."). Returns a CtlExit.
struct CtlCommand {
  std::vector<std::string> args;
  std::string reason;
  bool undo = false;
  int limit = 0;  ///< with diffs: how many (0 = 10)
};
int runCtl(const CtlOptions& options, const CtlCommand& command, std::ostream& out,
           std::ostream& err);

/// Percent-encodes one path segment (route and upstream names may hold any
/// character).
std::string encodePathSegment(const std::string& segment);

}  // namespace strangler
