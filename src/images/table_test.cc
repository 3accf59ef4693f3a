#include "images/table.h"

#include <gtest/gtest.h>

namespace distill::images {
namespace {

TEST(FormatTableTest, AlignsColumnsWithMinimumWidthAndPadding) {
  std::string out = FormatTable({"REPOSITORY", "TAG", "SIZE"},
                                {{"python", "3.9", "12.3MB"}, {"a", "latest-long-tag", "0B"}});
  EXPECT_EQ(out,
            "REPOSITORY   TAG               SIZE\n"
            "python       3.9               12.3MB\n"
            "a            latest-long-tag   0B\n");
}

TEST(FormatTableTest, ShortRowsAndEmptyTrailingCells) {
  std::string out = FormatTable({"A", "B"}, {{"x"}, {"y", ""}});
  EXPECT_EQ(out, "A         B\nx\ny\n");
}

TEST(FormatTableTest, CountsUtf8CodePoints) {
  std::string out = FormatTable({"X", "Y"}, {{"é", "1"}});
  EXPECT_EQ(out, "X         Y\né         1\n");
}

TEST(EllipsizeTest, CutsWithEllipsis) {
  EXPECT_EQ(Ellipsize("short", 45), "short");
  EXPECT_EQ(Ellipsize("abcdef", 6), "abcdef");
  EXPECT_EQ(Ellipsize("abcdefg", 6), "abcde…");
  EXPECT_EQ(Ellipsize("ééééé", 3), "éé…");
  EXPECT_EQ(Ellipsize("abc", 0), "");
}

}  // namespace
}  // namespace distill::images
