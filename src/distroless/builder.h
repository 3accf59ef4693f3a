// Building distroless images straight from Debian's signed packages: the
// host's apt mirror (or --mirror) → verified Release and Packages → the
// flavour's dependency closure → .debs (SHA-256 checked, cached) → their
// data.tar entries streamed into one layer with the generated /etc files →
// an image in the store, tagged like Google's (gcr.io/distroless/...).
//
// Reproducible: the same mirror snapshot gives the same image digest. Every
// mtime is clamped to a fixed epoch (SOURCE_DATE_EPOCH, else the newest Date
// of the Release files used), which is also the image's "created" time.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "distroless/flavour.h"
#include "distroless/rootfs_tree.h"
#include "oci/descriptor.h"
#include "oci/digest.h"
#include "store/store.h"
#include "util/status.h"

namespace distill::distroless {

// Receives one human-readable progress line at a time (no newline).
using ProgressFn = std::function<void(const std::string&)>;

struct BuildRequest {
  Flavour flavour = Flavour::kStatic;
  int debian_release = 12;
  // Each variant becomes one image; they share the packages' layer.
  std::vector<Variant> variants = {Variant::kLatest};
  std::string arch = "amd64";
  std::string mirror;  // empty: the host's apt archive
  // Names for the image when one variant is built; empty: DefaultImageName
  // (plus "gcr.io/distroless/F-debianN" itself, i.e. ":latest", for kLatest).
  std::vector<std::string> tags;
  // Where .debs and indexes are cached; empty: debian::DefaultDebianCacheDir.
  std::string cache_dir;
  // The epoch for mtimes and "created"; empty: SOURCE_DATE_EPOCH, else the Release date.
  std::optional<int64_t> epoch;
  std::string apt_dir = "/etc/apt";  // the host's apt configuration
  // Packages installed on top of the flavour's (their dependency closure
  // too), the same way: files streamed in, no maintainer scripts run.
  std::vector<std::string> extra_packages;
  // Write the images without any tag (a recipe build names its own result).
  bool untagged = false;
};

struct BuiltImage {
  Variant variant = Variant::kLatest;
  oci::Digest manifest;
  uint64_t compressed_size = 0;  // the layers as stored
  std::vector<std::string> tags;
  size_t packages = 0;
  int64_t epoch = 0;  // mtime clamp and "created" time
};

// One deterministic gzip layer of `tree` (mtimes clamped to `epoch`) in the
// store's blobs.
struct StoredLayer {
  oci::Descriptor descriptor;
  oci::Digest diff_id;
};
Result<StoredLayer> StoreTreeLayer(store::Store& store, const RootfsTree& tree, int64_t epoch);

// Builds the request's images into `store`. Errors name the release, the
// mirror URL or the package they are about.
Result<std::vector<BuiltImage>> BuildDistroless(store::Store& store, const BuildRequest& request,
                                                const ProgressFn& progress = nullptr);

// For the builder's FROM resolution: when `image_name` is a distroless name
// (gcr.io/distroless/static-debian12, ...:nonroot, ...:debug,
// ...:debug-nonroot, ...:latest-amd64) returns the manifest digest of that
// image in `store`, building it from Debian packages first if no such tag is
// stored yet. A name that is not a distroless one is kNotFound (the caller
// looks elsewhere); a distroless name distill cannot make (python3-debian11,
// an unknown flavour) is kInvalidArgument.
Result<oci::Digest> EnsureDistrolessImage(store::Store& store, const std::string& image_name,
                                          const ProgressFn& progress = nullptr);

}  // namespace distill::distroless
