// Tests of the small pieces under the SnapshotStore: work directories and
// their locks, removal that stops at mount points, and the lower-layer lookup
// that decides which placeholders to drop.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "snapshot/mount_info.h"
#include "snapshot/overlay_mount.h"
#include "snapshot/placeholders.h"
#include "snapshot/snapshot_test_util.h"
#include "snapshot/tree_removal.h"
#include "snapshot/work_dir.h"

namespace distill::snapshot {
namespace {

using test_util::Exists;
using test_util::ReadFileAt;
using test_util::WriteFileAt;

class ScratchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = "/tmp/distill-snapshot-support-XXXXXX";
    dir_ = mkdtemp(tmpl.data());
  }
  void TearDown() override {
    (void)UnmountAllUnder(dir_);
    EXPECT_TRUE(RemoveTreeOnOneDevice(dir_).ok());
  }
  std::string P(const std::string& rel) const { return dir_ + "/" + rel; }
  void MkDir(const std::string& rel) { ASSERT_EQ(mkdir(P(rel).c_str(), 0755), 0) << rel; }
  void Whiteout(const std::string& rel) {
    ASSERT_EQ(mknod(P(rel).c_str(), S_IFCHR | 0000, makedev(0, 0)), 0) << rel;
  }
  void Opaque(const std::string& rel) {
    ASSERT_EQ(lsetxattr(P(rel).c_str(), "trusted.overlay.opaque", "y", 1, 0), 0) << rel;
  }

  std::string dir_;
};

using TreeRemovalTest = ScratchTest;
using WorkDirTest = ScratchTest;
using PlaceholderTest = ScratchTest;

TEST_F(TreeRemovalTest, RemovesATree) {
  MkDir("t");
  MkDir("t/a");
  MkDir("t/a/b");
  WriteFileAt(P("t/a/b/f"), "x");
  ASSERT_EQ(symlink("/etc", P("t/link").c_str()), 0);
  ASSERT_TRUE(RemoveTreeOnOneDevice(P("t")).ok());
  EXPECT_FALSE(Exists(P("t")));
  EXPECT_TRUE(Exists("/etc"));
  EXPECT_TRUE(RemoveTreeOnOneDevice(P("t")).ok());  // already gone
}

TEST_F(TreeRemovalTest, StopsAtAMountPoint) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to mount";
  MkDir("t");
  MkDir("t/m");
  WriteFileAt(P("t/sibling"), "s");
  ASSERT_EQ(mount("tmpfs", P("t/m").c_str(), "tmpfs", 0, "size=1m"), 0);
  WriteFileAt(P("t/m/precious"), "keep me");
  Status st = RemoveTreeOnOneDevice(P("t"));
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find(P("t/m")), std::string::npos) << st.message();
  EXPECT_EQ(ReadFileAt(P("t/m/precious")), "keep me");
  ASSERT_TRUE(UnmountAllUnder(P("t")).ok());
  EXPECT_TRUE(RemoveTreeOnOneDevice(P("t")).ok());
}

TEST_F(WorkDirTest, LiveDirectoriesSurviveRecoveryAndGoWhenDestroyed) {
  auto work = WorkDir::Create(dir_);
  ASSERT_TRUE(work.ok()) << work.status().message();
  const std::string path = (*work)->path();
  WriteFileAt(path + "/f", "x");
  auto removed = RemoveAbandonedWorkDirs(dir_);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 0);
  EXPECT_TRUE(Exists(path + "/f"));
  work->reset();
  EXPECT_FALSE(Exists(path));
  EXPECT_FALSE(Exists(path + ".lock"));
}

TEST_F(WorkDirTest, AbandonedDirectoriesAreRemoved) {
  MkDir("unlocked");
  WriteFileAt(P("unlocked.lock"), "");  // its owner died: nobody holds the flock
  MkDir("nolock");
  WriteFileAt(P("nolock/f"), "x");
  WriteFileAt(P("stray.lock"), "");  // died before creating its directory
  auto removed = RemoveAbandonedWorkDirs(dir_);
  ASSERT_TRUE(removed.ok()) << removed.status().message();
  EXPECT_EQ(*removed, 2);
  EXPECT_FALSE(Exists(P("unlocked")));
  EXPECT_FALSE(Exists(P("unlocked.lock")));
  EXPECT_FALSE(Exists(P("nolock")));
  EXPECT_FALSE(Exists(P("stray.lock")));
}

TEST_F(WorkDirTest, MovedDirectoriesLeaveOnlyTheLockToRemove) {
  auto work = WorkDir::Create(dir_);
  ASSERT_TRUE(work.ok());
  ASSERT_EQ(rename((*work)->path().c_str(), P("published").c_str()), 0);
  (*work)->MarkMoved();
  std::string path = (*work)->path();
  work->reset();
  EXPECT_TRUE(Exists(P("published")));
  EXPECT_FALSE(Exists(path + ".lock"));
}

TEST_F(WorkDirTest, MissingRootIsAnError) {
  auto work = WorkDir::Create(P("missing"));
  ASSERT_FALSE(work.ok());
  EXPECT_NE(work.status().message().find(P("missing")), std::string::npos);
  auto removed = RemoveAbandonedWorkDirs(P("missing"));
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 0);
}

TEST_F(PlaceholderTest, ExistsInLowersHonoursWhiteoutsAndOpaqueDirectories) {
  if (geteuid() != 0) GTEST_SKIP() << "whiteouts need root";
  // bottom: etc/hosts, etc/x/y, var/lib/z     top: etc/.wh.hosts-ish whiteout, var opaque
  MkDir("bottom");
  MkDir("bottom/etc");
  WriteFileAt(P("bottom/etc/hosts"), "");
  MkDir("bottom/etc/x");
  WriteFileAt(P("bottom/etc/x/y"), "");
  MkDir("bottom/var");
  MkDir("bottom/var/lib");
  WriteFileAt(P("bottom/var/lib/z"), "");
  WriteFileAt(P("bottom/file"), "");
  MkDir("top");
  MkDir("top/etc");
  Whiteout("top/etc/hosts");
  MkDir("top/var");
  Opaque("top/var");
  MkDir("top/var/new");
  Whiteout("top/file");
  std::vector<std::string> lowers = {P("top"), P("bottom")};
  EXPECT_FALSE(ExistsInLowers(lowers, "etc/hosts"));
  EXPECT_TRUE(ExistsInLowers(lowers, "etc/x/y"));
  EXPECT_TRUE(ExistsInLowers(lowers, "etc"));
  EXPECT_FALSE(ExistsInLowers(lowers, "var/lib"));
  EXPECT_FALSE(ExistsInLowers(lowers, "var/lib/z"));
  EXPECT_TRUE(ExistsInLowers(lowers, "var/new"));
  EXPECT_FALSE(ExistsInLowers(lowers, "file"));
  EXPECT_FALSE(ExistsInLowers(lowers, "file/below"));
  EXPECT_FALSE(ExistsInLowers(lowers, "nothing"));
  EXPECT_FALSE(ExistsInLowers({}, "etc"));
  EXPECT_TRUE(ExistsInLowers({P("bottom")}, "etc/hosts"));
}

TEST_F(PlaceholderTest, KeepsWhatTheStepChanged) {
  MkDir("lower");
  MkDir("lower/etc");
  MkDir("upper");
  MkDir("upper/etc");
  WriteFileAt(P("upper/etc/hosts"), "127.0.0.1 written by the step\n");
  MkDir("upper/proc");
  WriteFileAt(P("upper/proc/inside"), "");  // not empty: the step used it
  MkDir("upper/dev");                       // empty and new: a placeholder
  Status st = DropPlaceholders(P("upper"), {P("lower")}, {"/etc/hosts", "/proc", "/dev", "dev"});
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_TRUE(Exists(P("upper/etc/hosts")));
  EXPECT_TRUE(Exists(P("upper/proc/inside")));
  EXPECT_FALSE(Exists(P("upper/dev")));
}

TEST_F(PlaceholderTest, KeepsACopiedUpParentWhoseModeChanged) {
  MkDir("lower");
  MkDir("lower/etc");
  MkDir("upper");
  ASSERT_EQ(mkdir(P("upper/etc").c_str(), 0700), 0);
  ASSERT_EQ(chmod(P("upper/etc").c_str(), 0700), 0);
  WriteFileAt(P("upper/etc/hosts"), "");
  ASSERT_TRUE(DropPlaceholders(P("upper"), {P("lower")}, {"/etc/hosts"}).ok());
  EXPECT_FALSE(Exists(P("upper/etc/hosts")));
  EXPECT_TRUE(Exists(P("upper/etc")));  // chmod 700 /etc is the step's work
}

TEST_F(PlaceholderTest, RejectsPathsThatClimbOut) {
  MkDir("upper");
  Status st = DropPlaceholders(P("upper"), {}, {"/../outside"});
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(st.message().find("/../outside"), std::string::npos);
}

}  // namespace
}  // namespace distill::snapshot
