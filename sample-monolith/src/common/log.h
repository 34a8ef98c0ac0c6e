// Minimal leveled logging to stderr (stdout is reserved for the
// "listening on" line that tests and scripts read). Thread-safe: one line is
// written under a mutex.
#pragma once

#include <string>

namespace bookstore::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

void setLevel(Level level);
/// Parses "debug" | "info" | "warn" | "error"; false when unknown.
bool parseLevel(const std::string& name, Level* out);

void debug(const std::string& message);
void info(const std::string& message);
void warn(const std::string& message);
void error(const std::string& message);

}  // namespace bookstore::log
