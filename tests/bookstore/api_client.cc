#include "api_client.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>

#if !defined(BOOKSTORE_BIN) || !defined(BOOKSTORE_TEST_TEMPLATE_DIR)
#error "BOOKSTORE_BIN (build/bin/bookstore) and BOOKSTORE_TEST_TEMPLATE_DIR must be defined"
#endif

namespace bookstore_test {
namespace {

Reply toReply(const httplib::Result& res) {
  Reply reply;
  if (!res) return reply;
  reply.status = res->status;
  reply.raw = res->body;
  reply.body = Json::parse(res->body, nullptr, false);
  if (reply.body.is_discarded()) reply.body = nullptr;
  return reply;
}

// Reads one line from fd within the deadline.
bool readLine(int fd, std::string* line, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char c;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    int r = poll(&p, 1, static_cast<int>(left.count()));
    if (r <= 0) return false;
    ssize_t n = read(fd, &c, 1);
    if (n <= 0) return false;
    if (c == '\n') return true;
    *line += c;
  }
}

// Starts the bookstore on `db` with --port 0 --seed; fills pid and port.
bool spawnBookstore(const std::string& db, pid_t* pid, int* port, std::string* error) {
  int out[2];
  if (pipe(out) != 0) {
    *error = "pipe failed";
    return false;
  }
  *pid = fork();
  if (*pid < 0) {
    *error = "fork failed";
    return false;
  }
  if (*pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    execl(BOOKSTORE_BIN, BOOKSTORE_BIN, "--db", db.c_str(), "--port", "0", "--seed", "--threads", "8",
          "--log-level", "warn", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  std::string line;
  bool got = readLine(out[0], &line, std::chrono::seconds(120));
  close(out[0]);
  const std::string prefix = "listening on 127.0.0.1:";
  if (!got || line.rfind(prefix, 0) != 0) {
    *error = "bookstore did not print its listening line (got '" + line + "')";
    return false;
  }
  *port = std::atoi(line.c_str() + prefix.size());
  return true;
}

// SIGTERM, then wait up to 15 s; the exit status, or -1 when it had to be killed.
int terminate(pid_t pid) {
  kill(pid, SIGTERM);
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (waitpid(pid, &status, WNOHANG) != pid) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Seeding takes about a second; every test gets its own copy of one seeded
// database instead. The first test process to need it seeds it (through the
// real `--seed`) under an exclusive lock; the name carries the binary's
// size and mtime, so rebuilding the bookstore seeds a fresh template.
bool seededTemplate(std::string* path, std::string* error) {
  struct stat bin {};
  if (stat(BOOKSTORE_BIN, &bin) != 0) {
    *error = std::string("cannot stat ") + BOOKSTORE_BIN;
    return false;
  }
  std::string dir = BOOKSTORE_TEST_TEMPLATE_DIR;
  std::filesystem::create_directories(dir);
  *path = dir + "/seeded-" + std::to_string(bin.st_size) + "-" + std::to_string(bin.st_mtim.tv_sec) + "-" +
          std::to_string(bin.st_mtim.tv_nsec) + ".db";
  int lock = open((dir + "/seed.lock").c_str(), O_CREAT | O_RDWR, 0644);
  if (lock < 0 || flock(lock, LOCK_EX) != 0) {
    *error = "cannot lock the template directory " + dir;
    if (lock >= 0) close(lock);
    return false;
  }
  bool ok = true;
  if (!std::filesystem::exists(*path)) {
    std::string scratch = *path + ".tmp" + std::to_string(getpid());
    pid_t pid = -1;
    int port = 0;
    ok = spawnBookstore(scratch, &pid, &port, error);
    int status = pid > 0 ? terminate(pid) : -1;
    if (ok && status != 0) {
      *error = "seeding bookstore exited with " + std::to_string(status);
      ok = false;
    }
    // A clean close checkpoints the WAL into the main file, so one file is the whole database.
    if (ok) std::filesystem::rename(scratch, *path);
  }
  close(lock);
  return ok;
}

}  // namespace

Server::Server() {
  if (const char* url = std::getenv("BOOKSTORE_URL"); url && *url) {
    std::string u = url;
    if (u.rfind("http://", 0) == 0) u = u.substr(7);
    while (!u.empty() && u.back() == '/') u.pop_back();
    auto colon = u.rfind(':');
    if (colon == std::string::npos) {
      error_ = "BOOKSTORE_URL must look like http://HOST:PORT";
      return;
    }
    host_ = u.substr(0, colon);
    port_ = std::atoi(u.c_str() + colon + 1);
    return;
  }

  std::string seeded;
  if (!seededTemplate(&seeded, &error_)) return;
  char tmpl[] = "/tmp/bookstore-test-XXXXXX";
  if (!mkdtemp(tmpl)) {
    error_ = "mkdtemp failed";
    return;
  }
  dir_ = tmpl;
  std::string db = dir_ + "/bookstore.db";
  std::error_code ec;
  std::filesystem::copy_file(seeded, db, ec);
  if (ec) {
    error_ = "cannot copy " + seeded + ": " + ec.message();
    return;
  }
  if (!spawnBookstore(db, &pid_, &port_, &error_)) stop();
}

int Server::stop() {
  if (pid_ <= 0) return -1;
  int status = terminate(pid_);
  pid_ = -1;
  return status;
}

Server::~Server() {
  stop();
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

Client::Client(const std::string& host, int port) : client_(host, port) {
  client_.set_keep_alive(true);
  client_.set_connection_timeout(5);
  client_.set_read_timeout(30);
}

Reply Client::get(const std::string& path) { return toReply(client_.Get(path.c_str())); }
Reply Client::post(const std::string& path, const Json& body) {
  return toReply(client_.Post(path.c_str(), body.dump(), "application/json"));
}
Reply Client::postRaw(const std::string& path, const std::string& body) {
  return toReply(client_.Post(path.c_str(), body, "application/json"));
}
Reply Client::put(const std::string& path, const Json& body) {
  return toReply(client_.Put(path.c_str(), body.dump(), "application/json"));
}
Reply Client::patch(const std::string& path, const Json& body) {
  return toReply(client_.Patch(path.c_str(), body.dump(), "application/json"));
}
Reply Client::del(const std::string& path) { return toReply(client_.Delete(path.c_str())); }

std::string uniqueSuffix() {
  static std::atomic<int> counter{0};
  static const uint64_t run = std::random_device{}();
  return std::to_string(getpid()) + "-" + std::to_string(run % 1000000) + "-" + std::to_string(counter++);
}

std::string uniqueIsbn() {
  static std::mt19937_64 random{std::random_device{}()};
  // 979-prefixed 13-digit numbers are outside the seed's 978 range.
  std::string digits = "979" + std::to_string(1000000000ULL + random() % 1000000000ULL).substr(1);
  int sum = 0;
  for (size_t i = 0; i < 12; ++i) sum += (digits[i] - '0') * (i % 2 == 0 ? 1 : 3);
  return digits + std::to_string((10 - sum % 10) % 10);
}

}  // namespace bookstore_test
