#include "archive/verifying_reader.h"

#include <gtest/gtest.h>

namespace distill::archive {
namespace {

Result<std::string> Drain(Reader* r) {
  std::string out;
  char buf[7];
  for (;;) {
    DISTILL_ASSIGN_OR_RETURN(size_t n, r->Read(buf, sizeof(buf)));
    if (n == 0) return out;
    out.append(buf, n);
  }
}

const std::string kData = "the quick brown fox jumps over the lazy dog";

TEST(VerifyingReaderTest, PassesMatchingContent) {
  StringReader source(kData);
  VerifyingReader r(&source, oci::Digest::Of(kData), "blob", kData.size());
  auto out = Drain(&r);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(*out, kData);
  EXPECT_TRUE(r.verified());
  EXPECT_EQ(r.bytes(), kData.size());
  char c;
  EXPECT_EQ(*r.Read(&c, 1), 0u);  // end stays end
}

TEST(VerifyingReaderTest, ReportsDigestMismatchAtEnd) {
  StringReader source(kData + "!");
  oci::Digest want = oci::Digest::Of(kData);
  VerifyingReader r(&source, want, "sha256:abc blob from registry.example");
  auto out = Drain(&r);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), Status::Code::kCorrupt);
  EXPECT_NE(out.status().message().find("digest mismatch"), std::string::npos);
  EXPECT_NE(out.status().message().find(want.str()), std::string::npos);
  EXPECT_NE(out.status().message().find("registry.example"), std::string::npos);
  EXPECT_FALSE(r.verified());
  char c;
  EXPECT_FALSE(r.Read(&c, 1).ok());  // the failure sticks
}

TEST(VerifyingReaderTest, ReportsSizeMismatch) {
  StringReader short_source(kData);
  VerifyingReader too_short(&short_source, oci::Digest::Of(kData), "blob", kData.size() + 1);
  auto a = Drain(&too_short);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("size mismatch"), std::string::npos);

  StringReader long_source(kData);
  VerifyingReader too_long(&long_source, oci::Digest::Of(kData), "blob", 10);
  auto b = Drain(&too_long);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("more than the expected 10 bytes"), std::string::npos);
}

}  // namespace
}  // namespace distill::archive
