#include "bootstrap/rootfs_tree.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "bootstrap/rootfs_command.h"

namespace distill::bootstrap {
namespace {
namespace fs = std::filesystem;

class RootfsTreeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = ::testing::TempDir() + "/rootfs-XXXXXX";
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    root_ = templ;
  }
  void TearDown() override { fs::remove_all(root_); }
  void Put(const std::string& rel, const std::string& text = "x") {
    ASSERT_TRUE(WriteRootfsFile(root_, rel, text).ok()) << rel;
  }
  bool Has(const std::string& rel) {
    std::error_code ec;
    return fs::symlink_status(fs::path(root_) / rel, ec).type() != fs::file_type::not_found;
  }
  std::string Read(const std::string& rel) {
    std::ifstream f(fs::path(root_) / rel);
    return std::string(std::istreambuf_iterator<char>(f), {});
  }
  std::string root_;
};

TEST_F(RootfsTreeTest, MergeUsrMovesContentAndLinks) {
  Put("bin/bash", "bash");
  Put("lib/x86_64-linux-gnu/libc.so.6", "libc");
  Put("usr/lib/x86_64-linux-gnu/libz.so.1", "z");
  Put("usr/bin/env", "env");
  Put("bin/env", "old env");  // a clash: /usr wins
  fs::create_directories(fs::path(root_) / "lib64");
  fs::create_symlink("/lib/x86_64-linux-gnu/libc.so.6", fs::path(root_) / "lib64/ld.so");
  ASSERT_TRUE(MergeUsr(root_, {"bin", "sbin", "lib", "lib64", "libx32"}).ok());
  for (const char* d : {"bin", "sbin", "lib", "lib64"}) {
    EXPECT_TRUE(fs::is_symlink(fs::path(root_) / d)) << d;
    EXPECT_EQ(fs::read_symlink(fs::path(root_) / d), fs::path("usr") / d);
  }
  EXPECT_FALSE(Has("libx32"));  // absent and not one of the always-linked ones
  EXPECT_EQ(Read("usr/bin/bash"), "bash");
  EXPECT_EQ(Read("usr/bin/env"), "env");
  EXPECT_EQ(Read("usr/lib/x86_64-linux-gnu/libc.so.6"), "libc");
  EXPECT_EQ(Read("usr/lib/x86_64-linux-gnu/libz.so.1"), "z");
  EXPECT_TRUE(fs::is_symlink(fs::path(root_) / "usr/lib64/ld.so"));
  EXPECT_EQ(Read("bin/bash"), "bash");  // through the new symlink
  // Idempotent on an already merged tree.
  ASSERT_TRUE(MergeUsr(root_, {"bin", "sbin", "lib", "lib64"}).ok());
  EXPECT_EQ(Read("usr/bin/bash"), "bash");
}

TEST_F(RootfsTreeTest, RemoveSlimExcludedKeepsCopyrightAndLocaleAlias) {
  Put("usr/share/doc/bash/copyright", "c");
  Put("usr/share/doc/bash/README");
  Put("usr/share/doc/bash/examples/startup");
  Put("usr/share/man/man1/bash.1.gz");
  Put("usr/share/locale/locale.alias");
  Put("usr/share/locale/de/LC_MESSAGES/bash.mo");
  Put("usr/share/info/bash.info.gz");
  Put("usr/share/zoneinfo/UTC");
  fs::create_directories(fs::path(root_) / "usr/share/doc");
  fs::create_symlink("bash", fs::path(root_) / "usr/share/doc/sh");
  auto removed = RemoveSlimExcluded(root_);
  ASSERT_TRUE(removed.ok()) << removed.status().message();
  EXPECT_GT(*removed, 0);
  EXPECT_TRUE(Has("usr/share/doc/bash/copyright"));
  EXPECT_FALSE(Has("usr/share/doc/bash/README"));
  EXPECT_FALSE(Has("usr/share/doc/bash/examples"));
  EXPECT_FALSE(Has("usr/share/doc/sh"));
  EXPECT_FALSE(Has("usr/share/man/man1"));
  EXPECT_TRUE(Has("usr/share/man"));  // the filter covers what is below it
  EXPECT_TRUE(Has("usr/share/locale/locale.alias"));
  EXPECT_FALSE(Has("usr/share/locale/de"));
  EXPECT_FALSE(Has("usr/share/info/bash.info.gz"));
  EXPECT_TRUE(Has("usr/share/zoneinfo/UTC"));
}

TEST_F(RootfsTreeTest, DpkgDatabase) {
  ASSERT_TRUE(CreateDpkgDatabase(root_, "amd64").ok());
  EXPECT_EQ(Read("var/lib/dpkg/status"), "");
  EXPECT_EQ(Read("var/lib/dpkg/arch"), "amd64\n");
  EXPECT_TRUE(fs::is_directory(fs::path(root_) / "var/lib/dpkg/info"));
  EXPECT_TRUE(fs::is_directory(fs::path(root_) / "var/lib/dpkg/updates"));
}

TEST_F(RootfsTreeTest, CleanRootfsRemovesCachesLogsAndMountPoints) {
  Put("var/cache/apt/archives/hello_2.10_amd64.deb");
  Put("var/cache/apt/archives/lock", "");
  Put("var/cache/apt/pkgcache.bin");
  Put("var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease");
  Put("var/log/dpkg.log");
  Put("var/log/apt/history.log");
  Put("var/lib/dpkg/status", "Package: x\n");
  Put("var/lib/dpkg/status-old");
  Put("var/cache/debconf/config.dat-old");
  Put("etc/resolv.conf", "");
  Put("etc/hosts", "127.0.0.1 localhost\n");  // a real file stays
  Put("etc/machine-id", "0123456789abcdef\n");
  Put("tmp/junk");
  ASSERT_TRUE(CleanRootfs(root_).ok());
  EXPECT_FALSE(Has("var/cache/apt/archives/hello_2.10_amd64.deb"));
  EXPECT_TRUE(Has("var/cache/apt/archives/lock"));
  EXPECT_FALSE(Has("var/cache/apt/pkgcache.bin"));
  EXPECT_FALSE(Has("var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease"));
  EXPECT_FALSE(Has("var/log/dpkg.log"));
  EXPECT_FALSE(Has("var/log/apt/history.log"));
  EXPECT_TRUE(Has("var/log/apt"));
  EXPECT_EQ(Read("var/lib/dpkg/status"), "Package: x\n");
  EXPECT_FALSE(Has("var/lib/dpkg/status-old"));
  EXPECT_FALSE(Has("var/cache/debconf/config.dat-old"));
  EXPECT_FALSE(Has("etc/resolv.conf"));
  EXPECT_TRUE(Has("etc/hosts"));
  EXPECT_EQ(Read("etc/machine-id"), "");
  EXPECT_FALSE(Has("tmp/junk"));
  EXPECT_TRUE(Has("tmp"));
}

TEST_F(RootfsTreeTest, WriteRootfsFileReplacesASymlinkInsteadOfFollowingIt) {
  Put("target", "keep");
  fs::create_symlink("target", fs::path(root_) / "link");
  ASSERT_TRUE(WriteRootfsFile(root_, "link", "new").ok());
  EXPECT_FALSE(fs::is_symlink(fs::path(root_) / "link"));
  EXPECT_EQ(Read("target"), "keep");
  EXPECT_EQ(Read("link"), "new");
}

TEST_F(RootfsTreeTest, UnpackRejectsWhatIsNotADeb) {
  Put("bogus.deb", "this is not an ar archive");
  Status st = UnpackDebData(root_ + "/bogus.deb", root_ + "/out", "bogus_1.0_amd64.deb");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("bogus_1.0_amd64.deb"), std::string::npos) << st.message();
  EXPECT_FALSE(UnpackDebData(root_ + "/missing.deb", root_, "missing.deb").ok());
}

TEST(LastLinesTest, KeepsTheTail) {
  EXPECT_EQ(LastLines("a\nb\nc\n", 2), "b\nc");
  EXPECT_EQ(LastLines("a\nb\nc", 5), "a\nb\nc");
  EXPECT_EQ(LastLines("", 3), "");
  EXPECT_EQ(LastLines("only\n\n\n", 1), "only");
}

TEST(BootstrapEnvTest, Unattended) {
  auto env = BootstrapEnv();
  for (const char* want :
       {"DEBIAN_FRONTEND=noninteractive", "DEBCONF_NONINTERACTIVE_SEEN=true", "LC_ALL=C"}) {
    EXPECT_NE(std::find(env.begin(), env.end(), want), env.end()) << want;
  }
}

}  // namespace
}  // namespace distill::bootstrap
