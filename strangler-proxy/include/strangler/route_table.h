// The route table: routes compiled from config into an immutable, ordered
// list. Built once per config load or rollout change, then shared read-only
// by every worker (Envoy's config -> frozen table pattern); a change builds a
// new table and swaps the pointer.
//
//   RequestView (method, path, query, headers) --match()--> Route* | nullptr
//
// Most specific wins, decided at build time by sorting:
//   1. exact path  >  pattern  >  prefix
//   2. pattern: more literal segments, then more segments;
//      prefix: longer prefix
//   3. more conditions (method set counts one, each header and query
//      condition one)
//   4. earlier in the config
// Prefixes match on segment boundaries: "/api/books" matches "/api/books"
// and "/api/books/7" but not "/api/bookshelf"; a prefix ending in '/' matches
// exactly what starts with it. Unmatched requests go to legacy.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "strangler/config.h"
#include "strangler/control.h"
#include "strangler/http_parser.h"
#include "strangler/status.h"

namespace strangler {

/// Live counters of one route, kept across table rebuilds (keyed by name).
/// Relaxed atomics: figures for the admin API, not synchronisation.
struct RouteCounters {
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> service_requests{0};
  std::atomic<std::uint64_t> fallbacks{0};
  std::atomic<std::uint64_t> errors{0};
  // Retry budget window (one second, shared by workers).
  std::atomic<std::int64_t> window_second{0};
  std::atomic<std::uint32_t> window_requests{0};
  std::atomic<std::uint32_t> window_retries{0};
};

struct Route {
  RouteConfig config;               ///< with the effective rollout applied
  int service = -1;                 ///< index into the snapshot's upstreams, -1 if none
  std::uint32_t metrics_id = 0;
  std::shared_ptr<RouteCounters> counters;
  // Compiled pattern: one entry per segment; empty string = parameter.
  std::vector<std::string> segments;
  int literal_segments = 0;
};

/// What the matcher needs from a request (views into the client buffer).
struct RequestView {
  std::string_view method;
  std::string_view path;
  std::string_view query;
  const http::MessageHead* head = nullptr;  ///< for header conditions; may be null
};

class RouteTable {
 public:
  /// Compiles `config.routes`. `rollouts` (from the state store or the admin
  /// API) override each named route's state and weight. `counters` carries
  /// live counters from the previous table (entries are added for new
  /// routes). `upstream_index` maps an upstream name to its index.
  static Expected<std::shared_ptr<const RouteTable>> build(
      const ProxyConfig& config, const std::map<std::string, RouteRollout>& rollouts,
      const std::map<std::string, int, std::less<>>& upstream_index,
      std::map<std::string, std::shared_ptr<RouteCounters>, std::less<>>& counters,
      MetricsRecorder* metrics);

  /// The most specific matching route, or nullptr (legacy).
  const Route* match(const RequestView& request) const;

  /// Routes in match order.
  const std::vector<Route>& routes() const { return routes_; }
  const Route* find(std::string_view name) const;

 private:
  std::vector<Route> routes_;
};

/// Value of query parameter `name` in `query` ("a=1&b=2"), raw (not
/// percent-decoded); found=false when absent. A bare "a" has value "".
std::string_view findQueryParam(std::string_view query, std::string_view name, bool& found);

/// Value of cookie `name` in a Cookie header value; found=false when absent.
std::string_view findCookie(std::string_view cookie_header, std::string_view name, bool& found);

/// True if a path has dot-segments ("/./", "/../", or a trailing "/." or
/// "/..") that upstreams might resolve differently from the matcher; such
/// requests are refused rather than routed.
bool hasDotSegments(std::string_view path);

}  // namespace strangler
