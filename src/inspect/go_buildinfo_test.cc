#include "inspect/go_buildinfo.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <sstream>

namespace distill::inspect {
namespace {

TEST(GoBuildInfoTest, ParsesModuleLinesAndReplacements) {
  auto info = ParseGoModInfo(
      "path\texample.com/app\n"
      "mod\texample.com/app\t(devel)\t\n"
      "dep\tgithub.com/a/b\tv1.2.3\th1:abc=\n"
      "dep\tgolang.org/x/sys\tv0.1.0\th1:old=\n"
      "=>\tgolang.org/x/sys\tv0.2.0\th1:new=\n"
      "build\tGOOS=linux\n");
  EXPECT_EQ(info.path, "example.com/app");
  EXPECT_EQ(info.main.version, "(devel)");
  ASSERT_EQ(info.deps.size(), 2u);
  EXPECT_EQ(info.deps[0].sum, "h1:abc=");
  EXPECT_EQ(info.deps[1].version, "v0.2.0");
}

TEST(GoBuildInfoTest, NoMagicIsNotAnError) {
  StringReader in(std::string(200000, 'x'));
  auto info = ReadGoBuildInfo(&in, "blob");
  ASSERT_TRUE(info.ok());
  EXPECT_FALSE(info->has_value());
}

TEST(GoBuildInfoTest, MagicAcrossChunksAndTruncation) {
  // Header split across the 64 KiB read boundary.
  std::string data(65536 - 5, 'x');
  std::string header = std::string("\xff Go buildinf:", 14) + '\x08' + '\x02';
  header.append(16, '\0');
  data += header;
  data += '\x08';
  data += "go1.22.0";
  std::string mod = "path\tm/x\nmod\tm/x\tv1.0.0\t\n";
  data += static_cast<char>(mod.size());
  data += mod;
  StringReader in(data);
  auto info = ReadGoBuildInfo(&in, "blob");
  ASSERT_TRUE(info.ok()) << info.status().message();
  ASSERT_TRUE(info->has_value());
  EXPECT_EQ((*info)->go_version, "go1.22.0");
  EXPECT_EQ((*info)->main.version, "v1.0.0");

  StringReader cut(data.substr(0, data.size() - 10));
  auto bad = ReadGoBuildInfo(&cut, "cut-blob");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("cut-blob"), std::string::npos);
}

TEST(GoBuildInfoTest, RealBinaryFromGoBuild) {
  if (system("command -v go >/dev/null 2>&1") != 0) GTEST_SKIP() << "go is not installed";
  std::string tmpl = ::testing::TempDir() + "distill-go-XXXXXX";
  std::string dir = ::mkdtemp(tmpl.data());
  std::ofstream(dir + "/go.mod") << "module example.com/hello\n\ngo 1.18\n";
  std::ofstream(dir + "/main.go") << "package main\n\nfunc main() { println(\"hi\") }\n";
  std::string cmd = "cd " + dir + " && HOME=" + dir + " GOCACHE=" + dir +
                    "/cache GOFLAGS=-mod=mod GOTOOLCHAIN=local go build -o hello . >" + dir +
                    "/log 2>&1";
  ASSERT_EQ(system(cmd.c_str()), 0) << "go build failed; see " << dir << "/log";
  std::ifstream bin(dir + "/hello", std::ios::binary);
  std::stringstream bytes;
  bytes << bin.rdbuf();
  StringReader in(bytes.str());
  auto info = ReadGoBuildInfo(&in, "hello");
  ASSERT_TRUE(info.ok()) << info.status().message();
  ASSERT_TRUE(info->has_value());
  EXPECT_EQ((*info)->path, "example.com/hello");
  EXPECT_EQ((*info)->main.path, "example.com/hello");
  EXPECT_EQ((*info)->go_version.substr(0, 4), "go1.");
  (void)system(("rm -rf " + dir).c_str());
}

}  // namespace
}  // namespace distill::inspect
