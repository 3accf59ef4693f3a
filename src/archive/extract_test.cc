#include "archive/extract.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include "archive/tar_test_util.h"

namespace distill::archive {
namespace {

using namespace test_util;
using T = TarEntryType;

// Every safety test runs with openat2 and with the portable resolver.
class ExtractTest : public ::testing::TestWithParam<bool> {
 protected:
  Status Apply(std::vector<TestMember> members, ExtractOptions options = {}) {
    options.force_manual_resolution = GetParam();
    options.source_name = "layer sha256:test";
    StringReader in(MakeTar(std::move(members)));
    return ExtractTar(&in, root_.path(), options);
  }
  std::string Root(const std::string& rel) const { return root_ / rel; }

  // Files outside the root that escapes would hit.
  ScratchDir outside_;
  ScratchDir root_;
};

void ExpectRejected(const Status& st, const std::string& needle) {
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find(needle), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("layer sha256:test"), std::string::npos) << st.message();
}

TEST_P(ExtractTest, RejectsLexicalEscapes) {
  // A name beside the root that nothing else on the machine uses.
  const std::string beside = std::filesystem::path(root_.path()).filename().string() + "-escape";
  ExpectRejected(Apply({{MakeEntry("../" + beside), "x"}}), "escapes the root");
  ExpectRejected(Apply({{MakeEntry("a/../../" + beside), "x"}}), "escapes the root");
  ExpectRejected(Apply({{MakeEntry(outside_ / "abs"), "x"}}), "absolute path");
  EXPECT_FALSE(Exists(outside_ / "abs"));
  EXPECT_FALSE(Exists(root_.path() + "/../" + beside));
  // Inside-the-root uses of ".." are fine.
  ASSERT_TRUE(Apply({{MakeEntry("./a/../b"), "b"}}).ok());
  EXPECT_EQ(ReadFileAt(Root("b")), "b");
}

TEST_P(ExtractTest, SymlinksResolveInsideTheRoot) {
  std::string up = "../../../../../../../../../../.." + outside_.path();
  Status st = Apply({{MakeEntry("slash", T::kSymlink, "/"), ""},
                     {MakeEntry("abs", T::kSymlink, outside_.path()), ""},
                     {MakeEntry("rel", T::kSymlink, up), ""},
                     {MakeEntry("slash/via-slash"), "1"},
                     {MakeEntry("abs/via-abs"), "2"},
                     {MakeEntry("rel/via-rel"), "3"}});
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_FALSE(Exists(outside_ / "via-abs"));
  EXPECT_FALSE(Exists(outside_ / "via-rel"));
  EXPECT_FALSE(Exists("/via-slash"));
  // As in a chroot: "/" is the root, and ".." stops there.
  EXPECT_EQ(ReadFileAt(Root("via-slash")), "1");
  EXPECT_EQ(ReadFileAt(Root(outside_.path().substr(1) + "/via-abs")), "2");
  EXPECT_EQ(ReadFileAt(Root(outside_.path().substr(1) + "/via-rel")), "3");
}

TEST_P(ExtractTest, SymlinkPlantedByAnEarlierLayerIsNotFollowedOut) {
  ASSERT_TRUE(Apply({{MakeEntry("etc", T::kSymlink, outside_.path()), ""}}).ok());
  Status st = Apply({{MakeEntry("etc/pwned"), "x"}});
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_FALSE(Exists(outside_ / "pwned"));
  // A later layer replacing the symlink itself replaces the link, not its target.
  WriteFileAt(outside_ / "victim", "original");
  ASSERT_TRUE(Apply({{MakeEntry("v", T::kSymlink, outside_ / "victim"), ""}}).ok());
  ASSERT_TRUE(Apply({{MakeEntry("v"), "overwritten"}}).ok());
  EXPECT_EQ(ReadFileAt(outside_ / "victim"), "original");
  EXPECT_EQ(ReadFileAt(Root("v")), "overwritten");
}

TEST_P(ExtractTest, RejectsHardlinksOutOfTheRoot) {
  struct stat before;
  ASSERT_EQ(stat("/etc/passwd", &before), 0);
  ExpectRejected(Apply({{MakeEntry("pw", T::kHardlink, "/etc/passwd"), ""}}), "absolute path");
  ExpectRejected(Apply({{MakeEntry("pw", T::kHardlink, "../../../../etc/passwd"), ""}}),
                 "escapes the root");
  // Through a symlink to the host's /etc: resolves to <root>/etc, which has no passwd.
  Status st = Apply({{MakeEntry("hostetc", T::kSymlink, "/etc"), ""},
                     {MakeEntry("pw", T::kHardlink, "hostetc/passwd"), ""}});
  ExpectRejected(st, "hard link");
  // A hard link to a symlink that points out links the symlink itself.
  ASSERT_TRUE(Apply({{MakeEntry("out", T::kSymlink, "/etc/passwd"), ""},
                     {MakeEntry("out2", T::kHardlink, "out"), ""}})
                  .ok());
  struct stat st2;
  ASSERT_EQ(lstat(Root("out2").c_str(), &st2), 0);
  EXPECT_TRUE(S_ISLNK(st2.st_mode));
  struct stat after;
  ASSERT_EQ(stat("/etc/passwd", &after), 0);
  EXPECT_EQ(after.st_nlink, before.st_nlink);
  EXPECT_FALSE(Exists(Root("pw")));
}

TEST_P(ExtractTest, RejectsSymlinkLoops) {
  Status st = Apply({{MakeEntry("a", T::kSymlink, "b"), ""},
                     {MakeEntry("b", T::kSymlink, "a"), ""},
                     {MakeEntry("a/x"), "x"}});
  ExpectRejected(st, "symbolic links");
}

TEST_P(ExtractTest, AppliesOciWhiteouts) {
  ASSERT_TRUE(Apply({{MakeEntry("dir", T::kDirectory), ""},
                     {MakeEntry("dir/a"), "a"},
                     {MakeEntry("dir/b"), "b"},
                     {MakeEntry("dir/sub/c"), "c"},
                     {MakeEntry("opq/old"), "o"},
                     {MakeEntry("opq/keep/old2"), "o"},
                     {MakeEntry("opq/keep/older"), "o"}})
                  .ok());
  // The opaque marker comes after an entry of the same layer: that entry stays.
  Status st = Apply({{MakeEntry("dir/.wh.a"), ""},
                     {MakeEntry("dir/.wh.sub"), ""},
                     {MakeEntry("dir/.wh.missing"), ""},
                     {MakeEntry("opq/keep/new"), "n"},
                     {MakeEntry("opq/.wh..wh..opq"), ""},
                     {MakeEntry("opq/later"), "l"}});
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_FALSE(Exists(Root("dir/a")));
  EXPECT_FALSE(Exists(Root("dir/sub")));
  EXPECT_EQ(ReadFileAt(Root("dir/b")), "b");
  EXPECT_FALSE(Exists(Root("dir/.wh.a")));
  EXPECT_FALSE(Exists(Root("opq/old")));
  EXPECT_FALSE(Exists(Root("opq/keep/old2")));
  EXPECT_EQ(ReadFileAt(Root("opq/keep/new")), "n");
  EXPECT_EQ(ReadFileAt(Root("opq/later")), "l");
  EXPECT_FALSE(Exists(Root("opq/.wh..wh..opq")));
}

TEST_P(ExtractTest, WritesOverlayWhiteoutsAndRoundTripsThem) {
  ExtractOptions overlay;
  overlay.whiteouts = WhiteoutMode::kOverlay;
  Status st = Apply({{MakeEntry(".wh.gone"), ""},
                     {MakeEntry("opq", T::kDirectory), ""},
                     {MakeEntry("opq/.wh..wh..opq"), ""},
                     {MakeEntry("opq/new"), "n"}},
                    overlay);
  ASSERT_TRUE(st.ok()) << st.message();
  struct stat wst;
  ASSERT_EQ(lstat(Root("gone").c_str(), &wst), 0);
  EXPECT_TRUE(S_ISCHR(wst.st_mode));
  EXPECT_EQ(wst.st_rdev, makedev(0, 0));
  char v[4];
  ASSERT_EQ(getxattr(Root("opq").c_str(), "trusted.overlay.opaque", v, sizeof v), 1);
  EXPECT_EQ(v[0], 'y');
  EXPECT_EQ(ReadFileAt(Root("opq/new")), "n");
}

TEST_P(ExtractTest, ReplacesEntriesOfAnotherType) {
  ASSERT_TRUE(
      Apply({{MakeEntry("x/inner"), "i"}, {MakeEntry("y"), "y"}, {MakeEntry("z/f"), "f"}}).ok());
  Status st = Apply({{MakeEntry("x"), "now a file"},
                     {MakeEntry("y", T::kDirectory), ""},
                     {MakeEntry("y/child"), "c"},
                     {MakeEntry("z", T::kDirectory), ""}});
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(ReadFileAt(Root("x")), "now a file");
  EXPECT_EQ(ReadFileAt(Root("y/child")), "c");
  EXPECT_EQ(ReadFileAt(Root("z/f")), "f");  // dir over dir merges

  // Within one layer, a later entry wins over an earlier directory entry.
  ASSERT_TRUE(Apply({{MakeEntry("w", T::kDirectory), ""}, {MakeEntry("w"), "file"}}).ok());
  EXPECT_EQ(ReadFileAt(Root("w")), "file");
}

TEST_P(ExtractTest, RestoresOwnersModesAndDirectoryMtimes) {
  TarEntry suid = MakeEntry("bin/su");
  suid.mode = 04755;
  suid.uid = 1000;
  suid.gid = 1000;
  TarEntry ro = MakeEntry("bin", T::kDirectory);
  ro.mode = 0555;
  ro.mtime_sec = 1234567890;
  TarEntry cap = MakeEntry("bin/ping");
  cap.xattrs["user.note"] = std::string("a\0b", 3);
  ASSERT_TRUE(Apply({{ro, ""}, {suid, "su"}, {cap, "p"}}).ok());
  struct stat st;
  ASSERT_EQ(stat(Root("bin/su").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 04755u);
  EXPECT_EQ(st.st_uid, 1000u);
  ASSERT_EQ(stat(Root("bin").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0555u);
  EXPECT_EQ(st.st_mtim.tv_sec, 1234567890);
  char v[8];
  ASSERT_EQ(getxattr(Root("bin/ping").c_str(), "user.note", v, sizeof v), 3);
  EXPECT_EQ(std::string(v, 3), std::string("a\0b", 3));
}

TEST_P(ExtractTest, DeviceNodesNeedPrivilege) {
  TarEntry dev = MakeEntry("dev/null", T::kCharDevice);
  dev.devmajor = 1;
  dev.devminor = 3;
  ExtractOptions unprivileged;
  unprivileged.privileged = false;
  ASSERT_TRUE(Apply({{dev, ""}}, unprivileged).ok());
  EXPECT_FALSE(Exists(Root("dev/null")));
  unprivileged.unprivileged_devices = UnprivilegedDevices::kRefuse;
  ExpectRejected(Apply({{dev, ""}}, unprivileged), "need privilege");
  ASSERT_TRUE(Apply({{dev, ""}}).ok());  // tests run as root
  struct stat st;
  ASSERT_EQ(lstat(Root("dev/null").c_str(), &st), 0);
  EXPECT_EQ(st.st_rdev, makedev(1, 3));
}

TEST_P(ExtractTest, RejectsCorruptArchives) {
  std::string tar = MakeTar({{MakeEntry("f"), std::string(2000, 'f')}});
  StringReader truncated(tar.substr(0, 1000));
  ExtractOptions options;
  options.source_name = "layer sha256:test";
  ExpectRejected(ExtractTar(&truncated, root_.path(), options), "truncated");
  std::string garbage(1536, 'g');
  StringReader bad(garbage);
  ExpectRejected(ExtractTar(&bad, root_.path(), options), "checksum");
}

INSTANTIATE_TEST_SUITE_P(Resolvers, ExtractTest, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "manual" : "openat2"; });

TEST(CleanArchivePath, Cleans) {
  EXPECT_EQ(*CleanArchivePath("./a//b/./c/"), "a/b/c");
  EXPECT_EQ(*CleanArchivePath("a/b/../c"), "a/c");
  EXPECT_EQ(*CleanArchivePath("./"), "");
  EXPECT_FALSE(CleanArchivePath("/etc").ok());
  EXPECT_FALSE(CleanArchivePath("a/../..").ok());
}

}  // namespace
}  // namespace distill::archive
