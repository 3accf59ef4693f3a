#include "images/humanize.h"

#include <gtest/gtest.h>

namespace distill::images {
namespace {

TEST(HumanSizeTest, DecimalUnitsThreeSignificantDigits) {
  EXPECT_EQ(HumanSize(0), "0B");
  EXPECT_EQ(HumanSize(999), "999B");
  EXPECT_EQ(HumanSize(1000), "1kB");
  EXPECT_EQ(HumanSize(1234), "1.23kB");
  EXPECT_EQ(HumanSize(12345678), "12.3MB");
  EXPECT_EQ(HumanSize(123456789), "123MB");
  EXPECT_EQ(HumanSize(5'000'000'000ULL), "5GB");
  EXPECT_EQ(HumanSize(18'446'744'073'709'551'615ULL), "18.4EB");
}

TEST(HumanDurationTest, CoarsensAsItGrows) {
  EXPECT_EQ(HumanDuration(0), "Less than a second");
  EXPECT_EQ(HumanDuration(-5), "Less than a second");
  EXPECT_EQ(HumanDuration(1), "1 second");
  EXPECT_EQ(HumanDuration(59), "59 seconds");
  EXPECT_EQ(HumanDuration(60), "About a minute");
  EXPECT_EQ(HumanDuration(119), "About a minute");
  EXPECT_EQ(HumanDuration(120), "2 minutes");
  EXPECT_EQ(HumanDuration(3599), "59 minutes");
  EXPECT_EQ(HumanDuration(3600), "About an hour");
  EXPECT_EQ(HumanDuration(5399), "About an hour");  // rounds to the nearest hour
  EXPECT_EQ(HumanDuration(5400), "2 hours");
  EXPECT_EQ(HumanDuration(47 * 3600), "47 hours");
  EXPECT_EQ(HumanDuration(48 * 3600), "2 days");
  EXPECT_EQ(HumanDuration(13 * 86400), "13 days");
  EXPECT_EQ(HumanDuration(14 * 86400), "2 weeks");
  EXPECT_EQ(HumanDuration(60 * 86400), "2 months");
  EXPECT_EQ(HumanDuration(730 * 86400), "2 years");
}

TEST(HumanAgoTest, UnknownAndFuture) {
  EXPECT_EQ(HumanAgo(std::nullopt, 100), "N/A");
  EXPECT_EQ(HumanAgo(100, 220), "2 minutes ago");
  EXPECT_EQ(HumanAgo(500, 100), "Less than a second ago");
}

TEST(ParseRfc3339Test, Forms) {
  EXPECT_EQ(*ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*ParseRfc3339("2024-01-02T03:04:05Z"), 1704164645);
  EXPECT_EQ(*ParseRfc3339("2024-01-02T03:04:05.123456789Z"), 1704164645);
  EXPECT_EQ(*ParseRfc3339("2024-01-02T05:04:05+02:00"), 1704164645);
  EXPECT_EQ(*ParseRfc3339("2024-01-02T01:04:05-02:00"), 1704164645);
  EXPECT_EQ(*ParseRfc3339("2000-02-29T00:00:00Z"), 951782400);
}

TEST(ParseRfc3339Test, RejectsMalformed) {
  for (const char* bad :
       {"", "2024-01-02", "2024-01-02T03:04:05", "2024-13-02T03:04:05Z", "2024-01-02T03:04:05.Z",
        "2024-01-02T03:04:05Zjunk", "2024-01-02T03:04:05+0200", "yesterday"}) {
    auto t = ParseRfc3339(bad);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_NE(t.status().message().find(bad), std::string::npos) << t.status().message();
  }
}

}  // namespace
}  // namespace distill::images
