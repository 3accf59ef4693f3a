#include "builder/cache_artifact.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "oci/manifest.h"
#include "solver/cache_key.h"

namespace distill::builder {
namespace {

solver::LayerRef Layer(const std::string& content) {
  solver::LayerRef l;
  l.blob.media_type = "application/vnd.oci.image.layer.v1.tar+gzip";
  l.blob.digest = oci::Digest::Of(content);
  l.blob.size = static_cast<int64_t>(content.size());
  l.diff_id = oci::Digest::Of("uncompressed " + content);
  return l;
}

std::string Key(const std::string& n) {
  return oci::Digest::Of(n).str();
}

CacheArtifact Sample() {
  CacheArtifact a;
  a.key_version = solver::kCacheKeyVersion;
  a.records.push_back({Key("run"), Layer("one")});
  a.records.push_back({Key("workdir exists"), std::nullopt});
  a.records.push_back({Key("same layer again"), Layer("one")});
  a.records.push_back({Key("copy"), Layer("two")});
  return a;
}

TEST(CacheArtifactTest, ConfigRoundTripsEveryRecordSortedByKey) {
  CacheArtifact a = Sample();
  auto bytes = EncodeCacheConfig(a);
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  EXPECT_NE(bytes->find("\"formatVersion\":1"), std::string::npos) << *bytes;
  auto back = DecodeCacheConfig(*bytes, "test config");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->key_version, solver::kCacheKeyVersion);
  std::sort(a.records.begin(), a.records.end(),
            [](const auto& x, const auto& y) { return x.key < y.key; });
  EXPECT_EQ(back->records, a.records);
}

TEST(CacheArtifactTest, SameRecordsGiveTheSameBytesWhateverTheOrder) {
  CacheArtifact a = Sample();
  CacheArtifact b = Sample();
  std::reverse(b.records.begin(), b.records.end());
  EXPECT_EQ(*EncodeCacheConfig(a), *EncodeCacheConfig(b));
}

TEST(CacheArtifactTest, RefusesAnotherFormatVersion) {
  auto r = DecodeCacheConfig(
      R"({"formatVersion":2,"cacheKeyVersion":"distill-cache-v1","records":[]})", "cfg");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("cache format version 2"), std::string::npos)
      << r.status().message();
}

TEST(CacheArtifactTest, RefusesMalformedRecords) {
  const char* bad[] = {
      R"({"formatVersion":1,"cacheKeyVersion":"v","records":[{"key":"nope"}]})",
      R"({"formatVersion":1,"cacheKeyVersion":"v","records":[{"key":"sha256:)"
      R"(aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","layer":{"mediaType":)"
      R"("application/vnd.oci.image.config.v1+json","digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaa)"
      R"(aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":1},"diffID":"sha256:aaaaaaaaaaaaaaaaaaaaa)"
      R"(aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}]})",
      R"({"formatVersion":1,"cacheKeyVersion":"v"})",
      R"({"formatVersion":1,"cacheKeyVersion":"v","records":{}})",
      "not json",
  };
  for (const char* text : bad) {
    auto r = DecodeCacheConfig(text, "cfg");
    EXPECT_FALSE(r.ok()) << text;
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find("cfg"), std::string::npos);
    }
  }
}

TEST(CacheArtifactTest, ManifestIsAnArtifactListingEachLayerOnce) {
  CacheArtifact a = Sample();
  std::string config = *EncodeCacheConfig(a);
  oci::Manifest m = CacheManifest(a, config);
  EXPECT_EQ(m.artifact_type, kCacheArtifactType);
  EXPECT_EQ(m.config.media_type, kCacheConfigMediaType);
  EXPECT_EQ(m.config.digest, oci::Digest::Of(config));
  ASSERT_EQ(m.layers.size(), 2u);
  std::set<std::string> layers{m.layers[0].digest.str(), m.layers[1].digest.str()};
  EXPECT_EQ(layers,
            (std::set<std::string>{oci::Digest::Of("one").str(), oci::Digest::Of("two").str()}));
  // It survives serialisation as a valid OCI manifest.
  auto bytes = oci::SerializeManifest(m);
  ASSERT_TRUE(bytes.ok());
  auto parsed = oci::ParseManifest(*bytes, "", "test");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_TRUE(CheckCacheManifest(*parsed, "test").ok());
  EXPECT_TRUE(CheckRecordsAgainstManifest(a, *parsed, "test").ok());
}

TEST(CacheArtifactTest, AnImageIsNotACache) {
  oci::Manifest image;
  image.config = oci::DescriptorOf(oci::media_type::kOciConfig, "{}");
  Status st = CheckCacheManifest(image, "registry x/y:z");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("registry x/y:z is not a distill build cache"), std::string::npos)
      << st.message();
}

TEST(CacheArtifactTest, RecordNamingAnUnlistedLayerIsCorrupt) {
  CacheArtifact a = Sample();
  oci::Manifest m = CacheManifest(a, *EncodeCacheConfig(a));
  m.layers.pop_back();
  Status st = CheckRecordsAgainstManifest(a, m, "cfg");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find(oci::Digest::Of("two").str()), std::string::npos) << st.message();
}

}  // namespace
}  // namespace distill::builder
