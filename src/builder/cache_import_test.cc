#include "builder/cache_import.h"

#include <gtest/gtest.h>

#include <fstream>
#include <mutex>

#include "builder/cache_artifact_testing.h"
#include "builder/cache_export.h"

namespace distill::builder {
namespace {

using testing::Key;
using testing::TempDir;

// Machine A: a store with two records, exported to TMP/cache. Machine B: an
// empty store that imports them.
class CacheImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto a = testing::OpenStore(tmp_.path() + "/a");
    ASSERT_TRUE(a);
    layer_ = testing::PutLayer(*a, "layer made by RUN");
    testing::PutRecord(*a, Key("run"), layer_);
    testing::PutRecord(*a, Key("noop"), std::nullopt);
    auto dest = OpenCacheDirectory(CacheDir());
    ASSERT_TRUE(dest.ok());
    ASSERT_TRUE(ExportCache(*a, {Key("run"), Key("noop")}, dest->get()).ok());
  }

  std::string CacheDir() const { return tmp_.path() + "/cache"; }
  std::string BlobPath() const { return CacheDir() + "/blobs/sha256/" + layer_.blob.digest.hex(); }

  // Loads `dirs` as --cache-from sources, collecting warnings.
  ImportedRecords Load(std::vector<std::string> dirs) {
    std::vector<std::unique_ptr<CacheArtifactStore>> sources;
    for (const std::string& d : dirs) sources.push_back(std::move(OpenCacheDirectory(d)).value());
    return ImportedRecords::Load(std::move(sources), Warn());
  }
  CacheWarningFn Warn() {
    return [this](const std::string& m) {
      std::lock_guard<std::mutex> lock(mu_);
      warnings_ += m + "\n";
    };
  }

  TempDir tmp_;
  solver::LayerRef layer_;
  std::mutex mu_;
  std::string warnings_;
};

TEST_F(CacheImportTest, HitFetchesTheBlobAndMergesTheRecord) {
  ImportedRecords imported = Load({CacheDir()});
  EXPECT_EQ(imported.size(), 2u);
  EXPECT_EQ(warnings_, "");
  StorePool pool(tmp_.path() + "/b");
  StoreCache local(&pool);
  ImportingCache cache(&pool, &local, &imported, Warn());

  auto hit = cache.Lookup(Key("run"));
  ASSERT_TRUE(hit.ok()) << hit.status().message();
  ASSERT_TRUE(hit->has_value());
  EXPECT_EQ((*hit)->layer, layer_);
  auto noop = cache.Lookup(Key("noop"));
  ASSERT_TRUE(noop.ok() && noop->has_value());
  EXPECT_FALSE((*noop)->layer.has_value());
  auto miss = cache.Lookup(Key("never built"));
  ASSERT_TRUE(miss.ok());
  EXPECT_FALSE(miss->has_value());

  // Store B now has the blob and the records of its own.
  auto b = testing::OpenStore(tmp_.path() + "/b");
  EXPECT_TRUE(b->blobs().Exists(layer_.blob.digest));
  auto merged = ReadCacheRecord(*b, Key("run"));
  ASSERT_TRUE(merged.ok() && merged->has_value());
  EXPECT_EQ((*merged)->layer, layer_);
  EXPECT_EQ(warnings_, "");
}

TEST_F(CacheImportTest, TamperedBlobIsAMissAndNeverStored) {
  {
    // Same size, other bytes: only the digest can tell.
    std::string bytes = "layer made by RUN";
    bytes[0] = 'L';
    std::ofstream(BlobPath(), std::ios::binary | std::ios::trunc) << bytes;
  }
  ImportedRecords imported = Load({CacheDir()});
  StorePool pool(tmp_.path() + "/b");
  StoreCache local(&pool);
  ImportingCache cache(&pool, &local, &imported, Warn());
  auto r = cache.Lookup(Key("run"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->has_value());
  EXPECT_NE(warnings_.find("not using the cached result " + Key("run")), std::string::npos)
      << warnings_;
  EXPECT_NE(warnings_.find(layer_.blob.digest.str()), std::string::npos) << warnings_;
  auto b = testing::OpenStore(tmp_.path() + "/b");
  EXPECT_FALSE(b->blobs().Exists(layer_.blob.digest));
  auto record = ReadCacheRecord(*b, Key("run"));
  ASSERT_TRUE(record.ok());
  EXPECT_FALSE(record->has_value());
}

TEST_F(CacheImportTest, MissingBlobIsAMiss) {
  std::filesystem::remove(BlobPath());
  ImportedRecords imported = Load({CacheDir()});
  StorePool pool(tmp_.path() + "/b");
  StoreCache local(&pool);
  ImportingCache cache(&pool, &local, &imported, Warn());
  auto r = cache.Lookup(Key("run"));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  EXPECT_NE(warnings_.find("has no blob"), std::string::npos) << warnings_;
}

TEST_F(CacheImportTest, WrongDiffIdIsRejected) {
  auto b = testing::OpenStore(tmp_.path() + "/b");
  auto source = OpenCacheDirectory(CacheDir());
  solver::LayerRef lying = layer_;
  lying.diff_id = oci::Digest::Of("something else");
  Status st = FetchCachedLayer(*b, source->get(), lying);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), Status::Code::kCorrupt) << st.message();
  EXPECT_TRUE(FetchCachedLayer(*b, source->get(), layer_).ok());
}

TEST_F(CacheImportTest, UnusableSourcesAreSkippedWithAWarning) {
  // The config blob no longer matches its digest.
  auto artifact = ReadCacheArtifact(std::move(OpenCacheDirectory(CacheDir())).value().get());
  ASSERT_TRUE(artifact.ok() && artifact->has_value());
  for (const auto& entry : std::filesystem::directory_iterator(CacheDir() + "/blobs/sha256")) {
    std::ifstream in(entry.path());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.find("\"formatVersion\"") == std::string::npos) continue;
    text.replace(text.find("\"records\""), 9, "\"recordz\"");
    std::ofstream(entry.path(), std::ios::trunc) << text;
  }
  ImportedRecords imported = Load({CacheDir(), tmp_.path() + "/nothing-here"});
  EXPECT_EQ(imported.size(), 0u);
  EXPECT_NE(warnings_.find("cache config"), std::string::npos) << warnings_;
  EXPECT_NE(warnings_.find("nothing-here: no cache there yet"), std::string::npos) << warnings_;
  EXPECT_FALSE(std::filesystem::exists(tmp_.path() + "/nothing-here"));
}

TEST_F(CacheImportTest, LocalRecordsWinOverImportedOnes) {
  auto b = testing::OpenStore(tmp_.path() + "/b");
  solver::LayerRef mine = testing::PutLayer(*b, "built here");
  testing::PutRecord(*b, Key("run"), mine);
  b.reset();
  ImportedRecords imported = Load({CacheDir()});
  StorePool pool(tmp_.path() + "/b");
  StoreCache local(&pool);
  ImportingCache cache(&pool, &local, &imported, Warn());
  auto r = cache.Lookup(Key("run"));
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->layer, mine);
}

}  // namespace
}  // namespace distill::builder
