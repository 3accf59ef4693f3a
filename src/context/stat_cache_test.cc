#include "context/stat_cache.h"

#include <gtest/gtest.h>

#include <fstream>

#include "context/file_digester.h"
#include "context/test_util.h"
#include "util/sha256.h"

namespace distill::context {
namespace {

using testing::TempTree;
using testing::WaitForClockTick;

// Digests every regular file of the tree; returns path → hex.
std::map<std::string, std::string> DigestAll(const BuildContext& ctx, FileDigester* d) {
  std::map<std::string, std::string> out;
  auto entries = ctx.Walk();
  EXPECT_TRUE(entries.ok());
  for (const auto& e : *entries) {
    if (!S_ISREG(e.st.st_mode)) continue;
    auto h = d->Sha256Of(ctx, e.path, e.st);
    EXPECT_TRUE(h.ok()) << h.status().message();
    out[e.path] = *h;
  }
  return out;
}

TEST(StatCacheTest, SecondPassReadsNoContentEvenAfterReload) {
  TempTree store;
  TempTree t;
  for (int i = 0; i < 20; ++i) t.Write("dir/f" + std::to_string(i), std::string(1000, 'a' + i));
  WaitForClockTick();
  auto ctx = BuildContext::Open(t.root(), {});
  ASSERT_TRUE(ctx.ok());
  std::string cache_path = store.Path("stat-cache");
  {
    auto cache = StatCache::Load(cache_path);
    ASSERT_TRUE(cache.ok());
    FileDigester d(cache->get());
    auto first = DigestAll(*ctx, &d);
    EXPECT_EQ(d.files_read(), 20u);
    EXPECT_EQ(first["dir/f0"], Sha256::HexOf(std::string(1000, 'a')));
    auto again = DigestAll(*ctx, &d);
    EXPECT_EQ(d.files_read(), 20u);  // nothing re-read in the same process
    EXPECT_EQ(first, again);
    ASSERT_TRUE((*cache)->Save().ok());
  }
  auto reloaded = StatCache::Load(cache_path);
  ASSERT_TRUE(reloaded.ok());
  EXPECT_EQ((*reloaded)->size(), 20u);
  FileDigester d2(reloaded->get());
  auto third = DigestAll(*ctx, &d2);
  EXPECT_EQ(d2.files_read(), 0u);
  EXPECT_EQ(third["dir/f3"], Sha256::HexOf(std::string(1000, 'd')));
}

TEST(StatCacheTest, SameSizeEditWithRestoredMtimeIsDetected) {
  TempTree t;
  t.Write("f", "aaaa");
  t.SetMtime("f", 1'600'000'000);
  WaitForClockTick();
  auto ctx = BuildContext::Open(t.root(), {});
  auto cache = StatCache::Load("");
  FileDigester d(cache->get());
  auto before = DigestAll(*ctx, &d);
  // Same size, same mtime: only the ctime (and the racy rule) can tell.
  t.Write("f", "bbbb");
  t.SetMtime("f", 1'600'000'000);
  auto after = DigestAll(*ctx, &d);
  EXPECT_EQ(d.files_read(), 2u);
  EXPECT_EQ(after["f"], Sha256::HexOf("bbbb"));
  EXPECT_NE(before["f"], after["f"]);
}

TEST(StatCacheTest, RacilyCleanEntriesAreHashedAgain) {
  auto cache = StatCache::Load("");
  struct stat st {};
  st.st_size = 4;
  st.st_ino = 7;
  st.st_mode = S_IFREG | 0644;
  st.st_mtim = {100, 500};
  st.st_ctim = {100, 500};
  std::string hex(64, 'a');
  // Hashed in the same tick as the last change: not trusted.
  (*cache)->Store("k", st, hex, 100'000'000'500);
  EXPECT_FALSE((*cache)->Lookup("k", st).has_value());
  // Hashed strictly later: trusted while nothing changes.
  (*cache)->Store("k", st, hex, 100'000'000'501);
  EXPECT_EQ((*cache)->Lookup("k", st), hex);
  struct stat changed = st;
  changed.st_size = 5;
  EXPECT_FALSE((*cache)->Lookup("k", changed).has_value());
  changed = st;
  changed.st_mode = S_IFREG | 0755;
  EXPECT_FALSE((*cache)->Lookup("k", changed).has_value());
  changed = st;
  changed.st_ino = 8;
  EXPECT_FALSE((*cache)->Lookup("k", changed).has_value());
}

TEST(StatCacheTest, KeysWithNewlinesAndPercentRoundTrip) {
  TempTree store;
  std::string path = store.Path("c");
  struct stat st {};
  st.st_size = 1;
  st.st_mode = S_IFREG | 0600;
  std::string key = "/ctx/we%ird\nname\r";
  {
    auto cache = StatCache::Load(path);
    (*cache)->Store(key, st, std::string(64, 'b'), 1'000'000'000'000);
    ASSERT_TRUE((*cache)->Save().ok());
  }
  auto cache = StatCache::Load(path);
  ASSERT_TRUE(cache.ok());
  EXPECT_EQ((*cache)->Lookup(key, st), std::string(64, 'b'));
}

TEST(StatCacheTest, DamagedOrForeignFilesStartEmpty) {
  TempTree store;
  for (const char* text :
       {"distill-stat-cache 99\n", "garbage", "distill-stat-cache 1\nxx 1 2\n"}) {
    std::ofstream(store.Path("c"), std::ios::trunc) << text;
    auto cache = StatCache::Load(store.Path("c"));
    ASSERT_TRUE(cache.ok()) << text;
    EXPECT_EQ((*cache)->size(), 0u) << text;
  }
}

TEST(StatCacheTest, UnusedEntriesAreDroppedOverTheCap) {
  TempTree store;
  std::string path = store.Path("c");
  struct stat st {};
  {
    auto cache = StatCache::Load(path);
    for (int i = 0; i < 5; ++i)
      (*cache)->Store("old" + std::to_string(i), st, std::string(64, 'a'), 1);
    ASSERT_TRUE((*cache)->Save().ok());
  }
  auto cache = StatCache::Load(path);
  ASSERT_EQ((*cache)->size(), 5u);
  (*cache)->set_max_entries(3);
  (*cache)->Lookup("old1", st);
  (*cache)->Store("new", st, std::string(64, 'b'), 1);
  ASSERT_TRUE((*cache)->Save().ok());
  EXPECT_EQ((*cache)->size(), 2u);  // old1 (looked up) and new
  auto reloaded = StatCache::Load(path);
  EXPECT_EQ((*reloaded)->size(), 2u);
}

TEST(StatCacheTest, SaveIntoMissingDirectoryFails) {
  auto cache = StatCache::Load("/nonexistent-distill-dir/stat-cache");
  ASSERT_TRUE(cache.ok());
  struct stat st {};
  (*cache)->Store("k", st, std::string(64, 'c'), 1);
  Status s = (*cache)->Save();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("/nonexistent-distill-dir/stat-cache"), std::string::npos);
}

}  // namespace
}  // namespace distill::context
