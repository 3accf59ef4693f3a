// Bootstrapping Debian base images from the archive, the way mmdebstrap's
// root mode does: resolve the Essential and Priority: required packages (plus
// apt and the archive keyring), download and verify them, unpack them into a
// directory, let dpkg install them for real inside distill's sandbox, add the
// apt configuration of the official images, clean up, and store the tree as
// one layer. Language images (python, golang) then apt-get their toolchain in
// the same tree.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "bootstrap/recipe.h"
#include "oci/digest.h"
#include "store/store.h"
#include "util/status.h"

namespace distill::bootstrap {

// Receives one line per step ("resolving", "downloading 92 packages", ...).
using ProgressFn = std::function<void(std::string_view)>;

struct BootstrapOptions {
  std::string mirror;  // replaces the host's Debian archive URI when set
  // The image architecture; it must be the host's (dpkg runs the packages'
  // maintainer scripts natively).
  std::string arch = "amd64";
  std::vector<std::string> extra_tags;  // -t names, besides the recipe's
  std::string apt_dir = "/etc/apt";     // where the host's sources are read
  ProgressFn progress;
};

struct BootstrapResult {
  oci::Digest manifest;
  std::vector<std::string> tags;
  size_t package_count = 0;  // of the base system (before apt-get additions)
  uint64_t layer_size = 0;   // compressed
  uint64_t unpacked_size = 0;
  int64_t epoch = 0;  // the image's created time and mtime clamp
};

// Builds the image `recipe` describes into `store` and tags it. Needs root
// (dpkg chowns files; the sandbox needs namespaces) and the mirror.
// Intermediate files live under the store's tmp/ and are removed on return.
Result<BootstrapResult> BootstrapImage(store::Store& store, const Recipe& recipe,
                                       const BootstrapOptions& options);

// For builds whose FROM names an image that is not in the store: when
// `image_name` is one distill can bootstrap (debian:*, python:*, golang:*
// names RecipeForImage accepts), returns the stored image's manifest digest —
// the existing one when the name is already tagged, else a freshly
// bootstrapped one (host mirror, host architecture). Returns kNotFound for
// every other name, and for unknown releases or toolchain versions (with the
// list of those that exist); other errors come from the bootstrap itself.
Result<oci::Digest> EnsureDebianImage(store::Store& store, const std::string& image_name,
                                      const ProgressFn& progress);

}  // namespace distill::bootstrap
