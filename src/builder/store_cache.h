// StoreCache: the solver's CacheStore on the store's `cache_records` table.
// A record maps a step's cache key to the layer it made (descriptor and diff
// ID) or to "no layer". Its layer blob stays a GC root while the record lives
// (`distill prune` keeps it; `distill prune --all` drops the records first).
//
// Thread-safety: thread-safe (each thread uses its own Store from the pool).
#pragma once

#include <ctime>
#include <functional>

#include "builder/store_pool.h"
#include "solver/backend.h"

namespace distill::builder {

// The record for `key` in `store`, or nullopt (also when its blob is gone).
Result<std::optional<solver::CacheRecord>> ReadCacheRecord(store::Store& store,
                                                           const std::string& key);

class StoreCache : public solver::CacheStore {
 public:
  explicit StoreCache(StorePool* pool, std::function<int64_t()> clock = nullptr)
      : pool_(pool), clock_(std::move(clock)) {}

  // A record whose blob is gone (pruned, or removed by hand) is a miss.
  Result<std::optional<solver::CacheRecord>> Lookup(const std::string& key) override;
  Status Record(const std::string& key, const solver::CacheRecord& record) override;

 private:
  int64_t Now() const { return clock_ ? clock_() : static_cast<int64_t>(std::time(nullptr)); }
  StorePool* pool_;
  std::function<int64_t()> clock_;
};

}  // namespace distill::builder
