// Test harness for the bookstore API: starts the server (or targets
// BOOKSTORE_URL), and a tiny JSON client on top of httplib.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace bookstore_test {

using Json = nlohmann::json;

struct Reply {
  int status = 0;  // 0 = no response
  Json body;       // parsed JSON, or null when the body is empty / not JSON
  std::string raw;
};

/// A running bookstore: spawned with a temporary seeded database, or the
/// external one named by BOOKSTORE_URL.
class Server {
 public:
  /// Starts (or connects); on failure `error()` says why.
  Server();
  /// Sends SIGTERM and waits for the process (spawned mode only).
  ~Server();

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  bool spawned() const { return pid_ > 0; }
  const std::string& host() const { return host_; }
  int port() const { return port_; }
  /// Stops the spawned server; returns its exit status (-1 when it did not exit in time).
  int stop();

 private:
  pid_t pid_ = -1;
  std::string dir_;
  std::string host_ = "127.0.0.1";
  int port_ = 0;
  std::string error_;
};

class Client {
 public:
  Client(const std::string& host, int port);

  Reply get(const std::string& path);
  Reply post(const std::string& path, const Json& body);
  Reply postRaw(const std::string& path, const std::string& body);
  Reply put(const std::string& path, const Json& body);
  Reply patch(const std::string& path, const Json& body);
  Reply del(const std::string& path);

 private:
  httplib::Client client_;
};

/// A string unique within this test process and across processes (for e-mails, ISBNs, names).
std::string uniqueSuffix();
/// A valid ISBN-13 nobody else uses.
std::string uniqueIsbn();

}  // namespace bookstore_test
