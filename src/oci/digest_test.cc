#include "oci/digest.h"

#include <gtest/gtest.h>

namespace distill::oci {
namespace {

TEST(DigestTest, ParsesAndFormats) {
  std::string s = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  auto d = Digest::Parse(s);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->str(), s);
  EXPECT_EQ(d->Short(), "e3b0c44298fc");
  EXPECT_EQ(*d, Digest::Of(""));
}

TEST(DigestTest, RejectsMalformed) {
  EXPECT_FALSE(Digest::Parse("e3b0c442").ok());
  EXPECT_FALSE(Digest::Parse("sha256:abc").ok());
  EXPECT_FALSE(Digest::Parse("md5:d41d8cd98f00b204e9800998ecf8427e").ok());
  EXPECT_FALSE(
      Digest::Parse("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")
          .ok());
}

}  // namespace
}  // namespace distill::oci
