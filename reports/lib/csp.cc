// CSP hash-sources (SHA-256 via OpenSSL's libcrypto) and the page's policy.
#include "seam/reports/csp.h"

#include <openssl/evp.h>

namespace seam::reports {

std::string cspHashSource(std::string_view content) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  EVP_Digest(content.data(), content.size(), digest, &digest_len, EVP_sha256(), nullptr);
  // Base64 of 32 bytes is 44 characters; EVP_EncodeBlock NUL-terminates.
  unsigned char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
  int n = EVP_EncodeBlock(b64, digest, static_cast<int>(digest_len));
  return "sha256-" + std::string(reinterpret_cast<const char*>(b64), static_cast<size_t>(n));
}

std::string contentSecurityPolicy(const std::vector<std::string>& script_hashes,
                                  const std::vector<std::string>& style_hashes) {
  auto sources = [](const std::vector<std::string>& hashes) {
    std::string s;
    for (const auto& h : hashes) s += " '" + h + "'";
    return hashes.empty() ? std::string(" 'none'") : s;
  };
  return "default-src 'none'; script-src" + sources(script_hashes) + "; style-src" +
         sources(style_hashes) +
         "; img-src data:; connect-src 'none'; font-src 'none'; frame-src 'none'; "
         "object-src 'none'; base-uri 'none'; form-action 'none'";
}

}  // namespace seam::reports
