#include "strangler/forwarding.h"

#include <cstdint>

namespace strangler {
namespace {

using http::equalsIgnoreCase;

/// True if `name` is listed in any Connection header of `head`.
bool namedByConnection(const http::MessageHead& head, std::string_view name) {
  if (!head.has_connection_tokens) return false;
  for (std::size_t i = 0; i < head.header_count; ++i) {
    const http::Header& h = head.headers[i];
    if (!equalsIgnoreCase(h.name, "connection")) continue;
    std::string_view v = h.value;
    while (!v.empty()) {
      std::size_t comma = v.find(',');
      std::string_view token = v.substr(0, comma);
      while (!token.empty() && (token.front() == ' ' || token.front() == '\t')) token.remove_prefix(1);
      while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
      if (equalsIgnoreCase(token, name)) return true;
      if (comma == std::string_view::npos) break;
      v.remove_prefix(comma + 1);
    }
  }
  return false;
}

void appendField(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

void appendStatusCode(int status, std::string& out) {
  out.push_back(static_cast<char>('0' + status / 100 % 10));
  out.push_back(static_cast<char>('0' + status / 10 % 10));
  out.push_back(static_cast<char>('0' + status % 10));
}

}  // namespace

bool isHopByHop(std::string_view n) {
  return equalsIgnoreCase(n, "connection") || equalsIgnoreCase(n, "keep-alive") ||
         equalsIgnoreCase(n, "proxy-connection") || equalsIgnoreCase(n, "te") ||
         equalsIgnoreCase(n, "transfer-encoding") || equalsIgnoreCase(n, "upgrade");
}

void appendHex(std::uint64_t value, int digits, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) out.push_back(kHex[(value >> (4 * i)) & 0xf]);
}

void appendUpstreamRequestHead(const http::RequestHead& req, const ForwardInfo& info, std::string& out) {
  out.append(req.method);
  out.push_back(' ');
  out.append(req.path);
  if (req.target.find('?') != std::string_view::npos) {
    out.push_back('?');
    out.append(req.query);
  }
  // An HTTP/1.0 client cannot read a chunked response, so ask the upstream
  // in HTTP/1.0 too; otherwise speak 1.1 for keep-alive.
  out.append(req.minor_version == 0 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n");
  bool have_id = false, have_trace = false, have_xff = false;
  for (std::size_t i = 0; i < req.header_count; ++i) {
    const http::Header& h = req.headers[i];
    if (isHopByHop(h.name) || equalsIgnoreCase(h.name, "expect") || namedByConnection(req, h.name)) continue;
    if (equalsIgnoreCase(h.name, "x-forwarded-proto")) continue;
    if (equalsIgnoreCase(h.name, "x-forwarded-for")) {
      if (have_xff) continue;  // merged below into the first one
      have_xff = true;
      out.append("X-Forwarded-For: ");
      bool first = true;
      for (std::size_t j = i; j < req.header_count; ++j) {
        if (!equalsIgnoreCase(req.headers[j].name, "x-forwarded-for")) continue;
        if (!first) out.append(", ");
        out.append(req.headers[j].value);
        first = false;
      }
      out.append(", ");
      out.append(info.client_ip);
      out.append("\r\n");
      continue;
    }
    if (equalsIgnoreCase(h.name, "via")) continue;  // re-emitted with our hop below
    if (equalsIgnoreCase(h.name, "x-request-id")) have_id = true;
    if (equalsIgnoreCase(h.name, "traceparent")) have_trace = true;
    appendField(out, h.name, h.value);
  }
  if (!have_xff) appendField(out, "X-Forwarded-For", info.client_ip);
  appendField(out, "X-Forwarded-Proto", info.proto);
  out.append("Via: ");
  for (std::size_t i = 0; i < req.header_count; ++i) {
    if (!equalsIgnoreCase(req.headers[i].name, "via")) continue;
    out.append(req.headers[i].value);
    out.append(", ");
  }
  out.append(req.minor_version == 0 ? "1.0 strangler\r\n" : "1.1 strangler\r\n");
  if (!have_id) appendField(out, "X-Request-Id", info.request_id);
  if (!have_trace) appendField(out, "traceparent", info.traceparent);
  if (req.body == http::BodyKind::kChunked) out.append("Transfer-Encoding: chunked\r\n");
  if (req.minor_version == 0) out.append("Connection: close\r\n");
  out.append("\r\n");
}

void appendClientResponseHead(const http::ResponseHead& resp, bool keep_alive,
                              std::string_view request_id, std::string& out) {
  out.append("HTTP/1.1 ");
  appendStatusCode(resp.status, out);
  out.push_back(' ');
  out.append(resp.reason);
  out.append("\r\n");
  bool have_id = false;
  for (std::size_t i = 0; i < resp.header_count; ++i) {
    const http::Header& h = resp.headers[i];
    if (isHopByHop(h.name) || namedByConnection(resp, h.name)) continue;
    if (equalsIgnoreCase(h.name, "via")) continue;
    if (equalsIgnoreCase(h.name, "x-request-id")) have_id = true;
    appendField(out, h.name, h.value);
  }
  out.append("Via: ");
  for (std::size_t i = 0; i < resp.header_count; ++i) {
    if (!equalsIgnoreCase(resp.headers[i].name, "via")) continue;
    out.append(resp.headers[i].value);
    out.append(", ");
  }
  out.append(resp.minor_version == 0 ? "1.0 strangler\r\n" : "1.1 strangler\r\n");
  if (!have_id && !request_id.empty()) appendField(out, "X-Request-Id", request_id);
  if (resp.body == http::BodyKind::kChunked) out.append("Transfer-Encoding: chunked\r\n");
  if (!keep_alive) out.append("Connection: close\r\n");
  out.append("\r\n");
}

std::string_view reasonPhrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

void appendProxyResponse(int status, std::string_view detail, bool keep_alive,
                         std::string_view request_id, std::string& out) {
  out.append("HTTP/1.1 ");
  appendStatusCode(status, out);
  out.push_back(' ');
  out.append(reasonPhrase(status));
  out.append("\r\nContent-Type: text/plain\r\nContent-Length: ");
  out.append(std::to_string(detail.size() + 1));
  out.append("\r\nVia: 1.1 strangler\r\n");
  if (!request_id.empty()) appendField(out, "X-Request-Id", request_id);
  if (!keep_alive) out.append("Connection: close\r\n");
  out.append("\r\n");
  out.append(detail);
  out.push_back('\n');
}

}  // namespace strangler
