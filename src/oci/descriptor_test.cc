#include "oci/descriptor.h"

#include <gtest/gtest.h>

#include "oci/canonical_json.h"
#include "oci/media_types.h"

namespace distill::oci {
namespace {

Result<Descriptor> Read(std::string_view text) {
  auto j = ParseJson(text, "test");
  if (!j.ok()) return j.status();
  DISTILL_ASSIGN_OR_RETURN(JsonFields f, JsonFields::Of(*j, "index x", "manifests[3]"));
  return DescriptorFromJson(f);
}

TEST(DescriptorTest, DescriptorOfBytes) {
  Descriptor d = DescriptorOf(media_type::kOciEmpty, "{}");
  EXPECT_EQ(d.media_type, "application/vnd.oci.empty.v1+json");
  EXPECT_EQ(d.digest.str(),
            "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  EXPECT_EQ(d.size, 2);
  EXPECT_EQ(
      *CanonicalJson(DescriptorToJson(d)),
      R"({"digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","mediaType":"application/vnd.oci.empty.v1+json","size":2})");
}

TEST(DescriptorTest, AllMembersRoundTrip) {
  // Every member, including "data" which the model keeps as unknown.
  std::string text =
      R"({"annotations":{"org.opencontainers.image.title":"a.txt"},"artifactType":"application/vnd.example.sbom",)"
      R"("data":"e30=","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",)"
      R"("mediaType":"application/vnd.example.thing+json",)"
      R"("platform":{"architecture":"arm","os":"linux","variant":"v7"},"size":2,"urls":["https://mirror.example/blob"]})";
  auto d = Read(text);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->artifact_type, "application/vnd.example.sbom");
  EXPECT_EQ(d->urls.size(), 1u);
  ASSERT_TRUE(d->platform.has_value());
  EXPECT_EQ(d->platform->str(), "linux/arm/v7");
  EXPECT_EQ(d->unknown["data"], "e30=");
  EXPECT_EQ(*CanonicalJson(DescriptorToJson(*d)), text);
}

TEST(DescriptorTest, ErrorsNameDocumentAndPath) {
  auto d = Read(R"({"mediaType":"a/b","digest":"sha256:e3b0","size":0})");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message().rfind("index x: manifests[3].digest: invalid digest", 0), 0u)
      << d.status().message();

  d = Read(
      R"({"mediaType":"a/b","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2,"urls":"x"})");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("manifests[3].urls: want an array"), std::string::npos);

  d = Read(
      R"({"mediaType":"a/b","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2,"platform":{"os":"linux"}})");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("manifests[3].platform.architecture: required"),
            std::string::npos)
      << d.status().message();

  d = Read(
      R"({"mediaType":"a/b","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":1.5})");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("size: want an integer"), std::string::npos);

  d = Read(
      R"({"mediaType":"a/b","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":18446744073709551615})");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("size: number out of range"), std::string::npos);

  d = Read(
      R"({"mediaType":"a/b","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2,"artifactType":"sbom"})");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("artifactType"), std::string::npos);
}

TEST(DescriptorTest, VerifyBlob) {
  Descriptor d = DescriptorOf(media_type::kOciConfig, "{\"a\":1}");
  EXPECT_TRUE(VerifyBlob("{\"a\":1}", d, "config").ok());
  // Same meaning, other bytes: not the blob.
  Status other = VerifyBlob("{\"a\":2}", d, "config of python:3.9");
  EXPECT_EQ(other.code(), Status::Code::kCorrupt);
  EXPECT_NE(other.message().find("config of python:3.9: content has digest"), std::string::npos);
  Status short_blob = VerifyBlob("{}", d, "config");
  EXPECT_NE(short_blob.message().find("size is 2 bytes, its descriptor says 7"), std::string::npos);
}

}  // namespace
}  // namespace distill::oci
