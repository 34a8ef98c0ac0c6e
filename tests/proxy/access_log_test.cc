// JsonAccessLog: line format, escaping, per-worker buffering and flushing.
#include "strangler/access_log.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <string>

namespace strangler {
namespace {

AccessRecord sample() {
  AccessRecord r;
  r.start = std::chrono::system_clock::time_point(std::chrono::milliseconds(1764386490123));
  r.request_id = "req-1";
  r.client = "127.0.0.1:5123";
  r.method = "GET";
  r.target = "/api/books/1?x=\"y\"";
  r.route = "catalog";
  r.upstream = "catalog-svc";
  r.endpoint = "127.0.0.1:9100";
  r.status = 200;
  r.response_bytes = 512;
  r.duration_us = 1234;
  r.upstream_us = 910;
  return r;
}

TEST(ProxyAccessLogTest, FormatsOneJsonLine) {
  std::string out;
  formatAccessRecord(sample(), out);
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.back(), '\n');
  EXPECT_EQ(out.find('\n'), out.size() - 1);
  EXPECT_EQ(out,
            "{\"time\":\"2025-11-29T03:21:30.123Z\",\"request_id\":\"req-1\","
            "\"client\":\"127.0.0.1:5123\",\"method\":\"GET\","
            "\"target\":\"/api/books/1?x=\\\"y\\\"\",\"route\":\"catalog\","
            "\"upstream\":\"catalog-svc\",\"endpoint\":\"127.0.0.1:9100\",\"status\":200,"
            "\"request_bytes\":0,\"response_bytes\":512,\"duration_ms\":1.234,"
            "\"upstream_ms\":0.910,\"fallback\":false,\"attempts\":1}\n");
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["target"], "/api/books/1?x=\"y\"");
  EXPECT_DOUBLE_EQ(j["duration_ms"].get<double>(), 1.234);
}

TEST(ProxyAccessLogTest, HostileBytesStayValidJson) {
  AccessRecord r = sample();
  std::string target = std::string("/a\x01\x7f\\\n\r\t") + "\xff\xc3\x28" + "caf\xc3\xa9" +
                       "\xed\xa0\x80" + "\xf0\x9f\x98\x80";
  r.target = target;
  std::string out;
  formatAccessRecord(r, out);
  EXPECT_EQ(out.find('\n'), out.size() - 1);
  nlohmann::json j;
  ASSERT_NO_THROW(j = nlohmann::json::parse(out)) << out;
  EXPECT_EQ(j["target"].get<std::string>(),
            "/a\x01\x7f\\\n\r\t\u00ff\u00c3(caf\u00e9\u00ed\u00a0\u0080\U0001F600");
}

TEST(ProxyAccessLogTest, BuffersPerWorkerUntilFlush) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  {
    auto log = JsonAccessLog::forFd(fds[1]);
    log->setWorkers(2);
    AccessRecord a = sample();
    a.request_id = "from-0";
    AccessRecord b = sample();
    b.request_id = "from-1";
    b.fallback = true;
    b.attempts = 2;
    log->log(0, a);
    log->log(1, b);
    log->log(7, b);  // unknown worker: ignored
    log->flush(1);
    char buf[4096];
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    ASSERT_GT(n, 0);
    std::string got(buf, static_cast<std::size_t>(n));
    EXPECT_NE(got.find("\"request_id\":\"from-1\""), std::string::npos);
    EXPECT_NE(got.find("\"fallback\":true,\"attempts\":2}"), std::string::npos);
    EXPECT_EQ(got.find("from-0"), std::string::npos);  // worker 0 not flushed yet
  }  // destructor flushes the rest
  char buf[4096];
  ssize_t n = ::read(fds[0], buf, sizeof buf);
  ASSERT_GT(n, 0);
  EXPECT_NE(std::string(buf, static_cast<std::size_t>(n)).find("from-0"), std::string::npos);
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(ProxyAccessLogTest, OpenReportsUnwritablePath) {
  auto log = JsonAccessLog::open("/nonexistent-dir/x/access.log");
  ASSERT_FALSE(log);
  EXPECT_NE(log.error().find("/nonexistent-dir/x/access.log"), std::string::npos);
}

}  // namespace
}  // namespace strangler
