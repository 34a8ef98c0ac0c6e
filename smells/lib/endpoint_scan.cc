// A small C++ lexer that finds string literals, and the address patterns.
#include "seam/smells/endpoint_scan.h"

#include <cctype>
#include <regex>

namespace seam::smells {
namespace {

bool isIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

bool validIpv4(std::string_view s) {
  static const std::regex ipv4(R"(^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$)");
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(s.begin(), s.end(), m, ipv4)) return false;
  for (int i = 1; i <= 4; ++i)
    if (std::stoi(m[i].str()) > 255) return false;
  return true;
}

// Not a service address: listen-on-everything and broadcast/netmask values.
bool isWildcard(std::string_view host) {
  return host == "0.0.0.0" || host == "::" || host == "[::]" || host == "*" || host.rfind("255.", 0) == 0;
}

bool validPort(std::string_view p) {
  if (p.size() < 2 || p.size() > 5) return false;
  for (char c : p)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  int v = std::stoi(std::string(p));
  return v >= 1 && v <= 65535;
}

// A host name we are willing to call an address: localhost, an IPv4, a dotted
// DNS name with an alphabetic top-level label, or (with a port) a single label
// of 3+ characters with a letter (container/service names such as "inventory").
bool plausibleHost(std::string_view h, bool has_port) {
  if (h.empty() || isWildcard(h)) return false;
  if (h == "localhost" || validIpv4(h)) return true;
  if (h.front() == '[' && h.back() == ']') return h.size() > 3;  // IPv6 literal
  static const std::regex dns(R"(^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$)");
  if (!std::regex_match(h.begin(), h.end(), dns)) return false;
  size_t dot = h.rfind('.');
  if (dot != std::string_view::npos) {
    std::string_view tld = h.substr(dot + 1);
    for (char c : tld)
      if (!std::isalpha(static_cast<unsigned char>(c))) return false;
    return tld.size() >= 2;
  }
  if (!has_port || h.size() < 3) return false;
  for (char c : h)
    if (std::isalpha(static_cast<unsigned char>(c))) return true;
  return false;
}

}  // namespace

std::string classifyEndpoint(std::string_view lit) {
  while (!lit.empty() && std::isspace(static_cast<unsigned char>(lit.front()))) lit.remove_prefix(1);
  while (!lit.empty() && std::isspace(static_cast<unsigned char>(lit.back()))) lit.remove_suffix(1);
  if (lit.empty()) return "";

  static const std::regex url(R"(^([A-Za-z][A-Za-z0-9+.-]*)://(?:[^@/?#\s]*@)?(\[[0-9A-Fa-f:.]+\]|[^/:?#\s]+)(?::(\d+))?([/?#].*)?$)");
  std::match_results<std::string_view::const_iterator> m;
  if (std::regex_match(lit.begin(), lit.end(), m, url)) {
    std::string scheme = m[1].str();
    for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (scheme == "file") return "";
    std::string host = m[2].str();
    if (m[3].matched && !validPort(m[3].str())) return "";
    return plausibleHost(host, /*has_port=*/true) ? "url" : "";
  }
  std::string lower(lit);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "localhost") return "localhost";
  if (validIpv4(lit)) return isWildcard(lit) ? "" : "ip";

  size_t colon = lit.rfind(':');
  if (colon != std::string_view::npos && colon > 0) {
    std::string_view host = lit.substr(0, colon), port = lit.substr(colon + 1);
    if (validPort(port) && plausibleHost(host, /*has_port=*/true)) return "host:port";
  }
  return "";
}

std::vector<EndpointLiteral> scanEndpoints(std::string_view src) {
  std::vector<EndpointLiteral> out;
  int line = 1;
  size_t line_start = 0;
  size_t i = 0;
  const size_t n = src.size();
  auto advance_to = [&](size_t to) {  // keeps line counting right across skipped text
    for (; i < to && i < n; ++i)
      if (src[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
  };
  while (i < n) {
    char c = src[i];
    if (c == '/' && i + 1 < n && src[i + 1] == '/') {
      size_t nl = src.find('\n', i);
      advance_to(nl == std::string_view::npos ? n : nl);
    } else if (c == '/' && i + 1 < n && src[i + 1] == '*') {
      size_t end = src.find("*/", i + 2);
      advance_to(end == std::string_view::npos ? n : end + 2);
    } else if (c == '\'') {
      // A digit separator (1'000) follows an alphanumeric; a character literal does not.
      if (i > 0 && std::isalnum(static_cast<unsigned char>(src[i - 1]))) {
        ++i;
        continue;
      }
      size_t j = i + 1;
      while (j < n && src[j] != '\'' && src[j] != '\n') j += (src[j] == '\\') ? 2 : 1;
      advance_to(std::min(j + 1, n));
    } else if (c == '"') {
      int lit_line = line;
      int lit_col = static_cast<int>(i - line_start) + 1;
      bool raw = i > 0 && src[i - 1] == 'R' && (i < 2 || !isIdentChar(src[i - 2]) || src[i - 2] == '8' ||
                                                  src[i - 2] == 'u' || src[i - 2] == 'U' || src[i - 2] == 'L');
      std::string text;
      if (raw) {
        size_t open = src.find('(', i + 1);
        if (open == std::string_view::npos) break;
        std::string close = ")" + std::string(src.substr(i + 1, open - i - 1)) + "\"";
        size_t end = src.find(close, open + 1);
        if (end == std::string_view::npos) end = n;
        text = std::string(src.substr(open + 1, end - open - 1));
        advance_to(std::min(n, end + close.size()));
      } else {
        size_t j = i + 1;
        while (j < n && src[j] != '"' && src[j] != '\n') {
          if (src[j] == '\\' && j + 1 < n) {
            text += src[j + 1];
            j += 2;
          } else {
            text += src[j++];
          }
        }
        advance_to(std::min(j + 1, n));
      }
      std::string kind = classifyEndpoint(text);
      if (!kind.empty()) out.push_back({lit_line, lit_col, text, kind});
    } else if (c == '#') {
      // `#include "x.h"` names a file, not an address: skip the directive line.
      size_t k = i;
      while (k > line_start && (src[k - 1] == ' ' || src[k - 1] == '\t')) --k;
      if (k == line_start && src.substr(i + 1, 16).find("include") < 8) {
        size_t nl = src.find('\n', i);
        advance_to(nl == std::string_view::npos ? n : nl);
      } else {
        ++i;
      }
    } else {
      advance_to(i + 1);
    }
  }
  return out;
}

}  // namespace seam::smells
