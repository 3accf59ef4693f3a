#include "debian/release.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "debian/release_test_data.h"

namespace distill::debian {
namespace {

constexpr const char* kUrl = "http://mirror.test/debian/dists/testcode/InRelease";
constexpr const char* kDebianKeyring = "/usr/share/keyrings/debian-archive-keyring.gpg";

TrustedKeys InlineTestKey() {
  return TrustedKeys{{}, testdata::kTestKeyArmored};
}

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class ReleaseVerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access("/usr/bin/gpgv", X_OK) != 0) GTEST_SKIP() << "gpgv is not installed";
  }
  GpgvVerifier verifier_;
};

TEST_F(ReleaseVerifyTest, ClearsignedWithInlineKey) {
  auto body = verifier_.VerifyClearsigned(testdata::kTestInRelease, InlineTestKey(), kUrl);
  ASSERT_TRUE(body.ok()) << body.status().message();
  EXPECT_EQ(*body, testdata::kTestRelease);
  auto release = ParseRelease(*body, kUrl);
  ASSERT_TRUE(release.ok()) << release.status().message();
  EXPECT_EQ(release->suite, "testing-suite");
}

TEST_F(ReleaseVerifyTest, ClearsignedWithKeyringFile) {
  auto binary = DearmorKey(testdata::kTestKeyArmored);
  ASSERT_TRUE(binary.ok());
  std::string path = ::testing::TempDir() + "/distill-test-keyring.gpg";
  std::ofstream(path, std::ios::binary) << *binary;
  auto body = verifier_.VerifyClearsigned(testdata::kTestInRelease, TrustedKeys{{path}, ""}, kUrl);
  std::filesystem::remove(path);
  ASSERT_TRUE(body.ok()) << body.status().message();
  EXPECT_EQ(*body, testdata::kTestRelease);
}

TEST_F(ReleaseVerifyTest, TamperedClearsignedIsRejected) {
  std::string tampered = testdata::kTestInRelease;
  size_t at = tampered.find("Suite: testing-suite");
  ASSERT_NE(at, std::string::npos);
  tampered[at + 7] ^= 0x01;  // flip one bit of the suite name
  auto body = verifier_.VerifyClearsigned(tampered, InlineTestKey(), kUrl);
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.status().code(), Status::Code::kCorrupt);
  EXPECT_NE(body.status().message().find(kUrl), std::string::npos) << body.status().message();
  EXPECT_NE(body.status().message().find("bad OpenPGP signature"), std::string::npos);
}

TEST_F(ReleaseVerifyTest, UnknownKeyIsRejected) {
  if (access(kDebianKeyring, R_OK) != 0) GTEST_SKIP() << "debian-archive-keyring not installed";
  auto body = verifier_.VerifyClearsigned(testdata::kTestInRelease,
                                          TrustedKeys{{kDebianKeyring}, ""}, kUrl);
  ASSERT_FALSE(body.ok());
  EXPECT_NE(body.status().message().find("unknown key"), std::string::npos)
      << body.status().message();
}

TEST_F(ReleaseVerifyTest, UnsignedOrWrappedInputIsRejected) {
  auto plain = verifier_.VerifyClearsigned(testdata::kTestRelease, InlineTestKey(), kUrl);
  ASSERT_FALSE(plain.ok());
  EXPECT_NE(plain.status().message().find("not a clearsigned file"), std::string::npos);

  std::string prefixed = std::string("Suite: evil\n\n") + testdata::kTestInRelease;
  EXPECT_FALSE(verifier_.VerifyClearsigned(prefixed, InlineTestKey(), kUrl).ok());

  // Text after the signature is not signed: it must not reach the parsed body.
  std::string suffixed = std::string(testdata::kTestInRelease) + "Suite: evil\n";
  auto body = verifier_.VerifyClearsigned(suffixed, InlineTestKey(), kUrl);
  ASSERT_TRUE(body.ok()) << body.status().message();
  EXPECT_EQ(body->find("evil"), std::string::npos);

  auto missing = verifier_.VerifyClearsigned(testdata::kTestInRelease,
                                             TrustedKeys{{"/nonexistent/keyring.gpg"}, ""}, kUrl);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/keyring.gpg"), std::string::npos);
  EXPECT_FALSE(verifier_.VerifyClearsigned(testdata::kTestInRelease, TrustedKeys{}, kUrl).ok());
}

TEST_F(ReleaseVerifyTest, DetachedSignature) {
  auto body = verifier_.VerifyDetached(testdata::kTestRelease, testdata::kTestReleaseGpg,
                                       InlineTestKey(), "http://m/Release");
  ASSERT_TRUE(body.ok()) << body.status().message();
  EXPECT_EQ(*body, testdata::kTestRelease);

  std::string tampered = testdata::kTestRelease;
  tampered.back() = ' ';
  auto bad = verifier_.VerifyDetached(tampered, testdata::kTestReleaseGpg, InlineTestKey(),
                                      "http://m/Release");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("http://m/Release"), std::string::npos);
}

// A real Debian InRelease as apt left it on this host, when there is one.
TEST_F(ReleaseVerifyTest, RealDebianInReleaseAndATamperedCopy) {
  std::string path;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/var/lib/apt/lists", ec)) {
    std::string name = e.path().filename().string();
    if (name.ends_with("_InRelease") && name.find("debian") != std::string::npos) {
      path = e.path().string();
      break;
    }
  }
  if (path.empty() || access(kDebianKeyring, R_OK) != 0) {
    GTEST_SKIP() << "no Debian InRelease in /var/lib/apt/lists or no archive keyring";
  }
  std::string real = ReadFileOrEmpty(path);
  TrustedKeys keys{{kDebianKeyring}, ""};
  auto body = verifier_.VerifyClearsigned(real, keys, path);
  ASSERT_TRUE(body.ok()) << body.status().message();
  auto release = ParseRelease(*body, path);
  ASSERT_TRUE(release.ok()) << release.status().message();
  EXPECT_EQ(release->origin, "Debian");
  EXPECT_FALSE(release->files.empty());

  std::string tampered = real;
  size_t at = tampered.find("SHA256:");
  ASSERT_NE(at, std::string::npos);
  tampered[at + 12] = tampered[at + 12] == 'a' ? 'b' : 'a';  // one hex digit of the first hash
  auto rejected = verifier_.VerifyClearsigned(tampered, keys, path);
  ASSERT_FALSE(rejected.ok());
  EXPECT_NE(rejected.status().message().find(path), std::string::npos);
}

TEST(GpgvStatusTest, Verdicts) {
  const std::string good =
      "[GNUPG:] NEWSIG\n[GNUPG:] GOODSIG 6ED0E7B82643E131 Debian\n"
      "[GNUPG:] VALIDSIG 4CB50190207B4758A3F73A796ED0E7B82643E131 2026-07-11 1783765031 0 4 0 1 "
      "8 01 B8B80B5B623EAB6AD8775C45B7C5D7D6350947F8\n";
  EXPECT_TRUE(JudgeGpgvStatus(good, "u").ok());
  // One unknown key among good signatures is fine (archives sign with several keys).
  EXPECT_TRUE(JudgeGpgvStatus("[GNUPG:] NO_PUBKEY 1234\n" + good, "u").ok());
  auto bad = JudgeGpgvStatus(good + "[GNUPG:] BADSIG 78DBA3BC47EF2265 Debian\n", "u");
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("78DBA3BC47EF2265"), std::string::npos);
  auto sha1 = JudgeGpgvStatus(
      "[GNUPG:] GOODSIG A x\n[GNUPG:] VALIDSIG AAAA 2020-01-01 1 0 4 0 1 2 01 AAAA\n", "u");
  ASSERT_FALSE(sha1.ok());
  EXPECT_NE(sha1.message().find("weak digest"), std::string::npos);
  auto none = JudgeGpgvStatus("", "http://x/InRelease");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.message(), "no valid OpenPGP signature on http://x/InRelease: no signature");
  auto expired = JudgeGpgvStatus("[GNUPG:] EXPKEYSIG ABCD x\n", "u");
  ASSERT_FALSE(expired.ok());
  EXPECT_NE(expired.message().find("EXPKEYSIG ABCD"), std::string::npos);
}

TEST(DearmorTest, DecodesAndRejects) {
  auto binary = DearmorKey(testdata::kTestKeyArmored);
  ASSERT_TRUE(binary.ok()) << binary.status().message();
  ASSERT_FALSE(binary->empty());
  EXPECT_EQ(static_cast<unsigned char>((*binary)[0]) & 0x80, 0x80);  // an OpenPGP packet tag
  EXPECT_FALSE(DearmorKey("no key here").ok());
  EXPECT_FALSE(DearmorKey("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDME\n").ok());
  EXPECT_FALSE(
      DearmorKey(
          "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nm*ME\n-----END PGP PUBLIC KEY BLOCK-----\n")
          .ok());
}

TEST(ReleaseParseTest, Fields) {
  auto r = ParseRelease(testdata::kTestRelease, kUrl);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->origin, "Distill Test");
  EXPECT_EQ(r->codename, "testcode");
  EXPECT_TRUE(r->acquire_by_hash);
  EXPECT_EQ(r->architectures, (std::vector<std::string>{"amd64", "arm64"}));
  EXPECT_EQ(r->components, std::vector<std::string>{"main"});
  ASSERT_TRUE(r->date.has_value());
  EXPECT_EQ(*r->date, 1717236000);  // 2024-06-01T10:00:00Z
  EXPECT_EQ(*r->valid_until, 1717236000 + 7 * 86400);
  ASSERT_EQ(r->files.size(), 2u);
  const ReleaseFileEntry* xz = r->Find("main/binary-amd64/Packages.xz");
  ASSERT_NE(xz, nullptr);
  EXPECT_EQ(xz->size, 123u);
  EXPECT_EQ(xz->sha256, "0000000000000000000000000000000000000000000000000000000000000001");
  EXPECT_EQ(r->Find("main/binary-arm64/Packages.xz"), nullptr);
}

TEST(ReleaseParseTest, Errors) {
  auto no_list = ParseRelease("Suite: x\nCodename: y\n", "u1");
  ASSERT_FALSE(no_list.ok());
  EXPECT_EQ(no_list.status().message(), "u1: Release has no SHA256 file list");
  auto short_hash = ParseRelease("Suite: x\nSHA256:\n abc 1 main/Packages\n", "u2");
  ASSERT_FALSE(short_hash.ok());
  EXPECT_EQ(short_hash.status().message(), "u2: malformed SHA256 line \"abc 1 main/Packages\"");
  auto bad_date = ParseRelease(
      "Date: yesterday\nSHA256:\n " + std::string(64, 'a') + " 1 main/Packages\n", "u3");
  ASSERT_FALSE(bad_date.ok());
  EXPECT_NE(bad_date.status().message().find("u3: Date"), std::string::npos);
  EXPECT_FALSE(ParseRelease("", "u4").ok());
}

TEST(ReleaseParseTest, Dates) {
  EXPECT_EQ(*ParseReleaseDate("Sat, 10 Jun 2023 08:54:53 UTC"), 1686387293);
  EXPECT_EQ(*ParseReleaseDate("Sat, 10 Jun 2023 08:54:53 +0000"), 1686387293);
  EXPECT_EQ(*ParseReleaseDate("Sat, 10 Jun 2023 10:54:53 +0200"), 1686387293);
  EXPECT_EQ(*ParseReleaseDate("10 Jun 2023 08:54:53 GMT"), 1686387293);
  EXPECT_FALSE(ParseReleaseDate("2023-06-10").ok());
  EXPECT_FALSE(ParseReleaseDate("Sat, 10 Jun 2023 08:54:53 CEST").ok());
}

TEST(ReleaseParseTest, FreshnessAndSuite) {
  Release r = *ParseRelease(testdata::kTestRelease, kUrl);
  const int64_t date = *r.date;
  EXPECT_TRUE(CheckReleaseFreshness(r, date + 86400, true, kUrl).ok());
  auto expired = CheckReleaseFreshness(r, date + 8 * 86400, true, kUrl);
  ASSERT_FALSE(expired.ok());
  EXPECT_NE(expired.message().find("expired 24 hours ago"), std::string::npos) << expired.message();
  EXPECT_TRUE(CheckReleaseFreshness(r, date + 8 * 86400, false, kUrl).ok());  // snapshots
  auto future = CheckReleaseFreshness(r, date - 11 * 86400, true, kUrl);
  ASSERT_FALSE(future.ok());
  EXPECT_NE(future.message().find("in the future"), std::string::npos);

  EXPECT_TRUE(CheckReleaseSuite(r, "testing-suite", kUrl).ok());
  EXPECT_TRUE(CheckReleaseSuite(r, "testcode", kUrl).ok());
  EXPECT_TRUE(CheckReleaseSuite(r, "testcode/updates", kUrl).ok());
  auto wrong = CheckReleaseSuite(r, "bookworm", kUrl);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.message().find("not the requested \"bookworm\""), std::string::npos);
}

}  // namespace
}  // namespace distill::debian
