#include "snapshot/overlay_mount.h"

#include <gtest/gtest.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "snapshot/mount_info.h"
#include "snapshot/snapshot_test_util.h"
#include "snapshot/tree_removal.h"

namespace distill::snapshot {
namespace {

using test_util::ReadFileAt;
using test_util::WriteFileAt;

class OverlayMountTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "overlay mounts need root";
    std::string tmpl = "/tmp/distill-overlay-test-XXXXXX";
    base_ = mkdtemp(tmpl.data());
    for (const char* d : {"l1", "l2", "up", "wk", "mnt"}) {
      ASSERT_EQ(mkdir((base_ + "/" + d).c_str(), 0755), 0);
    }
  }
  void TearDown() override {
    if (base_.empty()) return;
    EXPECT_TRUE(UnmountAllUnder(base_).ok());
    EXPECT_TRUE(RemoveTreeOnOneDevice(base_).ok());
  }
  OverlaySpec Spec() {
    OverlaySpec spec;
    spec.base_dir = base_;
    spec.lower_dirs = {"l2", "l1"};
    spec.upper_dir = "up";
    spec.work_dir = "wk";
    spec.target = base_ + "/mnt";
    return spec;
  }
  size_t MountsHere() { return MountPointsUnder(base_).value().size(); }

  std::string base_;
};

TEST(OverlayMountDataTest, NamesEveryDirectoryAndTheSafeOptions) {
  OverlaySpec spec;
  spec.lower_dirs = {"3/fs", "2/fs", "1/fs"};
  spec.upper_dir = "tmp/ab/fs";
  spec.work_dir = "tmp/ab/work";
  EXPECT_EQ(OverlayMountData(spec),
            "lowerdir=3/fs:2/fs:1/fs,upperdir=tmp/ab/fs,workdir=tmp/ab/work,"
            "index=off,redirect_dir=off,metacopy=off");
}

TEST(OverlayMountDataTest, NoLowerDirectoryIsAnError) {
  OverlaySpec spec;
  spec.target = "/x";
  EXPECT_EQ(MountOverlay(spec).code(), Status::Code::kInvalidArgument);
}

TEST_F(OverlayMountTest, MountsRelativePathsWithoutMovingTheWorkingDirectory) {
  WriteFileAt(base_ + "/l1/a", "from l1");
  WriteFileAt(base_ + "/l1/b", "b1");
  WriteFileAt(base_ + "/l2/b", "b2");
  char cwd_before[PATH_MAX];
  ASSERT_NE(getcwd(cwd_before, sizeof cwd_before), nullptr);
  Status st = MountOverlay(Spec());
  ASSERT_TRUE(st.ok()) << st.message();
  char cwd_after[PATH_MAX];
  ASSERT_NE(getcwd(cwd_after, sizeof cwd_after), nullptr);
  EXPECT_STREQ(cwd_before, cwd_after);
  EXPECT_EQ(MountsHere(), 1u);
  EXPECT_EQ(ReadFileAt(base_ + "/mnt/a"), "from l1");
  EXPECT_EQ(ReadFileAt(base_ + "/mnt/b"), "b2");  // the first lower dir is the top
  WriteFileAt(base_ + "/mnt/c", "new");
  EXPECT_EQ(ReadFileAt(base_ + "/up/c"), "new");
  ASSERT_TRUE(UnmountOrDetach(base_ + "/mnt").ok());
  EXPECT_EQ(MountsHere(), 0u);
  EXPECT_TRUE(UnmountOrDetach(base_ + "/mnt").ok());  // idempotent
}

// More layers than fit in one page of mount(2) options go through fsconfig.
TEST_F(OverlayMountTest, OptionsLongerThanAPageStillMount) {
  OverlaySpec spec = Spec();
  spec.lower_dirs.clear();
  for (int i = 0; i < 150; ++i) {
    std::string name = "a-rather-long-lower-directory-name-" + std::to_string(1000 + i);
    ASSERT_EQ(mkdir((base_ + "/" + name).c_str(), 0755), 0);
    WriteFileAt(base_ + "/" + name + "/f" + std::to_string(i), std::to_string(i));
    WriteFileAt(base_ + "/" + name + "/top", std::to_string(i));
    spec.lower_dirs.insert(spec.lower_dirs.begin(), name);  // top-most first
  }
  ASSERT_GT(OverlayMountData(spec).size(), 4096u);
  Status st = MountOverlay(spec);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(ReadFileAt(base_ + "/mnt/f0"), "0");
  EXPECT_EQ(ReadFileAt(base_ + "/mnt/f149"), "149");
  EXPECT_EQ(ReadFileAt(base_ + "/mnt/top"), "149");
  ASSERT_TRUE(UnmountOrDetach(base_ + "/mnt").ok());
  EXPECT_EQ(MountsHere(), 0u);
}

TEST_F(OverlayMountTest, MoreLayersThanTheKernelStacksIsAClearError) {
  OverlaySpec spec = Spec();
  spec.lower_dirs.clear();
  for (int i = 0; i < 520; ++i) {
    std::string name = "lower-" + std::to_string(i);
    ASSERT_EQ(mkdir((base_ + "/" + name).c_str(), 0755), 0);
    spec.lower_dirs.push_back(name);
  }
  Status st = MountOverlay(spec);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("520 lower layers"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find(base_ + "/mnt"), std::string::npos);
  EXPECT_EQ(MountsHere(), 0u);
}

TEST_F(OverlayMountTest, MissingLowerDirectoryFailsAndMountsNothing) {
  OverlaySpec spec = Spec();
  spec.lower_dirs = {"missing"};
  Status st = MountOverlay(spec);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find(base_ + "/mnt"), std::string::npos) << st.message();
  EXPECT_EQ(MountsHere(), 0u);
}

TEST_F(OverlayMountTest, BusyMountIsDetachedLazily) {
  WriteFileAt(base_ + "/l1/a", "a");
  ASSERT_TRUE(MountOverlay(Spec()).ok());
  FILE* held = fopen((base_ + "/mnt/a").c_str(), "r");
  ASSERT_NE(held, nullptr);
  Status st = UnmountOrDetach(base_ + "/mnt");
  EXPECT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(MountsHere(), 0u);
  char c = 0;
  EXPECT_EQ(fread(&c, 1, 1, held), 1u);  // the open file still works
  EXPECT_EQ(c, 'a');
  fclose(held);
}

}  // namespace
}  // namespace distill::snapshot
