#include "oci/manifest.h"

#include <gtest/gtest.h>

namespace distill::oci {
namespace {

namespace mt = media_type;

// The example of the OCI image spec (manifest.md), as a registry serves it.
constexpr char kOciSpecExample[] = R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.manifest.v1+json",
  "config": {
    "mediaType": "application/vnd.oci.image.config.v1+json",
    "digest": "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7",
    "size": 7023
  },
  "layers": [
    {
      "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
      "digest": "sha256:9834876dcfb05cb167a5c24953eba58c4ac89b1adf57f28f2f9d09af107ee8f0",
      "size": 32654
    },
    {
      "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
      "digest": "sha256:3c3a4604a545cdc127456d94e421cd355bca5b528f4a9c1905b15da2eb4a4c6b",
      "size": 16724
    },
    {
      "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
      "digest": "sha256:ec4b8955958665577945c89419d1af06b5f7636b4ac3da7f12184802ad867736",
      "size": 73109
    }
  ],
  "subject": {
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "digest": "sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270",
    "size": 7682
  },
  "annotations": {
    "com.example.key1": "value1",
    "com.example.key2": "value2"
  }
})";

// The example of Docker's "Image Manifest V2, Schema 2" document.
constexpr char kDockerSpecExample[] = R"({
    "schemaVersion": 2,
    "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
    "config": {
        "mediaType": "application/vnd.docker.container.image.v1+json",
        "size": 7023,
        "digest": "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"
    },
    "layers": [
        {
            "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
            "size": 32654,
            "digest": "sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f"
        },
        {
            "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
            "size": 16724,
            "digest": "sha256:3c3a4604a545cdc127456d94e421cd355bca5b528f4a9c1905b15da2eb4a4c6b"
        },
        {
            "mediaType": "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
            "size": 73109,
            "digest": "sha256:ec4b8955958665577945c89419d1af06b5f7636b4ac3da7f12184802ad867736",
            "urls": ["https://example.com/layer.tar.gz"]
        }
    ]
})";

constexpr char kDigestA[] =
    "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7";

TEST(ManifestTest, ReadsOciSpecExample) {
  auto m = ParseManifest(kOciSpecExample, "", "example");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->family(), MediaFamily::kOci);
  EXPECT_EQ(m->config.media_type, mt::kOciConfig);
  EXPECT_EQ(m->config.digest.str(), kDigestA);
  EXPECT_EQ(m->config.size, 7023);
  ASSERT_EQ(m->layers.size(), 3u);
  EXPECT_EQ(m->layers[2].size, 73109);
  ASSERT_TRUE(m->subject.has_value());
  EXPECT_EQ(m->subject->size, 7682);
  EXPECT_EQ(m->annotations.at("com.example.key2"), "value2");
}

TEST(ManifestTest, WritesCanonicalBytes) {
  auto m = ParseManifest(kOciSpecExample, "", "example");
  ASSERT_TRUE(m.ok());
  auto bytes = SerializeManifest(*m);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(
      *bytes,
      R"({"annotations":{"com.example.key1":"value1","com.example.key2":"value2"},)"
      R"("config":{"digest":"sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7","mediaType":"application/vnd.oci.image.config.v1+json","size":7023},)"
      R"("layers":[)"
      R"({"digest":"sha256:9834876dcfb05cb167a5c24953eba58c4ac89b1adf57f28f2f9d09af107ee8f0","mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":32654},)"
      R"({"digest":"sha256:3c3a4604a545cdc127456d94e421cd355bca5b528f4a9c1905b15da2eb4a4c6b","mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":16724},)"
      R"({"digest":"sha256:ec4b8955958665577945c89419d1af06b5f7636b4ac3da7f12184802ad867736","mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":73109}],)"
      R"("mediaType":"application/vnd.oci.image.manifest.v1+json","schemaVersion":2,)"
      R"("subject":{"digest":"sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270","mediaType":"application/vnd.oci.image.manifest.v1+json","size":7682}})");
  // Canonical bytes read back and write again to themselves.
  auto again = ParseManifest(*bytes, "", "canonical");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *m);
  EXPECT_EQ(*SerializeManifest(*again), *bytes);
}

TEST(ManifestTest, NewManifestIsOci) {
  Manifest m;
  m.config = DescriptorOf(mt::kOciConfig, "{}");
  m.layers.push_back(DescriptorOf(mt::kOciLayerTarGzip, "layer"));
  auto bytes = SerializeManifest(m);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(
      *bytes,
      R"({"config":{"digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","mediaType":"application/vnd.oci.image.config.v1+json","size":2},)"
      R"("layers":[{"digest":"sha256:)" +
          Digest::Of("layer").hex() +
          R"(","mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":5}],)"
          R"("mediaType":"application/vnd.oci.image.manifest.v1+json","schemaVersion":2})");
}

TEST(ManifestTest, ReadsDockerSpecExampleAndConvertsToOci) {
  auto m = ParseManifest(kDockerSpecExample, "", "docker-example");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->family(), MediaFamily::kDocker);
  EXPECT_EQ(m->layers[2].urls, std::vector<std::string>{"https://example.com/layer.tar.gz"});
  auto oci = ConvertManifest(*m, MediaFamily::kOci);
  ASSERT_TRUE(oci.ok()) << oci.status().message();
  EXPECT_EQ(oci->media_type, mt::kOciManifest);
  EXPECT_EQ(oci->config.media_type, mt::kOciConfig);
  EXPECT_EQ(oci->layers[0].media_type, mt::kOciLayerTarGzip);
  EXPECT_EQ(oci->layers[2].media_type, mt::kOciLayerNondistributableTarGzip);
  EXPECT_EQ(oci->layers[2].digest, m->layers[2].digest);
  // And back: the same Docker manifest.
  auto docker = ConvertManifest(*oci, MediaFamily::kDocker);
  ASSERT_TRUE(docker.ok());
  EXPECT_EQ(*docker, *m);
}

TEST(ManifestTest, WritesDockerOnRequest) {
  Manifest m;
  m.config = DescriptorOf(mt::kOciConfig, "{}");
  m.layers.push_back(DescriptorOf(mt::kOciLayerTarGzip, "layer"));
  m.annotations["org.opencontainers.image.created"] = "2024-01-01T00:00:00Z";
  auto docker = ConvertManifest(m, MediaFamily::kDocker);
  ASSERT_TRUE(docker.ok());
  auto bytes = SerializeManifest(*docker);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(
      *bytes,
      R"({"config":{"digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","mediaType":"application/vnd.docker.container.image.v1+json","size":2},)"
      R"("layers":[{"digest":"sha256:)" +
          Digest::Of("layer").hex() +
          R"(","mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":5}],)"
          R"("mediaType":"application/vnd.docker.distribution.manifest.v2+json","schemaVersion":2})");
}

TEST(ManifestTest, DockerConversionRefusesZstdAndSubject) {
  Manifest m;
  m.config = DescriptorOf(mt::kOciConfig, "{}");
  m.layers.push_back(DescriptorOf(mt::kOciLayerTarGzip, "a"));
  m.layers.push_back(DescriptorOf(mt::kOciLayerTarZstd, "b"));
  auto r = ConvertManifest(m, MediaFamily::kDocker);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("layers[1]"), std::string::npos) << r.status().message();
  m.layers.pop_back();
  m.subject = DescriptorOf(mt::kOciManifest, "x");
  EXPECT_FALSE(ConvertManifest(m, MediaFamily::kDocker).ok());
}

TEST(ManifestTest, PreservesUnknownMembers) {
  std::string in =
      R"({"config":{"digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","mediaType":"application/vnd.oci.image.config.v1+json","size":2,"x-extra":{"k":[1,2]}},)"
      R"("layers":[],"mediaType":"application/vnd.oci.image.manifest.v1+json","schemaVersion":2,"zz-vendor":"v"})";
  auto m = ParseManifest(in, "", "x");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->unknown["zz-vendor"], "v");
  EXPECT_EQ(*SerializeManifest(*m), in);
}

TEST(ManifestTest, OciWithoutMediaTypeUsesContentTypeOrShape) {
  std::string in =
      R"({"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":")" +
      std::string(kDigestA) + R"(","size":1},"layers":[]})";
  auto m = ParseManifest(in, "", "x");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->media_type, "");  // written back as read
  EXPECT_EQ(m->family(), MediaFamily::kOci);
  auto docker = ParseManifest(in, std::string(mt::kDockerManifest) + "; charset=utf-8", "x");
  ASSERT_TRUE(docker.ok()) << docker.status().message();
  EXPECT_EQ(docker->family(), MediaFamily::kDocker);
}

struct BadManifest {
  std::string json;
  std::string content_type;
  std::string error;
};

class BadManifestTest : public testing::TestWithParam<BadManifest> {};

TEST_P(BadManifestTest, SaysWhichFieldIsWrong) {
  auto m = ParseManifest(GetParam().json, GetParam().content_type, "sha256:abc");
  ASSERT_FALSE(m.ok()) << GetParam().json;
  EXPECT_NE(m.status().message().find(GetParam().error), std::string::npos) << m.status().message();
}

const std::string kConfig =
    R"("config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":")" +
    std::string(kDigestA) + R"(","size":7}})";

INSTANTIATE_TEST_SUITE_P(
    Table, BadManifestTest,
    testing::Values(
        BadManifest{"not json", "", "manifest sha256:abc: invalid JSON"},
        BadManifest{"[]", "", "manifest sha256:abc: want a JSON object"},
        BadManifest{R"({"schemaVersion":1,"name":"x","fsLayers":[]})", "", "schema 1"},
        BadManifest{R"({"schemaVersion":2,"layers":[]})",
                    std::string(mt::kDockerManifestSchema1Signed), "schema 1"},
        BadManifest{R"({"schemaVersion":3,"layers":[],)" + kConfig, "",
                    "schemaVersion: want 2, got 3"},
        BadManifest{R"({"layers":[],)" + kConfig, "", "schemaVersion: required field is missing"},
        BadManifest{R"({"schemaVersion":"2","layers":[],)" + kConfig, "",
                    "schemaVersion: want an integer"},
        BadManifest{R"({"schemaVersion":2,"layers":[]})", "",
                    "manifest sha256:abc: config: required field is missing"},
        BadManifest{R"({"schemaVersion":2,)" + kConfig, "", "layers: required field is missing"},
        BadManifest{R"({"schemaVersion":2,"layers":{},)" + kConfig, "", "layers: want an array"},
        BadManifest{
            R"({"schemaVersion":2,"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:12","size":1}],)" +
                kConfig,
            "", "layers[0].digest: invalid digest"},
        BadManifest{
            R"({"schemaVersion":2,"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":")" +
                std::string(kDigestA) + R"(","size":-1}],)" + kConfig,
            "", "layers[0].size: must not be negative"},
        BadManifest{
            R"({"schemaVersion":2,"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":")" +
                std::string(kDigestA) + R"("}],)" + kConfig,
            "", "layers[0].size: required field is missing"},
        BadManifest{R"({"schemaVersion":2,"layers":[{"mediaType":"tar","digest":")" +
                        std::string(kDigestA) + R"(","size":1}],)" + kConfig,
                    "", "layers[0].mediaType: \"tar\" is not a media type"},
        BadManifest{R"({"schemaVersion":2,"layers":[{"digest":")" + std::string(kDigestA) +
                        R"(","size":1}],)" + kConfig,
                    "", "layers[0].mediaType: required field is missing"},
        BadManifest{R"({"schemaVersion":2,"layers":[],"annotations":{"a":1},)" + kConfig, "",
                    "annotations.a: want a string"},
        BadManifest{
            R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]})",
            "", "is an image index"},
        BadManifest{
            R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[],)" +
                kConfig,
            std::string(mt::kDockerManifest), "disagrees with Content-Type"},
        BadManifest{
            R"({"schemaVersion":2,"mediaType":"application/vnd.example+json","layers":[],)" +
                kConfig,
            "", "is not an image manifest"},
        BadManifest{R"({"foo":1})", "", "neither an image manifest nor an image index"}));

}  // namespace
}  // namespace distill::oci
