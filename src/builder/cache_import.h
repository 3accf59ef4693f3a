// `build --cache-from`: the records of cache artifacts (cache_artifact.h)
// made on other machines, used by this build as if they were local.
//
// Import is lazy. Loading reads only each artifact's manifest and config (the
// record list, verified against their digests); a layer blob is fetched when
// a lookup hits its record and the local store does not have the blob,
// streamed into the store and verified there (digest and size), and its diff
// ID is checked by decompressing it before the record is used. A hit is then
// merged into the local store's cache (record and blob), so the next build
// needs no import and `distill prune` keeps the blob like any cache record.
//
// A cache that cannot be used never fails the build and never yields a wrong
// image: a missing, unreadable, corrupt or foreign artifact is skipped, and a
// record whose blob is missing or does not match is a miss (the step runs),
// each with a warning naming the cache and what is wrong.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "builder/cache_artifact.h"
#include "builder/cache_artifact_store.h"
#include "builder/store_cache.h"
#include "builder/store_pool.h"
#include "solver/backend.h"
#include "util/status.h"

namespace distill::builder {

// Receives warnings; called from several threads at once.
using CacheWarningFn = std::function<void(const std::string& message)>;

// Reads the artifact `source` holds: nullopt when it holds none yet; an error
// when the manifest or config is unreadable, does not match its digest, is
// not a distill cache or names layers it does not list.
Result<std::optional<CacheArtifact>> ReadCacheArtifact(CacheArtifactStore* source);

// The records of every `--cache-from` source, by key (the first source that
// has a key wins). Keeps the sources open for the lazy blob fetches.
class ImportedRecords {
 public:
  struct Entry {
    std::optional<solver::LayerRef> layer;
    CacheArtifactStore* source = nullptr;
  };

  // Sources that cannot be read are skipped with a warning ("--cache-from
  // <what>: <problem>; building without it").
  static ImportedRecords Load(std::vector<std::unique_ptr<CacheArtifactStore>> sources,
                              const CacheWarningFn& warn);

  const Entry* Find(const std::string& key) const;
  size_t size() const { return records_.size(); }

 private:
  std::vector<std::unique_ptr<CacheArtifactStore>> sources_;
  std::map<std::string, Entry> records_;
};

// The build's CacheStore with imports: the local store's cache first, then
// the imported records (fetching and merging on a hit, as above).
//
// Thread-safety: thread-safe, like StoreCache.
class ImportingCache : public solver::CacheStore {
 public:
  ImportingCache(StorePool* pool, StoreCache* local, const ImportedRecords* imported,
                 CacheWarningFn warn)
      : pool_(pool), local_(local), imported_(imported), warn_(std::move(warn)) {}

  Result<std::optional<solver::CacheRecord>> Lookup(const std::string& key) override;
  Status Record(const std::string& key, const solver::CacheRecord& record) override {
    return local_->Record(key, record);
  }

 private:
  StorePool* pool_;
  StoreCache* local_;
  const ImportedRecords* imported_;
  CacheWarningFn warn_;
};

// Puts the blob of `layer` from `source` into `store` unless it is there, and
// checks that it decompresses to `layer.diff_id`. kCorrupt on any mismatch
// (nothing is published for a blob that does not match its digest).
Status FetchCachedLayer(store::Store& store, CacheArtifactStore* source,
                        const solver::LayerRef& layer);

}  // namespace distill::builder
