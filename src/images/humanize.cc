#include "images/humanize.h"

#include <cctype>
#include <cstdio>

namespace distill::images {

std::string HumanSize(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
  double size = static_cast<double>(bytes);
  size_t unit = 0;
  while (size >= 1000 && unit + 1 < std::size(kUnits)) {
    size /= 1000;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.3g%s", size, kUnits[unit]);
  return text;
}

std::string HumanDuration(int64_t seconds) {
  auto n = [](int64_t v, const char* unit) { return std::to_string(v) + " " + unit; };
  if (seconds < 1) return "Less than a second";
  if (seconds == 1) return "1 second";
  if (seconds < 60) return n(seconds, "seconds");
  int64_t minutes = seconds / 60;
  if (minutes == 1) return "About a minute";
  if (minutes < 60) return n(minutes, "minutes");
  // Hours round to nearest, so 1h40m reads "2 hours" (as docker does).
  int64_t hours = (seconds + 1800) / 3600;
  if (hours == 1) return "About an hour";
  if (hours < 48) return n(hours, "hours");
  if (hours < 24 * 7 * 2) return n(hours / 24, "days");
  if (hours < 24 * 30 * 2) return n(hours / 24 / 7, "weeks");
  if (hours < 24 * 365 * 2) return n(hours / 24 / 30, "months");
  return n(seconds / 3600 / 24 / 365, "years");
}

std::string HumanAgo(std::optional<int64_t> then_unix, int64_t now_unix) {
  if (!then_unix) return "N/A";
  return HumanDuration(now_unix - *then_unix) + " ago";
}

namespace {

// Reads exactly `width` digits at text[*pos].
bool ReadDigits(std::string_view text, size_t* pos, size_t width, int* out) {
  if (*pos + width > text.size()) return false;
  int value = 0;
  for (size_t i = 0; i < width; ++i) {
    char c = text[*pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    value = value * 10 + (c - '0');
  }
  *pos += width;
  *out = value;
  return true;
}

bool Expect(std::string_view text, size_t* pos, std::string_view chars) {
  if (*pos >= text.size() || chars.find(text[*pos]) == std::string_view::npos) return false;
  ++*pos;
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

Result<int64_t> ParseRfc3339(std::string_view text) {
  auto bad = [&] {
    return Status::Invalid("\"" + std::string(text) + "\" is not an RFC 3339 timestamp");
  };
  size_t pos = 0;
  int year, month, day, hour, minute, second;
  if (!ReadDigits(text, &pos, 4, &year) || !Expect(text, &pos, "-") ||
      !ReadDigits(text, &pos, 2, &month) || !Expect(text, &pos, "-") ||
      !ReadDigits(text, &pos, 2, &day) || !Expect(text, &pos, "Tt ") ||
      !ReadDigits(text, &pos, 2, &hour) || !Expect(text, &pos, ":") ||
      !ReadDigits(text, &pos, 2, &minute) || !Expect(text, &pos, ":") ||
      !ReadDigits(text, &pos, 2, &second)) {
    return bad();
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return bad();
  }
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    size_t digits = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      ++pos;
      ++digits;
    }
    if (digits == 0) return bad();
  }
  int64_t offset_seconds = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int off_hour, off_minute;
    if (!ReadDigits(text, &pos, 2, &off_hour) || !Expect(text, &pos, ":") ||
        !ReadDigits(text, &pos, 2, &off_minute) || off_hour > 23 || off_minute > 59) {
      return bad();
    }
    offset_seconds = sign * (off_hour * 3600 + off_minute * 60);
  } else {
    return bad();
  }
  if (pos != text.size()) return bad();
  return DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second -
         offset_seconds;
}

}  // namespace distill::images
