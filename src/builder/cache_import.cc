#include "builder/cache_import.h"

#include <vector>

#include "archive/decompress.h"
#include "archive/verifying_reader.h"
#include "oci/descriptor.h"
#include "oci/manifest.h"
#include "solver/cache_key.h"

namespace distill::builder {

namespace {

// A cache config lists records, not layers: anything this large is not one.
constexpr int64_t kMaxConfigBytes = 64 << 20;

Result<std::string> ReadSmallBlob(CacheArtifactStore* source, const oci::Descriptor& d,
                                  const std::string& what) {
  if (d.size > kMaxConfigBytes) {
    return Status::Invalid(what + " is " + std::to_string(d.size) + " bytes, more than a cache " +
                           "config may be");
  }
  StringWriter bytes;
  Status fetched = source->FetchBlob(d, &bytes);
  if (!fetched.ok()) return fetched.Prefixed(what);
  DISTILL_RETURN_IF_ERROR(oci::VerifyBlob(bytes.str(), d, what));
  return std::move(bytes.str());
}

Status DrainReader(Reader* reader) {
  std::vector<char> buf(256 << 10);
  while (true) {
    DISTILL_ASSIGN_OR_RETURN(size_t n, reader->Read(buf.data(), buf.size()));
    if (n == 0) return Status::Ok();
  }
}

}  // namespace

Result<std::optional<CacheArtifact>> ReadCacheArtifact(CacheArtifactStore* source) {
  const std::string where = source->Describe();
  DISTILL_ASSIGN_OR_RETURN(auto found, source->GetManifest());
  if (!found) return std::optional<CacheArtifact>();
  if (found->digest && oci::Digest::Of(found->bytes) != *found->digest) {
    return Status::Corrupt(where + ": the cache manifest does not match its digest " +
                           found->digest->str() + " (got " + oci::Digest::Of(found->bytes).str() +
                           ")");
  }
  DISTILL_ASSIGN_OR_RETURN(oci::Manifest manifest,
                           oci::ParseManifest(found->bytes, found->media_type, where));
  DISTILL_RETURN_IF_ERROR(CheckCacheManifest(manifest, where));
  const std::string config_name = where + ": cache config " + manifest.config.digest.str();
  DISTILL_ASSIGN_OR_RETURN(std::string config, ReadSmallBlob(source, manifest.config, config_name));
  DISTILL_ASSIGN_OR_RETURN(CacheArtifact artifact, DecodeCacheConfig(config, config_name));
  DISTILL_RETURN_IF_ERROR(CheckRecordsAgainstManifest(artifact, manifest, config_name));
  return std::optional<CacheArtifact>(std::move(artifact));
}

ImportedRecords ImportedRecords::Load(std::vector<std::unique_ptr<CacheArtifactStore>> sources,
                                      const CacheWarningFn& warn) {
  ImportedRecords out;
  auto say = [&warn](const std::string& message) {
    if (warn) warn(message);
  };
  for (std::unique_ptr<CacheArtifactStore>& source : sources) {
    const std::string where = "--cache-from " + source->Describe();
    auto artifact = ReadCacheArtifact(source.get());
    if (!artifact.ok()) {
      say(where + ": " + artifact.status().message() + "; building without it");
      continue;
    }
    if (!*artifact) {
      say(where + ": no cache there yet; building without it");
      continue;
    }
    if ((*artifact)->key_version != solver::kCacheKeyVersion) {
      say(where + ": its cache keys are " + (*artifact)->key_version + ", this distill's are " +
          solver::kCacheKeyVersion + " (none can match); building without it");
      continue;
    }
    for (CacheArtifactRecord& r : (*artifact)->records) {
      out.records_.emplace(r.key, Entry{std::move(r.layer), source.get()});
    }
    out.sources_.push_back(std::move(source));
  }
  return out;
}

const ImportedRecords::Entry* ImportedRecords::Find(const std::string& key) const {
  auto it = records_.find(key);
  return it == records_.end() ? nullptr : &it->second;
}

Status FetchCachedLayer(store::Store& store, CacheArtifactStore* source,
                        const solver::LayerRef& layer) {
  const std::string name = "layer " + layer.blob.digest.str() + " from " + source->Describe();
  if (!store.blobs().Exists(layer.blob.digest)) {
    DISTILL_ASSIGN_OR_RETURN(auto writer, store.blobs().NewWriter());
    // The writer drops its temp file unless Commit finds the right bytes.
    Status fetched = source->FetchBlob(layer.blob, writer.get());
    if (!fetched.ok()) return fetched.Prefixed(name);
    auto committed = writer->Commit(layer.blob.digest, static_cast<uint64_t>(layer.blob.size));
    if (!committed.ok()) return committed.status().Prefixed(name);
  }
  // The record's diff ID becomes the image's rootfs entry: check it too.
  DISTILL_ASSIGN_OR_RETURN(auto blob, store.blobs().Open(layer.blob.digest));
  auto tar = archive::NewDecompressor(blob.get(), name);
  archive::VerifyingReader verified(tar.get(), layer.diff_id,
                                    name + " (uncompressed, diff ID " + layer.diff_id.str() + ")");
  DISTILL_RETURN_IF_ERROR(DrainReader(&verified));
  if (!verified.verified()) return Status::Corrupt(name + ": diff ID was not verified");
  return Status::Ok();
}

Result<std::optional<solver::CacheRecord>> ImportingCache::Lookup(const std::string& key) {
  DISTILL_ASSIGN_OR_RETURN(auto local, local_->Lookup(key));
  if (local) return local;
  const ImportedRecords::Entry* entry = imported_->Find(key);
  if (entry == nullptr) return std::optional<solver::CacheRecord>();
  solver::CacheRecord record{entry->layer};
  if (record.layer) {
    DISTILL_ASSIGN_OR_RETURN(StoreHandles * h, pool_->ForThisThread());
    Status fetched = FetchCachedLayer(*h->store, entry->source, *record.layer);
    if (!fetched.ok()) {
      if (warn_) {
        warn_("--cache-from " + entry->source->Describe() + ": not using the cached result " + key +
              ": " + fetched.message() + " (the step runs instead)");
      }
      return std::optional<solver::CacheRecord>();
    }
  }
  // Merged: the next build finds it locally, and prune keeps its blob.
  DISTILL_RETURN_IF_ERROR(local_->Record(key, record));
  return std::optional<solver::CacheRecord>(std::move(record));
}

}  // namespace distill::builder
