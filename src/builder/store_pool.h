// StorePool: a Store and a SnapshotStore per thread, over one store root.
// Store and SnapshotStore are not thread-safe (one per thread, store.h), while
// the solver calls the backend and the cache from one thread per stage; each
// thread gets its own pair on first use and keeps it until the pool dies.
//
// Thread-safety: ForThisThread may be called from any thread.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "snapshot/snapshot_store.h"
#include "store/store.h"
#include "util/status.h"

namespace distill::builder {

struct StoreHandles {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<snapshot::SnapshotStore> snapshots;
};

class StorePool {
 public:
  explicit StorePool(std::string root) : root_(std::move(root)) {}
  const std::string& root() const { return root_; }

  // This thread's store and snapshots (opened on first use).
  Result<StoreHandles*> ForThisThread();

 private:
  std::string root_;
  std::mutex mu_;
  std::map<std::thread::id, std::unique_ptr<StoreHandles>> handles_;
};

}  // namespace distill::builder
