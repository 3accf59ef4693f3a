// One stored image read back for display (store::StoredImage), and what the
// tables derive from it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "oci/digest.h"
#include "store/image_store.h"
#include "store/store.h"
#include "util/status.h"

namespace distill::images {

// store::ReadImageByDigest, refusing an index (multi-platform image) with a
// message that says so rather than the manifest parser's complaint. `name` is
// how errors call the image ("python:3.9").
Result<store::StoredImage> LoadImage(store::Store& store, const oci::Digest& manifest,
                                     std::string_view name);

// Compressed bytes of the image as stored: config + layer blobs, from the
// manifest's descriptors. Not docker's unpacked size (see `images --help`).
uint64_t ContentSize(const store::StoredImage& image);

// The config's "created" in Unix seconds; nullopt when absent or unparsable.
std::optional<int64_t> CreatedUnix(const store::StoredImage& image);

}  // namespace distill::images
