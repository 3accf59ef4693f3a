// The shared build cache as an OCI artifact (`build --cache-to/--cache-from`).
//
// One image manifest carries a cache: its config blob lists the records (a
// step's cache key -> the layer it made, or "no layer") and its layers are
// the layer blobs those records name, so any OCI layout or registry stores it
// as it stores an image. Format version 1:
//
//   manifest: mediaType    application/vnd.oci.image.manifest.v1+json
//             artifactType application/vnd.distill.cache.v1
//             config       {mediaType application/vnd.distill.cache.config.v1+json, ...}
//             layers       the distinct layer blobs of the records, in key order
//   config:   {"formatVersion": 1,
//              "cacheKeyVersion": "distill-cache-v1",      (solver/cache_key.h)
//              "records": [{"key": "sha256:...",
//                           "layer": {mediaType, digest, size},   (absent: no layer)
//                           "diffID": "sha256:..."}, ...]}
//
// No parent linkage is stored: a key already hashes its parent's key, so a
// record is valid on its own. Records are sorted by key and the JSON is
// canonical, so the same records always give the same artifact digest.
//
// A reader refuses a formatVersion it does not know (a newer distill wrote it)
// and ignores records of another cacheKeyVersion (they could never match).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oci/manifest.h"
#include "solver/image_state.h"
#include "util/status.h"

namespace distill::builder {

inline constexpr int kCacheFormatVersion = 1;
inline constexpr std::string_view kCacheArtifactType = "application/vnd.distill.cache.v1";
inline constexpr std::string_view kCacheConfigMediaType =
    "application/vnd.distill.cache.config.v1+json";

struct CacheArtifactRecord {
  std::string key;                        // "sha256:<hex>", a solver cache key
  std::optional<solver::LayerRef> layer;  // none: the step changed no file
  friend bool operator==(const CacheArtifactRecord&, const CacheArtifactRecord&) = default;
};

struct CacheArtifact {
  std::string key_version;  // solver::kCacheKeyVersion of the writer
  std::vector<CacheArtifactRecord> records;
};

// The config blob's bytes (canonical JSON, records sorted by key).
Result<std::string> EncodeCacheConfig(const CacheArtifact& artifact);

// Parses a config blob; `source` names it in errors ("cache config sha256:..
// in /ci/cache"). Fails on an unknown formatVersion or a malformed record.
Result<CacheArtifact> DecodeCacheConfig(std::string_view bytes, std::string_view source);

// The manifest of `artifact`, whose encoded config `config_bytes` is.
oci::Manifest CacheManifest(const CacheArtifact& artifact, std::string_view config_bytes);

// Checks a fetched manifest is a distill cache (artifactType or config media
// type) whose layers include every layer `artifact` names; `source` is for
// errors.
Status CheckCacheManifest(const oci::Manifest& manifest, std::string_view source);
Status CheckRecordsAgainstManifest(const CacheArtifact& artifact, const oci::Manifest& manifest,
                                   std::string_view source);

}  // namespace distill::builder
