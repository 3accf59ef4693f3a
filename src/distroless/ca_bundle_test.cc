#include "distroless/ca_bundle.h"

#include <gtest/gtest.h>

namespace distill::distroless {
namespace {

std::string Pem(const std::string& body) {
  return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----";
}

TEST(CaBundleTest, RecognisesCertificatePaths) {
  EXPECT_TRUE(CaBundle::IsCertificatePath("usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt"));
  EXPECT_FALSE(CaBundle::IsCertificatePath("usr/share/ca-certificates/mozilla"));
  EXPECT_FALSE(CaBundle::IsCertificatePath("usr/share/doc/ca-certificates/x.crt"));
  EXPECT_FALSE(CaBundle::IsCertificatePath("usr/share/ca-certificates/mozilla/README"));
  EXPECT_FALSE(CaBundle::IsCertificatePath("usr/share/ca-certificates/.crt"));
}

TEST(CaBundleTest, ConcatenatesInPathOrderWithNewlines) {
  CaBundle bundle;
  ASSERT_TRUE(bundle.Add("usr/share/ca-certificates/mozilla/B.crt", Pem("BBBB")).ok());
  ASSERT_TRUE(bundle.Add("usr/share/ca-certificates/mozilla/A.crt", Pem("AAAA") + "\n").ok());
  EXPECT_EQ(bundle.size(), 2u);
  EXPECT_EQ(bundle.Render(), Pem("AAAA") + "\n" + Pem("BBBB") + "\n");
}

TEST(CaBundleTest, RejectsNonCertificates) {
  CaBundle bundle;
  Status st = bundle.Add("usr/share/ca-certificates/x/bad.crt", "hello\n");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("bad.crt"), std::string::npos);
  EXPECT_FALSE(bundle.Add("y.crt", "-----BEGIN CERTIFICATE-----\nAAAA\n").ok());
  EXPECT_EQ(bundle.size(), 0u);
  EXPECT_EQ(bundle.Render(), "");
}

}  // namespace
}  // namespace distill::distroless
