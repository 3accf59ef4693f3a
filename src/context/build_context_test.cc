#include "context/build_context.h"

#include <gtest/gtest.h>

#include "context/test_util.h"

namespace distill::context {
namespace {

using testing::TempTree;

BuildContext OpenWith(const TempTree& t, const std::vector<std::string>& patterns = {}) {
  auto ignore = dockerfile::DockerIgnore::FromPatterns(patterns);
  EXPECT_TRUE(ignore.ok());
  auto ctx = BuildContext::Open(t.root(), *ignore);
  EXPECT_TRUE(ctx.ok()) << ctx.status().message();
  return std::move(ctx).value();
}

std::vector<std::string> Paths(const std::vector<TreeEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.path);
  return out;
}

std::vector<std::string> Logical(const std::vector<SourceMatch>& matches) {
  std::vector<std::string> out;
  for (const auto& m : matches) out.push_back(m.logical);
  return out;
}

TEST(BuildContextTest, WalkHonoursDockerignore) {
  TempTree t;
  t.Write("a.txt", "a");
  t.Write("b.log", "b");
  t.Write("node_modules/x/y.js", "y");
  t.Write("keep/drop.tmp", "d");
  t.Write("keep/ok.txt", "o");
  t.Write("logs/old.log", "1");
  t.Write("logs/important.log", "2");
  auto ctx = OpenWith(t, {"*.log", "node_modules", "**/*.tmp", "logs", "!logs/important.log"});
  auto walked = ctx.Walk();
  ASSERT_TRUE(walked.ok()) << walked.status().message();
  EXPECT_EQ(Paths(*walked), (std::vector<std::string>{"a.txt", "keep", "keep/ok.txt", "logs",
                                                      "logs/important.log"}));
}

TEST(BuildContextTest, SymlinksAreNotFollowedWhileWalking) {
  TempTree outside;
  outside.Write("secret", "s");
  TempTree t;
  t.Symlink(outside.root(), "escape");
  t.Write("d/f", "f");
  auto ctx = OpenWith(t);
  auto walked = ctx.Walk();
  ASSERT_TRUE(walked.ok());
  EXPECT_EQ(Paths(*walked), (std::vector<std::string>{"d", "d/f", "escape"}));
  EXPECT_TRUE(S_ISLNK((*walked)[2].st.st_mode));
}

TEST(BuildContextTest, ResolveStaysInsideTheRoot) {
  TempTree t;
  t.Write("real/file", "x");
  t.Symlink("/real", "abs");         // absolute: restarts at the context root
  t.Symlink("../../../real", "up");  // ".." stops at the root
  t.Symlink("/etc", "hostetc");      // would be the host's /etc if followed naively
  t.Symlink("/loop", "loop");        // points at itself
  auto ctx = OpenWith(t);
  EXPECT_EQ(*ctx.Resolve("abs/file", true), "real/file");
  EXPECT_EQ(*ctx.Resolve("up/file", true), "real/file");
  EXPECT_EQ(*ctx.Resolve("../../abs/file", true), "real/file");
  EXPECT_EQ(*ctx.Resolve("abs", false), "abs");
  EXPECT_EQ(*ctx.Resolve("hostetc/passwd", true), "etc/passwd");
  EXPECT_FALSE(ctx.Resolve("loop/x", true).ok());
  EXPECT_FALSE(ctx.Stat("etc/passwd").ok());  // no etc/ inside the context
}

TEST(BuildContextTest, MatchPlainPathAndFollowedLastSymlink) {
  TempTree t;
  t.Write("dir/file.txt", "x");
  t.Symlink("dir/file.txt", "link");
  auto ctx = OpenWith(t);
  auto m = ctx.Match("./link");
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_EQ(m->size(), 1u);
  EXPECT_EQ((*m)[0].logical, "link");
  EXPECT_EQ((*m)[0].real, "dir/file.txt");
  EXPECT_TRUE(S_ISREG((*m)[0].st.st_mode));
}

TEST(BuildContextTest, MatchGlobs) {
  TempTree t;
  t.Write("a.txt", "");
  t.Write("b.txt", "");
  t.Write("c.md", "");
  t.Write("src/x1.c", "");
  t.Write("src/x2.c", "");
  t.Write("src/y.h", "");
  t.Write("lib/x3.c", "");
  auto ctx = OpenWith(t);
  EXPECT_EQ(Logical(*ctx.Match("*.txt")), (std::vector<std::string>{"a.txt", "b.txt"}));
  EXPECT_EQ(Logical(*ctx.Match("*/x?.c")),
            (std::vector<std::string>{"lib/x3.c", "src/x1.c", "src/x2.c"}));
  EXPECT_EQ(Logical(*ctx.Match("src/[xy]*")),
            (std::vector<std::string>{"src/x1.c", "src/x2.c", "src/y.h"}));
  EXPECT_EQ(Logical(*ctx.Match("[a-b].txt")), (std::vector<std::string>{"a.txt", "b.txt"}));
}

TEST(BuildContextTest, NoMatchErrorsAsDocker) {
  TempTree t;
  t.Write("a.txt", "");
  auto ctx = OpenWith(t);
  auto none = ctx.Match("*.nothing");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().message(), "no source files were specified");
  auto missing = ctx.Match("missing.txt");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(missing.status().message(),
            "file not found in build context or excluded by .dockerignore: stat missing.txt: file "
            "does not exist");
  auto bad = ctx.Match("[a");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("syntax error"), std::string::npos);
}

TEST(BuildContextTest, IgnoredFilesAreUnavailable) {
  TempTree t;
  t.Write("secret.env", "");
  t.Write("app.py", "");
  t.Write("build/out.o", "");
  t.Write("build/keep.txt", "");
  auto ctx = OpenWith(t, {"*.env", "build", "!build/keep.txt"});
  auto direct = ctx.Match("secret.env");
  ASSERT_FALSE(direct.ok());
  EXPECT_NE(direct.status().message().find("excluded by .dockerignore"), std::string::npos);
  EXPECT_EQ(Logical(*ctx.Match("*")), (std::vector<std::string>{"app.py", "build"}));
  EXPECT_FALSE(ctx.Match("build/out.o").ok());
  EXPECT_TRUE(ctx.Match("build/keep.txt").ok());
  auto inside = ctx.Walk("build");
  ASSERT_TRUE(inside.ok());
  EXPECT_EQ(Paths(*inside), (std::vector<std::string>{"build/keep.txt"}));
}

TEST(BuildContextTest, StageRootfsIgnoresNothing) {
  TempTree t;
  t.Write(".dockerignore", "*\n");
  t.Write("etc/os-release", "x");
  auto ctx = BuildContext::OpenStageRootfs(t.root());
  ASSERT_TRUE(ctx.ok());
  EXPECT_EQ(ctx->kind(), BuildContext::Kind::kStageRootfs);
  EXPECT_TRUE(ctx->Match("etc/os-release").ok());
}

TEST(BuildContextTest, OpenMissingDirectoryFails) {
  auto ctx = BuildContext::Open("/nonexistent/distill-context", {});
  ASSERT_FALSE(ctx.ok());
  EXPECT_NE(ctx.status().message().find("/nonexistent/distill-context"), std::string::npos);
}

}  // namespace
}  // namespace distill::context
