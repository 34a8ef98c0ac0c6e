// Strict HTTP/1.1 message-head parsing (RFC 9112) as pure functions over
// bytes, in the style of h2o's picohttpparser: a call returns "complete" with
// the bytes consumed, "need more", or an error carrying the status to answer
// with. Nothing here owns memory or touches a socket: parsed views point into
// the caller's buffer and are valid as long as it is unchanged.
//
//   bytes --parseRequestHead--> RequestHead (method, target, headers, framing)
//         --ChunkedDecoder-->    body boundaries (chunked), validated
//
// Strictness (each is a 400 unless noted): bare CR or LF, NUL or any other
// control character in the request line or a field, obs-fold, whitespace
// between a field name and its colon, Content-Length together with
// Transfer-Encoding, a Transfer-Encoding whose last coding is not chunked,
// differing or malformed Content-Length values, missing or repeated Host (in
// HTTP/1.1), unsupported versions (505); head larger than the limit (431).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace strangler::http {

inline constexpr std::size_t kMaxHeaders = 100;

struct Header {
  std::string_view name;
  std::string_view value;  ///< without surrounding whitespace
};

enum class BodyKind : std::uint8_t {
  kNone,           ///< no body (requests without CL/TE; 1xx/204/304/HEAD responses)
  kContentLength,  ///< exactly content_length bytes
  kChunked,        ///< chunked transfer coding
  kUntilClose,     ///< responses only: body ends when the upstream closes
};

enum class ParseStatus : std::uint8_t { kComplete, kNeedMore, kError };

struct ParseResult {
  ParseStatus status = ParseStatus::kNeedMore;
  std::size_t consumed = 0;      ///< head bytes incl. final CRLF, when complete
  int error_status = 0;          ///< 400, 431, 505 ... when kError
  std::string_view error;        ///< static text saying why, when kError
};

/// Facts shared by request and response heads.
struct MessageHead {
  int minor_version = 1;  ///< HTTP/1.<minor>
  std::array<Header, kMaxHeaders> headers;
  std::size_t header_count = 0;
  BodyKind body = BodyKind::kNone;
  std::uint64_t content_length = 0;
  bool keep_alive = true;  ///< after this message, per version and Connection
  bool has_connection_tokens = false;  ///< Connection lists names other than close/keep-alive

  /// First header named `name` (case-insensitive), or nullptr.
  const Header* find(std::string_view name) const;
};

struct RequestHead : MessageHead {
  std::string_view method;
  std::string_view target;  ///< as received (origin-form or absolute-form or '*')
  std::string_view path;    ///< path of the target, without query; "/" for '*'
  std::string_view query;   ///< after '?', without it; may be empty
  std::string_view host;    ///< Host header value (empty only in HTTP/1.0 without Host)
  bool expect_continue = false;
};

struct ResponseHead : MessageHead {
  int status = 0;
  std::string_view reason;
};

struct ParseLimits {
  std::size_t max_head_bytes = 16384;
};

/// Parses one request head from the start of `buf`. Leading empty lines
/// (CRLF) are skipped as RFC 9112 section 2.2 allows.
ParseResult parseRequestHead(std::string_view buf, const ParseLimits& limits, RequestHead& out);

/// Parses one response head. `request_method` decides HEAD semantics and
/// `CONNECT`; errors carry 502 (the upstream broke the protocol).
ParseResult parseResponseHead(std::string_view buf, std::string_view request_method,
                              const ParseLimits& limits, ResponseHead& out);

/// Case-insensitive ASCII comparison.
bool equalsIgnoreCase(std::string_view a, std::string_view b);

/// True for methods a proxy may retry (RFC 9110 9.2.2).
bool isIdempotent(std::string_view method);

/// Incremental validator of a chunked body. Feed it bytes in any split; it
/// reports how many bytes belong to the body (so the caller can forward them
/// verbatim) and when the last chunk and trailers have been seen.
///
/// Invariant: after an error the decoder stays in error.
class ChunkedDecoder {
 public:
  enum class Result : std::uint8_t { kNeedMore, kDone, kError };

  explicit ChunkedDecoder(std::uint64_t max_body = UINT64_MAX) : max_body_(max_body) {}

  /// Consumes a prefix of `in`; `consumed` is set to the bytes that belong to
  /// the chunked body (all of `in` unless the body ended inside it).
  Result feed(std::string_view in, std::size_t& consumed);

  std::uint64_t bodyBytes() const { return body_bytes_; }
  /// When kError: 400 for framing errors, 413 when over max_body.
  int errorStatus() const { return error_status_; }

 private:
  enum class State : std::uint8_t {
    kSize, kExt, kSizeLf, kData, kDataCr, kDataLf,
    kTrailerStart, kTrailer, kTrailerLf, kEndLf, kDone, kError
  };
  Result fail(int status);

  State state_ = State::kSize;
  std::uint64_t chunk_left_ = 0;
  std::uint64_t body_bytes_ = 0;
  std::uint64_t max_body_;
  unsigned size_digits_ = 0;
  std::size_t trailer_bytes_ = 0;
  bool trailer_has_name_ = false;
  bool trailer_saw_colon_ = false;
  int error_status_ = 0;
};

}  // namespace strangler::http
