// The endpoint scanner: a pure function over source text.
#include <gtest/gtest.h>

#include "seam/smells/endpoint_scan.h"

namespace seam::smells {
namespace {

TEST(SmellsEndpointScan, ClassifiesAddresses) {
  EXPECT_EQ(classifyEndpoint("http://inventory:8081/stock"), "url");
  EXPECT_EQ(classifyEndpoint("https://pay.example.com"), "url");
  EXPECT_EQ(classifyEndpoint("grpc://[::1]:50051"), "url");
  EXPECT_EQ(classifyEndpoint("postgres://user:pw@db.internal.example.com:5432/shop"), "url");
  EXPECT_EQ(classifyEndpoint("localhost"), "localhost");
  EXPECT_EQ(classifyEndpoint("127.0.0.1"), "ip");
  EXPECT_EQ(classifyEndpoint("127.0.0.1:8080"), "host:port");
  EXPECT_EQ(classifyEndpoint("orders-svc:9000"), "host:port");
  EXPECT_EQ(classifyEndpoint(" localhost:80 "), "host:port");
}

TEST(SmellsEndpointScan, IgnoresLookAlikes) {
  for (const char* s : {"0.0.0.0", "0.0.0.0:80", "::", "12:30", "1.2.3", "300.1.1.1", "a:80", "3:2",
                        "http://%s:%d/", "file:///tmp/x", "Content-Type: text/html", "std::string", "x:99999",
                        "255.255.255.0", "host:", ":8080", "see http://inventory:8081 here", "version 1.2.3.4"}) {
    EXPECT_EQ(classifyEndpoint(s), "") << s;
  }
}

TEST(SmellsEndpointScan, FindsLiteralsWithLinesAndColumnsSkippingComments) {
  const char* src =
      "// \"http://old:8080\"\n"
      "#include \"localhost\"\n"
      "/* \"10.0.0.1\"\n   still comment */ auto a = \"10.0.0.2\";\n"
      "char q = '\"'; long n = 1'000; auto b = \"x\\\"localhost\\\"\";\n"
      "auto r = R\"sql(http://raw.example.com:1234)sql\";\n"
      "auto c = u8\"localhost\";\n";
  auto found = scanEndpoints(src);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].text, "10.0.0.2");
  EXPECT_EQ(found[0].line, 4);
  EXPECT_EQ(found[0].col, 30);
  EXPECT_EQ(found[1].text, "http://raw.example.com:1234");
  EXPECT_EQ(found[1].line, 6);
  EXPECT_EQ(found[2].text, "localhost");
  EXPECT_EQ(found[2].line, 7);
}

TEST(SmellsEndpointScan, SurvivesUnterminatedInput) {
  EXPECT_TRUE(scanEndpoints("auto s = \"localhost").size() <= 1);
  EXPECT_TRUE(scanEndpoints("/* never closed \"localhost\"").empty());
  EXPECT_TRUE(scanEndpoints("R\"x(never closed").size() <= 1);
  EXPECT_TRUE(scanEndpoints(std::string(3, '\0')).empty());
}

}  // namespace
}  // namespace seam::smells
