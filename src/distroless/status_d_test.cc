#include "distroless/status_d.h"

#include <gtest/gtest.h>

namespace distill::distroless {
namespace {

TEST(StatusDTest, RendersParagraphWithContinuationLines) {
  auto parsed = debian::ParseControl(
      "Package: libc6\n"
      "Version: 2.36-9+deb12u10\n"
      "Architecture: amd64\n"
      "Depends: libgcc-s1\n"
      "Description: GNU C Library: Shared libraries\n"
      " Contains the standard libraries.\n"
      " .\n"
      " Second paragraph.\n",
      "control");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ(RenderStatusParagraph(parsed->front()),
            "Package: libc6\n"
            "Version: 2.36-9+deb12u10\n"
            "Architecture: amd64\n"
            "Depends: libgcc-s1\n"
            "Description: GNU C Library: Shared libraries\n"
            " Contains the standard libraries.\n"
            " .\n"
            " Second paragraph.\n");
}

TEST(StatusDTest, FieldWithEmptyFirstLine) {
  debian::Paragraph p;
  p.Set("Package", "base-files");
  p.Set("Conffiles", "\n/etc/issue 1234\n/etc/motd 5678");
  EXPECT_EQ(RenderStatusParagraph(p),
            "Package: base-files\nConffiles:\n /etc/issue 1234\n /etc/motd 5678\n");
}

TEST(StatusDTest, Md5sumsSortedTwoSpaces) {
  EXPECT_EQ(RenderMd5sums({{"usr/lib/b", "bbb"}, {"etc/a", "aaa"}}),
            "aaa  etc/a\nbbb  usr/lib/b\n");
  EXPECT_EQ(RenderMd5sums({}), "");
}

}  // namespace
}  // namespace distill::distroless
