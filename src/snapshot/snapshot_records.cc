#include "snapshot/snapshot_records.h"

namespace distill::snapshot {

namespace {

constexpr std::string_view kColumns = "chain_id, parent_chain_id, dir_id, created_unix";

Result<SnapshotRecord> ReadRow(store::SqliteStatement* q, const std::string& db_path) {
  SnapshotRecord r;
  auto where = [&](const std::string& what) {
    return Status::Corrupt("database " + db_path + ": snapshot record with " + what);
  };
  auto chain = oci::Digest::Parse(q->ColumnText(0));
  if (!chain.ok()) return where("a bad chain id: " + chain.status().message());
  r.chain_id = *chain;
  std::string parent = q->ColumnText(1);
  if (!parent.empty()) {
    auto p = oci::Digest::Parse(parent);
    if (!p.ok()) return where("a bad parent chain id: " + p.status().message());
    r.parent = *p;
  }
  r.dir_id = q->ColumnInt(2);
  r.created_unix = q->ColumnInt(3);
  return r;
}

}  // namespace

Result<std::optional<SnapshotRecord>> SnapshotRecords::Find(const oci::Digest& chain_id) {
  DISTILL_ASSIGN_OR_RETURN(auto q, sqlite()->Prepare("SELECT " + std::string(kColumns) +
                                                     " FROM snapshots WHERE chain_id = ?"));
  q->Bind(1, chain_id.str());
  DISTILL_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return std::optional<SnapshotRecord>();
  DISTILL_ASSIGN_OR_RETURN(auto r, ReadRow(q.get(), sqlite()->path()));
  return std::optional<SnapshotRecord>(std::move(r));
}

Result<std::vector<SnapshotRecord>> SnapshotRecords::List() {
  DISTILL_ASSIGN_OR_RETURN(auto q, sqlite()->Prepare("SELECT " + std::string(kColumns) +
                                                     " FROM snapshots ORDER BY chain_id"));
  std::vector<SnapshotRecord> out;
  for (;;) {
    DISTILL_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) return out;
    DISTILL_ASSIGN_OR_RETURN(auto r, ReadRow(q.get(), sqlite()->path()));
    out.push_back(std::move(r));
  }
}

Result<int64_t> SnapshotRecords::NextDirId() {
  DISTILL_ASSIGN_OR_RETURN(auto q,
                           sqlite()->Prepare("SELECT COALESCE(MAX(dir_id), 0) + 1 FROM snapshots"));
  DISTILL_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return Status::Error("database " + sqlite()->path() + ": MAX(dir_id) gave no row");
  return q->ColumnInt(0);
}

Status SnapshotRecords::Put(const SnapshotRecord& record) {
  DISTILL_ASSIGN_OR_RETURN(
      auto q, sqlite()->Prepare("INSERT INTO snapshots (" + std::string(kColumns) +
                                ") VALUES (?, ?, ?, ?) ON CONFLICT(chain_id) DO UPDATE SET "
                                "parent_chain_id = excluded.parent_chain_id, "
                                "dir_id = excluded.dir_id, created_unix = excluded.created_unix"));
  q->Bind(1, record.chain_id.str())
      .Bind(2, record.parent.empty() ? std::string() : record.parent.str())
      .Bind(3, record.dir_id)
      .Bind(4, record.created_unix);
  return q->Run().Prefixed("recording snapshot " + record.chain_id.str());
}

Status SnapshotRecords::Delete(const oci::Digest& chain_id) {
  DISTILL_ASSIGN_OR_RETURN(auto q, sqlite()->Prepare("DELETE FROM snapshots WHERE chain_id = ?"));
  return q->Bind(1, chain_id.str()).Run();
}

}  // namespace distill::snapshot
