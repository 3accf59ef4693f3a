// CacheArtifactStore: where a build cache artifact (cache_artifact.h) lives —
// an OCI image layout directory (`type=local,dest=DIR|src=DIR`) or a registry
// repository and tag (`type=registry,ref=HOST/REPO:TAG`). The exporter and the
// importer see only this interface.
//
// Nothing here verifies content: the importer checks every document and blob
// against its descriptor as it reads it (a store may be corrupt or hostile).
//
// Thread-safety: implementations must allow FetchBlob from several threads at
// once (the solver looks up from one thread per stage).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "oci/descriptor.h"
#include "util/io.h"
#include "util/status.h"

namespace distill::builder {

class CacheArtifactStore {
 public:
  virtual ~CacheArtifactStore() = default;
  // "cache directory /ci/cache", "registry cache 127.0.0.1:5000/app:cache".
  virtual std::string Describe() const = 0;
  // Opens a blob's content; called again for each attempt of an upload.
  using BlobOpener = std::function<Result<std::unique_ptr<Reader>>()>;
  // Adds a blob of exactly d.size bytes; a blob already there is skipped.
  virtual Status PutBlob(const oci::Descriptor& d, const BlobOpener& open) = 0;
  // Streams the blob's bytes into `sink` (not closed), at most d.size + 1 of
  // them; the caller verifies them. kNotFound when absent.
  virtual Status FetchBlob(const oci::Descriptor& d, Writer* sink) = 0;
  // Publishes the manifest (its blobs are already put), replacing the previous one.
  virtual Status PutManifest(const oci::Descriptor& d, std::string_view bytes) = 0;
  // The current manifest's bytes (unverified), with the descriptor it was
  // found under (its digest when known; media type); nullopt: no cache yet.
  struct ManifestBytes {
    std::optional<oci::Digest> digest;
    std::string media_type;
    std::string bytes;
  };
  virtual Result<std::optional<ManifestBytes>> GetManifest() = 0;
};

// An OCI image layout directory: blobs/sha256/<hex>, oci-layout, and an
// index.json whose only entry is the cache manifest (tagged "cache"). Writing
// creates the directory; blobs of older exports stay (content-addressed).
Result<std::unique_ptr<CacheArtifactStore>> OpenCacheDirectory(const std::string& dir);

// A registry repository and tag ("127.0.0.1:5000/app:buildcache"), over a
// client with the default registry config and credentials (`distill login`).
Result<std::unique_ptr<CacheArtifactStore>> OpenRegistryCache(const std::string& ref);

}  // namespace distill::builder
