// End to end against the Debian mirror the host's apt uses (the one
// integration run of this module): bootstraps debian:bullseye-slim,
// debian:bookworm-slim and debian:trixie-slim into a store, unpacks each
// image, and installs and runs a package with apt inside distill's sandbox.
// Skipped, with the reason, when not root or when the host has no reachable
// Debian mirror. Takes a few minutes per release (downloads are cached, so a
// rerun is faster); DISTILL_TEST_RELEASES=12 limits the run to bookworm.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "archive/extract.h"
#include "bootstrap/bootstrap.h"
#include "bootstrap/rootfs_command.h"
#include "debian/apt_client.h"
#include "debian/fetch.h"
#include "debian/sources.h"
#include "exec/sandbox.h"
#include "store/image_store.h"
#include "util/file_system.h"

namespace distill::bootstrap {
namespace {
namespace fs = std::filesystem;

// A reason to skip, or "" when the host can bootstrap bookworm.
std::string WhyNotRunnable(int number, const std::string& codename) {
  if (const char* only = std::getenv("DISTILL_TEST_RELEASES");
      only != nullptr && std::string(only).find(std::to_string(number)) == std::string::npos) {
    return "DISTILL_TEST_RELEASES=" + std::string(only) + " leaves out Debian " +
           std::to_string(number);
  }
  if (::geteuid() != 0) return "needs root (dpkg chowns files; the sandbox needs namespaces)";
  if (::access("/usr/bin/gpgv", X_OK) != 0) return "gpgv is not installed";
  if (::access(debian::kDebianArchiveKeyring, R_OK) != 0) return "no debian-archive-keyring";
  auto host = debian::LoadAptSources(DefaultFileSystem());
  if (!host.ok()) return host.status().message();
  debian::SuitePlanOptions options;
  auto plan = debian::PlanSuites(*host, {number, codename}, options);
  if (!plan.ok()) return plan.status().message();
  auto http = debian::NewCurlHttpClient({10, 30, "distill-tests"});
  std::string cache = ::testing::TempDir() + "/distill-bootstrap-probe";
  debian::Downloader downloader(http.get(), {cache, 1, 1, 100});
  auto probe = downloader.FetchText(plan->front().DistUrl() + "/InRelease");
  if (!probe.ok()) return "mirror unreachable: " + probe.status().message();
  return "";
}

struct Release {
  int number;
  std::string codename;
};

class BootstrapIntegrationTest : public ::testing::TestWithParam<Release> {};

TEST_P(BootstrapIntegrationTest, SlimInstallsAndRunsHello) {
  const int number = GetParam().number;
  const std::string codename = GetParam().codename;
  const std::string image_name = "debian:" + codename + "-slim";
  std::string why = WhyNotRunnable(number, codename);
  if (!why.empty()) GTEST_SKIP() << why;

  std::string store_root = ::testing::TempDir() + "/distill-bootstrap-integration-store";
  auto store = store::Store::Open(store_root, DefaultFileSystem());
  ASSERT_TRUE(store.ok()) << store.status().message();
  auto recipe = RecipeForImage(image_name);
  ASSERT_TRUE(recipe.ok());
  BootstrapOptions options;
  auto start = std::chrono::steady_clock::now();
  options.progress = [&](std::string_view line) {
    auto s =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start)
            .count();
    std::cerr << "[" << s << "s] " << line << "\n";
  };
  auto result = BootstrapImage(**store, *recipe, options);
  ASSERT_TRUE(result.ok()) << result.status().message();
  auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start)
          .count();
  std::cerr << "bootstrapped " << image_name << " in " << seconds << "s: " << result->package_count
            << " packages, layer " << result->layer_size / 1024 << " KiB gzip, "
            << result->unpacked_size / 1024 << " KiB unpacked\n";
  EXPECT_GT(result->package_count, 60u);

  // Tagged under both names; the config is the official image's.
  auto by_alias = store::ResolveImage(**store, "debian:" + std::to_string(number) + "-slim");
  ASSERT_TRUE(by_alias.ok()) << by_alias.status().message();
  EXPECT_EQ(*by_alias, result->manifest);
  auto image = store::ReadImage(**store, "docker.io/library/" + image_name);
  ASSERT_TRUE(image.ok()) << image.status().message();
  EXPECT_EQ(image->config.config.cmd, (std::vector<std::string>{"bash"}));
  EXPECT_EQ(image->config.config.env,
            (std::vector<std::string>{std::string("PATH=") + kDefaultPath}));
  auto layers = store::LayersOf(*image);
  ASSERT_TRUE(layers.ok());
  ASSERT_EQ(layers->size(), 1u);

  // Unpack the image as a container runtime would.
  std::string rootfs = store_root + "/../distill-bootstrap-integration-rootfs-" + codename;
  fs::remove_all(rootfs);
  fs::create_directories(rootfs);
  {
    auto tar = store::OpenLayerTar(**store, layers->front().descriptor);
    ASSERT_TRUE(tar.ok()) << tar.status().message();
    Status st = archive::ExtractTar(tar->get(), rootfs);
    ASSERT_TRUE(st.ok()) << st.message();
  }
  std::ifstream version_file(rootfs + "/etc/debian_version");
  std::string version;
  std::getline(version_file, version);
  EXPECT_TRUE(version.starts_with(std::to_string(number))) << version;
  EXPECT_EQ(fs::is_symlink(rootfs + "/bin"), number >= 12);  // merged /usr from bookworm on
  EXPECT_TRUE(fs::exists(rootfs + "/usr/share/keyrings/debian-archive-keyring.gpg"));
  EXPECT_TRUE(fs::exists(rootfs + "/etc/dpkg/dpkg.cfg.d/docker"));
  EXPECT_FALSE(fs::exists(rootfs + "/usr/sbin/policy-rc.d"));
  int doc_files = 0;
  for (auto it = fs::recursive_directory_iterator(rootfs + "/usr/share/doc");
       it != fs::recursive_directory_iterator(); ++it) {
    if (it->is_directory() && !it->is_symlink()) continue;
    ++doc_files;
    EXPECT_EQ(it->path().filename(), "copyright") << it->path();
  }
  EXPECT_GT(doc_files, 30);
  EXPECT_TRUE(fs::is_empty(rootfs + "/var/lib/apt/lists"));
  std::ifstream sources_file(rootfs + "/etc/apt/sources.list.d/debian.sources");
  std::string sources((std::istreambuf_iterator<char>(sources_file)), {});
  EXPECT_NE(sources.find("Suites: " + codename + " " + codename + "-updates\n"), std::string::npos)
      << sources;
  EXPECT_NE(sources.find("Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"),
            std::string::npos)
      << sources;

  // apt works in the image, against the host's mirror, in distill's sandbox.
  exec::ProcessSpec spec;
  spec.rootfs = rootfs;
  spec.argv = {"/bin/sh", "-c",
               "apt-get update && apt-get install -y --no-install-recommends hello && hello && "
               "test ! -e /usr/share/doc/hello/NEWS && test -e /usr/share/doc/hello/copyright"};
  spec.env = BootstrapEnv();
  spec.network = exec::NetworkMode::kHost;
  std::string out, err;
  exec::RunOptions run_options;
  run_options.captured_stdout = &out;
  run_options.captured_stderr = &err;
  auto exit = exec::Run(spec, run_options);
  ASSERT_TRUE(exit.ok()) << exit.status().message();
  EXPECT_TRUE(exit->ok()) << "exit " << exit->exit_code << "\n" << LastLines(out + err, 30);
  EXPECT_NE(out.find("Hello, world!"), std::string::npos) << LastLines(out, 30);
  fs::remove_all(rootfs);
}

INSTANTIATE_TEST_SUITE_P(Debian, BootstrapIntegrationTest,
                         ::testing::Values(Release{11, "bullseye"}, Release{12, "bookworm"},
                                           Release{13, "trixie"}),
                         [](const auto& p) { return p.param.codename; });

}  // namespace
}  // namespace distill::bootstrap
