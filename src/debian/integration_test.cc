// End-to-end against the Debian mirror the host's apt uses: skipped (with the
// reason) when the host names no Debian archive or the mirror is unreachable.
// Downloads land in a cache under the test temp dir that survives runs, so a
// second run only re-fetches InRelease.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "debian/apt_client.h"
#include "debian/deb.h"
#include "debian/sources.h"
#include "util/file_system.h"

namespace distill::debian {
namespace {

class DebianMirrorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    http_ = NewCurlHttpClient(CurlOptions{.connect_timeout_seconds = 10,
                                          .stall_timeout_seconds = 60,
                                          .user_agent = "distill-tests"})
                .release();
    cache_dir_ = new std::string(::testing::TempDir() + "/distill-debian-integration-cache");
    downloader_ = new Downloader(http_, DownloaderOptions{*cache_dir_, 4, 2, 200});
    verifier_ = new GpgvVerifier();
    client_ = new AptClient(downloader_, verifier_);
  }
  static void TearDownTestSuite() {
    delete client_;
    delete verifier_;
    delete downloader_;
    delete cache_dir_;
    delete http_;
  }

  // The host's bookworm release suite, or a reason to skip.
  static Result<SuiteSource> BookwormSuite() {
    if (access("/usr/bin/gpgv", X_OK) != 0) return Status::NotFound("gpgv is not installed");
    if (access(kDebianArchiveKeyring, R_OK) != 0) {
      return Status::NotFound("debian-archive-keyring is not installed");
    }
    DISTILL_ASSIGN_OR_RETURN(auto host, LoadAptSources(DefaultFileSystem()));
    SuitePlanOptions options;
    options.updates = false;
    options.security = false;
    if (const char* mirror = std::getenv("DISTILL_DEBIAN_MIRROR")) options.mirror = mirror;
    DISTILL_ASSIGN_OR_RETURN(auto plan, PlanSuites(host, *LookupDebianRelease("12"), options));
    return plan.front();
  }

  // Skips the test unless the mirror answers; returns the verified Release.
  void LoadOrSkip() {
    auto suite = BookwormSuite();
    if (!suite.ok()) GTEST_SKIP() << "no usable Debian source: " << suite.status().message();
    suite_ = *suite;
    auto probe = downloader_->FetchText(suite_.DistUrl() + "/InRelease");
    if (!probe.ok() && (probe.status().code() == Status::Code::kUnavailable ||
                        probe.status().code() == Status::Code::kNotFound)) {
      GTEST_SKIP() << "mirror unreachable: " << probe.status().message();
    }
    ASSERT_TRUE(probe.ok()) << probe.status().message();
    inrelease_ = *probe;
    auto release = client_->FetchRelease(suite_);
    ASSERT_TRUE(release.ok()) << release.status().message();
    release_ = *release;
  }

  static HttpClient* http_;
  static std::string* cache_dir_;
  static Downloader* downloader_;
  static GpgvVerifier* verifier_;
  static AptClient* client_;
  SuiteSource suite_;
  std::string inrelease_;
  Release release_;
};

HttpClient* DebianMirrorTest::http_ = nullptr;
std::string* DebianMirrorTest::cache_dir_ = nullptr;
Downloader* DebianMirrorTest::downloader_ = nullptr;
GpgvVerifier* DebianMirrorTest::verifier_ = nullptr;
AptClient* DebianMirrorTest::client_ = nullptr;

TEST_F(DebianMirrorTest, ResolvesAndDownloadsFromBookworm) {
  LoadOrSkip();
  if (IsSkipped() || HasFatalFailure()) return;
  EXPECT_EQ(release_.codename, "bookworm");
  EXPECT_TRUE(release_.acquire_by_hash);

  auto packages = client_->FetchPackages(suite_, release_, "main", "amd64");
  ASSERT_TRUE(packages.ok()) << packages.status().message();
  EXPECT_GT(packages->size(), 50000u);
  PackageUniverse universe("amd64");
  universe.Add(std::move(*packages));

  auto resolved = Resolve(universe, {"python3.11-minimal", "libc6"});
  ASSERT_TRUE(resolved.ok()) << resolved.status().message();
  std::vector<std::string> names;
  for (const Package* p : resolved->packages) names.push_back(p->name);
  for (const char* expected :
       {"python3.11-minimal", "libpython3.11-minimal", "libc6", "libssl3", "zlib1g", "libexpat1"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));

  const auto& base_files = universe.Candidates("base-files");
  ASSERT_FALSE(base_files.empty());
  auto deb_path = client_->FetchDeb(*base_files.front());
  ASSERT_TRUE(deb_path.ok()) << deb_path.status().message();
  auto file = DefaultFileSystem()->OpenForRead(*deb_path);
  ASSERT_TRUE(file.ok());
  DebReader deb(file->get(), base_files.front()->filename);
  ASSERT_TRUE(deb.ReadControl().ok());
  EXPECT_EQ(deb.control().Get("Package"), "base-files");
  EXPECT_FALSE(deb.md5sums().empty());
  auto tar = deb.Data();
  ASSERT_TRUE(tar.ok()) << tar.status().message();
  archive::TarEntry entry;
  bool saw_debian_version = false;
  size_t entries = 0;
  while (true) {
    auto more = (*tar)->Next(&entry);
    ASSERT_TRUE(more.ok()) << more.status().message();
    if (!*more) break;
    ++entries;
    if (StripDotSlash(entry.path) == "etc/debian_version") saw_debian_version = true;
  }
  EXPECT_GT(entries, 10u);
  EXPECT_TRUE(saw_debian_version);
}

TEST_F(DebianMirrorTest, TamperedRealInReleaseIsRejected) {
  LoadOrSkip();
  if (IsSkipped() || HasFatalFailure()) return;
  std::string url = suite_.DistUrl() + "/InRelease";
  TrustedKeys keys{suite_.keyring_paths, suite_.inline_key};
  ASSERT_TRUE(verifier_->VerifyClearsigned(inrelease_, keys, url).ok());
  std::string tampered = inrelease_;
  size_t at = tampered.find("Codename: bookworm");
  ASSERT_NE(at, std::string::npos);
  tampered[at + 10] = 'c';  // "bookworm" → "cookworm"
  auto rejected = verifier_->VerifyClearsigned(tampered, keys, url);
  ASSERT_FALSE(rejected.ok());
  EXPECT_NE(rejected.status().message().find(url), std::string::npos);
}

TEST_F(DebianMirrorTest, TamperedRealIndexIsRejected) {
  LoadOrSkip();
  if (IsSkipped() || HasFatalFailure()) return;
  auto location = LocatePackagesIndex(release_, suite_.DistUrl(), "main", "amd64");
  ASSERT_TRUE(location.ok());
  auto cached_path = downloader_->Fetch(
      {{location->url, location->fallback_url}, location->entry.sha256, location->entry.size});
  ASSERT_TRUE(cached_path.ok()) << cached_path.status().message();
  std::string cached = *cached_path;
  std::string copy = *cache_dir_ + "/tampered-Packages";
  std::filesystem::copy_file(cached, copy, std::filesystem::copy_options::overwrite_existing);
  {
    std::fstream f(copy, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(location->entry.size / 2));
    char c = 0;
    f.seekg(static_cast<std::streamoff>(location->entry.size / 2));
    f.get(c);
    f.seekp(static_cast<std::streamoff>(location->entry.size / 2));
    f.put(static_cast<char>(c ^ 0x01));
  }
  auto packages = ReadVerifiedPackagesFile(copy, *location, suite_.uri);
  std::filesystem::remove(copy);
  ASSERT_FALSE(packages.ok());
  EXPECT_EQ(packages.status().code(), Status::Code::kCorrupt);
  EXPECT_NE(packages.status().message().find(location->url), std::string::npos)
      << packages.status().message();
}

}  // namespace
}  // namespace distill::debian
