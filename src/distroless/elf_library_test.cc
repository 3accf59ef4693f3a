#include "distroless/elf_library.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "distroless/elf_test_util.h"

namespace distill::distroless {
namespace {

TEST(ElfLibraryTest, ReadsSonameAndFlags) {
  auto lib = ReadElfLibrary(testing::MakeElfLibrary("libfoo.so.1"), "libfoo");
  ASSERT_TRUE(lib.ok()) << lib.status().message();
  ASSERT_TRUE(lib->has_value());
  EXPECT_EQ((*lib)->soname, "libfoo.so.1");
  EXPECT_EQ((*lib)->ld_cache_flags, 0x0303);
  auto arm = ReadElfLibrary(testing::MakeElfLibrary("libbar.so.2", 183), "libbar");
  ASSERT_TRUE(arm.ok() && arm->has_value());
  EXPECT_EQ((*arm)->ld_cache_flags, 0x0a03);
}

TEST(ElfLibraryTest, NoSonameGivesEmptyName) {
  auto lib = ReadElfLibrary(testing::MakeElfLibrary(""), "x");
  ASSERT_TRUE(lib.ok() && lib->has_value());
  EXPECT_EQ((*lib)->soname, "");
}

TEST(ElfLibraryTest, NonElfAndUnknownMachinesAreSkipped) {
  auto script = ReadElfLibrary("/* GNU ld script */\nGROUP ( libc.so.6 )\n", "libc.so");
  ASSERT_TRUE(script.ok());
  EXPECT_FALSE(script->has_value());
  auto s390 = ReadElfLibrary(testing::MakeElfLibrary("libz.so.1", 22), "s390");
  ASSERT_TRUE(s390.ok());
  EXPECT_FALSE(s390->has_value());
}

TEST(ElfLibraryTest, TruncatedFileIsAnErrorNamingIt) {
  std::string elf = testing::MakeElfLibrary("libfoo.so.1");
  auto lib = ReadElfLibrary(elf.substr(0, 100), "usr/lib/libfoo.so.1");
  ASSERT_FALSE(lib.ok());
  EXPECT_NE(lib.status().message().find("usr/lib/libfoo.so.1"), std::string::npos);
}

TEST(ElfLibraryTest, ReadsTheHostsLibc) {
  std::ifstream in("/lib/x86_64-linux-gnu/libc.so.6", std::ios::binary);
  if (!in) GTEST_SKIP() << "no x86-64 libc on this host";
  std::stringstream bytes;
  bytes << in.rdbuf();
  auto lib = ReadElfLibrary(bytes.str(), "libc.so.6");
  ASSERT_TRUE(lib.ok()) << lib.status().message();
  ASSERT_TRUE(lib->has_value());
  EXPECT_EQ((*lib)->soname, "libc.so.6");
  EXPECT_EQ((*lib)->ld_cache_flags, 0x0303);
}

}  // namespace
}  // namespace distill::distroless
