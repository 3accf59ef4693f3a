#include "oci/index.h"

#include <gtest/gtest.h>

namespace distill::oci {
namespace {

namespace mt = media_type;

// Docker's manifest list example (ppc64le and amd64 with the old "features").
constexpr char kDockerListExample[] = R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
  "manifests": [
    {
      "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
      "digest": "sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f",
      "size": 7143,
      "platform": {
        "architecture": "ppc64le",
        "os": "linux"
      }
    },
    {
      "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
      "digest": "sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270",
      "size": 7682,
      "platform": {
        "architecture": "amd64",
        "os": "linux",
        "features": [
          "sse4"
        ]
      }
    }
  ]
})";

std::string DigestOfN(int n) {
  return Digest::Of(std::to_string(n)).str();
}

// An index shaped like what BuildKit pushes for a multi-arch image: several
// platforms, arm variants, and an attestation manifest per platform.
std::string MultiArchIndex() {
  std::string entries;
  struct Entry {
    std::string platform_json;
    std::string media_type = std::string(mt::kOciManifest);
  };
  std::vector<Entry> list = {
      {R"({"architecture":"amd64","os":"linux"})"},
      {R"({"architecture":"arm","os":"linux","variant":"v6"})"},
      {R"({"architecture":"arm","os":"linux","variant":"v7"})"},
      {R"({"architecture":"arm64","os":"linux","variant":"v8"})"},
      {R"({"architecture":"s390x","os":"linux"})"},
      {R"({"architecture":"unknown","os":"unknown"})"},
      {R"({"architecture":"amd64","os":"windows","os.version":"10.0.17763.5122"})"},
  };
  for (size_t i = 0; i < list.size(); ++i) {
    if (i > 0) entries += ",";
    entries += R"({"mediaType":")" + list[i].media_type + R"(","digest":")" +
               DigestOfN(static_cast<int>(i)) + R"(","size":100,"platform":)" +
               list[i].platform_json + "}";
  }
  return R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[)" +
         entries + "]}";
}

Platform P(std::string os, std::string arch, std::string variant = "") {
  Platform p;
  p.os = std::move(os);
  p.architecture = std::move(arch);
  p.variant = std::move(variant);
  return p;
}

TEST(IndexTest, ReadsDockerManifestList) {
  auto index = ParseIndex(kDockerListExample, "", "list");
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_EQ(index->family(), MediaFamily::kDocker);
  ASSERT_EQ(index->manifests.size(), 2u);
  ASSERT_TRUE(index->manifests[1].platform.has_value());
  EXPECT_EQ(index->manifests[1].platform->unknown["features"][0], "sse4");
}

TEST(IndexTest, ConvertsBothWays) {
  auto list = ParseIndex(kDockerListExample, "", "list");
  ASSERT_TRUE(list.ok());
  auto oci = ConvertIndex(*list, MediaFamily::kOci);
  ASSERT_TRUE(oci.ok());
  EXPECT_EQ(oci->media_type, mt::kOciIndex);
  EXPECT_EQ(oci->manifests[0].media_type, mt::kOciManifest);
  auto back = ConvertIndex(*oci, MediaFamily::kDocker);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, *list);
}

TEST(IndexTest, WritesCanonicalBytes) {
  Index index;
  Descriptor d = DescriptorOf(mt::kOciManifest, "m");
  d.platform = P("linux", "arm64", "v8");
  index.manifests.push_back(d);
  index.annotations["org.opencontainers.image.ref.name"] = "v1";
  auto bytes = SerializeIndex(index);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(
      *bytes,
      R"({"annotations":{"org.opencontainers.image.ref.name":"v1"},"manifests":[{"digest":")" +
          Digest::Of("m").str() +
          R"(","mediaType":"application/vnd.oci.image.manifest.v1+json","platform":{"architecture":"arm64","os":"linux","variant":"v8"},"size":1}],)"
          R"("mediaType":"application/vnd.oci.image.index.v1+json","schemaVersion":2})");
  auto again = ParseIndex(*bytes, "", "again");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, index);
  EXPECT_EQ(*SerializeIndex(*again), *bytes);
}

TEST(IndexTest, SelectsExactPlatform) {
  auto index = ParseIndex(MultiArchIndex(), "", "multi");
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_EQ(SelectPlatform(*index, P("linux", "amd64"))->digest.str(), DigestOfN(0));
  EXPECT_EQ(SelectPlatform(*index, P("linux", "x86_64"))->digest.str(), DigestOfN(0));
  EXPECT_EQ(SelectPlatform(*index, P("linux", "arm", "v6"))->digest.str(), DigestOfN(1));
  EXPECT_EQ(SelectPlatform(*index, P("linux", "arm", "v7"))->digest.str(), DigestOfN(2));
  EXPECT_EQ(SelectPlatform(*index, P("linux", "arm"))->digest.str(), DigestOfN(2));
  EXPECT_EQ(SelectPlatform(*index, P("linux", "arm64"))->digest.str(), DigestOfN(3));
  EXPECT_EQ(SelectPlatform(*index, P("linux", "aarch64", "v8"))->digest.str(), DigestOfN(3));
  EXPECT_EQ(SelectPlatform(*index, P("linux", "s390x"))->digest.str(), DigestOfN(4));
  EXPECT_EQ(SelectPlatform(*index, P("windows", "amd64"))->digest.str(), DigestOfN(6));
}

TEST(IndexTest, FallsBackToCompatibleVariant) {
  // Only arm/v6 and arm/v5: an arm/v7 host takes v6; arm64 takes 32-bit arm.
  Index index;
  for (std::string v : {"v5", "v6"}) {
    Descriptor d = DescriptorOf(mt::kOciManifest, v);
    d.platform = P("linux", "arm", v);
    index.manifests.push_back(d);
  }
  EXPECT_EQ(SelectPlatform(index, P("linux", "arm", "v7"))->digest, Digest::Of("v6"));
  EXPECT_EQ(SelectPlatform(index, P("linux", "arm64", "v8"))->digest, Digest::Of("v6"));
  EXPECT_EQ(SelectPlatform(index, P("linux", "arm", "v5"))->digest, Digest::Of("v5"));
}

TEST(IndexTest, NoMatchListsAvailablePlatforms) {
  auto index = ParseIndex(MultiArchIndex(), "", "multi");
  ASSERT_TRUE(index.ok());
  auto d = SelectPlatform(*index, P("linux", "riscv64"));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(d.status().message(),
            "no image for platform linux/riscv64 in the index; available: linux/amd64, "
            "linux/arm/v6, linux/arm/v7, linux/arm64/v8, linux/s390x, windows/amd64");
  Index empty;
  auto none = SelectPlatform(empty, P("linux", "amd64"));
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("no entry names a platform"), std::string::npos);
}

TEST(IndexTest, FirstEntryWinsAmongEquals) {
  Index index;
  for (std::string name : {"first", "second"}) {
    Descriptor d = DescriptorOf(mt::kOciManifest, name);
    d.platform = P("linux", "amd64");
    index.manifests.push_back(d);
  }
  EXPECT_EQ(SelectPlatform(index, P("linux", "amd64"))->digest, Digest::Of("first"));
}

TEST(IndexTest, RejectsManifestsAndBadEntries) {
  auto m = ParseIndex(
      R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"})", "", "x");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("is an image manifest"), std::string::npos);

  auto bad = ParseIndex(
      R"({"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:00","size":1}]})",
      "", "sha256:feed");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("index sha256:feed: manifests[0].digest"),
            std::string::npos)
      << bad.status().message();

  auto missing = ParseIndex(
      R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json"})", "", "x");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("manifests: required field is missing"),
            std::string::npos);
}

TEST(IndexTest, ContentTypeIdentifiesAnIndexWithoutMediaType) {
  std::string doc = R"({"schemaVersion":2,"manifests":[]})";
  auto oci = ParseIndex(doc, "", "x");
  ASSERT_TRUE(oci.ok());
  EXPECT_EQ(oci->family(), MediaFamily::kOci);
  auto docker = ParseIndex(doc, mt::kDockerManifestList, "x");
  ASSERT_TRUE(docker.ok());
  EXPECT_EQ(docker->family(), MediaFamily::kDocker);
  EXPECT_FALSE(ParseIndex(doc, mt::kOciManifest, "x").ok());
}

}  // namespace
}  // namespace distill::oci
