#include "context/copy_into.h"

#include <gtest/gtest.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include <cerrno>

#include "context/test_util.h"

namespace distill::context {
namespace {

using testing::TempTree;

class CopyIntoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_.Write("hello.txt", "hello\n");
    ctx_.Write("a.txt", "a");
    ctx_.Write("b.txt", "b");
    ctx_.Write("src/main.c", "int main(){}", 0640);
    ctx_.Write("src/lib/util.c", "util");
    ctx_.Write("src/README.md", "readme");
    ctx_.Symlink("main.c", "src/entry.c");
    root_.Mkdir("etc");
    root_.Write("etc/passwd",
                "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001:app:/home/app:/bin/sh\n");
    root_.Write("etc/group", "root:x:0:\napps:x:1001:\nstaff:x:50:\n");
  }

  Status Copy(CopyRequest r, const std::vector<std::string>& ignore = {}) {
    auto patterns = dockerfile::DockerIgnore::FromPatterns(ignore);
    EXPECT_TRUE(patterns.ok());
    auto ctx = BuildContext::Open(ctx_.root(), *patterns);
    EXPECT_TRUE(ctx.ok());
    return CopyInto(*ctx, r, root_.root());
  }

  static CopyRequest Req(std::vector<std::string> sources, std::string dest) {
    CopyRequest r;
    r.sources = std::move(sources);
    r.dest = std::move(dest);
    return r;
  }

  TempTree ctx_;
  TempTree root_;
};

TEST_F(CopyIntoTest, FileToExactPathCreatesRootOwnedParents) {
  ASSERT_TRUE(Copy(Req({"hello.txt"}, "/opt/app/greeting")).ok());
  EXPECT_EQ(root_.Read("opt/app/greeting"), "hello\n");
  EXPECT_EQ(root_.Lstat("opt/app").st_mode & 07777, 0755u);
  EXPECT_EQ(root_.Lstat("opt/app").st_uid, 0u);
}

TEST_F(CopyIntoTest, TrailingSlashMakesADirectory) {
  ASSERT_TRUE(Copy(Req({"hello.txt"}, "/data/")).ok());
  EXPECT_EQ(root_.Read("data/hello.txt"), "hello\n");
}

TEST_F(CopyIntoTest, FileOntoExistingDirectoryLandsInside) {
  root_.Mkdir("srv");
  ASSERT_TRUE(Copy(Req({"hello.txt"}, "/srv")).ok());
  EXPECT_EQ(root_.Read("srv/hello.txt"), "hello\n");
}

TEST_F(CopyIntoTest, DirectorySourceCopiesItsContents) {
  ASSERT_TRUE(Copy(Req({"src"}, "/app")).ok());
  EXPECT_EQ(root_.Read("app/main.c"), "int main(){}");
  EXPECT_EQ(root_.Read("app/lib/util.c"), "util");
  EXPECT_FALSE(root_.Exists("app/src"));
  EXPECT_EQ(root_.Lstat("app/main.c").st_mode & 07777, 0640u);
}

TEST_F(CopyIntoTest, SymlinkInContextIsCopiedAsSymlink) {
  ASSERT_TRUE(Copy(Req({"src"}, "/app/")).ok());
  struct stat st = root_.Lstat("app/entry.c");
  ASSERT_TRUE(S_ISLNK(st.st_mode));
  char buf[64] = {0};
  ASSERT_GT(readlink(root_.Path("app/entry.c").c_str(), buf, sizeof buf - 1), 0);
  EXPECT_STREQ(buf, "main.c");
}

TEST_F(CopyIntoTest, SourceThatIsASymlinkIsFollowed) {
  ASSERT_TRUE(Copy(Req({"src/entry.c"}, "/x/")).ok());
  struct stat st = root_.Lstat("x/entry.c");
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(root_.Read("x/entry.c"), "int main(){}");
}

TEST_F(CopyIntoTest, MtimesArePreserved) {
  ctx_.SetMtime("hello.txt", 1'500'000'000);
  ctx_.SetMtime("src/lib", 1'400'000'000);
  ASSERT_TRUE(Copy(Req({"hello.txt", "src"}, "/m/")).ok());
  EXPECT_EQ(root_.Lstat("m/hello.txt").st_mtim.tv_sec, 1'500'000'000);
  EXPECT_EQ(root_.Lstat("m/lib").st_mtim.tv_sec, 1'400'000'000);
}

TEST_F(CopyIntoTest, GlobsCopyEveryMatch) {
  ASSERT_TRUE(Copy(Req({"*.txt"}, "/g/")).ok());
  EXPECT_TRUE(root_.Exists("g/a.txt"));
  EXPECT_TRUE(root_.Exists("g/b.txt"));
  EXPECT_TRUE(root_.Exists("g/hello.txt"));
  EXPECT_FALSE(root_.Exists("g/main.c"));
}

TEST_F(CopyIntoTest, MultipleSourcesNeedATrailingSlash) {
  Status s = Copy(Req({"a.txt", "b.txt"}, "/multi"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "COPY: When using COPY with more than one source file, the destination must be a "
            "directory and end with a /");
  EXPECT_FALSE(root_.Exists("multi"));
  Status glob = Copy(Req({"*.txt"}, "/multi"));
  ASSERT_FALSE(glob.ok());
  EXPECT_NE(glob.message().find("must be a directory and end with a /"), std::string::npos);
  // One glob match is fine.
  EXPECT_TRUE(Copy(Req({"hello.*"}, "/single")).ok());
  EXPECT_EQ(root_.Read("single"), "hello\n");
}

TEST_F(CopyIntoTest, NoSourceErrors) {
  Status glob = Copy(Req({"*.nothing"}, "/x/"));
  ASSERT_FALSE(glob.ok());
  EXPECT_EQ(glob.message(), "COPY failed: no source files were specified");
  Status missing = Copy(Req({"nothing.txt"}, "/x/"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.message(),
            "COPY failed: file not found in build context or excluded by .dockerignore: stat "
            "nothing.txt: file does not exist");
}

TEST_F(CopyIntoTest, DockerignoredFilesAreUnavailable) {
  CopyRequest r = Req({"hello.txt"}, "/x/");
  r.where = "Dockerfile:4: COPY";
  Status s = Copy(r, {"hello.txt", "src/lib"});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "Dockerfile:4: COPY failed: file not found in build context or excluded by "
            ".dockerignore: stat hello.txt: file does not exist");
  ASSERT_TRUE(Copy(Req({"src"}, "/app/"), {"hello.txt", "src/lib"}).ok());
  EXPECT_TRUE(root_.Exists("app/main.c"));
  EXPECT_FALSE(root_.Exists("app/lib"));
}

TEST_F(CopyIntoTest, WholeContextWithDockerignore) {
  ctx_.Write(".dockerignore", "*.txt\n!hello.txt\n");
  ASSERT_TRUE(Copy(Req({"."}, "/all"), {"*.txt", "!hello.txt"}).ok());
  EXPECT_TRUE(root_.Exists("all/hello.txt"));
  EXPECT_FALSE(root_.Exists("all/a.txt"));
  EXPECT_TRUE(root_.Exists("all/src/lib/util.c"));
}

TEST_F(CopyIntoTest, RelativeDestinationUsesWorkdir) {
  CopyRequest r = Req({"hello.txt"}, "sub/");
  r.workdir = "/work";
  ASSERT_TRUE(Copy(r).ok());
  EXPECT_TRUE(root_.Exists("work/sub/hello.txt"));
  CopyRequest dot = Req({"a.txt"}, ".");
  dot.workdir = "/work";
  ASSERT_TRUE(Copy(dot).ok());
  EXPECT_TRUE(root_.Exists("work/a.txt"));
}

TEST_F(CopyIntoTest, ChownByNameAndNumber) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to chown";
  CopyRequest named = Req({"src"}, "/named/");
  named.chown = "app";
  ASSERT_TRUE(Copy(named).ok());
  EXPECT_EQ(root_.Lstat("named/main.c").st_uid, 1000u);
  EXPECT_EQ(root_.Lstat("named/main.c").st_gid, 1001u);  // the user's primary group
  EXPECT_EQ(root_.Lstat("named/lib").st_uid, 1000u);
  EXPECT_EQ(root_.Lstat("named").st_uid, 1000u);  // created destination dir

  CopyRequest group = Req({"hello.txt"}, "/deep/er/");
  group.chown = "app:staff";
  ASSERT_TRUE(Copy(group).ok());
  EXPECT_EQ(root_.Lstat("deep/er/hello.txt").st_gid, 50u);
  EXPECT_EQ(root_.Lstat("deep/er").st_uid, 1000u);  // the destination dir
  EXPECT_EQ(root_.Lstat("deep").st_uid, 1000u);     // created parents too, as in Docker
  EXPECT_EQ(root_.Lstat("etc").st_uid, 0u);         // existing directories are left alone

  CopyRequest exact = Req({"a.txt"}, "/made/for/file");
  exact.chown = "app";
  ASSERT_TRUE(Copy(exact).ok());
  EXPECT_EQ(root_.Lstat("made").st_uid, 1000u);
  EXPECT_EQ(root_.Lstat("made/for").st_mode & 07777, 0755u);

  CopyRequest numeric = Req({"a.txt"}, "/num/");
  numeric.chown = "4242";
  ASSERT_TRUE(Copy(numeric).ok());
  EXPECT_EQ(root_.Lstat("num/a.txt").st_uid, 4242u);
  EXPECT_EQ(root_.Lstat("num/a.txt").st_gid, 4242u);

  CopyRequest both = Req({"b.txt"}, "/num/");
  both.chown = "7:8";
  ASSERT_TRUE(Copy(both).ok());
  EXPECT_EQ(root_.Lstat("num/b.txt").st_uid, 7u);
  EXPECT_EQ(root_.Lstat("num/b.txt").st_gid, 8u);
}

TEST_F(CopyIntoTest, ChownUnknownNameFails) {
  CopyRequest r = Req({"a.txt"}, "/x/");
  r.chown = "nobody-here";
  Status s = Copy(r);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("--chown=nobody-here"), std::string::npos);
  EXPECT_FALSE(root_.Exists("x"));
}

TEST_F(CopyIntoTest, WithoutChownContextFilesAreRootOwned) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to chown";
  ASSERT_EQ(chown(ctx_.Path("a.txt").c_str(), 99, 99), 0);
  ASSERT_TRUE(Copy(Req({"a.txt"}, "/o/")).ok());
  EXPECT_EQ(root_.Lstat("o/a.txt").st_uid, 0u);
}

TEST_F(CopyIntoTest, ChmodAppliesToFilesAndDirectories) {
  CopyRequest r = Req({"src"}, "/c/");
  r.chmod = "0700";
  ASSERT_TRUE(Copy(r).ok());
  EXPECT_EQ(root_.Lstat("c/main.c").st_mode & 07777, 0700u);
  EXPECT_EQ(root_.Lstat("c/lib").st_mode & 07777, 0700u);
  EXPECT_TRUE(S_ISLNK(root_.Lstat("c/entry.c").st_mode));
  CopyRequest bad = Req({"a.txt"}, "/c/");
  bad.chmod = "u+x";
  Status s = Copy(bad);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("only octal modes"), std::string::npos);
}

TEST_F(CopyIntoTest, ExcludePatterns) {
  CopyRequest r = Req({"src"}, "/e/");
  r.excludes = {"*.md", "lib"};
  ASSERT_TRUE(Copy(r).ok());
  EXPECT_TRUE(root_.Exists("e/main.c"));
  EXPECT_FALSE(root_.Exists("e/README.md"));
  EXPECT_FALSE(root_.Exists("e/lib"));
  CopyRequest glob = Req({"*.txt"}, "/f/");
  glob.excludes = {"a.*"};
  ASSERT_TRUE(Copy(glob).ok());
  EXPECT_FALSE(root_.Exists("f/a.txt"));
  EXPECT_TRUE(root_.Exists("f/b.txt"));
}

TEST_F(CopyIntoTest, ParentsKeepThePathAndHonourThePivot) {
  CopyRequest r = Req({"src/lib/util.c", "src/main.c"}, "/p/");
  r.parents = true;
  ASSERT_TRUE(Copy(r).ok());
  EXPECT_EQ(root_.Read("p/src/lib/util.c"), "util");
  EXPECT_EQ(root_.Read("p/src/main.c"), "int main(){}");
  CopyRequest pivot = Req({"src/./lib/util.c"}, "/q/");
  pivot.parents = true;
  ASSERT_TRUE(Copy(pivot).ok());
  EXPECT_EQ(root_.Read("q/lib/util.c"), "util");
  CopyRequest dir = Req({"src/lib"}, "/r/");
  dir.parents = true;
  Status dir_status = Copy(dir);
  ASSERT_TRUE(dir_status.ok()) << dir_status.message();
  EXPECT_EQ(root_.Read("r/src/lib/util.c"), "util");
  if (geteuid() == 0) {
    CopyRequest owned = Req({"src/lib/util.c"}, "/s/");
    owned.parents = true;
    owned.chown = "app";
    ASSERT_TRUE(Copy(owned).ok());
    EXPECT_EQ(root_.Lstat("s").st_uid, 1000u);
    EXPECT_EQ(root_.Lstat("s/src").st_uid, 1000u);
    EXPECT_EQ(root_.Lstat("s/src/lib/util.c").st_uid, 1000u);
  }
}

TEST_F(CopyIntoTest, XattrsArePreservedWhereSupported) {
  const char* value = "kept";
  if (setxattr(ctx_.Path("a.txt").c_str(), "user.distill", value, 4, 0) != 0) {
    GTEST_SKIP() << "no user xattrs on this file system";
  }
  ASSERT_TRUE(Copy(Req({"a.txt"}, "/xa/")).ok());
  char buf[16] = {0};
  ssize_t n = getxattr(root_.Path("xa/a.txt").c_str(), "user.distill", buf, sizeof buf);
  if (n < 0 && errno == ENOTSUP) GTEST_SKIP() << "destination has no user xattrs";
  ASSERT_EQ(n, 4);
  EXPECT_EQ(std::string(buf, 4), "kept");
}

TEST_F(CopyIntoTest, FileCapabilitiesSurviveChown) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root";
  // VFS_CAP_REVISION_2 | effective, CAP_NET_BIND_SERVICE permitted.
  uint32_t caps[5] = {0x02000001, 1u << 10, 0, 0, 0};
  if (setxattr(ctx_.Path("a.txt").c_str(), "security.capability", caps, sizeof caps, 0) != 0) {
    GTEST_SKIP() << "no security xattrs on this file system";
  }
  CopyRequest r = Req({"a.txt"}, "/cap/");
  r.chown = "1000";
  ASSERT_TRUE(Copy(r).ok());
  uint32_t got[5] = {0};
  ssize_t n = getxattr(root_.Path("cap/a.txt").c_str(), "security.capability", got, sizeof got);
  ASSERT_EQ(n, static_cast<ssize_t>(sizeof caps));
  EXPECT_EQ(got[1], 1u << 10);
}

TEST_F(CopyIntoTest, HardlinksWithinACopyStayLinked) {
  ctx_.Write("h/one", "same");
  ASSERT_EQ(link(ctx_.Path("h/one").c_str(), ctx_.Path("h/two").c_str()), 0);
  ASSERT_TRUE(Copy(Req({"h"}, "/h/")).ok());
  EXPECT_EQ(root_.Lstat("h/one").st_ino, root_.Lstat("h/two").st_ino);
}

TEST_F(CopyIntoTest, SymlinkInDestinationDoesNotEscape) {
  TempTree host;                         // stands for the host's /etc
  root_.Symlink(host.root(), "escape");  // absolute host path: resolved inside the rootfs
  root_.Symlink("../../../../..", "up");
  Status first = Copy(Req({"hello.txt"}, "/escape/"));
  ASSERT_TRUE(first.ok()) << first.message();
  ASSERT_TRUE(Copy(Req({"a.txt"}, "/up/tmp/")).ok());
  Status sub = Copy(Req({"src"}, "/escape/sub"));
  ASSERT_TRUE(sub.ok()) << sub.message();
  EXPECT_FALSE(host.Exists("hello.txt"));
  EXPECT_FALSE(host.Exists("sub"));
  EXPECT_TRUE(root_.Exists(host.root().substr(1) + "/hello.txt"));
  EXPECT_TRUE(root_.Exists("tmp/a.txt"));
}

TEST_F(CopyIntoTest, FileReplacesFileButNotDirectory) {
  root_.Write("x/f", "old");
  ASSERT_TRUE(Copy(Req({"a.txt"}, "/x/f")).ok());
  EXPECT_EQ(root_.Read("x/f"), "a");
  root_.Mkdir("y/a.txt");
  root_.Write("y/a.txt/inner", "i");
  Status s = Copy(Req({"a.txt"}, "/y/"));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("cannot replace directory"), std::string::npos);
}

TEST_F(CopyIntoTest, CopyFromStageRootfsKeepsOwnership) {
  TempTree stage;
  stage.Write("usr/bin/tool", "#!/bin/sh\n", 0755);
  if (geteuid() == 0) {
    ASSERT_EQ(chown(stage.Path("usr/bin/tool").c_str(), 12, 34), 0);
  }
  auto from = BuildContext::OpenStageRootfs(stage.root());
  ASSERT_TRUE(from.ok());
  ASSERT_TRUE(CopyInto(*from, Req({"/usr/bin/tool"}, "/usr/local/bin/"), root_.root()).ok());
  struct stat st = root_.Lstat("usr/local/bin/tool");
  EXPECT_EQ(st.st_mode & 07777, 0755u);
  if (geteuid() == 0) {
    EXPECT_EQ(st.st_uid, 12u);
  }
}

TEST_F(CopyIntoTest, FifosAndDevicesFromAStage) {
  TempTree stage;
  stage.Mkdir("dev");
  ASSERT_EQ(mkfifo(stage.Path("dev/pipe").c_str(), 0600), 0);
  ASSERT_EQ(chmod(stage.Path("dev/pipe").c_str(), 0620), 0);
  bool devices =
      geteuid() == 0 && mknod(stage.Path("dev/null").c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0;
  auto from = BuildContext::OpenStageRootfs(stage.root());
  ASSERT_TRUE(from.ok());
  Status s = CopyInto(*from, Req({"/dev"}, "/dev/"), root_.root());
  ASSERT_TRUE(s.ok()) << s.message();
  struct stat pipe = root_.Lstat("dev/pipe");
  EXPECT_TRUE(S_ISFIFO(pipe.st_mode));
  EXPECT_EQ(pipe.st_mode & 07777, 0620u);
  if (devices) {
    struct stat null = root_.Lstat("dev/null");
    EXPECT_TRUE(S_ISCHR(null.st_mode));
    EXPECT_EQ(null.st_rdev, makedev(1, 3));
  }
}

TEST_F(CopyIntoTest, HeredocSources) {
  CopyRequest r = Req({}, "/etc/app.conf");
  r.heredocs.push_back({"app.conf", "key=value\n", true});
  ASSERT_TRUE(Copy(r).ok());
  EXPECT_EQ(root_.Read("etc/app.conf"), "key=value\n");
  EXPECT_EQ(root_.Lstat("etc/app.conf").st_mode & 07777, 0644u);
  CopyRequest two = Req({}, "/scripts/");
  two.heredocs.push_back({"run.sh", "#!/bin/sh\n", true});
  two.heredocs.push_back({"other.sh", "echo\n", true});
  two.chmod = "0755";
  ASSERT_TRUE(Copy(two).ok());
  EXPECT_EQ(root_.Lstat("scripts/run.sh").st_mode & 07777, 0755u);
  EXPECT_EQ(root_.Read("scripts/other.sh"), "echo\n");
  CopyRequest nodir = Req({}, "/scripts");
  nodir.heredocs = two.heredocs;
  EXPECT_FALSE(Copy(nodir).ok());
}

TEST_F(CopyIntoTest, UrlsAndGitAreRefusedWhereUnsupported) {
  Status copy_url = Copy(Req({"https://example.com/x"}, "/x"));
  ASSERT_FALSE(copy_url.ok());
  EXPECT_NE(copy_url.message().find("can't be a URL for COPY"), std::string::npos);
  CopyRequest git = Req({"https://github.com/moby/moby.git#v1"}, "/src/");
  git.is_add = true;
  Status s = Copy(git);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("not supported yet"), std::string::npos);
  CopyRequest sum = Req({"a.txt"}, "/x");
  sum.is_add = true;
  sum.checksum = "sha256:" + std::string(64, 'a');
  EXPECT_FALSE(Copy(sum).ok());
}

}  // namespace
}  // namespace distill::context
