#include "bootstrap/bootstrap.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>

#include "archive/layer_writer.h"
#include "archive/tar_tree.h"
#include "archive/tar_writer.h"
#include "bootstrap/image_files.h"
#include "bootstrap/rootfs_command.h"
#include "bootstrap/rootfs_tree.h"
#include "debian/apt_client.h"
#include "debian/fetch.h"
#include "debian/resolver.h"
#include "oci/media_types.h"
#include "oci/platform.h"
#include "store/image_store.h"
#include "util/file_system.h"

namespace distill::bootstrap {
namespace {

constexpr const char* kDebsInSandbox = "/var/cache/distill-debs";

std::string Rfc3339(int64_t unix_seconds) {
  time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm;
  gmtime_r(&t, &tm);
  char buf[32];
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The rootfs directory under the store's tmp/, removed with everything in it.
class TempRootfs {
 public:
  static Result<std::unique_ptr<TempRootfs>> Create(const std::string& store_root) {
    std::string tmp = store_root + "/tmp";
    std::error_code ec;
    std::filesystem::create_directories(tmp, ec);
    if (ec) return Status::Io("create " + tmp + ": " + ec.message());
    std::string templ = tmp + "/bootstrap-XXXXXX";
    if (::mkdtemp(templ.data()) == nullptr) return Status::FromErrno("mkdtemp " + templ, errno);
    auto dir = std::unique_ptr<TempRootfs>(new TempRootfs(templ));
    // The image's "/" is 0755, whatever the umask gave mkdtemp's 0700.
    if (::chmod(templ.c_str(), 0755) != 0) return Status::FromErrno("chmod " + templ, errno);
    return dir;
  }
  ~TempRootfs() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  explicit TempRootfs(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

std::string HostArch() {
  struct utsname u;
  if (::uname(&u) != 0) return "";
  std::string m = u.machine;
  if (m == "x86_64") return "amd64";
  if (m == "aarch64") return "arm64";
  if (m == "i686" || m == "i386") return "i386";
  if (m == "ppc64le") return "ppc64el";
  if (m == "s390x") return "s390x";
  if (m == "riscv64") return "riscv64";
  return m;
}

std::optional<int64_t> SourceDateEpoch() {
  const char* v = std::getenv("SOURCE_DATE_EPOCH");
  if (v == nullptr || *v == '\0') return std::nullopt;
  char* end = nullptr;
  long long n = std::strtoll(v, &end, 10);
  if (*end != '\0' || n < 0) return std::nullopt;
  return n;
}

// The indexes of every suite, what Priority: required names, and the newest
// Release date (the image's epoch unless SOURCE_DATE_EPOCH says otherwise).
struct LoadedArchive {
  std::set<std::string> required;
  int64_t newest_release = 0;
  std::string archive_uri;
};

Result<LoadedArchive> LoadArchive(debian::AptClient& client,
                                  const std::vector<debian::SuiteSource>& plan,
                                  const std::string& arch, debian::PackageUniverse* universe) {
  LoadedArchive out;
  for (const debian::SuiteSource& suite : plan) {
    DISTILL_ASSIGN_OR_RETURN(debian::Release release, client.FetchRelease(suite));
    if (release.date) out.newest_release = std::max(out.newest_release, *release.date);
    for (const std::string& component : suite.components) {
      DISTILL_ASSIGN_OR_RETURN(auto packages,
                               client.FetchPackages(suite, release, component, arch));
      for (const auto& p : packages) {
        if (p.priority == "required") out.required.insert(p.name);
      }
      universe->Add(std::move(packages));
    }
    if (suite.kind == debian::SuiteKind::kRelease && out.archive_uri.empty()) {
      out.archive_uri = suite.uri;
    }
  }
  return out;
}

// The newest candidate's upstream version must be the one the recipe promises.
Status CheckToolchainVersion(const Recipe& recipe, const debian::PackageUniverse& universe) {
  if (recipe.version_package.empty()) return Status::Ok();
  const auto& candidates = universe.Candidates(recipe.version_package);
  if (candidates.empty()) {
    return Status::NotFound("Debian " + recipe.release.codename + " has no package " +
                            recipe.version_package);
  }
  const auto& v = candidates.front()->version;
  if (!UpstreamIsVersion(v.upstream, recipe.version)) {
    return Status::NotFound("Debian " + recipe.release.codename + " ships " +
                            recipe.version_package + " " + v.str() + ", not version " +
                            recipe.version);
  }
  return Status::Ok();
}

// dpkg invocations over the packages of `names` (in that order), each a path
// under the read-only bind of the download cache.
std::string DebArgs(const std::vector<const debian::Package*>& packages,
                    const std::vector<std::string>& paths, const std::set<std::string>& names,
                    bool include) {
  std::string args;
  for (size_t i = 0; i < packages.size(); ++i) {
    if (names.count(packages[i]->name) != include) continue;
    args += " " + ShellQuote(std::string(kDebsInSandbox) + "/" +
                             std::filesystem::path(paths[i]).filename().string());
  }
  return args;
}

struct LayerInfo {
  archive::LayerDigests digests;
};

Result<LayerInfo> CommitLayer(store::Store& store, const std::string& root, int64_t epoch) {
  DISTILL_ASSIGN_OR_RETURN(auto blob, store.blobs().NewWriter());
  DISTILL_ASSIGN_OR_RETURN(auto layer,
                           archive::LayerWriter::Create(archive::Compression::kGzip, blob.get()));
  archive::TarWriter tar(layer.get());
  archive::TreeTarOptions options;
  options.clamp_mtime = epoch;
  DISTILL_RETURN_IF_ERROR(archive::WriteTreeTar(root, &tar, options));
  DISTILL_RETURN_IF_ERROR(tar.Finish());
  DISTILL_ASSIGN_OR_RETURN(archive::LayerDigests digests, layer->Finish());
  DISTILL_RETURN_IF_ERROR(blob->Commit(digests.digest).status());
  return LayerInfo{digests};
}

}  // namespace

Result<BootstrapResult> BootstrapImage(store::Store& store, const Recipe& recipe,
                                       const BootstrapOptions& options) {
  auto say = [&](const std::string& line) {
    if (options.progress) options.progress(line);
  };
  std::string image = recipe.tags.empty() ? recipe.release.codename : recipe.tags.front();
  if (options.arch != HostArch()) {
    return Status::Invalid(image + ": cannot bootstrap " + options.arch + " on a " + HostArch() +
                           " host (the packages' scripts run natively)");
  }

  // 1. Sources, indexes, the package set.
  DISTILL_ASSIGN_OR_RETURN(auto host, debian::LoadAptSources(DefaultFileSystem(), options.apt_dir));
  debian::SuitePlanOptions plan_options;
  plan_options.mirror = options.mirror;
  plan_options.arch = options.arch;
  DISTILL_ASSIGN_OR_RETURN(auto plan, debian::PlanSuites(host, recipe.release, plan_options));
  auto http = debian::NewCurlHttpClient();
  debian::Downloader downloader(
      http.get(), debian::DownloaderOptions{debian::DefaultDebianCacheDir(store.root())});
  debian::GpgvVerifier verifier;
  debian::AptClient client(&downloader, &verifier);
  debian::PackageUniverse universe(options.arch);
  say("reading the package indexes of Debian " + recipe.release.codename);
  DISTILL_ASSIGN_OR_RETURN(LoadedArchive archive,
                           LoadArchive(client, plan, options.arch, &universe));
  DISTILL_RETURN_IF_ERROR(CheckToolchainVersion(recipe, universe).Prefixed(image));

  bool merged_usr = recipe.release.number >= 12;
  std::vector<std::string> roots(archive.required.begin(), archive.required.end());
  roots.push_back("apt");
  roots.push_back("debian-archive-keyring");
  // Merged-/usr releases: usr-is-merged (not the usrmerge converter) meets
  // init-system-helpers' dependency; the tree is merged below.
  if (merged_usr && !universe.Candidates("usr-is-merged").empty()) {
    roots.push_back("usr-is-merged");
  }
  debian::ResolveOptions resolve_options;
  resolve_options.include_essential = true;
  DISTILL_ASSIGN_OR_RETURN(debian::Resolution resolution,
                           debian::Resolve(universe, roots, resolve_options));
  const auto& packages = resolution.packages;

  // 2. Download (verified against the signed indexes).
  say("downloading " + std::to_string(packages.size()) + " packages");
  std::vector<std::string> paths;
  auto fetched = client.FetchDebs(packages);
  for (size_t i = 0; i < fetched.size(); ++i) {
    if (!fetched[i].ok()) return fetched[i].status().Prefixed(packages[i]->Label());
    paths.push_back(*fetched[i]);
  }

  // 3. Unpack into a fresh tree (base-files first: later packages' directories
  // must not land on its symlinks), merge /usr, prepare dpkg.
  DISTILL_ASSIGN_OR_RETURN(auto rootfs, TempRootfs::Create(store.root()));
  const std::string& root = rootfs->path();
  say("unpacking into " + root);
  std::vector<size_t> order(packages.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_partition(order.begin(), order.end(),
                        [&](size_t i) { return packages[i]->name == "base-files"; });
  for (size_t i : order) {
    DISTILL_RETURN_IF_ERROR(UnpackDebData(paths[i], root, packages[i]->filename));
  }
  if (merged_usr) {
    DISTILL_RETURN_IF_ERROR(MergeUsr(root, {"bin", "sbin", "lib", "lib32", "lib64", "libx32"}));
  }
  DISTILL_RETURN_IF_ERROR(CreateDpkgDatabase(root, options.arch));
  for (const auto& [rel, text] : DockerAptTweaks()) {
    DISTILL_RETURN_IF_ERROR(WriteRootfsFile(root, rel, text));
  }
  if (recipe.slim) {
    DISTILL_RETURN_IF_ERROR(
        WriteRootfsFile(root, "etc/dpkg/dpkg.cfg.d/docker", SlimDpkgFilterText()));
    DISTILL_RETURN_IF_ERROR(RemoveSlimExcluded(root).status());
  }
  DISTILL_RETURN_IF_ERROR(WriteRootfsFile(root, kPolicyRcPath, kPolicyRcText, 0755));

  // 4. dpkg installs them for real: the packages maintainer scripts need
  // first, then the rest, then whatever is still unconfigured.
  std::string cache_dir = std::filesystem::path(paths.front()).parent_path().string();
  std::vector<exec::BindMount> binds = {{cache_dir, kDebsInSandbox, true}};
  const std::string dpkg_install = "dpkg --install --force-depends --force-confold";
  say("installing " + std::to_string(packages.size()) + " packages with dpkg");
  DISTILL_RETURN_IF_ERROR(
      RunInRootfs(root, dpkg_install + DebArgs(packages, paths, {"base-passwd"}, true),
                  image + ": dpkg --install base-passwd", binds));
  DISTILL_RETURN_IF_ERROR(RunInRootfs(root,
                                      dpkg_install + DebArgs(packages, paths, {"base-files"}, true),
                                      image + ": dpkg --install base-files", binds));
  DISTILL_RETURN_IF_ERROR(RunInRootfs(
      root, dpkg_install + DebArgs(packages, paths, {"base-passwd", "base-files"}, false),
      image + ": dpkg --install (base system)", binds));
  DISTILL_RETURN_IF_ERROR(RunInRootfs(root, "dpkg --configure -a --force-confold",
                                      image + ": dpkg --configure -a", binds));
  DISTILL_RETURN_IF_ERROR(RemoveRootfsPath(root, std::string(kDebsInSandbox).substr(1)));
  if (recipe.slim) {
    // dpkg's filter lets some entries through (doc symlinks to another
    // package's doc directory, files maintainer scripts write): drop them too.
    DISTILL_RETURN_IF_ERROR(RemoveSlimExcluded(root).status());
  }

  // 5. apt as the image's users will use it: the host's mirrors, the keyring.
  DISTILL_RETURN_IF_ERROR(
      WriteRootfsFile(root, "etc/apt/sources.list.d/debian.sources", DebianSourcesText(plan)));
  if (!recipe.packages.empty()) {
    std::string names;
    for (const auto& p : recipe.packages) names += " " + p;
    say("apt-get install" + names);
    DISTILL_RETURN_IF_ERROR(RunInRootfs(
        root, "apt-get update -qq && apt-get install -y -q --no-install-recommends" + names,
        image + ": apt-get install" + names));
  }
  for (const auto& dir : recipe.world_writable_dirs) {
    DISTILL_RETURN_IF_ERROR(MakeRootfsDir(root, dir.substr(1), 01777));
  }

  // 6. Clean up and store the tree as one layer.
  if (recipe.slim && !recipe.packages.empty()) {
    DISTILL_RETURN_IF_ERROR(RemoveSlimExcluded(root).status());
  }
  DISTILL_RETURN_IF_ERROR(RemoveRootfsPath(root, kPolicyRcPath));
  DISTILL_RETURN_IF_ERROR(CleanRootfs(root));
  int64_t epoch = SourceDateEpoch().value_or(archive.newest_release);
  say("writing the layer");
  DISTILL_ASSIGN_OR_RETURN(LayerInfo layer, CommitLayer(store, root, epoch));

  oci::ImageConfig config;
  config.os = "linux";
  config.architecture = options.arch;
  config.created = Rfc3339(epoch);
  config.has_config = true;
  config.config.env = recipe.env;
  config.config.cmd = recipe.cmd;
  config.config.working_dir = recipe.working_dir;
  config.rootfs.diff_ids.push_back(layer.digests.diff_id);
  oci::HistoryEntry h;
  h.created = config.created;
  h.created_by = "distill bootstrap " + image + " (Debian " + recipe.release.codename + ", " +
                 std::to_string(packages.size()) + " packages from " + archive.archive_uri + ")";
  config.history.push_back(h);

  oci::Descriptor d;
  d.media_type = oci::media_type::kOciLayerTarGzip;
  d.digest = layer.digests.digest;
  d.size = static_cast<int64_t>(layer.digests.compressed_size);
  store::WriteImageOptions wo;
  wo.tags = recipe.tags;
  for (const auto& t : options.extra_tags) wo.tags.push_back(t);
  DISTILL_ASSIGN_OR_RETURN(oci::Digest manifest, store::WriteImage(store, config, {d}, wo));

  BootstrapResult result;
  result.manifest = manifest;
  result.tags = wo.tags;
  result.package_count = packages.size();
  result.layer_size = layer.digests.compressed_size;
  result.unpacked_size = layer.digests.uncompressed_size;
  result.epoch = epoch;
  return result;
}

Result<oci::Digest> EnsureDebianImage(store::Store& store, const std::string& image_name,
                                      const ProgressFn& progress) {
  DISTILL_ASSIGN_OR_RETURN(Recipe recipe, RecipeForImage(image_name));
  if (auto existing = store::ResolveImage(store, image_name); existing.ok()) return *existing;
  BootstrapOptions options;
  options.arch = HostArch();
  options.progress = progress;
  DISTILL_ASSIGN_OR_RETURN(BootstrapResult result, BootstrapImage(store, recipe, options));
  return result.manifest;
}

}  // namespace distill::bootstrap
