// Strict HTTP/1.1 head parser and chunked-body validator. See http_parser.h
// for the rules. Every byte is classified by small lookup functions so the
// grammar reads like RFC 9112's ABNF; no allocation, no exceptions.
#include "strangler/http_parser.h"

#include <algorithm>

namespace strangler::http {
namespace {

constexpr bool isDigit(unsigned char c) { return c >= '0' && c <= '9'; }
constexpr bool isAlpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

// RFC 9110 tchar.
constexpr bool isTchar(unsigned char c) {
  if (isDigit(c) || isAlpha(c)) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

// field-vchar / SP / HTAB (obs-text allowed).
constexpr bool isFieldChar(unsigned char c) {
  return c == '\t' || c == ' ' || (c >= 0x21 && c != 0x7f);
}

// Bytes allowed in a request-target: visible ASCII only.
constexpr bool isTargetChar(unsigned char c) { return c >= 0x21 && c <= 0x7e; }

constexpr bool isHostChar(unsigned char c) {
  if (isDigit(c) || isAlpha(c)) return true;
  return std::string_view("-._~%!$&'()*+,;=:[]").find(static_cast<char>(c)) != std::string_view::npos;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

ParseResult fail(int status, std::string_view why) {
  ParseResult r;
  r.status = ParseStatus::kError;
  r.error_status = status;
  r.error = why;
  return r;
}

ParseResult needMore() { return ParseResult{}; }

std::string_view trimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Calls f(element) for each non-empty comma-separated element, trimmed.
template <typename F>
bool forEachListElement(std::string_view value, F&& f) {
  while (true) {
    std::size_t comma = value.find(',');
    std::string_view element = trimOws(value.substr(0, comma));
    if (!element.empty() && !f(element)) return false;
    if (comma == std::string_view::npos) return true;
    value.remove_prefix(comma + 1);
  }
}

/// Cursor over the head. Lines must end in CRLF; a CR not followed by LF or
/// an LF not preceded by CR is an error.
struct Cursor {
  std::string_view buf;
  std::size_t pos = 0;
  std::size_t limit = 0;
  int over_limit_status = 431;
};

enum class LineStatus { kOk, kNeedMore, kError, kTooLarge };

/// Finds the end of the line starting at c.pos; sets [line, next).
LineStatus nextLine(Cursor& c, std::string_view& line, std::string_view& why) {
  std::size_t start = c.pos;
  for (std::size_t i = start; i < c.buf.size(); ++i) {
    if (i >= c.limit) return LineStatus::kTooLarge;
    unsigned char ch = static_cast<unsigned char>(c.buf[i]);
    if (ch == '\n') {
      why = "bare LF";
      return LineStatus::kError;
    }
    if (ch == '\r') {
      if (i + 1 >= c.limit) return LineStatus::kTooLarge;
      if (i + 1 >= c.buf.size()) return LineStatus::kNeedMore;
      if (c.buf[i + 1] != '\n') {
        why = "bare CR";
        return LineStatus::kError;
      }
      line = c.buf.substr(start, i - start);
      c.pos = i + 2;
      return LineStatus::kOk;
    }
  }
  return c.buf.size() >= c.limit ? LineStatus::kTooLarge : LineStatus::kNeedMore;
}

/// Parses header lines up to and including the empty line. `error_status`
/// is 400 for requests, 502 for responses.
ParseResult parseFields(Cursor& c, MessageHead& out, int error_status) {
  out.header_count = 0;
  while (true) {
    std::string_view line, why;
    switch (nextLine(c, line, why)) {
      case LineStatus::kOk: break;
      case LineStatus::kNeedMore: return needMore();
      case LineStatus::kError: return fail(error_status, why);
      case LineStatus::kTooLarge: return fail(c.over_limit_status, "header section too large");
    }
    if (line.empty()) {
      ParseResult r;
      r.status = ParseStatus::kComplete;
      r.consumed = c.pos;
      return r;
    }
    unsigned char first = static_cast<unsigned char>(line.front());
    if (first == ' ' || first == '\t') return fail(error_status, "obsolete line folding");
    std::size_t i = 0;
    while (i < line.size() && isTchar(static_cast<unsigned char>(line[i]))) ++i;
    if (i == 0) return fail(error_status, "invalid header name");
    if (i == line.size()) return fail(error_status, "header without colon");
    if (line[i] != ':') {
      if (line[i] == ' ' || line[i] == '\t') return fail(error_status, "whitespace before colon");
      return fail(error_status, "invalid character in header name");
    }
    std::string_view name = line.substr(0, i);
    std::string_view value = line.substr(i + 1);
    for (char ch : value) {
      if (!isFieldChar(static_cast<unsigned char>(ch))) return fail(error_status, "control character in header value");
    }
    if (out.header_count == kMaxHeaders) return fail(c.over_limit_status, "too many headers");
    out.headers[out.header_count++] = Header{name, trimOws(value)};
  }
}

/// Content-Length, Transfer-Encoding and Connection, shared by both sides.
/// Sets out.body to kContentLength/kChunked when present, else leaves kNone.
ParseResult applyFraming(MessageHead& out, int error_status, bool& has_te, bool& has_cl) {
  has_te = has_cl = false;
  bool chunked_last = false;
  int chunked_count = 0;
  std::uint64_t length = 0;
  for (std::size_t h = 0; h < out.header_count; ++h) {
    const Header& header = out.headers[h];
    if (equalsIgnoreCase(header.name, "content-length")) {
      bool ok = forEachListElement(header.value, [&](std::string_view v) {
        if (v.size() > 18 || !std::all_of(v.begin(), v.end(), [](char ch) { return isDigit(static_cast<unsigned char>(ch)); }))
          return false;
        std::uint64_t n = 0;
        for (char ch : v) n = n * 10 + static_cast<std::uint64_t>(ch - '0');
        if (has_cl && n != length) return false;
        has_cl = true;
        length = n;
        return true;
      });
      if (!ok) return fail(error_status, "invalid or differing Content-Length");
      if (!has_cl) return fail(error_status, "empty Content-Length");
    } else if (equalsIgnoreCase(header.name, "transfer-encoding")) {
      has_te = true;
      bool ok = forEachListElement(header.value, [&](std::string_view coding) {
        // A coding may carry parameters (";q=..."); the name is what matters.
        std::string_view name = trimOws(coding.substr(0, coding.find(';')));
        if (name.empty() || !std::all_of(name.begin(), name.end(), [](char ch) { return isTchar(static_cast<unsigned char>(ch)); }))
          return false;
        chunked_last = equalsIgnoreCase(name, "chunked");
        if (chunked_last) ++chunked_count;
        return true;
      });
      if (!ok) return fail(error_status, "invalid Transfer-Encoding");
    } else if (equalsIgnoreCase(header.name, "connection")) {
      forEachListElement(header.value, [&](std::string_view token) {
        if (equalsIgnoreCase(token, "close")) out.keep_alive = false;
        else if (equalsIgnoreCase(token, "keep-alive")) {
          if (out.minor_version == 0) out.keep_alive = true;
        } else {
          out.has_connection_tokens = true;
        }
        return true;
      });
    }
  }
  if (has_te && has_cl) return fail(error_status, "both Content-Length and Transfer-Encoding");
  if (has_te) {
    if (!chunked_last || chunked_count != 1) return fail(error_status, "Transfer-Encoding must end in chunked");
    out.body = BodyKind::kChunked;
  } else if (has_cl) {
    out.body = BodyKind::kContentLength;
    out.content_length = length;
  }
  ParseResult ok;
  ok.status = ParseStatus::kComplete;
  return ok;
}

/// "HTTP/1.x"; returns false on syntax error, sets unsupported for other majors.
bool parseVersion(std::string_view v, int& minor, bool& unsupported) {
  unsupported = false;
  if (v.size() != 8 || v.substr(0, 5) != "HTTP/" || v[6] != '.' ||
      !isDigit(static_cast<unsigned char>(v[5])) || !isDigit(static_cast<unsigned char>(v[7])))
    return false;
  if (v[5] != '1') {
    unsupported = true;
    return true;
  }
  minor = std::min(v[7] - '0', 1);
  return true;
}

}  // namespace

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

bool isIdempotent(std::string_view m) {
  return m == "GET" || m == "HEAD" || m == "OPTIONS" || m == "TRACE" || m == "PUT" || m == "DELETE";
}

const Header* MessageHead::find(std::string_view name) const {
  for (std::size_t i = 0; i < header_count; ++i)
    if (equalsIgnoreCase(headers[i].name, name)) return &headers[i];
  return nullptr;
}

ParseResult parseRequestHead(std::string_view buf, const ParseLimits& limits, RequestHead& out) {
  out = RequestHead{};
  Cursor c{buf, 0, limits.max_head_bytes, 431};
  // RFC 9112 2.2: ignore at least one empty line before the request-line.
  while (c.pos + 1 < buf.size() && buf[c.pos] == '\r' && buf[c.pos + 1] == '\n' && c.pos < 64) c.pos += 2;
  c.limit = limits.max_head_bytes + c.pos;

  std::string_view line, why;
  switch (nextLine(c, line, why)) {
    case LineStatus::kOk: break;
    case LineStatus::kNeedMore: return needMore();
    case LineStatus::kError: return fail(400, why);
    case LineStatus::kTooLarge: return fail(431, "request line too long");
  }
  // method SP request-target SP HTTP-version
  std::size_t i = 0;
  while (i < line.size() && isTchar(static_cast<unsigned char>(line[i]))) ++i;
  if (i == 0 || i == line.size() || line[i] != ' ') return fail(400, "invalid method");
  out.method = line.substr(0, i);
  std::size_t t = ++i;
  while (i < line.size() && isTargetChar(static_cast<unsigned char>(line[i]))) ++i;
  if (i == t || i == line.size() || line[i] != ' ') return fail(400, "invalid request-target");
  out.target = line.substr(t, i - t);
  bool unsupported = false;
  if (!parseVersion(line.substr(i + 1), out.minor_version, unsupported)) return fail(400, "invalid HTTP version");
  if (unsupported) return fail(505, "HTTP version not supported");
  out.keep_alive = out.minor_version >= 1;

  ParseResult fields = parseFields(c, out, 400);
  if (fields.status != ParseStatus::kComplete) return fields;

  // Target forms (RFC 9112 3.2). Absolute-form is accepted but only its path
  // is used: the authority never chooses an upstream (no open proxy).
  std::string_view target = out.target;
  if (target.find('#') != std::string_view::npos) return fail(400, "fragment in request-target");
  if (target.front() == '/') {
    // origin-form
  } else if (target == "*") {
    if (out.method != "OPTIONS") return fail(400, "asterisk-form only with OPTIONS");
    target = "/";
  } else if (out.method == "CONNECT") {
    return fail(501, "CONNECT not supported");
  } else {
    std::size_t scheme_end = target.find("://");
    std::string_view scheme = target.substr(0, scheme_end);
    if (scheme_end == std::string_view::npos ||
        !(equalsIgnoreCase(scheme, "http") || equalsIgnoreCase(scheme, "https")))
      return fail(400, "invalid request-target form");
    std::string_view rest = target.substr(scheme_end + 3);
    std::size_t slash = rest.find_first_of("/?");
    if (slash == 0) return fail(400, "absolute-form without authority");
    target = slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);
    if (target.front() == '?') return fail(400, "absolute-form without path");
  }
  std::size_t q = target.find('?');
  out.path = target.substr(0, q);
  out.query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);

  int host_count = 0;
  for (std::size_t h = 0; h < out.header_count; ++h) {
    const Header& header = out.headers[h];
    if (equalsIgnoreCase(header.name, "host")) {
      ++host_count;
      out.host = header.value;
    } else if (equalsIgnoreCase(header.name, "expect")) {
      if (equalsIgnoreCase(header.value, "100-continue")) out.expect_continue = true;
    }
  }
  if (host_count > 1) return fail(400, "duplicate Host");
  if (host_count == 0 && out.minor_version >= 1) return fail(400, "missing Host");
  for (char ch : out.host)
    if (!isHostChar(static_cast<unsigned char>(ch))) return fail(400, "invalid Host");

  bool has_te = false, has_cl = false;
  ParseResult framing = applyFraming(out, 400, has_te, has_cl);
  if (framing.status == ParseStatus::kError) return framing;
  if (has_te && out.minor_version == 0) return fail(400, "Transfer-Encoding in HTTP/1.0");
  return fields;
}

ParseResult parseResponseHead(std::string_view buf, std::string_view request_method,
                              const ParseLimits& limits, ResponseHead& out) {
  out = ResponseHead{};
  Cursor c{buf, 0, limits.max_head_bytes, 502};
  std::string_view line, why;
  switch (nextLine(c, line, why)) {
    case LineStatus::kOk: break;
    case LineStatus::kNeedMore: return needMore();
    case LineStatus::kError: return fail(502, why);
    case LineStatus::kTooLarge: return fail(502, "upstream status line too long");
  }
  // HTTP-version SP 3DIGIT SP [reason]
  bool unsupported = false;
  if (line.size() < 12 || line[8] != ' ' || !parseVersion(line.substr(0, 8), out.minor_version, unsupported) ||
      unsupported)
    return fail(502, "invalid upstream status line");
  for (int k = 9; k < 12; ++k)
    if (!isDigit(static_cast<unsigned char>(line[k]))) return fail(502, "invalid upstream status code");
  out.status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
  if (out.status < 100) return fail(502, "invalid upstream status code");
  if (line.size() > 12) {
    if (line[12] != ' ') return fail(502, "invalid upstream status line");
    out.reason = line.substr(13);
    for (char ch : out.reason)
      if (!isFieldChar(static_cast<unsigned char>(ch))) return fail(502, "control character in reason");
  }
  out.keep_alive = out.minor_version >= 1;
  ParseResult fields = parseFields(c, out, 502);
  if (fields.status != ParseStatus::kComplete) return fields;

  bool has_te = false, has_cl = false;
  ParseResult framing = applyFraming(out, 502, has_te, has_cl);
  if (framing.status == ParseStatus::kError) return framing;
  bool bodiless = request_method == "HEAD" || (out.status >= 100 && out.status < 200) ||
                  out.status == 204 || out.status == 304;
  if (bodiless) {
    out.body = BodyKind::kNone;
    out.content_length = 0;
  } else if (out.body == BodyKind::kNone) {
    out.body = BodyKind::kUntilClose;
    out.keep_alive = false;
  }
  return fields;
}

ChunkedDecoder::Result ChunkedDecoder::fail(int status) {
  state_ = State::kError;
  error_status_ = status;
  return Result::kError;
}

ChunkedDecoder::Result ChunkedDecoder::feed(std::string_view in, std::size_t& consumed) {
  constexpr std::size_t kMaxTrailerBytes = 16384;
  constexpr std::size_t kMaxExtBytes = 4096;
  std::size_t i = 0;
  consumed = 0;
  if (state_ == State::kError) return Result::kError;
  if (state_ == State::kDone) return Result::kDone;
  while (i < in.size()) {
    unsigned char ch = static_cast<unsigned char>(in[i]);
    switch (state_) {
      case State::kSize: {
        int digit = isDigit(ch) ? ch - '0' : ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f') ? (ch | 0x20) - 'a' + 10 : -1;
        if (digit >= 0) {
          if (++size_digits_ > 15) return fail(400);  // > 2^60: certainly an attack
          chunk_left_ = chunk_left_ * 16 + static_cast<unsigned>(digit);
        } else if (size_digits_ > 0 && ch == ';') {
          trailer_bytes_ = 0;
          state_ = State::kExt;
        } else if (size_digits_ > 0 && ch == '\r') {
          state_ = State::kSizeLf;
        } else {
          return fail(400);
        }
        ++i;
        break;
      }
      case State::kExt:
        if (ch == '\r') state_ = State::kSizeLf;
        else if (!isFieldChar(ch) || ++trailer_bytes_ > kMaxExtBytes) return fail(400);
        ++i;
        break;
      case State::kSizeLf:
        if (ch != '\n') return fail(400);
        ++i;
        if (chunk_left_ == 0) {
          state_ = State::kTrailerStart;
          trailer_bytes_ = 0;
        } else {
          if (chunk_left_ > max_body_ - body_bytes_) return fail(413);
          body_bytes_ += chunk_left_;
          state_ = State::kData;
        }
        break;
      case State::kData: {
        std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_left_, in.size() - i));
        i += take;
        chunk_left_ -= take;
        if (chunk_left_ == 0) state_ = State::kDataCr;
        break;
      }
      case State::kDataCr:
        if (ch != '\r') return fail(400);
        state_ = State::kDataLf;
        ++i;
        break;
      case State::kDataLf:
        if (ch != '\n') return fail(400);
        state_ = State::kSize;
        size_digits_ = 0;
        ++i;
        break;
      case State::kTrailerStart:
        if (ch == '\r') {
          state_ = State::kEndLf;
        } else if (isTchar(ch)) {
          state_ = State::kTrailer;
          trailer_has_name_ = true;
          trailer_saw_colon_ = false;
        } else {
          return fail(400);  // obs-fold or garbage
        }
        ++i;
        ++trailer_bytes_;
        break;
      case State::kTrailer:
        if (++trailer_bytes_ > kMaxTrailerBytes) return fail(400);
        if (ch == '\r') {
          if (!trailer_saw_colon_) return fail(400);
          state_ = State::kTrailerLf;
        } else if (!trailer_saw_colon_) {
          if (ch == ':') trailer_saw_colon_ = true;
          else if (!isTchar(ch)) return fail(400);
        } else if (!isFieldChar(ch)) {
          return fail(400);
        }
        ++i;
        break;
      case State::kTrailerLf:
        if (ch != '\n') return fail(400);
        state_ = State::kTrailerStart;
        ++i;
        break;
      case State::kEndLf:
        if (ch != '\n') return fail(400);
        ++i;
        state_ = State::kDone;
        consumed = i;
        return Result::kDone;
      case State::kDone:
      case State::kError:
        break;
    }
  }
  consumed = i;
  return Result::kNeedMore;
}

}  // namespace strangler::http
