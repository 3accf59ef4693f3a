#include "context/glob.h"

#include <gtest/gtest.h>

namespace distill::context {
namespace {

bool M(std::string_view p, std::string_view n) {
  auto r = GlobMatch(p, n);
  EXPECT_TRUE(r.ok()) << p << ": " << r.status().message();
  return r.ok() && *r;
}

TEST(GlobTest, StarAndQuestion) {
  EXPECT_TRUE(M("*.txt", "a.txt"));
  EXPECT_TRUE(M("*.txt", ".txt"));
  EXPECT_TRUE(M("*", ".hidden"));  // no dotfile rule in filepath.Match
  EXPECT_FALSE(M("*.txt", "a.txt.bak"));
  EXPECT_FALSE(M("*", "a/b"));
  EXPECT_TRUE(M("a*b*c", "aXXbYYc"));
  EXPECT_TRUE(M("file?.c", "file1.c"));
  EXPECT_FALSE(M("file?.c", "file.c"));
  EXPECT_FALSE(M("a?b", "a/b"));
  EXPECT_TRUE(M("??", "\xc3\xa9x"));  // one UTF-8 character per '?'
}

TEST(GlobTest, Classes) {
  EXPECT_TRUE(M("[abc].go", "b.go"));
  EXPECT_FALSE(M("[abc].go", "d.go"));
  EXPECT_TRUE(M("[a-c][0-9]", "c7"));
  EXPECT_TRUE(M("[^a-c]x", "dx"));
  EXPECT_FALSE(M("[^a-c]x", "bx"));
  EXPECT_TRUE(M("[\\]]", "]"));
  EXPECT_TRUE(M("[\\-]", "-"));
}

TEST(GlobTest, Escapes) {
  EXPECT_TRUE(M("a\\*b", "a*b"));
  EXPECT_FALSE(M("a\\*b", "axb"));
  EXPECT_TRUE(M("\\[x]", "[x]"));
}

TEST(GlobTest, MalformedPatternsAreErrors) {
  for (const char* bad : {"[", "[a", "[]", "[a-]", "a\\", "[-a]", "x[^]"}) {
    auto r = GlobMatch(bad, "anything");
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find("syntax error in pattern"), std::string::npos);
    }
  }
}

TEST(GlobTest, HasGlobMeta) {
  EXPECT_TRUE(HasGlobMeta("src/*.c"));
  EXPECT_TRUE(HasGlobMeta("a?"));
  EXPECT_TRUE(HasGlobMeta("[ab]"));
  EXPECT_FALSE(HasGlobMeta("plain/path.txt"));
}

}  // namespace
}  // namespace distill::context
