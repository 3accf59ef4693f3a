#include "dockerfile/dockerignore.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <set>

namespace distill::dockerfile {
namespace {

struct MatchCase {
  const char* file;  // .dockerignore text
  const char* path;  // context-relative path
  bool excluded;
};

TEST(DockerIgnore, MatchesLikeTheReference) {
  const MatchCase cases[] = {
      // Plain names, and a directory match covering everything below it.
      {"foo", "foo", true},
      {"foo", "foo/bar", true},
      {"foo", "foo/bar/baz.txt", true},
      {"foo", "foobar", false},
      {"foo", "a/foo", false},
      // `*` and `?` never cross '/'.
      {"*.go", "a.go", true},
      {"*.go", "dir/a.go", false},
      {"*/*.go", "dir/a.go", true},
      {"*/*.go", "a.go", false},
      {"?.txt", "a.txt", true},
      {"?.txt", "ab.txt", false},
      {"a?b", "a/b", false},
      // `**` spans any number of directories, including none.
      {"**/*.go", "a.go", true},
      {"**/*.go", "x/y/a.go", true},
      {"**/*.go", "x/a.gox", false},
      {"**/foo", "foo", true},
      {"**/foo", "a/b/foo", true},
      {"**/foo", "a/foo/bar", true},
      {"**/foo", "barfoo", false},
      {"**foo", "barfoo", true},  // the reference's suffix fast path
      {"foo/**", "foo/x", true},
      {"foo/**", "foo/x/y", true},
      {"foo/**", "foo", false},
      {"foo/**", "foobar", false},
      {"foo**", "foobar", true},
      {"a/**/b", "a/b", true},
      {"a/**/b", "a/x/y/b", true},
      {"a/**/b", "a/xb", false},
      {"a*/**", "ab/c", true},
      {"a*/**", "b/c", false},
      {"**", "a/b/c", true},
      // Classes, ranges, negation (which, as in the reference, also matches '/').
      {"[a-c].txt", "b.txt", true},
      {"[a-c].txt", "d.txt", false},
      {"[^a].txt", "b.txt", true},
      {"[^a].txt", "a.txt", false},
      {"a[^x]b", "a/b", true},
      {"[\\]].txt", "].txt", true},
      {"[가-힣]", "글", true},
      {"[가-나]", "힣", false},
      // Escapes and characters with no glob meaning.
      {"\\*.txt", "*.txt", true},
      {"\\*.txt", "a.txt", false},
      {"a.b", "axb", false},
      {"a+(b)|{c}$", "a+(b)|{c}$", true},
      // Normalisation of patterns.
      {"dir/", "dir", true},
      {"dir/", "dir/x", true},
      {"./dir", "dir/x", true},
      {"/dir", "dir/x", true},
      {"a/../b", "b", true},
      {"a//b", "a/b", true},
      {"  foo  ", "foo", true},
      {"foo\r\nbar\r\n", "bar", true},
      {"\xEF\xBB\xBF"
       "foo",
       "foo", true},
      // Comments only start in the first column.
      {"# foo\n", "# foo", false},
      {" # foo\n", "# foo", true},
      {"#foo\nfoo", "foo", true},
      // Exceptions: the last matching pattern wins.
      {"*.md\n!README.md", "a.md", true},
      {"*.md\n!README.md", "README.md", false},
      {"!README.md\n*.md", "README.md", true},
      {"!  README.md\n*", "README.md", true},
      {"*\n!  README.md", "README.md", false},
      {"docs\n!docs/keep.txt", "docs/a", true},
      {"docs\n!docs/keep.txt", "docs/keep.txt", false},
      {"docs\n!docs/keep.txt", "docs", true},
      {"*\n!src", "src/a/b.c", false},
      {"*\n!src", "other", true},
      {"*\n!src\nsrc/*.o", "src/x.o", true},
      {"*\n!src\nsrc/*.o", "src/x.c", false},
      // The root is never excluded; paths are normalised before matching.
      {"*", ".", false},
      {"*", "", false},
      {"foo", "./foo/", true},
      {"foo", "/foo/bar", true},
      {"", "foo", false},
  };
  for (const MatchCase& c : cases) {
    const Result<DockerIgnore> ignore = DockerIgnore::Parse(c.file, ".dockerignore");
    ASSERT_TRUE(ignore.ok()) << c.file << ": " << ignore.status().message();
    EXPECT_EQ(ignore->Excluded(c.path), c.excluded)
        << "pattern file \"" << c.file << "\", path \"" << c.path << "\"";
  }
}

struct ErrorCase {
  const char* file;
  const char* message;  // expected part of the error
};

TEST(DockerIgnore, MalformedPatternsNameFileAndLine) {
  const ErrorCase cases[] = {
      {"[a", ".dockerignore:1: "},
      {"ok\n\n[a-", ".dockerignore:3: "},
      {"[]", "bad character class"},
      {"[^]", "bad character class"},
      {"[z-]", "bad character class"},
      {"x[a", "unterminated character class"},
      {"ok\n!", ".dockerignore:2: illegal exclusion pattern \"!\""},
      {"foo\\", "ends with an escape character"},
  };
  for (const ErrorCase& c : cases) {
    const Result<DockerIgnore> ignore = DockerIgnore::Parse(c.file, ".dockerignore");
    ASSERT_FALSE(ignore.ok()) << c.file;
    EXPECT_NE(ignore.status().message().find(c.message), std::string::npos)
        << c.file << " gave: " << ignore.status().message();
  }
}

struct SkipCase {
  const char* file;
  const char* dir;
  bool can_skip;
};

TEST(DockerIgnore, CanSkipDirectoryOnlyWhenNothingBelowComesBack) {
  const SkipCase cases[] = {
      {"node_modules", "node_modules", true},
      {"node_modules", "src", false},  // not excluded at all
      {"node_modules\n!node_modules/keep", "node_modules", false},
      {"docs\n!*.md", "docs", true},  // *.md cannot reach below docs/
      {"docs\n!**/*.md", "docs", false},
      {"docs\n!**/README", "docs", false},
      {"docs\n!docs", "docs", false},  // re-included itself
      {"a\n!a/b/c", "a", false},
      {"a\n!a/b/c", "a/x", true},
      {"a\n!a/b/c", "a/b", false},
      {"a\n!a/b/**", "a", false},
      {"a\n!a/b/**", "a/c", true},
      {"*\n!src/*.c", "lib", true},
      {"*\n!src/*.c", "src", false},
      {"*\n!*/keep", "lib", false},
      {"*\n!?/keep", "lib", true},
      {"*\n![a-k]*/x", "lib", true},
      {"*\n![a-m]*/x", "lib", false},
      {"*", ".", false},
  };
  for (const SkipCase& c : cases) {
    const Result<DockerIgnore> ignore = DockerIgnore::Parse(c.file, ".dockerignore");
    ASSERT_TRUE(ignore.ok()) << c.file;
    EXPECT_EQ(ignore->CanSkipDirectory(c.dir), c.can_skip)
        << "pattern file \"" << c.file << "\", dir \"" << c.dir << "\"";
  }
}

// Random pattern files and paths: parsing and matching never crash, and
// whenever a directory may be skipped, every path below it is excluded.
TEST(DockerIgnore, RandomPatternsKeepTheSkipPromise) {
  const std::string pattern_chars = "ab*?/[]^-\\!.";
  const std::string path_chars = "ab.";
  std::mt19937 rng(4242);
  auto random_string = [&](const std::string& alphabet, size_t max_len) {
    std::string s;
    const size_t len = 1 + rng() % max_len;
    for (size_t i = 0; i < len; ++i) s += alphabet[rng() % alphabet.size()];
    return s;
  };
  int checked_skips = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string file;
    for (int line = 0, lines = 1 + static_cast<int>(rng() % 4); line < lines; ++line) {
      file += random_string(pattern_chars, 8) + "\n";
    }
    const Result<DockerIgnore> ignore = DockerIgnore::Parse(file, "random");
    if (!ignore.ok()) continue;
    for (int j = 0; j < 20; ++j) {
      const std::string dir = random_string("ab", 3);
      if (!ignore->CanSkipDirectory(dir)) continue;
      ++checked_skips;
      for (int k = 0; k < 20; ++k) {
        // A clean path below dir: components other than "." and "..".
        std::string below = dir;
        for (int parts = 1 + static_cast<int>(rng() % 3); parts > 0; --parts) {
          std::string part = random_string(path_chars, 3);
          if (part == "." || part == "..") part += "a";
          below += "/" + part;
        }
        EXPECT_TRUE(ignore->Excluded(below)) << "file " << ::testing::PrintToString(file)
                                             << " skips " << dir << " but keeps " << below;
      }
    }
  }
  EXPECT_GT(checked_skips, 100);
}

TEST(DockerIgnore, PatternsAreNormalised) {
  const Result<DockerIgnore> ignore =
      DockerIgnore::Parse("# comment\n/a/./b/\n\n!./c\n  d  \n", ".dockerignore");
  ASSERT_TRUE(ignore.ok());
  EXPECT_EQ(ignore->patterns(), (std::vector<std::string>{"a/b", "!c", "d"}));
  EXPECT_TRUE(ignore->has_exceptions());
  EXPECT_FALSE(ignore->empty());
  EXPECT_TRUE(DockerIgnore().empty());
  EXPECT_FALSE(DockerIgnore().Excluded("anything"));
}

TEST(DockerIgnore, FromPatterns) {
  const Result<DockerIgnore> ignore = DockerIgnore::FromPatterns({"*.log", "!keep.log"});
  ASSERT_TRUE(ignore.ok());
  EXPECT_TRUE(ignore->Excluded("a.log"));
  EXPECT_FALSE(ignore->Excluded("keep.log"));
  const Result<DockerIgnore> bad = DockerIgnore::FromPatterns({"[x"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("\"[x\""), std::string::npos);
}

TEST(DockerIgnore, LoadReadsAFileAndReportsMissingOnes) {
  const std::filesystem::path dir = testing::TempDir();
  const std::filesystem::path file = dir / "distill_dockerignore_test.dockerignore";
  {
    std::ofstream out(file);
    out << "*.tmp\n[bad\n";
  }
  const Result<DockerIgnore> bad = DockerIgnore::Load(file);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find(file.string() + ":2:"), std::string::npos);
  {
    std::ofstream out(file);
    out << "*.tmp\n";
  }
  const Result<DockerIgnore> good = DockerIgnore::Load(file);
  ASSERT_TRUE(good.ok());
  EXPECT_TRUE(good->Excluded("x.tmp"));
  std::filesystem::remove(file);
  const Result<DockerIgnore> missing = DockerIgnore::Load(file);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find(file.string()), std::string::npos);
}

TEST(FindIgnoreFile, DockerfileSpecificFileWins) {
  std::set<std::string> files;
  const FileExistsFn exists = [&](const std::filesystem::path& p) {
    return files.count(p.string()) > 0;
  };
  EXPECT_EQ(FindIgnoreFile("ctx/Dockerfile", "ctx", exists), std::nullopt);
  files.insert("ctx/.dockerignore");
  EXPECT_EQ(FindIgnoreFile("ctx/Dockerfile", "ctx", exists),
            std::filesystem::path("ctx/.dockerignore"));
  files.insert("build/app.Dockerfile.dockerignore");
  EXPECT_EQ(FindIgnoreFile("build/app.Dockerfile", "ctx", exists),
            std::filesystem::path("build/app.Dockerfile.dockerignore"));
  // Only the Dockerfile's own name counts.
  EXPECT_EQ(FindIgnoreFile("build/Dockerfile", "ctx", exists),
            std::filesystem::path("ctx/.dockerignore"));
  // A Dockerfile from stdin has no specific ignore file.
  EXPECT_EQ(FindIgnoreFile("-", "ctx", exists), std::filesystem::path("ctx/.dockerignore"));
}

}  // namespace
}  // namespace distill::dockerfile
