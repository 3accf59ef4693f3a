#include "oci/media_types.h"

#include <gtest/gtest.h>

namespace distill::oci {
namespace {

namespace mt = media_type;

TEST(MediaTypesTest, ExactSpellings) {
  EXPECT_EQ(mt::kOciManifest, "application/vnd.oci.image.manifest.v1+json");
  EXPECT_EQ(mt::kOciIndex, "application/vnd.oci.image.index.v1+json");
  EXPECT_EQ(mt::kOciConfig, "application/vnd.oci.image.config.v1+json");
  EXPECT_EQ(mt::kOciLayerTarGzip, "application/vnd.oci.image.layer.v1.tar+gzip");
  EXPECT_EQ(mt::kOciLayerTarZstd, "application/vnd.oci.image.layer.v1.tar+zstd");
  EXPECT_EQ(mt::kOciLayerNondistributableTarGzip,
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip");
  EXPECT_EQ(mt::kDockerManifest, "application/vnd.docker.distribution.manifest.v2+json");
  EXPECT_EQ(mt::kDockerManifestList, "application/vnd.docker.distribution.manifest.list.v2+json");
  EXPECT_EQ(mt::kDockerConfig, "application/vnd.docker.container.image.v1+json");
  EXPECT_EQ(mt::kDockerLayerTarGzip, "application/vnd.docker.image.rootfs.diff.tar.gzip");
  EXPECT_EQ(mt::kDockerForeignLayerTarGzip,
            "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip");
}

TEST(MediaTypesTest, Classification) {
  EXPECT_TRUE(IsManifestMediaType(mt::kDockerManifest));
  EXPECT_FALSE(IsManifestMediaType(mt::kOciIndex));
  EXPECT_TRUE(IsIndexMediaType(mt::kDockerManifestList));
  EXPECT_TRUE(IsConfigMediaType(mt::kDockerConfig));
  EXPECT_TRUE(IsLayerMediaType(mt::kOciLayerNondistributableTarZstd));
  EXPECT_TRUE(IsLayerMediaType(mt::kDockerForeignLayerTarGzip));
  EXPECT_FALSE(IsLayerMediaType(mt::kOciConfig));
  EXPECT_TRUE(IsDockerMediaType(mt::kDockerLayerTarGzip));
  EXPECT_FALSE(IsDockerMediaType(mt::kOciLayerTarGzip));
  EXPECT_TRUE(IsKnownMediaType(mt::kOciEmpty));
  EXPECT_FALSE(IsKnownMediaType("application/vnd.example.thing+json"));
}

TEST(MediaTypesTest, LayerCompression) {
  EXPECT_EQ(*LayerCompressionOf(mt::kOciLayerTar), LayerCompression::kNone);
  EXPECT_EQ(*LayerCompressionOf(mt::kOciLayerTarGzip), LayerCompression::kGzip);
  EXPECT_EQ(*LayerCompressionOf(mt::kDockerLayerTarGzip), LayerCompression::kGzip);
  EXPECT_EQ(*LayerCompressionOf(mt::kOciLayerNondistributableTarZstd), LayerCompression::kZstd);
  EXPECT_EQ(*LayerCompressionOf(mt::kDockerLayerTar), LayerCompression::kNone);
  EXPECT_FALSE(LayerCompressionOf(mt::kOciManifest).ok());
}

TEST(MediaTypesTest, WellFormed) {
  EXPECT_TRUE(IsWellFormedMediaType("application/vnd.example.sbom+json"));
  EXPECT_FALSE(IsWellFormedMediaType("application"));
  EXPECT_FALSE(IsWellFormedMediaType("application/"));
  EXPECT_FALSE(IsWellFormedMediaType("/json"));
  EXPECT_FALSE(IsWellFormedMediaType("application/json; charset=utf-8"));
  EXPECT_FALSE(IsWellFormedMediaType("a/b/c"));
}

TEST(MediaTypesTest, ContentTypeStripsParameters) {
  EXPECT_EQ(MediaTypeFromContentType(" Application/VND.oci.image.index.v1+json ; charset=utf-8"),
            mt::kOciIndex);
  EXPECT_EQ(MediaTypeFromContentType(""), "");
}

TEST(MediaTypesTest, ConversionIsSymmetric) {
  for (auto oci :
       {mt::kOciManifest, mt::kOciIndex, mt::kOciConfig, mt::kOciLayerTar, mt::kOciLayerTarGzip,
        mt::kOciLayerNondistributableTar, mt::kOciLayerNondistributableTarGzip}) {
    auto docker = ConvertMediaType(oci, MediaFamily::kDocker);
    ASSERT_TRUE(docker.ok()) << oci;
    EXPECT_TRUE(IsDockerMediaType(*docker)) << *docker;
    EXPECT_EQ(*ConvertMediaType(*docker, MediaFamily::kOci), oci);
    EXPECT_EQ(*ConvertMediaType(oci, MediaFamily::kOci), oci);
  }
  EXPECT_EQ(*ConvertMediaType(mt::kOciLayerNondistributableTarGzip, MediaFamily::kDocker),
            mt::kDockerForeignLayerTarGzip);
}

TEST(MediaTypesTest, ConversionRefusesWhatDockerCannotSay) {
  auto r = ConvertMediaType(mt::kOciLayerTarZstd, MediaFamily::kDocker);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("zstd"), std::string::npos);
  EXPECT_EQ(*ConvertMediaType(mt::kOciLayerTarZstd, MediaFamily::kOci), mt::kOciLayerTarZstd);
  EXPECT_FALSE(ConvertMediaType(mt::kDockerManifestSchema1Signed, MediaFamily::kOci).ok());
  // Artifacts pass through unchanged.
  EXPECT_EQ(*ConvertMediaType("application/vnd.example+json", MediaFamily::kDocker),
            "application/vnd.example+json");
}

}  // namespace
}  // namespace distill::oci
