#include "distroless/path_filter.h"

#include <gtest/gtest.h>

namespace distill::distroless {
namespace {

TEST(PathFilterTest, DropsDocumentationButKeepsCopyright) {
  EXPECT_TRUE(KeepPath("usr/share/doc"));
  EXPECT_TRUE(KeepPath("usr/share/doc/libc6"));
  EXPECT_TRUE(KeepPath("usr/share/doc/libc6/copyright"));
  EXPECT_FALSE(KeepPath("usr/share/doc/libc6/changelog.Debian.gz"));
  EXPECT_FALSE(KeepPath("usr/share/doc/libc6/examples/x.c"));
  EXPECT_FALSE(KeepPath("usr/share/doc/libc6/examples/copyright"));
  EXPECT_FALSE(KeepPath("usr/share/doc/libc6/NEWS.gz"));
}

TEST(PathFilterTest, DropsManInfoLintianAndTranslations) {
  for (const char* path :
       {"usr/share/man", "usr/share/man/man1/ls.1.gz", "usr/share/info/dir",
        "usr/share/lintian/overrides/libc6", "usr/share/locale/de/LC_MESSAGES/x.mo",
        "usr/lib/locale/de_DE.utf8/LC_CTYPE"}) {
    EXPECT_FALSE(KeepPath(path)) << path;
  }
}

TEST(PathFilterTest, KeepsWhatRuntimesRead) {
  for (const char* path : {"usr/lib/locale/C.utf8/LC_CTYPE", "usr/share/zoneinfo/UTC",
                           "etc/services", "usr/lib/x86_64-linux-gnu/libc.so.6", "usr/share/mandoc",
                           "usr/share/manx/y", "usr/share/docs/z", "usr/lib/locale"}) {
    EXPECT_TRUE(KeepPath(path)) << path;
  }
}

TEST(PathFilterTest, MergedUsrMovesTopLevelDirectories) {
  EXPECT_EQ(MergedUsrPath("bin/ls"), "usr/bin/ls");
  EXPECT_EQ(MergedUsrPath("sbin/ldconfig"), "usr/sbin/ldconfig");
  EXPECT_EQ(MergedUsrPath("lib/x86_64-linux-gnu/libc.so.6"), "usr/lib/x86_64-linux-gnu/libc.so.6");
  EXPECT_EQ(MergedUsrPath("lib64/ld-linux-x86-64.so.2"), "usr/lib64/ld-linux-x86-64.so.2");
  EXPECT_EQ(MergedUsrPath("bin"), std::nullopt);
  EXPECT_EQ(MergedUsrPath("lib64"), std::nullopt);
  EXPECT_EQ(MergedUsrPath("etc/passwd"), "etc/passwd");
  EXPECT_EQ(MergedUsrPath("usr/bin/ls"), "usr/bin/ls");
  EXPECT_EQ(MergedUsrPath("binary/x"), "binary/x");
  EXPECT_EQ(MergedUsrPath("library"), "library");
}

}  // namespace
}  // namespace distill::distroless
