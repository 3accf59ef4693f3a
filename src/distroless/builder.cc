#include "distroless/builder.h"

#include <time.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "archive/layer_writer.h"
#include "debian/apt_client.h"
#include "debian/deb.h"
#include "debian/sources.h"
#include "distroless/busybox.h"
#include "distroless/ca_bundle.h"
#include "distroless/etc_files.h"
#include "distroless/image_name.h"
#include "distroless/ld_so_cache.h"
#include "distroless/library_scan.h"
#include "distroless/path_filter.h"
#include "distroless/rootfs_tree.h"
#include "distroless/status_d.h"
#include "oci/media_types.h"
#include "store/image_store.h"
#include "util/file_system.h"

namespace distill::distroless {
namespace {

using debian::Package;

void Say(const ProgressFn& progress, const std::string& line) {
  if (progress) progress(line);
}

std::string Rfc3339(int64_t unix_seconds) {
  time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm;
  gmtime_r(&t, &tm);
  char buf[32];
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<int64_t> SourceDateEpoch() {
  const char* value = std::getenv("SOURCE_DATE_EPOCH");
  if (value == nullptr || *value == '\0') return std::nullopt;
  char* end = nullptr;
  long long v = std::strtoll(value, &end, 10);
  if (*end != '\0' || v < 0) return std::nullopt;
  return v;
}

Result<std::string> ReadAllOf(Reader* in, const std::string& what) {
  std::string out;
  char buf[64 * 1024];
  while (true) {
    auto n = in->Read(buf, sizeof buf);
    if (!n.ok()) return n.status().Prefixed(what);
    if (*n == 0) return out;
    out.append(buf, *n);
  }
}

// Everything fetched from the archive for one build.
struct Fetched {
  debian::DebianRelease release;
  int64_t newest_release_date = 0;
  std::unique_ptr<debian::PackageUniverse> universe;
  std::vector<const Package*> packages;  // installed, sorted by name
  const Package* ca_certificates = nullptr;
  const Package* busybox = nullptr;
  std::map<const Package*, std::string> deb_paths;
};

class Session {
 public:
  Session(const BuildRequest& request, const std::string& cache_dir)
      : http_(debian::NewCurlHttpClient()),
        downloader_(http_.get(), debian::DownloaderOptions{cache_dir}),
        client_(&downloader_, &verifier_) {
    (void)request;
  }

  Result<Fetched> Fetch(const BuildRequest& request, const Recipe& recipe,
                        const ProgressFn& progress) {
    Fetched f;
    DISTILL_ASSIGN_OR_RETURN(f.release,
                             debian::LookupDebianRelease(std::to_string(request.debian_release)));
    DISTILL_ASSIGN_OR_RETURN(auto host,
                             debian::LoadAptSources(DefaultFileSystem(), request.apt_dir));
    debian::SuitePlanOptions plan_options;
    plan_options.mirror = request.mirror;
    plan_options.arch = request.arch;
    DISTILL_ASSIGN_OR_RETURN(auto plan, debian::PlanSuites(host, f.release, plan_options));
    f.universe = std::make_unique<debian::PackageUniverse>(request.arch);
    for (const auto& suite : plan) {
      Say(progress, "fetching Release " + suite.DistUrl() + "/InRelease");
      DISTILL_ASSIGN_OR_RETURN(debian::Release release, client_.FetchRelease(suite));
      if (release.date) f.newest_release_date = std::max(f.newest_release_date, *release.date);
      for (const auto& component : suite.components) {
        DISTILL_ASSIGN_OR_RETURN(auto packages,
                                 client_.FetchPackages(suite, release, component, request.arch));
        f.universe->Add(std::move(packages));
      }
    }
    debian::ResolveOptions options;
    options.exclude = recipe.exclude;
    DISTILL_ASSIGN_OR_RETURN(auto resolution, debian::Resolve(*f.universe, recipe.roots, options));
    f.packages = resolution.packages;
    Say(progress, "resolving " + std::to_string(recipe.roots.size()) +
                      " packages: " + std::to_string(f.packages.size()) + " to install");

    std::vector<const Package*> to_fetch = f.packages;
    auto newest = [&](const std::string& name) -> Result<const Package*> {
      const auto& candidates = f.universe->Candidates(name);
      if (candidates.empty()) {
        return Status::NotFound("package " + name + " is not in Debian " +
                                std::to_string(request.debian_release) + " (" + f.release.codename +
                                ") for " + request.arch);
      }
      return candidates.front();
    };
    DISTILL_ASSIGN_OR_RETURN(f.ca_certificates, newest(recipe.ca_certificates_package));
    to_fetch.push_back(f.ca_certificates);
    bool debug = std::any_of(request.variants.begin(), request.variants.end(), IsDebug);
    if (debug) {
      DISTILL_ASSIGN_OR_RETURN(f.busybox, newest(kBusyboxPackage));
      to_fetch.push_back(f.busybox);
    }
    size_t cached = 0;
    for (const Package* p : to_fetch) {
      if (DefaultFileSystem()->Exists(downloader_.CachePath(p->sha256))) ++cached;
    }
    Say(progress, "downloading " + std::to_string(to_fetch.size()) + " .debs (cached " +
                      std::to_string(cached) + ")");
    auto paths = client_.FetchDebs(to_fetch);
    for (size_t i = 0; i < to_fetch.size(); ++i) {
      if (!paths[i].ok()) return paths[i].status();
      f.deb_paths[to_fetch[i]] = *paths[i];
    }
    return f;
  }

 private:
  std::unique_ptr<debian::HttpClient> http_;
  debian::Downloader downloader_;
  debian::GpgvVerifier verifier_;
  debian::AptClient client_;
};

// Maps a data.tar path to its place in the image; "" drops the entry.
std::string ImagePath(const std::string& raw, bool merged_usr) {
  std::string path = debian::StripDotSlash(raw);
  while (!path.empty() && path.back() == '/') path.pop_back();
  if (path.empty() || !KeepPath(path)) return "";
  if (!merged_usr) return path;
  return MergedUsrPath(path).value_or("");
}

// Streams one .deb's data.tar into the tree (and its certificates into
// `certs` when given), and writes its status.d records.
Status AddDeb(const std::string& deb_path, const Package& package, bool merged_usr, bool install,
              RootfsTree* tree, CaBundle* certs) {
  std::string name = package.Label();
  DISTILL_ASSIGN_OR_RETURN(auto file, DefaultFileSystem()->OpenForRead(deb_path));
  debian::DebReader deb(file.get(), name);
  DISTILL_RETURN_IF_ERROR(deb.ReadControl());
  DISTILL_ASSIGN_OR_RETURN(archive::TarReader * data, deb.Data());
  archive::TarEntry entry;
  while (true) {
    DISTILL_ASSIGN_OR_RETURN(bool more, data->Next(&entry));
    if (!more) break;
    std::string raw_path = debian::StripDotSlash(entry.path);
    if (certs != nullptr && entry.type == archive::TarEntryType::kFile &&
        CaBundle::IsCertificatePath(raw_path)) {
      DISTILL_ASSIGN_OR_RETURN(std::string pem, ReadAllOf(data->content(), name + ": " + raw_path));
      DISTILL_RETURN_IF_ERROR(certs->Add(name + ": " + raw_path, std::move(pem)));
      continue;
    }
    if (!install) continue;
    std::string path = ImagePath(entry.path, merged_usr);
    if (path.empty() && merged_usr && entry.type == archive::TarEntryType::kDirectory &&
        !MergedUsrPath(raw_path)) {
      // "lib64" itself: its /usr twin exists, so the image gets the lib64 → usr/lib64 link.
      path = "usr/" + raw_path;
    }
    if (path.empty()) continue;
    entry.path = path;
    std::string content;
    if (entry.type == archive::TarEntryType::kFile) {
      DISTILL_ASSIGN_OR_RETURN(content, ReadAllOf(data->content(), name + ": " + path));
    } else if (entry.type == archive::TarEntryType::kHardlink) {
      entry.linkname = ImagePath(entry.linkname, merged_usr);
    }
    Status added = tree->Add(std::move(entry), std::move(content));
    if (!added.ok()) return added.Prefixed(name);
  }
  if (!install) return Status::Ok();
  std::string record = "var/lib/dpkg/status.d/" + package.name;
  DISTILL_RETURN_IF_ERROR(tree->AddFile(record, RenderStatusParagraph(deb.control())));
  if (!deb.md5sums().empty()) {
    DISTILL_RETURN_IF_ERROR(tree->AddFile(record + ".md5sums", RenderMd5sums(deb.md5sums())));
  }
  return Status::Ok();
}

Status AddGeneratedFiles(const Recipe& recipe, const debian::DebianRelease& release,
                         const CaBundle& certs, RootfsTree* tree) {
  DISTILL_RETURN_IF_ERROR(tree->AddFile("etc/passwd", PasswdFile()));
  DISTILL_RETURN_IF_ERROR(tree->AddFile("etc/group", GroupFile()));
  DISTILL_RETURN_IF_ERROR(tree->AddFile("etc/nsswitch.conf", NsswitchConf()));
  DISTILL_RETURN_IF_ERROR(tree->AddFile("etc/os-release", OsRelease(release)));
  DISTILL_RETURN_IF_ERROR(tree->AddFile("etc/ssl/certs/ca-certificates.crt", certs.Render()));
  DISTILL_RETURN_IF_ERROR(tree->AddDirectory("tmp", 01777));
  DISTILL_RETURN_IF_ERROR(tree->AddDirectory("root", 0700));
  DISTILL_RETURN_IF_ERROR(tree->AddDirectory("home", 0755));
  DISTILL_RETURN_IF_ERROR(tree->AddDirectory("home/nonroot", 0700, kNonrootUid, kNonrootUid));
  if (recipe.merged_usr) {
    for (std::string_view dir : kMergedUsrDirs) {
      std::string target = "usr/" + std::string(dir);
      // bin, sbin and lib always (as base-files and usrmerge make them);
      // lib64 & co only where the architecture has such a directory.
      bool always = dir == "bin" || dir == "sbin" || dir == "lib";
      if (!always && !tree->Contains(target)) continue;
      if (always && !tree->Contains(target))
        DISTILL_RETURN_IF_ERROR(tree->AddDirectory(target, 0755));
      DISTILL_RETURN_IF_ERROR(tree->AddSymlink(std::string(dir), target));
    }
  }
  if (!recipe.python.empty() && !tree->Contains("usr/bin/python3")) {
    DISTILL_RETURN_IF_ERROR(tree->AddSymlink("usr/bin/python3", recipe.python));
  }
  // Last, once /lib and the other merged-/usr links exist: the dynamic
  // loader's cache of every shared library (none in static images).
  DISTILL_ASSIGN_OR_RETURN(std::vector<LdCacheEntry> libraries, ScanLibraries(*tree));
  if (!libraries.empty()) {
    DISTILL_RETURN_IF_ERROR(tree->AddFile("etc/ld.so.cache", RenderLdSoCache(libraries)));
  }
  return Status::Ok();
}

Status AddBusybox(const std::string& deb_path, const Package& package, RootfsTree* tree) {
  std::string name = package.Label();
  DISTILL_ASSIGN_OR_RETURN(auto file, DefaultFileSystem()->OpenForRead(deb_path));
  debian::DebReader deb(file.get(), name);
  DISTILL_RETURN_IF_ERROR(deb.ReadControl());
  DISTILL_ASSIGN_OR_RETURN(archive::TarReader * data, deb.Data());
  archive::TarEntry entry;
  std::string binary;
  while (true) {
    DISTILL_ASSIGN_OR_RETURN(bool more, data->Next(&entry));
    if (!more) break;
    std::string path = debian::StripDotSlash(entry.path);
    if (entry.type == archive::TarEntryType::kFile &&
        (path == "bin/busybox" || path == "usr/bin/busybox")) {
      DISTILL_ASSIGN_OR_RETURN(binary, ReadAllOf(data->content(), name + ": " + path));
    }
  }
  if (binary.empty()) return Status::NotFound(name + ": no bin/busybox in the package");
  DISTILL_ASSIGN_OR_RETURN(auto applets, BusyboxApplets(binary, name));
  DISTILL_RETURN_IF_ERROR(tree->AddDirectory("busybox", 0755));
  DISTILL_RETURN_IF_ERROR(tree->AddFile("busybox/busybox", std::move(binary), 0755));
  for (const std::string& applet : applets) {
    if (applet == "busybox") continue;
    DISTILL_RETURN_IF_ERROR(tree->AddSymlink("busybox/" + applet, "busybox"));
  }
  return Status::Ok();
}

oci::ImageConfig MakeConfig(const BuildRequest& request, const Recipe& recipe, Variant variant,
                            int64_t epoch, size_t package_count) {
  oci::ImageConfig config;
  config.created = Rfc3339(epoch);
  config.architecture = request.arch;
  config.os = "linux";
  config.has_config = true;
  std::string path = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  if (IsDebug(variant)) path += ":/busybox";
  config.config.env = {path, "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"};
  if (!recipe.python.empty()) config.config.env.push_back("LANG=C.UTF-8");
  if (IsDebug(variant)) {
    config.config.entrypoint = {"/busybox/sh"};
  } else if (!recipe.python.empty()) {
    config.config.entrypoint = {"/usr/bin/" + recipe.python};
  }
  config.config.user = IsNonroot(variant) ? std::to_string(kNonrootUid) : "0";
  config.config.working_dir = IsNonroot(variant) ? "/home/nonroot" : "/";
  oci::HistoryEntry packages;
  packages.created = config.created;
  packages.created_by = "distill distroless build " + std::string(FlavourName(request.flavour)) +
                        " --debian " + std::to_string(request.debian_release);
  for (const std::string& extra : request.extra_packages) packages.created_by += " +" + extra;
  packages.comment = std::to_string(package_count) + " Debian packages and generated /etc files";
  config.history.push_back(packages);
  if (IsDebug(variant)) {
    oci::HistoryEntry busybox;
    busybox.created = config.created;
    busybox.created_by = "distill distroless: /busybox from " + std::string(kBusyboxPackage);
    config.history.push_back(busybox);
  }
  return config;
}

}  // namespace

Result<StoredLayer> StoreTreeLayer(store::Store& store, const RootfsTree& tree, int64_t epoch) {
  DISTILL_ASSIGN_OR_RETURN(auto blob, store.blobs().NewWriter());
  DISTILL_ASSIGN_OR_RETURN(auto layer,
                           archive::LayerWriter::Create(archive::Compression::kGzip, blob.get()));
  DISTILL_RETURN_IF_ERROR(tree.WriteTar(layer.get(), epoch));
  DISTILL_ASSIGN_OR_RETURN(archive::LayerDigests digests, layer->Finish());
  DISTILL_RETURN_IF_ERROR(blob->Commit(digests.digest, digests.compressed_size).status());
  StoredLayer out;
  out.descriptor.media_type = oci::media_type::kOciLayerTarGzip;
  out.descriptor.digest = digests.digest;
  out.descriptor.size = static_cast<int64_t>(digests.compressed_size);
  out.diff_id = digests.diff_id;
  return out;
}

Result<std::vector<BuiltImage>> BuildDistroless(store::Store& store, const BuildRequest& request,
                                                const ProgressFn& progress) {
  DISTILL_ASSIGN_OR_RETURN(Recipe recipe, RecipeFor(request.flavour, request.debian_release));
  for (const std::string& extra : request.extra_packages) {
    recipe.roots.push_back(extra);
    // Asked for by name: no longer left out (dpkg, say).
    recipe.exclude.erase(std::remove(recipe.exclude.begin(), recipe.exclude.end(), extra),
                         recipe.exclude.end());
  }
  if (request.variants.empty()) return Status::Invalid("no distroless variant to build");
  if (!request.tags.empty() && request.variants.size() > 1) {
    return Status::Invalid("-t names one image; it cannot be combined with several variants");
  }
  std::string cache_dir =
      request.cache_dir.empty() ? debian::DefaultDebianCacheDir(store.root()) : request.cache_dir;
  Session session(request, cache_dir);
  DISTILL_ASSIGN_OR_RETURN(Fetched fetched, session.Fetch(request, recipe, progress));
  int64_t epoch = request.epoch.value_or(SourceDateEpoch().value_or(fetched.newest_release_date));

  RootfsTree tree;
  CaBundle certs;
  for (const Package* p : fetched.packages) {
    bool is_ca = p == fetched.ca_certificates;
    DISTILL_RETURN_IF_ERROR(AddDeb(fetched.deb_paths.at(p), *p, recipe.merged_usr, true, &tree,
                                   is_ca ? &certs : nullptr));
  }
  if (certs.size() == 0) {
    DISTILL_RETURN_IF_ERROR(AddDeb(fetched.deb_paths.at(fetched.ca_certificates),
                                   *fetched.ca_certificates, recipe.merged_usr, false, &tree,
                                   &certs));
  }
  if (certs.size() == 0) {
    return Status::NotFound(fetched.ca_certificates->Label() +
                            ": no certificates under usr/share/ca-certificates");
  }
  DISTILL_RETURN_IF_ERROR(AddGeneratedFiles(recipe, fetched.release, certs, &tree));
  Say(progress, "writing layer: " + std::to_string(tree.size()) + " entries from " +
                    std::to_string(fetched.packages.size()) + " packages, " +
                    std::to_string(certs.size()) + " CA certificates");
  DISTILL_ASSIGN_OR_RETURN(StoredLayer base, StoreTreeLayer(store, tree, epoch));

  std::optional<StoredLayer> busybox;
  if (fetched.busybox != nullptr) {
    RootfsTree debug_tree;
    DISTILL_RETURN_IF_ERROR(
        AddBusybox(fetched.deb_paths.at(fetched.busybox), *fetched.busybox, &debug_tree));
    Say(progress, "writing busybox layer: " + std::to_string(debug_tree.size()) + " entries");
    DISTILL_ASSIGN_OR_RETURN(busybox, StoreTreeLayer(store, debug_tree, epoch));
  }

  std::vector<BuiltImage> built;
  for (Variant variant : request.variants) {
    oci::ImageConfig config = MakeConfig(request, recipe, variant, epoch, fetched.packages.size());
    std::vector<oci::Descriptor> layers = {base.descriptor};
    config.rootfs.diff_ids = {base.diff_id};
    if (IsDebug(variant)) {
      layers.push_back(busybox->descriptor);
      config.rootfs.diff_ids.push_back(busybox->diff_id);
    }
    store::WriteImageOptions options;
    options.tags = request.tags;
    if (options.tags.empty() && !request.untagged) {
      options.tags.push_back(DefaultImageName(request.flavour, request.debian_release, variant));
    }
    DISTILL_ASSIGN_OR_RETURN(oci::Digest digest, store::WriteImage(store, config, layers, options));
    BuiltImage image;
    image.variant = variant;
    image.manifest = digest;
    for (const auto& l : layers) image.compressed_size += static_cast<uint64_t>(l.size);
    image.tags = options.tags;
    image.packages = fetched.packages.size();
    image.epoch = epoch;
    built.push_back(std::move(image));
  }
  return built;
}

Result<oci::Digest> EnsureDistrolessImage(store::Store& store, const std::string& image_name,
                                          const ProgressFn& progress) {
  DISTILL_ASSIGN_OR_RETURN(auto parsed, ParseDistrolessName(image_name));
  if (!parsed) return Status::NotFound(image_name + ": not a distroless image name");
  DISTILL_ASSIGN_OR_RETURN(std::string normalized, store::NormalizeImageName(image_name));
  auto existing = store.Resolve(normalized);
  if (existing.ok()) return *existing;
  BuildRequest request;
  request.flavour = parsed->flavour;
  request.debian_release = parsed->debian_release;
  request.variants = {parsed->variant};
  if (!parsed->arch.empty()) request.arch = parsed->arch;
  request.tags = {normalized};
  DISTILL_ASSIGN_OR_RETURN(auto built, BuildDistroless(store, request, progress));
  return built.front().manifest;
}

}  // namespace distill::distroless
