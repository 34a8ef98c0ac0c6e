// JsonAccessLog and the line formatter. See access_log.h.
#include "strangler/access_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace strangler {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
std::size_t utf8SequenceLength(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  std::size_t n;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c >= 0xE0 && c <= 0xEF) n = 3;
  else if (c >= 0xF0 && c <= 0xF4) n = 4;
  else return 0;
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  // Reject overlong forms, surrogates and code points past U+10FFFF.
  if (c == 0xE0 && b(i + 1) < 0xA0) return 0;
  if (c == 0xED && b(i + 1) > 0x9F) return 0;
  if (c == 0xF0 && b(i + 1) < 0x90) return 0;
  if (c == 0xF4 && b(i + 1) > 0x8F) return 0;
  return n;
}

void appendString(std::string& out, const char* key, std::string_view value) {
  out += '"';
  out += key;
  out += "\":\"";
  appendJsonEscaped(value, out);
  out += '"';
}

void appendU64(std::string& out, const char* key, std::uint64_t v) {
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "\"%s\":%" PRIu64, key, v);
  out.append(buf, static_cast<std::size_t>(n));
}

void appendMillis(std::string& out, const char* key, std::uint64_t us) {
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "\"%s\":%" PRIu64 ".%03" PRIu64, key, us / 1000,
                        us % 1000);
  out.append(buf, static_cast<std::size_t>(n));
}

void appendTime(std::string& out, std::chrono::system_clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  int m = std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms % 1000));
  out += "\"time\":\"";
  out.append(buf, n + static_cast<std::size_t>(m));
  out += '"';
}

}  // namespace

void appendJsonEscaped(std::string_view text, std::string& out) {
  for (std::size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (c < 0x20 || c == 0x7F) {
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    std::size_t n = utf8SequenceLength(text, i);
    if (n == 0) {  // not UTF-8: keep the byte visible, keep the line valid
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
}

void formatAccessRecord(const AccessRecord& r, std::string& out) {
  out += '{';
  appendTime(out, r.start);
  out += ',';
  appendString(out, "request_id", r.request_id);
  out += ',';
  appendString(out, "client", r.client);
  out += ',';
  appendString(out, "method", r.method);
  out += ',';
  appendString(out, "target", r.target);
  out += ',';
  appendString(out, "route", r.route);
  out += ',';
  appendString(out, "upstream", r.upstream);
  out += ',';
  appendString(out, "endpoint", r.endpoint);
  out += ',';
  appendU64(out, "status", static_cast<std::uint64_t>(r.status < 0 ? 0 : r.status));
  out += ',';
  appendU64(out, "request_bytes", r.request_bytes);
  out += ',';
  appendU64(out, "response_bytes", r.response_bytes);
  out += ',';
  appendMillis(out, "duration_ms", r.duration_us);
  out += ',';
  appendMillis(out, "upstream_ms", r.upstream_us);
  out += r.fallback ? ",\"fallback\":true," : ",\"fallback\":false,";
  appendU64(out, "attempts", static_cast<std::uint64_t>(r.attempts < 0 ? 0 : r.attempts));
  out += "}\n";
}

Expected<std::unique_ptr<JsonAccessLog>> JsonAccessLog::open(const std::string& path) {
  if (path == "-") return std::unique_ptr<JsonAccessLog>(new JsonAccessLog(STDOUT_FILENO, false));
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) return Status::error("access log " + path + ": " + std::strerror(errno));
  return std::unique_ptr<JsonAccessLog>(new JsonAccessLog(fd, true));
}

std::unique_ptr<JsonAccessLog> JsonAccessLog::forFd(int fd) {
  return std::unique_ptr<JsonAccessLog>(new JsonAccessLog(fd, false));
}

JsonAccessLog::~JsonAccessLog() {
  flushAll();
  if (owns_fd_) ::close(fd_);
}

void JsonAccessLog::setWorkers(unsigned count) {
  if (count == 0) count = 1;
  if (buffers_.size() < count) buffers_.resize(count);
  for (Buffer& b : buffers_) b.data.reserve(64 * 1024);
}

void JsonAccessLog::log(unsigned worker, const AccessRecord& record) {
  if (worker >= buffers_.size()) return;  // misuse; never crash the data plane
  std::string& buf = buffers_[worker].data;
  formatAccessRecord(record, buf);
  if (buf.size() >= kMaxBuffer) writeOut(buf);
}

void JsonAccessLog::flush(unsigned worker) {
  if (worker < buffers_.size()) writeOut(buffers_[worker].data);
}

void JsonAccessLog::flushAll() {
  for (Buffer& b : buffers_) writeOut(b.data);
}

void JsonAccessLog::writeOut(std::string& buffer) {
  std::size_t done = 0;
  while (done < buffer.size()) {
    ssize_t n = ::write(fd_, buffer.data() + done, buffer.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      write_errors_.fetch_add(1, std::memory_order_relaxed);
      break;  // drop what is left: the log must never stall traffic
    }
    done += static_cast<std::size_t>(n);
  }
  buffer.clear();  // keeps capacity: no allocation on the next lines
}

}  // namespace strangler
