#include "util/in_root.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace distill {
namespace {

namespace fs = std::filesystem;

// A root with files inside and a "secret" outside it, plus every kind of
// escaping symlink. Each test runs with openat2 and with the portable walk.
class InRootTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    std::string t = "/tmp/distill-in-root-XXXXXX";
    base_ = mkdtemp(t.data());
    root_ = base_ + "/root";
    fs::create_directories(root_ + "/etc");
    fs::create_directories(root_ + "/usr/lib");
    Write(root_ + "/etc/passwd", "inside");
    Write(base_ + "/secret", "outside");
    fs::create_directory_symlink("/usr/lib", root_ + "/lib");        // absolute, in root
    fs::create_symlink("../../secret", root_ + "/etc/dotdot");       // climbs out
    fs::create_symlink(base_ + "/secret", root_ + "/etc/absolute");  // host path
    fs::create_symlink("passwd", root_ + "/etc/relative");           // relative, fine
    fs::create_symlink("loop2", root_ + "/loop1");
    fs::create_symlink("loop1", root_ + "/loop2");
    Write(root_ + "/secret", "root's own secret");
    root_fd_ = open(root_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    ASSERT_GE(root_fd_, 0);
    options_.force_manual = GetParam();
  }
  void TearDown() override {
    close(root_fd_);
    fs::remove_all(base_);
  }
  static void Write(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
  }
  std::string ReadAt(const std::string& path) {
    auto fd = OpenInRoot(root_fd_, path, O_RDONLY, 0, options_);
    if (!fd.ok()) return "error: " + fd.status().message();
    char buf[64];
    ssize_t n = read(fd->get(), buf, sizeof buf);
    return std::string(buf, n > 0 ? static_cast<size_t>(n) : 0);
  }

  std::string base_, root_;
  int root_fd_ = -1;
  InRootOptions options_;
};

TEST_P(InRootTest, PlainAndRelativeLinksResolveInside) {
  EXPECT_EQ(ReadAt("/etc/passwd"), "inside");
  EXPECT_EQ(ReadAt("etc/passwd"), "inside");
  EXPECT_EQ(ReadAt("/etc/relative"), "inside");
}

TEST_P(InRootTest, EscapingLinksStayInTheRoot) {
  // "../../secret" and "/tmp/.../secret" both land on the root's own /secret
  // (or nowhere), never on the file outside.
  EXPECT_EQ(ReadAt("/etc/dotdot"), "root's own secret");
  EXPECT_NE(ReadAt("/etc/absolute"), "outside");
  EXPECT_EQ(ReadAt("/../../secret"), "root's own secret");
}

TEST_P(InRootTest, NoFollowLeafAndLoops) {
  auto link = OpenInRoot(root_fd_, "/etc/relative", O_RDONLY | O_NOFOLLOW, 0, options_);
  EXPECT_FALSE(link.ok());
  auto loop = OpenInRoot(root_fd_, "/loop1", O_RDONLY, 0, options_);
  ASSERT_FALSE(loop.ok());
  EXPECT_NE(loop.status().message().find("symbolic links"), std::string::npos)
      << loop.status().message();
}

TEST_P(InRootTest, DirectoriesThroughLinksAndCreation) {
  auto dir = ResolveDirInRoot(root_fd_, "/lib", false, options_);
  ASSERT_TRUE(dir.ok()) << dir.status().message();
  struct stat via_link, real;
  ASSERT_EQ(fstat(dir->get(), &via_link), 0);
  ASSERT_EQ(stat((root_ + "/usr/lib").c_str(), &real), 0);
  EXPECT_EQ(via_link.st_ino, real.st_ino);

  EXPECT_FALSE(ResolveDirInRoot(root_fd_, "/lib/x/y", false, options_).ok());
  auto made = ResolveDirInRoot(root_fd_, "/lib/x/y", true, options_);
  ASSERT_TRUE(made.ok()) << made.status().message();
  EXPECT_TRUE(fs::is_directory(root_ + "/usr/lib/x/y"));
  // Creating through an escaping link makes the directory inside the root.
  auto escaped = ResolveDirInRoot(root_fd_, "/etc/dotdot-dir/../../../outside-dir", true, options_);
  ASSERT_TRUE(escaped.ok()) << escaped.status().message();
  EXPECT_FALSE(fs::exists(base_ + "/outside-dir"));
  EXPECT_TRUE(fs::is_directory(root_ + "/outside-dir"));
}

TEST_P(InRootTest, CreatesFilesInsideOnly) {
  auto f = OpenInRoot(root_fd_, "/etc/new", O_WRONLY | O_CREAT | O_EXCL, 0600, options_);
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_TRUE(fs::exists(root_ + "/etc/new"));
  auto missing_parent = OpenInRoot(root_fd_, "/nope/new", O_WRONLY | O_CREAT, 0600, options_);
  EXPECT_FALSE(missing_parent.ok());
}

INSTANTIATE_TEST_SUITE_P(Resolvers, InRootTest, ::testing::Bool(),
                         [](const auto& p) { return p.param ? "manual" : "openat2"; });

}  // namespace
}  // namespace distill
