#include "builder/store_pool.h"

#include "util/file_system.h"

namespace distill::builder {

Result<StoreHandles*> StorePool::ForThisThread() {
  const std::thread::id me = std::this_thread::get_id();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = handles_.find(me);
    if (it != handles_.end()) return it->second.get();
  }
  // Opened outside the lock: opening may wait on another process's GC.
  auto handles = std::make_unique<StoreHandles>();
  DISTILL_ASSIGN_OR_RETURN(handles->store, store::Store::Open(root_, DefaultFileSystem()));
  DISTILL_ASSIGN_OR_RETURN(handles->snapshots, snapshot::SnapshotStore::Open(handles->store.get()));
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = handles_.emplace(me, std::move(handles));
  return it->second.get();
}

}  // namespace distill::builder
