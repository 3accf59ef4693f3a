#include "snapshot/mount_info.h"

#include <gtest/gtest.h>

namespace distill::snapshot {
namespace {

const char* kSample =
    "21 26 0:20 / /proc rw,relatime - proc proc rw\n"
    "26 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
    "90 26 0:50 / /var/lib/distill/snapshots/tmp/ab/merged rw - overlay overlay rw,lowerdir=1/fs\n"
    "91 26 0:51 / /var/lib/distill/snapshots/tmp/with\\040space rw - tmpfs tmpfs rw\n"
    "92 90 0:52 / /var/lib/distill/snapshots/tmp/ab/merged/proc rw - proc proc rw\n"
    "93 26 0:53 / /var/lib/distill/snapshots2 rw - tmpfs tmpfs rw\n";

TEST(MountInfoTest, ParsesMountPointsAndUnescapes) {
  auto mounts = ParseMountPoints(kSample);
  ASSERT_TRUE(mounts.ok()) << mounts.status().message();
  ASSERT_EQ(mounts->size(), 6u);
  EXPECT_EQ((*mounts)[0], "/proc");
  EXPECT_EQ((*mounts)[1], "/");
  EXPECT_EQ((*mounts)[3], "/var/lib/distill/snapshots/tmp/with space");
}

TEST(MountInfoTest, ShortLineIsCorrupt) {
  auto mounts = ParseMountPoints("21 26 0:20 /\n");
  ASSERT_FALSE(mounts.ok());
  EXPECT_EQ(mounts.status().code(), Status::Code::kCorrupt);
  EXPECT_NE(mounts.status().message().find("line 1"), std::string::npos);
}

TEST(MountInfoTest, FiltersUnderADirectoryDeepestFirst) {
  auto mounts = *ParseMountPoints(kSample);
  auto under = FilterMountPointsUnder(mounts, "/var/lib/distill/snapshots");
  ASSERT_EQ(under.size(), 3u);  // not ".../snapshots2", which only shares a prefix
  EXPECT_EQ(under[0], "/var/lib/distill/snapshots/tmp/ab/merged/proc");
  EXPECT_EQ(under[1], "/var/lib/distill/snapshots/tmp/with space");
  EXPECT_EQ(under[2], "/var/lib/distill/snapshots/tmp/ab/merged");
  EXPECT_EQ(FilterMountPointsUnder(mounts, "/var/lib/distill/snapshots/tmp/ab/merged").size(), 2u);
  EXPECT_TRUE(FilterMountPointsUnder(mounts, "/nowhere").empty());
}

TEST(MountInfoTest, ReadsTheLiveTable) {
  auto mounts = MountPointsUnder("/proc");
  ASSERT_TRUE(mounts.ok()) << mounts.status().message();
  EXPECT_FALSE(mounts->empty());
}

}  // namespace
}  // namespace distill::snapshot
