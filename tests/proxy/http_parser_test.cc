// Strict HTTP/1.1 parsing: every RFC 9112 rejection the proxy promises, plus
// the accepted forms and incremental (need-more) behaviour.
#include "strangler/http_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace strangler::http {
namespace {

ParseResult parse(std::string_view text, RequestHead& head, std::size_t limit = 16384) {
  return parseRequestHead(text, ParseLimits{limit}, head);
}

int rejectStatus(std::string_view text) {
  RequestHead head;
  ParseResult r = parse(text, head);
  return r.status == ParseStatus::kError ? r.error_status : 0;
}

TEST(ProxyHttpParser, ParsesSimpleGet) {
  RequestHead head;
  std::string text = "GET /api/books/7?x=1 HTTP/1.1\r\nHost: shop\r\nAccept: */*\r\n\r\n";
  ParseResult r = parse(text, head);
  ASSERT_EQ(r.status, ParseStatus::kComplete);
  EXPECT_EQ(r.consumed, text.size());
  EXPECT_EQ(head.method, "GET");
  EXPECT_EQ(head.path, "/api/books/7");
  EXPECT_EQ(head.query, "x=1");
  EXPECT_EQ(head.host, "shop");
  EXPECT_EQ(head.header_count, 2u);
  EXPECT_EQ(head.body, BodyKind::kNone);
  EXPECT_TRUE(head.keep_alive);
}

TEST(ProxyHttpParser, NeedsMoreUntilTheEmptyLine) {
  std::string text = "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc";
  for (std::size_t cut = 0; cut < text.size() - 3; ++cut) {
    RequestHead head;
    EXPECT_EQ(parse(text.substr(0, cut), head).status, ParseStatus::kNeedMore) << cut;
  }
  RequestHead head;
  ParseResult r = parse(text, head);
  ASSERT_EQ(r.status, ParseStatus::kComplete);
  EXPECT_EQ(r.consumed, text.size() - 3);
  EXPECT_EQ(head.body, BodyKind::kContentLength);
  EXPECT_EQ(head.content_length, 3u);
}

TEST(ProxyHttpParser, SkipsLeadingEmptyLines) {
  RequestHead head;
  EXPECT_EQ(parse("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", head).status, ParseStatus::kComplete);
}

TEST(ProxyHttpParser, ChunkedAndConnectionSemantics) {
  RequestHead head;
  ASSERT_EQ(parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n", head).status,
            ParseStatus::kComplete);
  EXPECT_EQ(head.body, BodyKind::kChunked);
  EXPECT_FALSE(head.keep_alive);
  ASSERT_EQ(parse("GET / HTTP/1.0\r\n\r\n", head).status, ParseStatus::kComplete);
  EXPECT_FALSE(head.keep_alive);
  ASSERT_EQ(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", head).status, ParseStatus::kComplete);
  EXPECT_TRUE(head.keep_alive);
}

TEST(ProxyHttpParser, AbsoluteFormUsesOnlyThePath) {
  RequestHead head;
  ASSERT_EQ(parse("GET http://evil.example:81/api/x?q=1 HTTP/1.1\r\nHost: evil.example\r\n\r\n", head).status,
            ParseStatus::kComplete);
  EXPECT_EQ(head.path, "/api/x");
  EXPECT_EQ(head.query, "q=1");
  ASSERT_EQ(parse("GET http://evil.example HTTP/1.1\r\nHost: evil.example\r\n\r\n", head).status, ParseStatus::kComplete);
  EXPECT_EQ(head.path, "/");
}

TEST(ProxyHttpParser, IdenticalContentLengthsAreOneValue) {
  RequestHead head;
  ASSERT_EQ(parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 5\r\nContent-Length: 5\r\n\r\n", head).status,
            ParseStatus::kComplete);
  EXPECT_EQ(head.content_length, 5u);
}

using namespace std::string_view_literals;

struct Rejection {
  const char* name;
  std::string_view text;
  int status;
};

class ProxyHttpParserRejects : public ::testing::TestWithParam<Rejection> {};

TEST_P(ProxyHttpParserRejects, WithStatus) {
  EXPECT_EQ(rejectStatus(GetParam().text), GetParam().status) << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(
    Rfc9112, ProxyHttpParserRejects,
    ::testing::Values(
        Rejection{"ClAndTe", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
        Rejection{"TeNotEndingChunked", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400},
        Rejection{"TeIdentity", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: identity\r\n\r\n", 400},
        Rejection{"TeChunkedTwice", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
        Rejection{"TeInHttp10", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
        Rejection{"DifferingCl", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400},
        Rejection{"DifferingClList", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 4\r\n\r\n", 400},
        Rejection{"MalformedCl", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3a\r\n\r\n", 400},
        Rejection{"NegativeCl", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400},
        Rejection{"PlusCl", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +1\r\n\r\n", 400},
        Rejection{"HugeCl", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999\r\n\r\n", 400},
        Rejection{"EmptyCl", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: \r\n\r\n", 400},
        Rejection{"ObsFold", "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n  continued\r\n\r\n", 400},
        Rejection{"ObsFoldTab", "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\tcontinued\r\n\r\n", 400},
        Rejection{"SpaceBeforeColon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400},
        Rejection{"TabBeforeColon", "GET / HTTP/1.1\r\nHost\t: h\r\n\r\n", 400},
        Rejection{"BareCrInHeader", "GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n", 400},
        Rejection{"BareCrInRequestLine", "GET /a\rb HTTP/1.1\r\nHost: h\r\n\r\n", 400},
        Rejection{"BareLf", "GET / HTTP/1.1\nHost: h\n\n", 400},
        Rejection{"NulInHeader", "GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n"sv, 400},
        Rejection{"NulInTarget", "GET /a\0b HTTP/1.1\r\nHost: h\r\n\r\n"sv, 400},
        Rejection{"CtlInHeader", "GET / HTTP/1.1\r\nHost: h\r\nX: a\x01" "b\r\n\r\n", 400},
        Rejection{"DelInHeader", "GET / HTTP/1.1\r\nHost: h\r\nX: a\x7f" "b\r\n\r\n", 400},
        Rejection{"CtlInMethod", "G\x01T / HTTP/1.1\r\nHost: h\r\n\r\n", 400},
        Rejection{"TabInTarget", "GET /a\tb HTTP/1.1\r\nHost: h\r\n\r\n", 400},
        Rejection{"DoubleSpace", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400},
        Rejection{"MissingHost", "GET / HTTP/1.1\r\n\r\n", 400},
        Rejection{"DuplicateHost", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
        Rejection{"DuplicateSameHost", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400},
        Rejection{"BadHostChars", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400},
        Rejection{"EmptyHeaderName", "GET / HTTP/1.1\r\nHost: h\r\n: x\r\n\r\n", 400},
        Rejection{"NoColon", "GET / HTTP/1.1\r\nHost: h\r\nJunk\r\n\r\n", 400},
        Rejection{"BadVersion", "GET / HTTP/1.x\r\nHost: h\r\n\r\n", 400},
        Rejection{"Http2", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505},
        Rejection{"Fragment", "GET /a#b HTTP/1.1\r\nHost: h\r\n\r\n", 400},
        Rejection{"RelativeTarget", "GET a/b HTTP/1.1\r\nHost: h\r\n\r\n", 400},
        Rejection{"Connect", "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n", 501},
        Rejection{"FtpAbsolute", "GET ftp://h/ HTTP/1.1\r\nHost: h\r\n\r\n", 400}),
    [](const ::testing::TestParamInfo<Rejection>& info) { return std::string(info.param.name); });

TEST(ProxyHttpParser, HeaderSizeLimitIs431) {
  std::string text = "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n";
  RequestHead head;
  ParseResult r = parse(text, head, 16384);
  ASSERT_EQ(r.status, ParseStatus::kError);
  EXPECT_EQ(r.error_status, 431);
  // Also while still incomplete: an endless header is cut at the limit.
  r = parse(text.substr(0, 17000), head, 16384);
  ASSERT_EQ(r.status, ParseStatus::kError);
  EXPECT_EQ(r.error_status, 431);
  // Just under the limit is fine.
  std::string ok = "GET / HTTP/1.1\r\nHost: h\r\nX: " + std::string(1000, 'a') + "\r\n\r\n";
  EXPECT_EQ(parse(ok, head, ok.size()).status, ParseStatus::kComplete);
  EXPECT_EQ(parse(ok, head, ok.size() - 1).error_status, 431);
}

TEST(ProxyHttpParser, TooManyHeadersIs431) {
  std::string text = "GET / HTTP/1.1\r\nHost: h\r\n";
  for (int i = 0; i < 150; ++i) text += "X-" + std::to_string(i) + ": v\r\n";
  text += "\r\n";
  EXPECT_EQ(rejectStatus(text), 431);
}

TEST(ProxyHttpParser, ResponseFraming) {
  ResponseHead head;
  ParseLimits limits;
  auto r = parseResponseHead("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody", "GET", limits, head);
  ASSERT_EQ(r.status, ParseStatus::kComplete);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, BodyKind::kContentLength);
  r = parseResponseHead("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n", "HEAD", limits, head);
  EXPECT_EQ(head.body, BodyKind::kNone);
  r = parseResponseHead("HTTP/1.1 204 No Content\r\n\r\n", "GET", limits, head);
  EXPECT_EQ(head.body, BodyKind::kNone);
  r = parseResponseHead("HTTP/1.1 200 OK\r\n\r\n", "GET", limits, head);
  EXPECT_EQ(head.body, BodyKind::kUntilClose);
  EXPECT_FALSE(head.keep_alive);
  r = parseResponseHead("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "GET", limits, head);
  EXPECT_EQ(head.body, BodyKind::kChunked);
  r = parseResponseHead("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", "GET", limits, head);
  EXPECT_EQ(r.status, ParseStatus::kComplete);
  r = parseResponseHead("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", "GET", limits, head);
  EXPECT_EQ(r.error_status, 502);
  r = parseResponseHead("HTTP/1.1 2x0 OK\r\n\r\n", "GET", limits, head);
  EXPECT_EQ(r.error_status, 502);
  r = parseResponseHead("HTTP/1.1 200 OK\r\nX : y\r\n\r\n", "GET", limits, head);
  EXPECT_EQ(r.error_status, 502);
}

std::string decodeAll(ChunkedDecoder& d, std::string_view body, ChunkedDecoder::Result& result, std::size_t step) {
  std::size_t offset = 0;
  result = ChunkedDecoder::Result::kNeedMore;
  while (offset < body.size()) {
    std::size_t consumed = 0;
    result = d.feed(body.substr(offset, step), consumed);
    offset += consumed;
    if (result != ChunkedDecoder::Result::kNeedMore) break;
  }
  return std::string(body.substr(offset));
}

TEST(ProxyChunkedDecoder, AcceptsAnySplitAndStopsAtTheEnd) {
  std::string body = "5\r\nhello\r\n1;ext=\"v\"\r\n!\r\n0\r\nTrailer-A: x\r\n\r\nGET /next";
  for (std::size_t step = 1; step <= body.size(); ++step) {
    ChunkedDecoder d;
    ChunkedDecoder::Result result;
    std::string rest = decodeAll(d, body, result, step);
    ASSERT_EQ(result, ChunkedDecoder::Result::kDone) << step;
    EXPECT_EQ(rest, "GET /next") << step;
    EXPECT_EQ(d.bodyBytes(), 6u);
  }
}

TEST(ProxyChunkedDecoder, RejectsInvalidChunkSizes) {
  for (const char* bad : {"x\r\n", "\r\n", " 5\r\nhello\r\n0\r\n\r\n", "5 \r\nhello\r\n0\r\n\r\n",
                          "-5\r\n", "1000000000000000\r\n", "5\nhello\r\n", "5\r\nhelloX\r\n",
                          "0\r\n  folded: x\r\n\r\n", "0\r\nbad trailer\r\n\r\n", "5\r\nhello\r\n0\r\nX: a\x01\r\n\r\n"}) {
    ChunkedDecoder d;
    ChunkedDecoder::Result result;
    decodeAll(d, bad, result, 1000);
    EXPECT_EQ(result, ChunkedDecoder::Result::kError) << bad;
    EXPECT_EQ(d.errorStatus(), 400) << bad;
  }
}

TEST(ProxyChunkedDecoder, EnforcesTheBodyLimit) {
  ChunkedDecoder d(10);
  ChunkedDecoder::Result result;
  decodeAll(d, "8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n", result, 1000);
  EXPECT_EQ(result, ChunkedDecoder::Result::kError);
  EXPECT_EQ(d.errorStatus(), 413);
}

TEST(ProxyHttpParser, IdempotentMethods) {
  EXPECT_TRUE(isIdempotent("GET"));
  EXPECT_TRUE(isIdempotent("PUT"));
  EXPECT_TRUE(isIdempotent("DELETE"));
  EXPECT_FALSE(isIdempotent("POST"));
  EXPECT_FALSE(isIdempotent("PATCH"));
}

}  // namespace
}  // namespace strangler::http
