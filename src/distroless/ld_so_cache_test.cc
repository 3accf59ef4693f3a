#include "distroless/ld_so_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>

namespace distill::distroless {
namespace {

uint32_t Uint32At(const std::string& s, size_t at) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

TEST(LdCacheLibcmpTest, ComparesDigitRunsAsNumbers) {
  struct Case {
    const char* a;
    const char* b;
    int sign;
  } cases[] = {
      {"libfoo.so.10", "libfoo.so.9", 1}, {"libfoo.so.9", "libfoo.so.10", -1},
      {"libfoo.so.1", "libfoo.so.1", 0},  {"liba.so", "libb.so", -1},
      {"lib1.so", "liba.so", 1},          {"liba.so", "lib1.so", -1},
      {"libfoo.so", "libfoo.so.1", -1},   {"libfoo.so.01", "libfoo.so.1", 0},
      {"libssl.so.3", "libss.so.2", 1},
  };
  for (const Case& c : cases) {
    int got = LdCacheLibcmp(c.a, c.b);
    EXPECT_EQ((got > 0) - (got < 0), c.sign) << c.a << " vs " << c.b;
  }
}

TEST(LdSoCacheTest, HeaderEntriesAndStrings) {
  std::string cache = RenderLdSoCache({
      {"libz.so.1", "/lib/x86_64-linux-gnu/libz.so.1", 0x0303},
      {"libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6", 0x0303},
      {"libodd.so", "/lib/other-name.so", 0x0303},
  });
  ASSERT_GE(cache.size(), 48u + 3 * 24);
  EXPECT_EQ(cache.substr(0, 20), "glibc-ld.so.cache1.1");
  EXPECT_EQ(Uint32At(cache, 20), 3u);
  EXPECT_EQ(cache.size(), 48 + 3 * 24 + Uint32At(cache, 24));
  EXPECT_EQ(cache[28], 2);             // little-endian
  EXPECT_EQ(Uint32At(cache, 32), 0u);  // no extensions
  auto str = [&](uint32_t off) { return std::string(cache.c_str() + off); };
  // Descending key order: libz, libodd, libc.
  const char* keys[] = {"libz.so.1", "libodd.so", "libc.so.6"};
  const char* values[] = {"/lib/x86_64-linux-gnu/libz.so.1", "/lib/other-name.so",
                          "/lib/x86_64-linux-gnu/libc.so.6"};
  for (size_t i = 0; i < 3; ++i) {
    size_t at = 48 + 24 * i;
    EXPECT_EQ(Uint32At(cache, at), 0x0303u);
    EXPECT_EQ(str(Uint32At(cache, at + 4)), keys[i]);
    EXPECT_EQ(str(Uint32At(cache, at + 8)), values[i]);
  }
}

TEST(LdSoCacheTest, SameEntriesSameBytesWhateverTheOrder) {
  std::vector<LdCacheEntry> a = {{"libb.so.1", "/lib/libb.so.1", 0x303},
                                 {"liba.so.1", "/lib/liba.so.1", 0x303}};
  std::vector<LdCacheEntry> b = {a[1], a[0]};
  EXPECT_EQ(RenderLdSoCache(a), RenderLdSoCache(b));
}

// glibc's own reader: `ldconfig -p -C FILE` lists what the file holds, in
// file order. A malformed file makes it fail or print nothing.
TEST(LdSoCacheTest, HostLdconfigReadsIt) {
  if (access("/sbin/ldconfig", X_OK) != 0) GTEST_SKIP() << "no /sbin/ldconfig";
  std::string path = ::testing::TempDir() + "/distill-ld.so.cache";
  std::ofstream(path, std::ios::binary) << RenderLdSoCache({
      {"libz.so.1", "/lib/x86_64-linux-gnu/libz.so.1", 0x0303},
      {"libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", 0x0303},
      {"libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6", 0x0303},
  });
  std::string cmd = "/sbin/ldconfig -p -C " + path;
  FILE* pipe = popen(cmd.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buf[512];
  while (fgets(buf, sizeof buf, pipe) != nullptr) out += buf;
  ASSERT_EQ(pclose(pipe), 0) << out;
  EXPECT_EQ(out, "3 libs found in cache `" + path +
                     "'\n"
                     "\tlibz.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libz.so.1\n"
                     "\tlibstdc++.so.6 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libstdc++.so.6\n"
                     "\tlibc.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libc.so.6\n");
}

}  // namespace
}  // namespace distill::distroless
