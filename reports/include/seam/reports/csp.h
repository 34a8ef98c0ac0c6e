// Content-Security-Policy helpers: the report allows exactly the inline
// scripts and styles it carries, identified by their SHA-256 hashes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace seam::reports {

/// "sha256-<base64 of SHA-256(content)>", the CSP hash-source for an inline
/// <script> or <style> whose text is exactly `content`.
std::string cspHashSource(std::string_view content);

/// The page's policy: nothing but the listed inline scripts and styles and
/// data: images; no connections, frames, forms, fonts or base URI changes.
std::string contentSecurityPolicy(const std::vector<std::string>& script_hashes,
                                  const std::vector<std::string>& style_hashes);

}  // namespace seam::reports
