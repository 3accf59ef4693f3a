#include "exec/etc_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace distill::exec {
namespace {

TEST(EtcFiles, HostsHasLocalhostAndHostname) {
  std::string h = HostsFileFor("builder");
  EXPECT_NE(h.find("127.0.0.1\tlocalhost\n"), std::string::npos);
  EXPECT_NE(h.find("::1\tlocalhost"), std::string::npos);
  EXPECT_NE(h.find("\tbuilder\n"), std::string::npos);
}

TEST(EtcFiles, ResolvConfKeptWithHostNetwork) {
  std::string host = "nameserver 127.0.0.53\nsearch lan\n";
  EXPECT_EQ(ResolvConfFor(host, NetworkMode::kHost), host);
}

TEST(EtcFiles, LoopbackResolverReplacedInOwnNetns) {
  std::string r =
      ResolvConfFor("nameserver 127.0.0.53\noptions edns0\nsearch lan\n", NetworkMode::kNone);
  EXPECT_EQ(r.find("127.0.0.53"), std::string::npos);
  EXPECT_NE(r.find("nameserver 8.8.8.8"), std::string::npos);
  EXPECT_NE(r.find("search lan"), std::string::npos);
}

TEST(EtcFiles, RealResolverKept) {
  std::string r = ResolvConfFor("nameserver ::1\nnameserver 10.0.0.2\n", NetworkMode::kNone);
  EXPECT_EQ(r, "nameserver 10.0.0.2\n");
  EXPECT_NE(ResolvConfFor("", NetworkMode::kNone).find("nameserver"), std::string::npos);
}

TEST(EtcFiles, CreateWritesAndRemoves) {
  std::string dir;
  {
    auto files = EtcFiles::Create("box", NetworkMode::kNone, "/nonexistent/resolv.conf");
    ASSERT_TRUE(files.ok()) << files.status().message();
    std::ifstream in(files->hostname());
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_EQ(ss.str(), "box\n");
    EXPECT_TRUE(std::filesystem::exists(files->hosts()));
    EXPECT_TRUE(std::filesystem::exists(files->resolv_conf()));
    dir = std::filesystem::path(files->hosts()).parent_path();
  }
  EXPECT_FALSE(std::filesystem::exists(dir));
}

}  // namespace
}  // namespace distill::exec
