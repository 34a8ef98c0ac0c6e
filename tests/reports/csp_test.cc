#include "seam/reports/csp.h"

#include <gtest/gtest.h>

namespace seam::reports {
namespace {

TEST(ReportsCsp, HashSourceMatchesKnownVectors) {
  // echo -n "" | openssl dgst -sha256 -binary | base64
  EXPECT_EQ(cspHashSource(""), "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  // echo -n "abc" | ...
  EXPECT_EQ(cspHashSource("abc"), "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
}

TEST(ReportsCsp, PolicyAllowsOnlyListedHashes) {
  std::string p = contentSecurityPolicy({"sha256-A", "sha256-B"}, {"sha256-C"});
  EXPECT_NE(p.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(p.find("script-src 'sha256-A' 'sha256-B';"), std::string::npos);
  EXPECT_NE(p.find("style-src 'sha256-C';"), std::string::npos);
  EXPECT_NE(p.find("connect-src 'none'"), std::string::npos);
  EXPECT_NE(p.find("img-src data:"), std::string::npos);
  EXPECT_EQ(p.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(p.find("unsafe-eval"), std::string::npos);
  EXPECT_NE(contentSecurityPolicy({}, {}).find("script-src 'none'"), std::string::npos);
}

}  // namespace
}  // namespace seam::reports
