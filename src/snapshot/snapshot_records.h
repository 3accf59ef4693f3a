// SnapshotRecords: the rows of the store's `snapshots` table (schema v2), one
// per unpacked chain: its chain ID, its parent chain, and the number <dir_id>
// of its directory ROOT/snapshots/<dir_id>.
//
// Not thread-safe (like the MetadataDb it reads): one per SnapshotStore.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "oci/digest.h"
#include "store/metadata.h"
#include "util/status.h"

namespace distill::snapshot {

struct SnapshotRecord {
  oci::Digest chain_id;
  oci::Digest parent;  // empty for a bottom layer
  int64_t dir_id = 0;  // 0: no directory recorded
  int64_t created_unix = 0;
};

class SnapshotRecords {
 public:
  explicit SnapshotRecords(store::MetadataDb* db) : db_(db) {}

  Result<std::optional<SnapshotRecord>> Find(const oci::Digest& chain_id);
  Result<std::vector<SnapshotRecord>> List();
  // One more than the largest recorded dir_id. Call inside a write transaction,
  // so that no other process can take the same number.
  Result<int64_t> NextDirId();
  // Inserts or replaces the row of record.chain_id.
  Status Put(const SnapshotRecord& record);
  Status Delete(const oci::Digest& chain_id);

  store::SqliteDb* sqlite() { return db_->db(); }

 private:
  store::MetadataDb* db_;
};

}  // namespace distill::snapshot
