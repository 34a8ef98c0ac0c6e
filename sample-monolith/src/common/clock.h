// Timestamps. The bookstore stores UTC times as ISO-8601 text
// ("2024-03-01T12:00:00Z"), which sorts and compares correctly as text.
#pragma once

#include <cstdint>
#include <string>

namespace bookstore {

/// Seconds since the Unix epoch, now.
int64_t nowUnix();
/// The given Unix time as "YYYY-MM-DDTHH:MM:SSZ".
std::string isoFromUnix(int64_t unix_seconds);
/// Now as ISO-8601 UTC.
std::string nowIso();
/// Now plus `seconds` as ISO-8601 UTC.
std::string isoAfter(int64_t seconds);
/// True when `text` is a "YYYY-MM-DD" date (used by report filters).
bool isIsoDate(const std::string& text);

}  // namespace bookstore
