// One stored image read back for display: the manifest and config exactly as
// stored (bytes, whose digests identify them) and parsed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "oci/digest.h"
#include "oci/image_config.h"
#include "oci/manifest.h"
#include "store/store.h"
#include "util/status.h"

namespace distill::images {

struct ImageView {
  oci::Digest manifest_digest;  // what distill shows as the image ID
  std::string manifest_bytes;
  oci::Manifest manifest;
  std::string config_bytes;
  oci::ImageConfig config;

  // Compressed bytes of the image as stored: config + layer blobs, from the
  // manifest's descriptors. Not docker's unpacked size (see `images --help`).
  uint64_t ContentSize() const;
  // The config's "created", in Unix seconds; nullopt when absent or unparsable.
  std::optional<int64_t> CreatedUnix() const;
};

// Reads and parses the manifest `manifest` and its config. `name` is how errors
// call the image ("python:3.9"). An index (multi-platform image) is refused
// with a message saying so; a missing or corrupt blob names the blob.
Result<ImageView> LoadImage(store::Store& store, const oci::Digest& manifest,
                            std::string_view name);

}  // namespace distill::images
