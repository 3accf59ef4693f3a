#include "oci/document.h"

#include <gtest/gtest.h>

#include "oci/media_types.h"

namespace distill::oci {
namespace {

namespace mt = media_type;
using nlohmann::json;

Result<std::string> Resolve(std::string_view doc, std::string_view content_type) {
  return ResolveDocumentMediaType(json::parse(doc), content_type, "ref");
}

TEST(DocumentTest, MediaTypeMemberWins) {
  EXPECT_EQ(*Resolve(R"({"mediaType":"application/vnd.oci.image.index.v1+json"})", ""),
            mt::kOciIndex);
  EXPECT_EQ(*Resolve(R"({"mediaType":"application/vnd.docker.distribution.manifest.v2+json"})",
                     "application/json"),
            mt::kDockerManifest);
  // An artifact type with a manifest-typed Content-Type: the member is believed.
  EXPECT_EQ(*Resolve(R"({"mediaType":"application/vnd.example+json"})", mt::kOciManifest),
            "application/vnd.example+json");
}

TEST(DocumentTest, ContentTypeThenShape) {
  EXPECT_EQ(*Resolve(R"({"manifests":[]})", std::string(mt::kDockerManifestList) + ";q=1"),
            mt::kDockerManifestList);
  EXPECT_EQ(*Resolve(R"({"manifests":[]})", "application/octet-stream"), mt::kOciIndex);
  EXPECT_EQ(*Resolve(R"({"config":{},"layers":[]})", ""), mt::kOciManifest);
}

TEST(DocumentTest, Refusals) {
  auto conflict =
      Resolve(R"({"mediaType":"application/vnd.oci.image.index.v1+json"})", mt::kOciManifest);
  ASSERT_FALSE(conflict.ok());
  EXPECT_NE(conflict.status().message().find("ref: mediaType"), std::string::npos);
  EXPECT_FALSE(Resolve(R"({"schemaVersion":1})", "").ok());
  EXPECT_FALSE(Resolve(R"({})", mt::kDockerManifestSchema1Signed).ok());
  EXPECT_FALSE(Resolve(R"({"mediaType":7})", "").ok());
  EXPECT_FALSE(Resolve(R"({})", "").ok());
  EXPECT_FALSE(Resolve(R"("str")", "").ok());
}

}  // namespace
}  // namespace distill::oci
