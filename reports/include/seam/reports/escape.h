// The only ways untrusted text (symbol names, paths, SQL from the analysed
// code) enters the report's outputs. Every writer goes through these.
#pragma once

#include <string>
#include <string_view>

namespace seam::reports {

/// Escapes text for HTML element content and quoted attribute values:
/// & < > " ' become character references.
std::string escapeHtml(std::string_view text);

/// Makes serialized JSON safe to place inside an HTML <script> element:
/// '<', '>', '&' and U+2028/U+2029 become \u003c, \u003e, \u0026, \u2028,
/// \u2029. The result is still valid JSON meaning exactly the same value,
/// and can never contain "</script" or "<!--".
std::string escapeJsonForScript(std::string_view json);

/// Escapes text for a double-quoted Graphviz DOT ID: " and \ are escaped,
/// newlines become \n, other control characters are dropped.
std::string escapeDot(std::string_view text);

}  // namespace seam::reports
