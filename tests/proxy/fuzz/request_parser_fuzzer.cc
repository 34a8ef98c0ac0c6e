// libFuzzer target for the strict HTTP/1.1 parser: request heads, the
// chunked body validator that follows them, and response heads. Invariants
// checked beyond "no crash / no sanitizer report":
//   - complete => consumed <= input size, views lie inside the input;
//   - error => a 4xx/5xx status the proxy can send;
//   - the chunked decoder never reports more bytes than it was given.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "strangler/http_parser.h"

using namespace strangler::http;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

bool inside(std::string_view part, std::string_view whole) {
  return part.empty() || (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  static RequestHead head;  // large: keep it off the stack
  ParseResult r = parseRequestHead(input, ParseLimits{4096}, head);
  if (r.status == ParseStatus::kComplete) {
    check(r.consumed <= size);
    // Asterisk-form maps to the static path "/".
    check(inside(head.method, input) && inside(head.target, input) && inside(head.query, input));
    check(inside(head.path, input) || head.path == "/");
    for (std::size_t i = 0; i < head.header_count; ++i)
      check(inside(head.headers[i].name, input) && inside(head.headers[i].value, input));
    check(!(head.body == BodyKind::kChunked && head.find("content-length") != nullptr));
    if (head.body == BodyKind::kChunked) {
      ChunkedDecoder decoder(1 << 20);
      std::string_view rest = input.substr(r.consumed);
      // Feed in two pieces to exercise resumption.
      std::size_t split = rest.size() / 2, used = 0;
      auto first = decoder.feed(rest.substr(0, split), used);
      check(used <= split);
      if (first == ChunkedDecoder::Result::kNeedMore) {
        decoder.feed(rest.substr(split), used);
        check(used <= rest.size() - split);
      }
    }
  } else if (r.status == ParseStatus::kError) {
    check(r.error_status >= 400 && r.error_status <= 505);
  }
  static ResponseHead response;
  ParseResult rr = parseResponseHead(input, "GET", ParseLimits{4096}, response);
  if (rr.status == ParseStatus::kComplete) check(rr.consumed <= size && response.status >= 100 && response.status <= 999);
  return 0;
}
