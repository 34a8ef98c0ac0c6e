// catalog-service: the bookstore's catalog (books, authors, categories) and
// reviews, extracted from the monolith into their own process and database.
//
//   argv -> options -> Replica(service.db <- monolith.db read-only): seed
//        -> ConnectionPool(service.db) -> httplib::Server + the catalog and
//           reviews modules' own register_routes (the code moved, unchanged)
//        -> sync thread: Replica::sync() every --sync-interval
//        -> "listening on HOST:PORT" -> serve until SIGTERM/SIGINT
//
// It answers the same API contract as the monolith's /api/catalog/... and
// /api/reviews/... routes because it runs the same module code over a copy of
// the same tables; see docs/bookstore.md ("The extracted catalog service")
// for the data story while the routes move (replicate, then own).
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include <httplib.h>

#include "catalog/catalog.h"
#include "common/connection_pool.h"
#include "common/http.h"
#include "common/log.h"
#include "fault_injection.h"
#include "replica.h"
#include "reviews/reviews.h"

namespace {

using namespace bookstore;
using catalog_service::Bug;

constexpr const char* kUsage =
    "usage: catalog-service --db FILE --monolith-db FILE [--port N] [--host ADDR] [--threads N]\n"
    "                       [--sync-interval MS] [--cutover] [--bug none|price|drop-field] [--log-level L]\n"
    "\n"
    "The bookstore's catalog and reviews, extracted into a service with its own SQLite database.\n"
    "At start it copies its tables (books, authors, book_authors, categories, reviews) and the\n"
    "tables it reads from other services (stock, customers, addresses, orders, order_items) from\n"
    "the monolith's database, opened read-only; then it re-syncs the changed rows periodically.\n"
    "\n"
    "  --db FILE            the service's own SQLite file (created when missing)\n"
    "  --monolith-db FILE   the monolith's SQLite file, read-only\n"
    "  --port N             TCP port, 0 for an ephemeral one (default 8081)\n"
    "  --host ADDR          address to bind (default 127.0.0.1)\n"
    "  --threads N          worker threads and database connections (default 8)\n"
    "  --sync-interval MS   re-sync period in milliseconds, 0 = only at start (default 500)\n"
    "  --cutover            start as the owner of its tables (routes migrated): only the\n"
    "                       replicated tables keep syncing; also POST /internal/cutover.\n"
    "                       Before cutover, writes to /api/... answer 503 (the monolith writes)\n"
    "  --bug B              answer subtly wrong on purpose (shadow demo): price = one cent\n"
    "                       more for books whose id ends in 7, drop-field = no description in\n"
    "                       book details; also $CATALOG_SERVICE_BUG (default none)\n"
    "  --log-level L        debug | info | warn | error (default info)\n"
    "\n"
    "Endpoints: the monolith's /api/catalog/... and /api/reviews/... routes, GET /healthz,\n"
    "GET /internal/replica (sync figures), POST /internal/cutover.\n"
    "Prints \"listening on HOST:PORT\" on stdout once ready; stops cleanly on SIGTERM/SIGINT.\n"
    "Exit status: 0 stopped cleanly, 1 database or listen failure, 2 bad command line.\n";

struct Options {
  std::string db_path;
  std::string monolith_db;
  std::string host = "127.0.0.1";
  int port = 8081;
  int threads = 8;
  int sync_interval_ms = 500;
  bool cutover = false;
  Bug bug = Bug::kNone;
  std::string log_level = "info";
};

bool parseInt(std::string_view text, int lo, int hi, int* out) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < lo || value > hi) return false;
  *out = value;
  return true;
}

// nullopt with `*exit_code` 0 for --help, 2 for a bad command line (message printed).
std::optional<Options> parseOptions(int argc, char** argv, int* exit_code) {
  Options o;
  auto fail = [&](const std::string& problem) -> std::optional<Options> {
    std::fprintf(stderr, "catalog-service: %s (see --help)\n", problem.c_str());
    *exit_code = 2;
    return std::nullopt;
  };
  std::string bug = std::getenv("CATALOG_SERVICE_BUG") ? std::getenv("CATALOG_SERVICE_BUG") : "none";
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      *exit_code = 0;
      return std::nullopt;
    } else if (arg == "--db") {
      const char* v = value();
      if (!v || !*v) return fail("--db needs a file name");
      o.db_path = v;
    } else if (arg == "--monolith-db") {
      const char* v = value();
      if (!v || !*v) return fail("--monolith-db needs a file name");
      o.monolith_db = v;
    } else if (arg == "--port") {
      const char* v = value();
      if (!v || !parseInt(v, 0, 65535, &o.port)) return fail("--port needs a number in 0..65535");
    } else if (arg == "--host") {
      const char* v = value();
      if (!v || !*v) return fail("--host needs an address");
      o.host = v;
    } else if (arg == "--threads") {
      const char* v = value();
      if (!v || !parseInt(v, 1, 256, &o.threads)) return fail("--threads needs a number in 1..256");
    } else if (arg == "--sync-interval") {
      const char* v = value();
      if (!v || !parseInt(v, 0, 3600000, &o.sync_interval_ms)) return fail("--sync-interval needs milliseconds in 0..3600000");
    } else if (arg == "--cutover") {
      o.cutover = true;
    } else if (arg == "--bug") {
      const char* v = value();
      if (!v) return fail("--bug needs none, price or drop-field");
      bug = v;
    } else if (arg == "--log-level") {
      const char* v = value();
      if (!v) return fail("--log-level needs a level");
      o.log_level = v;
    } else {
      return fail("unknown option '" + std::string(arg) + "'");
    }
  }
  if (o.db_path.empty()) return fail("--db is required");
  if (o.monolith_db.empty()) return fail("--monolith-db is required");
  auto parsed = catalog_service::parseBug(bug);
  if (!parsed) return fail("unknown bug '" + bug + "' (none, price, drop-field)");
  o.bug = *parsed;
  return o;
}

// Runs Replica::sync() every interval on its own thread until stopped. The
// replica is only touched under mutex_ (the sync thread and the /internal
// handlers), never by the API handlers.
class SyncLoop {
 public:
  SyncLoop(catalog_service::Replica& replica, std::chrono::milliseconds interval)
      : replica_(replica), interval_(interval), owning_(replica.owning()) {
    if (interval_.count() > 0) thread_ = std::thread([this] { run(); });
  }
  ~SyncLoop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  Json status() {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto& s = replica_.stats();
    return Json{{"mode", replica_.owning() ? "owning" : "replicating"},
                {"sync_interval_ms", interval_.count()},
                {"syncs", s.syncs},
                {"rows_upserted", s.rows_upserted},
                {"rows_deleted", s.rows_deleted},
                {"last_changes", s.last_changes},
                {"last_error", s.last_error}};
  }
  void cutover() {
    std::lock_guard<std::mutex> lock(mutex_);
    replica_.cutover();
    owning_.store(true);
  }
  /// Lock-free, for the request path.
  bool owning() const { return owning_.load(); }

 private:
  void run() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
      replica_.sync();
      if (!replica_.stats().last_error.empty()) log::warn("sync failed: " + replica_.stats().last_error);
    }
  }

  catalog_service::Replica& replica_;
  const std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::atomic<bool> owning_;
  std::thread thread_;
};

int run(const Options& o) {
  catalog_service::Replica replica(o.db_path, o.monolith_db, catalog_service::catalogTables());
  if (o.cutover) replica.cutover();
  auto started = std::chrono::steady_clock::now();
  replica.seed();
  const auto& seeded = replica.stats();
  log::info("seeded from " + o.monolith_db + ": " + std::to_string(seeded.rows_upserted) + " rows in " +
            std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                                  started).count()) + " ms");

  auto pool = std::make_unique<ConnectionPool>(o.db_path, static_cast<size_t>(o.threads) + 1);
  SyncLoop sync(replica, std::chrono::milliseconds(o.sync_interval_ms));

  httplib::Server server;
  const size_t threads = static_cast<size_t>(o.threads);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_keep_alive_max_count(1000);
  server.set_payload_max_length(1 << 20);
  installErrorHandling(server);
  server.Get("/healthz", [&pool](const httplib::Request&, httplib::Response& res) {
    auto db = pool->acquire();
    db->queryInt("SELECT 1");
    sendJson(res, Json{{"status", "ok"}});
  });
  server.Get("/internal/replica", [&sync](const httplib::Request&, httplib::Response& res) {
    sendJson(res, sync.status());
  });
  server.Post("/internal/cutover", [&sync](const httplib::Request&, httplib::Response& res) {
    sync.cutover();
    log::info("cutover: the owned tables are now written here only");
    sendJson(res, sync.status());
  });
  // While replicating, the monolith is the writer of the owned tables: a
  // write here would be overwritten by the next sync, so refuse it (503, so
  // a proxy falls back to legacy) instead of losing it silently.
  server.set_pre_routing_handler([&sync](const httplib::Request& req, httplib::Response& res) {
    if (req.method == "GET" || req.method == "HEAD" || sync.owning() || req.path.rfind("/api/", 0) != 0) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    sendJson(res, Json{{"error", "catalog-service is a read replica until cutover (POST /internal/cutover)"}}, 503);
    return httplib::Server::HandlerResponse::Handled;
  });
  catalog::register_routes(server, *pool);
  reviews::register_routes(server, *pool);
  if (o.bug != Bug::kNone) {
    log::warn("fault injection is ON: answers are wrong on purpose (--bug)");
    Bug bug = o.bug;
    server.set_post_routing_handler(
        [bug](const httplib::Request& req, httplib::Response& res) { catalog_service::injectBug(bug, req, res); });
  }

  int port = o.port == 0 ? server.bind_to_any_port(o.host) : (server.bind_to_port(o.host, o.port) ? o.port : -1);
  if (port < 0) {
    std::fprintf(stderr, "catalog-service: cannot listen on %s:%d\n", o.host.c_str(), o.port);
    return 1;
  }

  std::atomic<bool> listen_returned{false};
  std::thread signal_waiter([&server, &listen_returned] {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGUSR1);  // internal: wake up after listen failed
    int signal_number = 0;
    sigwait(&set, &signal_number);
    if (signal_number == SIGUSR1) return;
    while (!server.is_running() && !listen_returned.load()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    server.stop();
  });

  std::printf("listening on %s:%d\n", o.host.c_str(), port);
  std::fflush(stdout);
  bool ok = server.listen_after_bind();
  listen_returned.store(true);
  pthread_kill(signal_waiter.native_handle(), SIGUSR1);
  signal_waiter.join();
  pool.reset();
  log::info("stopped");
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  int exit_code = 0;
  auto options = parseOptions(argc, argv, &exit_code);
  if (!options) return exit_code;
  log::Level level;
  if (!log::parseLevel(options->log_level, &level)) {
    std::fprintf(stderr, "catalog-service: unknown log level '%s' (see --help)\n", options->log_level.c_str());
    return 2;
  }
  log::setLevel(level);

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  try {
    return run(*options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "catalog-service: %s\n", e.what());
    return 1;
  }
}
