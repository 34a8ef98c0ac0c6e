#include "common/config.h"

#include <charconv>
#include <string_view>

namespace bookstore {
namespace {

constexpr const char* kUsage =
    "usage: bookstore --db FILE [--port N] [--host ADDR] [--seed] [--threads N] [--log-level L]\n"
    "\n"
    "An online bookstore HTTP/JSON API over one SQLite database.\n"
    "\n"
    "  --db FILE        SQLite database file (created when missing)\n"
    "  --port N         TCP port, 0 for an ephemeral one (default 8080)\n"
    "  --host ADDR      address to bind (default 127.0.0.1)\n"
    "  --seed           fill an empty database with deterministic sample data\n"
    "  --threads N      worker threads and database connections (default 16)\n"
    "  --log-level L    debug | info | warn | error (default info)\n"
    "\n"
    "Prints \"listening on HOST:PORT\" on stdout once ready; stops cleanly on SIGTERM/SIGINT.\n";

bool parseInt(std::string_view text, int lo, int hi, int* out) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < lo || value > hi) return false;
  *out = value;
  return true;
}

}  // namespace

std::optional<Config> parseConfig(int argc, char** argv, std::string* message, int* exit_code) {
  Config config;
  auto usageError = [&](const std::string& problem) -> std::optional<Config> {
    *message = "bookstore: " + problem + " (see --help)";
    *exit_code = 2;
    return std::nullopt;
  };
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    // The option's value, consuming the next argument; null when missing.
    auto value = [&](std::string_view) -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (arg == "--help" || arg == "-h") {
      *message = kUsage;
      *exit_code = 0;
      return std::nullopt;
    } else if (arg == "--db") {
      const char* v = value(arg);
      if (!v || !*v) return usageError("--db needs a file name");
      config.db_path = v;
    } else if (arg == "--port") {
      const char* v = value(arg);
      if (!v || !parseInt(v, 0, 65535, &config.port)) return usageError("--port needs a number in 0..65535");
    } else if (arg == "--host") {
      const char* v = value(arg);
      if (!v || !*v) return usageError("--host needs an address");
      config.host = v;
    } else if (arg == "--threads") {
      const char* v = value(arg);
      if (!v || !parseInt(v, 1, 256, &config.threads)) return usageError("--threads needs a number in 1..256");
    } else if (arg == "--log-level") {
      const char* v = value(arg);
      if (!v) return usageError("--log-level needs a level");
      config.log_level = v;
    } else if (arg == "--seed") {
      config.seed = true;
    } else {
      return usageError("unknown option '" + std::string(arg) + "'");
    }
  }
  if (config.db_path.empty()) return usageError("--db is required");
  return config;
}

}  // namespace bookstore
