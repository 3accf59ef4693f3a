// Writes the image a build produced: the OCI config from the target stage's
// state (runtime config, history, rootfs diff IDs, platform, created time) and
// a manifest over its layers, into the store, tagged with every -t name.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "oci/digest.h"
#include "oci/image_config.h"
#include "solver/image_state.h"
#include "solver/solver.h"
#include "store/store.h"
#include "util/status.h"

namespace distill::builder {

struct ImageWriteOptions {
  std::vector<std::string> tags;              // -t names (normalised by the store)
  std::map<std::string, std::string> labels;  // --label: added over the Dockerfile's
  // The config's and the new history entries' `created` (SOURCE_DATE_EPOCH, or
  // CreatedTimeOfResults), in Unix seconds.
  int64_t created_unix = 0;
};

// "2024-05-01T12:00:00Z".
std::string Rfc3339Utc(int64_t unix_seconds);

// The `created` time of a build's image when SOURCE_DATE_EPOCH is not set:
// when the newest of its steps' results was made (from their cache records).
// A rebuild that reuses every step then writes the very same image — same ID,
// no new blobs — as BuildKit does, while any re-run step moves it forward.
// `now` when no step of the build has a record (a Dockerfile of only
// metadata instructions).
int64_t CreatedTimeOfResults(store::Store& store, const solver::BuildStats& stats, int64_t now);

// The image config for `state` (pure: no store access).
Result<oci::ImageConfig> ImageConfigOf(const solver::ImageState& state,
                                       const ImageWriteOptions& options);

// Writes config + manifest and tags them. Returns the manifest digest, which
// is the image ID distill prints and `distill images` shows.
Result<oci::Digest> WriteBuiltImage(store::Store& store, const solver::ImageState& state,
                                    const ImageWriteOptions& options);

}  // namespace distill::builder
