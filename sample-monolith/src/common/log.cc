#include "common/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "common/clock.h"

namespace bookstore::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::mutex g_mutex;

void write(Level level, const char* tag, const std::string& message) {
  if (static_cast<int>(level) < g_level.load(std::memory_order_relaxed)) return;
  std::lock_guard lock(g_mutex);
  std::fprintf(stderr, "%s %s %s\n", nowIso().c_str(), tag, message.c_str());
}

}  // namespace

void setLevel(Level level) { g_level.store(static_cast<int>(level)); }

bool parseLevel(const std::string& name, Level* out) {
  if (name == "debug") *out = Level::kDebug;
  else if (name == "info") *out = Level::kInfo;
  else if (name == "warn") *out = Level::kWarn;
  else if (name == "error") *out = Level::kError;
  else return false;
  return true;
}

void debug(const std::string& message) { write(Level::kDebug, "DEBUG", message); }
void info(const std::string& message) { write(Level::kInfo, "INFO", message); }
void warn(const std::string& message) { write(Level::kWarn, "WARN", message); }
void error(const std::string& message) { write(Level::kError, "ERROR", message); }

}  // namespace bookstore::log
