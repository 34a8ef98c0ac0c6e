// Server configuration from the command line.
#pragma once

#include <optional>
#include <string>

namespace bookstore {

struct Config {
  std::string db_path;
  std::string host = "127.0.0.1";
  int port = 8080;         // 0 = ephemeral
  bool seed = false;       // fill an empty database with deterministic data
  int threads = 16;        // HTTP worker threads (= pooled sqlite connections)
  std::string log_level = "info";
};

/// Parses argv. On --help fills `message` with the usage and returns nullopt
/// with `*exit_code` 0; on a bad command line returns nullopt with a one-line
/// error in `message` and `*exit_code` 2.
std::optional<Config> parseConfig(int argc, char** argv, std::string* message, int* exit_code);

}  // namespace bookstore
