// JSON access log: one line per finished request, written through per-worker
// buffers so a worker never blocks on the file while serving traffic.
//
//   worker w --log(w, record)--> format into buffer[w]           (no lock, no syscall)
//   worker w --flush(w)-------->  one write(2) of whole lines     (every ~100 ms)
//
// A line (keys always present, in this order):
//   {"time":"2026-11-29T03:21:30.123Z","request_id":"...","client":"127.0.0.1:5123",
//    "method":"GET","target":"/api/books/1","route":"catalog","upstream":"catalog-svc",
//    "endpoint":"127.0.0.1:9100","status":200,"request_bytes":0,"response_bytes":512,
//    "duration_ms":1.234,"upstream_ms":0.910,"fallback":false,"attempts":1}
//
// Thread safety: log() and flush() for worker w are called only from w's
// thread. Lines from different workers interleave only at line boundaries:
// each flush is a single write(2) of complete lines to an O_APPEND file.
// If a worker's buffer grows past kMaxBuffer between flushes, log() writes it
// out itself rather than drop lines or grow without bound.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "strangler/control.h"
#include "strangler/status.h"

namespace strangler {

/// Appends `record` as one JSON object and a newline to `out`. Untrusted
/// text is escaped; bytes that are not valid UTF-8 become \u00XX escapes so
/// the line is always valid JSON.
void formatAccessRecord(const AccessRecord& record, std::string& out);

/// Appends `text` JSON-escaped (without quotes) to `out`.
void appendJsonEscaped(std::string_view text, std::string& out);

class JsonAccessLog final : public AccessLogSink {
 public:
  static constexpr std::size_t kMaxBuffer = 1u << 20;

  /// `path` "-" writes to stdout; anything else is opened for append
  /// (created 0640 when missing).
  static Expected<std::unique_ptr<JsonAccessLog>> open(const std::string& path);
  /// Writes to an fd the caller keeps open (tests, pipes); not closed.
  static std::unique_ptr<JsonAccessLog> forFd(int fd);

  ~JsonAccessLog() override;
  JsonAccessLog(const JsonAccessLog&) = delete;
  JsonAccessLog& operator=(const JsonAccessLog&) = delete;

  void setWorkers(unsigned count) override;
  void log(unsigned worker, const AccessRecord& record) override;
  void flush(unsigned worker) override;

  /// Flushes every worker's buffer. Only when workers are stopped.
  void flushAll();

  /// Lines lost because write(2) failed (disk full, closed pipe).
  std::uint64_t writeErrors() const { return write_errors_.load(std::memory_order_relaxed); }

 private:
  JsonAccessLog(int fd, bool owns_fd) : fd_(fd), owns_fd_(owns_fd) {}
  void writeOut(std::string& buffer);

  struct alignas(64) Buffer {
    std::string data;
  };
  int fd_;
  bool owns_fd_;
  std::vector<Buffer> buffers_;  // one per worker; sized before workers start
  std::atomic<std::uint64_t> write_errors_{0};
};

}  // namespace strangler
