#include "exec/user_lookup.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace distill::exec {
namespace {

const char kPasswd[] =
    "root:x:0:0:root:/root:/bin/bash\n"
    "# a comment\n"
    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
    "broken line\n"
    "app:x:1000:1000:App:/home/app:/bin/sh\n"
    "app2:x:1000:55::/other:/bin/sh\n";
const char kGroup[] =
    "root:x:0:\n"
    "wheel:x:10:app,daemon\n"
    "app:x:1000:\n"
    "audio:x:29:someone,app\n"
    "staff:x:50:\n";

TEST(UserLookup, EmptyIsRoot) {
  auto u = ResolveUser("", std::string(kPasswd), std::string(kGroup));
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_EQ(u->uid, 0u);
  EXPECT_EQ(u->gid, 0u);
  EXPECT_EQ(u->home, "/root");
}

TEST(UserLookup, NameGivesPasswdGidAndSupplementaryGroups) {
  auto u = ResolveUser("app", std::string(kPasswd), std::string(kGroup));
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_EQ(u->uid, 1000u);
  EXPECT_EQ(u->gid, 1000u);
  EXPECT_EQ(u->supplementary_gids, (std::vector<gid_t>{10, 29}));
  EXPECT_EQ(u->home, "/home/app");
}

TEST(UserLookup, NumericUidFoundUsesFirstEntry) {
  auto u = ResolveUser("1000", std::string(kPasswd), std::string(kGroup));
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->gid, 1000u);
  EXPECT_EQ(u->supplementary_gids, (std::vector<gid_t>{10, 29}));
}

TEST(UserLookup, NumericUidNeedNotExist) {
  auto u = ResolveUser("4242", std::string(kPasswd), std::string(kGroup));
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->uid, 4242u);
  EXPECT_EQ(u->gid, 0u);
  EXPECT_TRUE(u->supplementary_gids.empty());
  EXPECT_EQ(u->home, "/");
}

TEST(UserLookup, ExplicitGroupHasNoSupplementaryGroups) {
  auto u = ResolveUser("app:staff", std::string(kPasswd), std::string(kGroup));
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->uid, 1000u);
  EXPECT_EQ(u->gid, 50u);
  EXPECT_TRUE(u->supplementary_gids.empty());
}

TEST(UserLookup, UidColonGidNumericNeedNotExist) {
  auto u = ResolveUser("1234:5678", std::nullopt, std::nullopt);
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_EQ(u->uid, 1234u);
  EXPECT_EQ(u->gid, 5678u);
}

TEST(UserLookup, UidColonGroupName) {
  auto u = ResolveUser("7:wheel", std::string(kPasswd), std::string(kGroup));
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->uid, 7u);
  EXPECT_EQ(u->gid, 10u);
}

TEST(UserLookup, UnknownNameFails) {
  auto u = ResolveUser("nobody", std::string(kPasswd), std::string(kGroup));
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.status().code(), Status::Code::kNotFound);
  EXPECT_NE(u.status().message().find("unable to find user nobody"), std::string::npos);
}

TEST(UserLookup, NameWithoutPasswdFileFails) {
  auto u = ResolveUser("app", std::nullopt, std::nullopt);
  ASSERT_FALSE(u.ok());
  EXPECT_NE(u.status().message().find("no /etc/passwd"), std::string::npos);
}

TEST(UserLookup, UnknownGroupFails) {
  auto u = ResolveUser("app:nogroup", std::string(kPasswd), std::string(kGroup));
  ASSERT_FALSE(u.ok());
  EXPECT_NE(u.status().message().find("unable to find group nogroup"), std::string::npos);
}

TEST(UserLookup, MalformedSpecs) {
  EXPECT_FALSE(ResolveUser(":", std::nullopt, std::nullopt).ok());
  EXPECT_FALSE(ResolveUser("app:", std::string(kPasswd), std::nullopt).ok());
  EXPECT_FALSE(ResolveUser(":10", std::nullopt, std::nullopt).ok());
  // Out of range numbers are names, and such a name does not exist.
  EXPECT_FALSE(ResolveUser("99999999999", std::nullopt, std::nullopt).ok());
  EXPECT_FALSE(ResolveUser("-1", std::nullopt, std::nullopt).ok());
}

class RootfsUserLookup : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/distill-user-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    std::filesystem::create_directories(root_ + "/etc");
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  void Write(const std::string& rel, const std::string& text) {
    std::ofstream(root_ + rel) << text;
  }
  std::string root_;
};

TEST_F(RootfsUserLookup, ReadsTheImagesFiles) {
  Write("/etc/passwd", kPasswd);
  Write("/etc/group", kGroup);
  auto u = ResolveUserInRootfs(root_, "daemon");
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_EQ(u->uid, 1u);
  EXPECT_EQ(u->supplementary_gids, (std::vector<gid_t>{10}));
}

TEST_F(RootfsUserLookup, SymlinkOutOfTheRootStaysInside) {
  // An absolute symlink is resolved inside the rootfs: /etc/passwd -> /x/passwd
  // reads <root>/x/passwd, never the host's /x/passwd or /etc/passwd.
  std::filesystem::create_directories(root_ + "/x");
  Write("/x/passwd", "svc:x:77:88::/:/bin/sh\n");
  ASSERT_EQ(symlink("/x/passwd", (root_ + "/etc/passwd").c_str()), 0);
  ASSERT_EQ(symlink("../../../../../../nothing/group", (root_ + "/etc/group").c_str()), 0);
  auto u = ResolveUserInRootfs(root_, "svc");
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_EQ(u->uid, 77u);
  EXPECT_EQ(u->gid, 88u);
  // The host's "root" exists on the host, but the image has no such user.
  EXPECT_FALSE(ResolveUserInRootfs(root_, "root").ok());
}

TEST_F(RootfsUserLookup, MissingFilesNumericOk) {
  auto u = ResolveUserInRootfs(root_, "5:6");
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_EQ(u->uid, 5u);
  EXPECT_EQ(u->gid, 6u);
  auto named = ResolveUserInRootfs(root_, "app");
  ASSERT_FALSE(named.ok());
  EXPECT_NE(named.status().message().find(root_), std::string::npos);
}

TEST(RootfsUserLookupErrors, MissingRootfs) {
  EXPECT_FALSE(ResolveUserInRootfs("/nonexistent/rootfs", "0").ok());
}

}  // namespace
}  // namespace distill::exec
