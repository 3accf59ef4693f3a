// Human-readable sizes and ages in the shape the docker CLI prints them
// ("12.3MB", "2 minutes ago"), so tables read the same as `docker images`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/status.h"

namespace distill::images {

// Decimal units (1kB = 1000B) with three significant digits, as docker images
// and docker history show sizes: 999 -> "999B", 1234 -> "1.23kB",
// 12345678 -> "12.3MB", 0 -> "0B".
std::string HumanSize(uint64_t bytes);

// A duration in words, coarsening as it grows: "Less than a second",
// "1 second", "45 seconds", "About a minute", "12 minutes", "About an hour",
// "5 hours", "3 days", "2 weeks", "4 months", "2 years".
std::string HumanDuration(int64_t seconds);

// "<HumanDuration(now - then)> ago"; "N/A" when `then` is unknown. A time in
// the future (clock skew) reads as "Less than a second ago", not negative.
std::string HumanAgo(std::optional<int64_t> then_unix, int64_t now_unix);

// Parses an RFC 3339 timestamp ("2024-01-02T03:04:05.123456789Z",
// "2024-01-02T03:04:05+02:00") to Unix seconds (fractions dropped). Errors
// quote the text.
Result<int64_t> ParseRfc3339(std::string_view text);

}  // namespace distill::images
