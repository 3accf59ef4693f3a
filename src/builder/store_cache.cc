#include "builder/store_cache.h"

namespace distill::builder {

Result<std::optional<solver::CacheRecord>> StoreCache::Lookup(const std::string& key) {
  DISTILL_ASSIGN_OR_RETURN(StoreHandles * h, pool_->ForThisThread());
  return ReadCacheRecord(*h->store, key);
}

Result<std::optional<solver::CacheRecord>> ReadCacheRecord(store::Store& store,
                                                           const std::string& key) {
  DISTILL_ASSIGN_OR_RETURN(auto row, store.metadata().GetCacheRecord(key));
  if (!row) return std::optional<solver::CacheRecord>();
  solver::CacheRecord record;
  if (!row->result_digest.empty()) {
    auto blob = oci::Digest::Parse(row->result_digest);
    auto diff_id = oci::Digest::Parse(row->diff_id);
    if (!blob.ok() || !diff_id.ok()) {
      return Status::Corrupt("build cache record " + key + " in " + store.root() +
                             " names an invalid digest");
    }
    if (!store.blobs().Exists(*blob)) return std::optional<solver::CacheRecord>();
    solver::LayerRef layer;
    layer.blob.media_type = row->media_type;
    layer.blob.digest = *blob;
    layer.blob.size = row->size;
    layer.diff_id = *diff_id;
    record.layer = std::move(layer);
  }
  return std::optional<solver::CacheRecord>(std::move(record));
}

Status StoreCache::Record(const std::string& key, const solver::CacheRecord& record) {
  DISTILL_ASSIGN_OR_RETURN(StoreHandles * h, pool_->ForThisThread());
  store::CacheRecordRow row;
  if (record.layer) {
    row.result_digest = record.layer->blob.digest.str();
    row.media_type = record.layer->blob.media_type;
    row.size = record.layer->blob.size;
    row.diff_id = record.layer->diff_id.str();
  }
  return h->store->metadata().PutCacheRecord(key, row, Now());
}

}  // namespace distill::builder
