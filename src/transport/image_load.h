// Loaders: images into the store from an OCI layout directory, an oci-archive or
// a docker-archive (Docker 25+ with index.json, and the legacy layout with
// <id>/layer.tar and <id>.json), optionally gzip/zstd/xz-compressed.
//
// An archive is read in one streaming pass: blobs/<alg>/<hex> entries go straight
// into the blob store, verified against the digest their name gives; other large
// files (legacy layer.tar) are stored as they are, hashed on the way. Legacy
// layers are uncompressed tars: they are kept uncompressed, with the OCI
// uncompressed layer media type, so the layer digest equals its diffID (as in
// Docker's containerd store), and no layer is compressed or read twice.
//
// Before anything is tagged every image is checked: manifest, config and layers
// present and matching their digests, and each layer's diffID (its uncompressed
// sha256) equal to the config's rootfs.diff_ids entry. A failure leaves no tag
// (the blobs already stored are unreferenced, and Prune frees them).
#pragma once

#include <string>
#include <vector>

#include "oci/digest.h"
#include "store/store.h"
#include "util/status.h"

namespace distill::transport {

struct LoadedImage {
  oci::Digest manifest;
  std::vector<std::string> names;  // normalised tags given to it; empty if untagged
};

struct LoadOptions {
  // Names an image that the source leaves unnamed (an OCI layout entry with only
  // a tag, or none). With a single-image source it is also added to named images.
  std::string name;
};

// `path` is a directory (OCI layout) or a tar file (any of the archive formats).
Result<std::vector<LoadedImage>> LoadImages(store::Store& store, const std::string& path,
                                            const LoadOptions& options = {});

}  // namespace distill::transport
