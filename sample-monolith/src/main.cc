// bookstore: the server. Wires the modules together:
//
//   argv -> Config -> ConnectionPool(db file) -> schema (module DDL, in order)
//        -> optional seed -> httplib::Server + each module's register_routes
//        -> "listening on HOST:PORT" -> serve until SIGTERM/SIGINT -> stop, close db
//
// Signals are blocked in every thread and taken synchronously by one waiter
// thread (sigwait), which calls Server::stop(); nothing runs in a signal
// handler, so shutdown is async-signal-safe.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include <httplib.h>

#include "cart/cart.h"
#include "catalog/catalog.h"
#include "common/config.h"
#include "common/connection_pool.h"
#include "common/http.h"
#include "common/log.h"
#include "common/schema.h"
#include "customers/customers.h"
#include "inventory/inventory.h"
#include "notifications/notifications.h"
#include "orders/orders.h"
#include "payments/payments.h"
#include "reporting/reporting.h"
#include "reviews/reviews.h"
#include "seed.h"
#include "shipping/shipping.h"

namespace {

using namespace bookstore;

// Dependency order: tables referenced by foreign keys and views come first.
std::vector<ModuleSchema> moduleSchemas() {
  return {
      {"catalog", catalog::schemaDdl()},       {"customers", customers::schemaDdl()},
      {"inventory", inventory::schemaDdl()},   {"cart", cart::schemaDdl()},
      {"orders", orders::schemaDdl()},         {"payments", payments::schemaDdl()},
      {"shipping", shipping::schemaDdl()},     {"reviews", reviews::schemaDdl()},
      {"notifications", notifications::schemaDdl()}, {"reporting", reporting::schemaDdl()},
  };
}

void registerAllRoutes(httplib::Server& server, ConnectionPool& pool) {
  server.Get("/healthz", [&pool](const httplib::Request&, httplib::Response& res) {
    auto db = pool.acquire();
    db->queryInt("SELECT 1");
    sendJson(res, Json{{"status", "ok"}});
  });
  catalog::register_routes(server, pool);
  inventory::register_routes(server, pool);
  customers::register_routes(server, pool);
  cart::register_routes(server, pool);
  orders::register_routes(server, pool);
  payments::register_routes(server, pool);
  shipping::register_routes(server, pool);
  reviews::register_routes(server, pool);
  notifications::register_routes(server, pool);
  reporting::register_routes(server, pool);
}

int run(const Config& config) {
  // One connection per worker thread plus one for the signal-free main path.
  auto pool = std::make_unique<ConnectionPool>(config.db_path, static_cast<size_t>(config.threads) + 1);
  {
    auto db = pool->acquire();
    applySchema(*db, moduleSchemas());
    if (config.seed) seedIfEmpty(*db);
  }

  httplib::Server server;
  const size_t threads = static_cast<size_t>(config.threads);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_keep_alive_max_count(1000);
  server.set_payload_max_length(1 << 20);
  installErrorHandling(server);
  registerAllRoutes(server, *pool);

  int port = config.port == 0 ? server.bind_to_any_port(config.host)
                              : (server.bind_to_port(config.host, config.port) ? config.port : -1);
  if (port < 0) {
    std::fprintf(stderr, "bookstore: cannot listen on %s:%d\n", config.host.c_str(), config.port);
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
    log::info("signal " + std::to_string(signal_number) + ", shutting down");
    // A signal can arrive between bind and listen; stop() is a no-op until
    // the server runs, so wait for it (or for listen to have given up).
    while (!server.is_running() && !listen_returned.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    server.stop();
  });

  std::printf("listening on %s:%d\n", config.host.c_str(), port);
  std::fflush(stdout);
  bool ok = server.listen_after_bind();
  listen_returned.store(true);

  pthread_kill(signal_waiter.native_handle(), SIGUSR1);  // harmless if it already returned
  signal_waiter.join();
  pool.reset();  // closes every connection (WAL checkpoint on the last close)
  log::info("stopped");
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string message;
  int exit_code = 0;
  auto config = parseConfig(argc, argv, &message, &exit_code);
  if (!config) {
    std::fprintf(exit_code == 0 ? stdout : stderr, "%s\n", message.c_str());
    return exit_code;
  }
  log::Level level;
  if (!log::parseLevel(config->log_level, &level)) {
    std::fprintf(stderr, "bookstore: unknown log level '%s' (see --help)\n", config->log_level.c_str());
    return 2;
  }
  log::setLevel(level);

  // Block the shutdown signals before any thread starts so that every thread
  // inherits the mask and only the waiter receives them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  try {
    return run(*config);
  } catch (const DbError& e) {
    std::fprintf(stderr, "bookstore: database error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bookstore: %s\n", e.what());
    return 1;
  }
}
