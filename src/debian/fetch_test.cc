#include "debian/fetch.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "debian/fake_http_test_util.h"
#include "util/sha256.h"

namespace distill::debian {
namespace {

class FetchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/distill-fetch-test-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Downloader MakeDownloader() {
    return Downloader(&http_, DownloaderOptions{dir_, 3, 3, /*retry_delay_ms=*/0});
  }
  static std::string ReadAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  std::string dir_;
  FakeHttp http_;
};

const std::string kBody = "Package: hello\nVersion: 1\n";

TEST_F(FetchTest, FetchesVerifiesAndCaches) {
  http_.routes["http://m/a"] = {kBody};
  Downloader d = MakeDownloader();
  DownloadRequest req{{"http://m/a"}, Sha256::HexOf(kBody), kBody.size()};
  auto path = d.Fetch(req);
  ASSERT_TRUE(path.ok()) << path.status().message();
  EXPECT_EQ(*path, dir_ + "/sha256/" + req.sha256);
  EXPECT_EQ(ReadAll(*path), kBody);
  // Second fetch: served from the cache without a request.
  ASSERT_TRUE(d.Fetch(req).ok());
  EXPECT_EQ(http_.calls["http://m/a"], 1);
  // A new process (Downloader) re-checks the cached file once, and replaces it if damaged.
  std::ofstream(*path, std::ios::binary | std::ios::trunc) << "damaged";
  Downloader fresh = MakeDownloader();
  auto again = fresh.Fetch(req);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(ReadAll(*again), kBody);
  EXPECT_EQ(http_.calls["http://m/a"], 2);
}

TEST_F(FetchTest, HashMismatchIsRejectedNamingTheUrl) {
  http_.routes["http://m/a"] = {"tampered content"};
  Downloader d = MakeDownloader();
  auto path = d.Fetch({{"http://m/a"}, Sha256::HexOf(kBody), std::nullopt});
  ASSERT_FALSE(path.ok());
  EXPECT_EQ(path.status().code(), Status::Code::kCorrupt);
  EXPECT_NE(path.status().message().find("GET http://m/a: SHA-256 mismatch"), std::string::npos)
      << path.status().message();
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/sha256/" + Sha256::HexOf(kBody)));
}

TEST_F(FetchTest, FallsBackToTheNextUrlOn404) {
  http_.routes["http://m/plain"] = {kBody};
  Downloader d = MakeDownloader();
  auto path = d.Fetch({{"http://m/by-hash", "http://m/plain"}, Sha256::HexOf(kBody), kBody.size()});
  ASSERT_TRUE(path.ok()) << path.status().message();
  EXPECT_EQ(http_.calls["http://m/by-hash"], 1);  // a 404 is not retried

  auto missing = d.Fetch({{"http://m/nowhere"}, std::string(64, 'a'), std::nullopt});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(missing.status().message(), "GET http://m/nowhere: HTTP 404 Not Found");
}

TEST_F(FetchTest, RetriesTransientFailures) {
  http_.routes["http://m/a"] = {kBody, 200, /*fail_first=*/2};
  http_.routes["http://m/b"] = {kBody, 200, /*fail_first=*/2, /*transport_error=*/true};
  Downloader d = MakeDownloader();
  EXPECT_TRUE(d.Fetch({{"http://m/a"}, Sha256::HexOf(kBody), kBody.size()}).ok());
  EXPECT_EQ(http_.calls["http://m/a"], 3);
  auto text = d.FetchText("http://m/b");
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_EQ(*text, kBody);

  http_.routes["http://m/down"] = {kBody, 200, /*fail_first=*/10};
  auto down = d.FetchText("http://m/down");
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.status().message(), "GET http://m/down: HTTP 503 Service Unavailable");
  EXPECT_EQ(http_.calls["http://m/down"], 3);
}

TEST_F(FetchTest, ResumesAnInterruptedTransferWithRange) {
  FakeHttp::Route route{kBody};
  route.cut_after = 10;
  http_.routes["http://m/a"] = route;
  Downloader d = MakeDownloader();
  auto path = d.Fetch({{"http://m/a"}, Sha256::HexOf(kBody), kBody.size()});
  ASSERT_TRUE(path.ok()) << path.status().message();
  EXPECT_EQ(ReadAll(*path), kBody);
  EXPECT_EQ(http_.offsets["http://m/a"], (std::vector<uint64_t>{0, 10}));
}

TEST_F(FetchTest, ServerIgnoringRangeRestartsFromZero) {
  // A partial file left by an earlier process, and a server that answers 200 to Range.
  std::filesystem::create_directories(dir_ + "/partial");
  std::string sha = Sha256::HexOf(kBody);
  std::ofstream(dir_ + "/partial/" + sha, std::ios::binary) << kBody.substr(0, 5);
  FakeHttp::Route route{kBody};
  route.honour_range = false;
  http_.routes["http://m/a"] = route;
  Downloader d = MakeDownloader();
  auto path = d.Fetch({{"http://m/a"}, sha, kBody.size()});
  ASSERT_TRUE(path.ok()) << path.status().message();
  EXPECT_EQ(ReadAll(*path), kBody);
  EXPECT_EQ(http_.offsets["http://m/a"], std::vector<uint64_t>{5});
}

TEST_F(FetchTest, FetchTextLimitsAndStatuses) {
  http_.routes["http://m/big"] = {std::string(100, 'x')};
  http_.routes["http://m/forbidden"] = {"", 403};
  Downloader d = MakeDownloader();
  auto big = d.FetchText("http://m/big", 50);
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.status().message().find("larger than 50 bytes"), std::string::npos);
  auto forbidden = d.FetchText("http://m/forbidden");
  ASSERT_FALSE(forbidden.ok());
  EXPECT_EQ(forbidden.status().message(), "GET http://m/forbidden: HTTP 403 Forbidden");
  EXPECT_EQ(http_.calls["http://m/forbidden"], 1);
  EXPECT_EQ(d.FetchText("http://m/nope").status().code(), Status::Code::kNotFound);
}

TEST_F(FetchTest, RejectsBadRequests) {
  Downloader d = MakeDownloader();
  EXPECT_EQ(d.Fetch({{"http://m/a"}, "abc", std::nullopt}).status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(d.Fetch({{}, std::string(64, 'a'), std::nullopt}).status().code(),
            Status::Code::kInvalidArgument);
}

TEST_F(FetchTest, FetchAllInParallelKeepsOrder) {
  std::vector<DownloadRequest> reqs;
  for (int i = 0; i < 12; ++i) {
    std::string body = "file " + std::to_string(i);
    std::string url = "http://m/" + std::to_string(i);
    http_.routes[url] = {body};
    reqs.push_back({{url}, Sha256::HexOf(body), body.size()});
  }
  reqs.push_back({{"http://m/missing"}, std::string(64, 'b'), std::nullopt});
  Downloader d = MakeDownloader();
  auto results = d.FetchAll(reqs);
  ASSERT_EQ(results.size(), reqs.size());
  for (int i = 0; i < 12; ++i) {
    ASSERT_TRUE(results[i].ok()) << results[i].status().message();
    EXPECT_EQ(ReadAll(*results[i]), "file " + std::to_string(i));
  }
  EXPECT_FALSE(results.back().ok());
}

// The real libcurl client over file:// URLs (no network needed).
TEST_F(FetchTest, CurlClientReadsFileUrls) {
  std::filesystem::create_directories(dir_ + "/www");
  std::ofstream(dir_ + "/www/Packages", std::ios::binary) << kBody;
  auto http = NewCurlHttpClient();
  Downloader d(http.get(), DownloaderOptions{dir_ + "/cache", 2, 1, 0});
  auto text = d.FetchText("file://" + dir_ + "/www/Packages");
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_EQ(*text, kBody);
  auto path = d.Fetch({{"file://" + dir_ + "/www/Packages"}, Sha256::HexOf(kBody), kBody.size()});
  ASSERT_TRUE(path.ok()) << path.status().message();
  auto missing = d.FetchText("file://" + dir_ + "/www/none");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  auto refused = d.FetchText("http://127.0.0.1:1/x");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Status::Code::kUnavailable);
  EXPECT_NE(refused.status().message().find("GET http://127.0.0.1:1/x"), std::string::npos);
}

TEST(FetchPathsTest, DefaultCacheDirAndStatusText) {
  ::setenv("DISTILL_DEBIAN_CACHE", "/tmp/some-cache", 1);
  EXPECT_EQ(DefaultDebianCacheDir("/var/lib/distill"), "/tmp/some-cache");
  ::unsetenv("DISTILL_DEBIAN_CACHE");
  struct stat st;
  const bool machine_cache = ::stat(kMachineDebianCacheDir, &st) == 0 && S_ISDIR(st.st_mode);
  EXPECT_EQ(DefaultDebianCacheDir("/var/lib/distill"),
            machine_cache ? std::string(kMachineDebianCacheDir) : "/var/lib/distill/cache/debian");
  EXPECT_EQ(HttpStatusText(404), "HTTP 404 Not Found");
  EXPECT_EQ(HttpStatusText(599), "HTTP 599");
}

}  // namespace
}  // namespace distill::debian
