// bookstore-load: replays a realistic, read-heavy mix of bookstore API calls
// for a bounded time and prints throughput, errors by status class and
// latency percentiles.
//
//   discover (book count, customers) -> C workers, each a keep-alive client
//   running Scenario::step() until the deadline -> merge Stats -> summary
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "scenario.h"
#include "stats.h"

namespace {

constexpr const char* kUsage =
    "usage: bookstore-load --url URL [--duration S] [--concurrency C] [--seed N] [--json]\n"
    "\n"
    "Replays a read-heavy shopper mix against a bookstore (browse, view book, reviews,\n"
    "cart, place order, check orders, shipping quotes, stock, reports) for S seconds\n"
    "with C keep-alive connections, then prints requests, req/s, status classes and\n"
    "p50/p90/p99 latency.\n"
    "\n"
    "  --url URL          base URL, e.g. http://127.0.0.1:8080 (required)\n"
    "  --duration S       seconds to run, 1..3600 (default 10)\n"
    "  --concurrency C    parallel connections, 1..256 (default 4)\n"
    "  --seed N           PRNG seed for the traffic mix (default 1)\n"
    "  --json             print the summary as JSON\n"
    "\n"
    "Exit status: 0 done, 1 target unreachable or not a seeded bookstore, 2 bad command line.\n";

struct Options {
  std::string url;
  int duration = 10;
  int concurrency = 4;
  uint64_t seed = 1;
  bool json = false;
};

template <typename T>
bool parseNumber(const char* text, T lo, T hi, T* out) {
  if (!text) return false;
  std::string_view s = text;
  T value{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || value < lo || value > hi) return false;
  *out = value;
  return true;
}

int usageError(const std::string& problem) {
  std::fprintf(stderr, "bookstore-load: %s (see --help)\n", problem.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg == "--json") {
      options.json = true;
    } else if (arg == "--url") {
      if (!value) return usageError("--url needs a value");
      options.url = value;
      ++i;
    } else if (arg == "--duration") {
      if (!parseNumber(value, 1, 3600, &options.duration)) return usageError("--duration needs 1..3600");
      ++i;
    } else if (arg == "--concurrency") {
      if (!parseNumber(value, 1, 256, &options.concurrency)) return usageError("--concurrency needs 1..256");
      ++i;
    } else if (arg == "--seed") {
      if (!parseNumber<uint64_t>(value, 0, UINT64_MAX, &options.seed)) return usageError("--seed needs a number");
      ++i;
    } else {
      return usageError("unknown option '" + std::string(arg) + "'");
    }
  }
  if (options.url.rfind("http://", 0) != 0) return usageError("--url must be an http:// URL");
  while (!options.url.empty() && options.url.back() == '/') options.url.pop_back();

  bookstore::load::Catalog catalog;
  std::string error;
  if (!bookstore::load::discover(options.url, &catalog, &error)) {
    std::fprintf(stderr, "bookstore-load: %s\n", error.c_str());
    return 1;
  }

  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  const auto deadline = started + std::chrono::seconds(options.duration);
  std::vector<bookstore::load::Stats> stats(static_cast<size_t>(options.concurrency));
  std::vector<std::thread> workers;
  for (int w = 0; w < options.concurrency; ++w) {
    workers.emplace_back([&, w] {
      bookstore::load::Scenario scenario(options.url, catalog, options.seed * 1000003 + static_cast<uint64_t>(w),
                                         stats[static_cast<size_t>(w)]);
      while (Clock::now() < deadline) scenario.step();
    });
  }
  for (auto& worker : workers) worker.join();
  double seconds = std::chrono::duration<double>(Clock::now() - started).count();

  bookstore::load::Stats total;
  for (const auto& s : stats) total.merge(s);
  std::fputs(bookstore::load::summarize(total, seconds, options.concurrency, options.json).c_str(), stdout);
  return 0;
}
