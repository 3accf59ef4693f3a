// Image-level access to the Store: one image model (manifest + config + layer
// descriptors) that every source and sink converts to and from, in the shape of
// go-containerregistry's v1.Image. The Store itself knows only blobs, tags and
// reference edges; this file knows what an image is made of.
//
// Names: tags are stored normalised ("python:3.9" -> "docker.io/library/python:3.9"),
// so every name a user types goes through NormalizeImageName before a lookup or a tag.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "oci/descriptor.h"
#include "oci/digest.h"
#include "oci/image_config.h"
#include "oci/manifest.h"
#include "oci/media_types.h"
#include "store/store.h"
#include "util/io.h"
#include "util/status.h"

namespace distill::store {

// One image as stored: the exact bytes of its manifest and config (their digests are
// of those bytes) and their parsed forms.
struct StoredImage {
  oci::Digest manifest_digest;
  std::string manifest_bytes;
  oci::Manifest manifest;
  oci::Digest config_digest;
  std::string config_bytes;
  oci::ImageConfig config;
};

// A layer descriptor with the diffID the config gives it (same position).
struct ImageLayer {
  oci::Descriptor descriptor;
  oci::Digest diff_id;
};

// "python:3.9" -> "docker.io/library/python:3.9" (oci::Reference). Fails for
// malformed names and for names with a digest (a tag cannot carry one).
Result<std::string> NormalizeImageName(std::string_view name);

// A tag (as typed or normalised), "name@sha256:...", a full digest or a unique
// hex prefix of an image ID -> the manifest digest.
Result<oci::Digest> ResolveImage(Store& store, std::string_view name_or_digest);

// Resolves, reads and parses the manifest and its config. A missing or corrupt
// blob is an error naming the image and the blob.
Result<StoredImage> ReadImage(Store& store, std::string_view name_or_digest);
// The same for a known manifest digest; `name` is what errors call the image.
Result<StoredImage> ReadImageByDigest(Store& store, const oci::Digest& manifest,
                                      std::string_view name);

// The layers of `image`, each with its diffID. Fails when the manifest and the
// config's rootfs.diff_ids disagree in count.
Result<std::vector<ImageLayer>> LayersOf(const StoredImage& image);

struct WriteImageOptions {
  // Media types of the manifest, config and layers (layers are mapped).
  oci::MediaFamily family = oci::MediaFamily::kOci;
  // Names to point at the image (normalised here). Without any, the manifest is
  // only recorded (kept until Prune, as an untagged image).
  std::vector<std::string> tags;
  // Manifest annotations (OCI only; dropped for Docker, whose schema has none).
  std::map<std::string, std::string> annotations;
};

// Writes the config blob (these exact bytes) and a canonical manifest over
// `layers`, which must already be in the blob store, records the manifest's
// references and tags it. The config must parse and have one diffID per layer.
// Returns the manifest digest.
Result<oci::Digest> WriteImage(Store& store, std::string_view config_bytes,
                               const std::vector<oci::Descriptor>& layers,
                               const WriteImageOptions& options = {});
// The same with the config serialised canonically first.
Result<oci::Digest> WriteImage(Store& store, const oci::ImageConfig& config,
                               const std::vector<oci::Descriptor>& layers,
                               const WriteImageOptions& options = {});

// Points `name` (normalised) at the stored manifest `manifest`, recording its refs.
Status TagImage(Store& store, std::string_view name, const oci::Digest& manifest);

// Digests a manifest references directly and needs to be served: config and layers
// (not a subject, which points at another image that need not be here).
std::vector<oci::Digest> ManifestRefs(const oci::Manifest& manifest);

// The layer blob as stored (compressed), verified against its digest and size
// while it is read: the last Read fails on a mismatch.
Result<std::unique_ptr<Reader>> OpenLayer(Store& store, const oci::Descriptor& layer);
// The layer's uncompressed tar stream (decompressed by magic bytes), with the
// blob verified as above. The diffID is not checked here (see VerifyDiffId
// users in transport/).
Result<std::unique_ptr<Reader>> OpenLayerTar(Store& store, const oci::Descriptor& layer);

}  // namespace distill::store
