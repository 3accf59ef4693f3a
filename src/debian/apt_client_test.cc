#include "debian/apt_client.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "debian/fake_http_test_util.h"
#include "debian/release_test_data.h"
#include "util/sha256.h"

namespace distill::debian {
namespace {

constexpr const char* kUri = "http://mirror.test/debian";
constexpr const char* kDist = "http://mirror.test/debian/dists/testcode";
constexpr int64_t kDuringValidity = 1717236000 + 86400;  // a day after the Release's Date

class AptClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access("/usr/bin/gpgv", X_OK) != 0) GTEST_SKIP() << "gpgv is not installed";
    dir_ = ::testing::TempDir() + "/distill-apt-client-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    downloader_ = std::make_unique<Downloader>(&http_, DownloaderOptions{dir_, 2, 2, 0});
    client_ = std::make_unique<AptClient>(downloader_.get(), &verifier_, [this] { return now_; });
    suite_.uri = kUri;
    suite_.suite = "testcode";
    suite_.components = {"main"};
    suite_.inline_key = testdata::kTestKeyArmored;
    suite_.origin = "test";
    std::string packages = testdata::kArchivePackages;
    http_.routes[std::string(kDist) + "/InRelease"] = {testdata::kArchiveInRelease};
    http_.routes[std::string(kDist) + "/main/binary-amd64/by-hash/SHA256/" +
                 Sha256::HexOf(packages)] = {packages};
    http_.routes[std::string(kUri) + "/pool/main/h/hello/hello_2.10-3_amd64.deb"] = {
        testdata::kArchiveDebBytes};
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string dir_;
  FakeHttp http_;
  GpgvVerifier verifier_;
  std::unique_ptr<Downloader> downloader_;
  std::unique_ptr<AptClient> client_;
  SuiteSource suite_;
  int64_t now_ = kDuringValidity;
};

TEST_F(AptClientTest, LoadsASignedArchiveAndFetchesADeb) {
  PackageUniverse universe("amd64");
  Status s = client_->LoadUniverse({suite_}, &universe);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(universe.size(), 2u);
  const auto& hello = universe.Candidates("hello");
  ASSERT_EQ(hello.size(), 1u);
  EXPECT_EQ(hello[0]->repository, kUri);

  auto resolved = Resolve(universe, {"hello"});
  ASSERT_TRUE(resolved.ok()) << resolved.status().message();
  ASSERT_EQ(resolved->packages.size(), 2u);

  auto deb = client_->FetchDeb(*hello[0]);
  ASSERT_TRUE(deb.ok()) << deb.status().message();
  EXPECT_TRUE(std::filesystem::exists(*deb));

  // libc6's index entry names a hash the pool file does not have (and it is not served).
  auto debs = client_->FetchDebs(resolved->packages);
  ASSERT_EQ(debs.size(), 2u);
  EXPECT_TRUE(debs[0].ok());
  ASSERT_FALSE(debs[1].ok());
  EXPECT_NE(debs[1].status().message().find("libc6 2.36-9 amd64"), std::string::npos)
      << debs[1].status().message();
}

TEST_F(AptClientTest, TamperedInReleaseIsRejected) {
  std::string tampered = testdata::kArchiveInRelease;
  tampered[tampered.find("Suite: stable") + 8] = 'X';
  http_.routes[std::string(kDist) + "/InRelease"] = {tampered};
  auto r = client_->FetchRelease(suite_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(std::string(kDist) + "/InRelease"), std::string::npos)
      << r.status().message();
}

TEST_F(AptClientTest, TamperedIndexIsRejected) {
  std::string packages = testdata::kArchivePackages;
  std::string by_hash =
      std::string(kDist) + "/main/binary-amd64/by-hash/SHA256/" + Sha256::HexOf(packages);
  packages[packages.find("2.10-3")] = '3';  // same size, other content
  http_.routes[by_hash] = {packages};
  PackageUniverse universe("amd64");
  Status s = client_->LoadUniverse({suite_}, &universe);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kCorrupt);
  EXPECT_NE(s.message().find("SHA-256 mismatch"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(by_hash), std::string::npos) << s.message();
}

TEST_F(AptClientTest, ExpiredReleaseUnlessCheckValidUntilIsOff) {
  now_ = 1717236000 + 30 * 86400;
  auto expired = client_->FetchRelease(suite_);
  ASSERT_FALSE(expired.ok());
  EXPECT_NE(expired.status().message().find("expired"), std::string::npos);
  suite_.check_valid_until = false;
  EXPECT_TRUE(client_->FetchRelease(suite_).ok());
}

TEST_F(AptClientTest, WrongSuiteAndMissingSignature) {
  suite_.suite = "othercode";
  http_.routes[std::string(kUri) + "/dists/othercode/InRelease"] = {testdata::kArchiveInRelease};
  auto wrong = client_->FetchRelease(suite_);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("not the requested \"othercode\""), std::string::npos);

  // No InRelease, a Release but no Release.gpg: refused.
  suite_.suite = "unsigned";
  http_.routes[std::string(kUri) + "/dists/unsigned/Release"] = {"Suite: unsigned\n"};
  auto unsigned_release = client_->FetchRelease(suite_);
  ASSERT_FALSE(unsigned_release.ok());
  EXPECT_NE(unsigned_release.status().message().find("refusing an unsigned archive"),
            std::string::npos)
      << unsigned_release.status().message();

  // Detached signatures work when InRelease is missing.
  suite_.suite = "testing-suite";
  http_.routes[std::string(kUri) + "/dists/testing-suite/Release"] = {testdata::kTestRelease};
  http_.routes[std::string(kUri) + "/dists/testing-suite/Release.gpg"] = {
      testdata::kTestReleaseGpg};
  auto detached = client_->FetchRelease(suite_);
  ASSERT_TRUE(detached.ok()) << detached.status().message();
  EXPECT_EQ(detached->codename, "testcode");
}

TEST_F(AptClientTest, UnreachableMirrorNamesTheSuite) {
  http_.routes[std::string(kDist) + "/InRelease"] = {"", 503};
  auto r = client_->FetchRelease(suite_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "release suite testcode from test: GET " + std::string(kDist) +
                                      "/InRelease: HTTP 503 Service Unavailable");
}

}  // namespace
}  // namespace distill::debian
