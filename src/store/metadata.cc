#include "store/metadata.h"

#include <algorithm>
#include <random>

namespace distill::store {

namespace {

// kMigrations[i] takes the schema from version i to version i + 1. Append only:
// released migrations never change, since databases in the field ran them.
constexpr std::string_view kMigrations[] = {
    // 0 -> 1: the first schema.
    R"sql(
CREATE TABLE manifests (
  digest TEXT PRIMARY KEY,
  created_unix INTEGER NOT NULL
);
CREATE TABLE blob_refs (
  parent TEXT NOT NULL REFERENCES manifests(digest) ON DELETE CASCADE,
  child TEXT NOT NULL,
  PRIMARY KEY (parent, child)
);
CREATE INDEX blob_refs_by_child ON blob_refs(child);
CREATE TABLE images (
  name TEXT PRIMARY KEY,
  digest TEXT NOT NULL REFERENCES manifests(digest),
  created_unix INTEGER NOT NULL
);
CREATE INDEX images_by_digest ON images(digest);
CREATE TABLE leases (
  id TEXT PRIMARY KEY,
  description TEXT NOT NULL,
  created_unix INTEGER NOT NULL,
  expires_unix INTEGER NOT NULL
);
CREATE TABLE lease_blobs (
  lease_id TEXT NOT NULL REFERENCES leases(id) ON DELETE CASCADE,
  digest TEXT NOT NULL,
  PRIMARY KEY (lease_id, digest)
);
CREATE TABLE cache_records (
  cache_key TEXT PRIMARY KEY,
  result_digest TEXT NOT NULL,
  created_unix INTEGER NOT NULL,
  last_used_unix INTEGER NOT NULL
);
CREATE TABLE snapshots (
  chain_id TEXT PRIMARY KEY,
  parent_chain_id TEXT,
  created_unix INTEGER NOT NULL
);
CREATE TABLE containers (
  id TEXT PRIMARY KEY,
  name TEXT UNIQUE,
  image_digest TEXT NOT NULL,
  state TEXT NOT NULL,
  created_unix INTEGER NOT NULL
);
)sql",
    // 1 -> 2: snapshots name their directory ROOT/snapshots/<dir_id> (src/snapshot/).
    // Short numeric names keep overlay mount options within one page.
    R"sql(
ALTER TABLE snapshots ADD COLUMN dir_id INTEGER;
CREATE UNIQUE INDEX snapshots_by_dir ON snapshots(dir_id);
)sql",
    // 2 -> 3: a build cache record describes its layer fully (src/builder/), so a
    // hit needs no blob read. result_digest stays the layer blob (the GC root);
    // "" for a step that made no layer.
    R"sql(
ALTER TABLE cache_records ADD COLUMN media_type TEXT NOT NULL DEFAULT '';
ALTER TABLE cache_records ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cache_records ADD COLUMN diff_id TEXT NOT NULL DEFAULT '';
)sql",
};
constexpr int kMigrationCount = sizeof(kMigrations) / sizeof(kMigrations[0]);
static_assert(kMigrationCount == MetadataDb::kSchemaVersion);

std::string RandomId() {
  static const char kHex[] = "0123456789abcdef";
  std::random_device rd;
  std::string out;
  for (int i = 0; i < 4; ++i) {
    uint32_t v = rd();
    for (int j = 0; j < 8; ++j, v >>= 4) out.push_back(kHex[v & 15]);
  }
  return out;
}

Result<oci::Digest> ParseStored(const std::string& s, const std::string& db_path) {
  auto d = oci::Digest::Parse(s);
  if (!d.ok()) return Status::Corrupt("database " + db_path + ": " + d.status().message());
  return d;
}

}  // namespace

Result<std::unique_ptr<MetadataDb>> MetadataDb::Open(const std::string& path) {
  DISTILL_ASSIGN_OR_RETURN(auto db, SqliteDb::Open(path));
  // Set busy_timeout first: even switching to WAL may wait on another process.
  DISTILL_RETURN_IF_ERROR(db->Exec("PRAGMA busy_timeout = 30000"));
  DISTILL_RETURN_IF_ERROR(db->Exec("PRAGMA journal_mode = WAL"));
  DISTILL_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous = FULL"));
  DISTILL_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys = ON"));
  std::unique_ptr<MetadataDb> meta(new MetadataDb(std::move(db)));
  DISTILL_RETURN_IF_ERROR(meta->Migrate());
  return meta;
}

Result<int> MetadataDb::SchemaVersion() {
  DISTILL_ASSIGN_OR_RETURN(
      auto exists,
      db_->Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"));
  DISTILL_ASSIGN_OR_RETURN(bool has_table, exists->Step());
  if (!has_table) return 0;
  DISTILL_ASSIGN_OR_RETURN(auto q, db_->Prepare("SELECT version FROM schema_version"));
  DISTILL_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return Status::Corrupt("database " + db_->path() + ": schema_version table is empty");
  return static_cast<int>(q->ColumnInt(0));
}

Status MetadataDb::Migrate() {
  // Inside one write transaction, so two processes opening a new store at once
  // do not both migrate.
  for (;;) {
    DISTILL_ASSIGN_OR_RETURN(auto txn, SqliteTransaction::Begin(db_.get()));
    DISTILL_ASSIGN_OR_RETURN(int version, SchemaVersion());
    if (version > kSchemaVersion) {
      return Status::Invalid("database " + db_->path() + " has schema version " +
                             std::to_string(version) + ", newer than this distill supports (" +
                             std::to_string(kSchemaVersion) + "); upgrade distill");
    }
    if (version == kSchemaVersion) return txn->Commit();
    if (version == 0) {
      DISTILL_RETURN_IF_ERROR(
          db_->Exec("CREATE TABLE schema_version (version INTEGER NOT NULL);"
                    "INSERT INTO schema_version VALUES (0);"));
    }
    DISTILL_RETURN_IF_ERROR(
        db_->Exec(kMigrations[version])
            .Prefixed("migrating to schema version " + std::to_string(version + 1)));
    DISTILL_ASSIGN_OR_RETURN(auto bump, db_->Prepare("UPDATE schema_version SET version = ?"));
    DISTILL_RETURN_IF_ERROR(bump->Bind(1, int64_t{version + 1}).Run());
    DISTILL_RETURN_IF_ERROR(txn->Commit());
  }
}

Result<std::vector<oci::Digest>> MetadataDb::DigestColumn(std::string_view sql,
                                                          std::string_view arg) {
  DISTILL_ASSIGN_OR_RETURN(auto q, db_->Prepare(sql));
  q->Bind(1, arg);
  std::vector<oci::Digest> out;
  for (;;) {
    DISTILL_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    DISTILL_ASSIGN_OR_RETURN(auto d, ParseStored(q->ColumnText(0), db_->path()));
    out.push_back(std::move(d));
  }
  return out;
}

Status MetadataDb::RecordManifestLocked(const oci::Digest& manifest,
                                        const std::vector<oci::Digest>& refs, int64_t now_unix) {
  DISTILL_ASSIGN_OR_RETURN(
      auto ins,
      db_->Prepare("INSERT OR IGNORE INTO manifests (digest, created_unix) VALUES (?, ?)"));
  DISTILL_RETURN_IF_ERROR(ins->Bind(1, manifest.str()).Bind(2, now_unix).Run());
  DISTILL_ASSIGN_OR_RETURN(
      auto ref, db_->Prepare("INSERT OR IGNORE INTO blob_refs (parent, child) VALUES (?, ?)"));
  for (const auto& child : refs) {
    ref->Reset();
    DISTILL_RETURN_IF_ERROR(ref->Bind(1, manifest.str()).Bind(2, child.str()).Run());
  }
  return Status::Ok();
}

Status MetadataDb::RecordManifest(const oci::Digest& manifest, const std::vector<oci::Digest>& refs,
                                  int64_t now_unix) {
  DISTILL_ASSIGN_OR_RETURN(auto txn, SqliteTransaction::Begin(db_.get()));
  DISTILL_RETURN_IF_ERROR(RecordManifestLocked(manifest, refs, now_unix));
  return txn->Commit();
}

Result<bool> MetadataDb::HasManifest(const oci::Digest& manifest) {
  DISTILL_ASSIGN_OR_RETURN(auto q, db_->Prepare("SELECT 1 FROM manifests WHERE digest = ?"));
  q->Bind(1, manifest.str());
  return q->Step();
}

Result<std::vector<oci::Digest>> MetadataDb::RefsOf(const oci::Digest& manifest) {
  return DigestColumn("SELECT child FROM blob_refs WHERE parent = ? ORDER BY child",
                      manifest.str());
}

Result<std::vector<oci::Digest>> MetadataDb::ParentsOf(const oci::Digest& child) {
  return DigestColumn("SELECT parent FROM blob_refs WHERE child = ? ORDER BY parent", child.str());
}

Result<std::vector<oci::Digest>> MetadataDb::ListManifests() {
  return DigestColumn("SELECT digest FROM manifests WHERE ?1 = ?1 ORDER BY digest", "");
}

Result<std::vector<oci::Digest>> MetadataDb::ManifestsWithPrefix(std::string_view hex_prefix) {
  for (char c : hex_prefix) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return Status::Invalid("\"" + std::string(hex_prefix) + "\" is not a hex digest prefix");
    }
  }
  // substr rather than LIKE: LIKE would treat '_' and '%' specially.
  return DigestColumn(
      "SELECT digest FROM manifests WHERE substr(digest, 8, length(?1)) = ?1 ORDER BY digest",
      hex_prefix);
}

Status MetadataDb::DeleteManifest(const oci::Digest& manifest) {
  DISTILL_ASSIGN_OR_RETURN(auto q, db_->Prepare("DELETE FROM manifests WHERE digest = ?"));
  Status st = q->Bind(1, manifest.str()).Run();
  if (!st.ok() && st.code() == Status::Code::kInvalidArgument) {
    return Status::Invalid("cannot forget manifest " + manifest.str() + ": a tag still uses it");
  }
  return st;
}

Status MetadataDb::Tag(const std::string& name, const oci::Digest& manifest,
                       const std::vector<oci::Digest>& refs, int64_t now_unix) {
  if (name.empty()) return Status::Invalid("cannot tag " + manifest.str() + ": empty name");
  DISTILL_ASSIGN_OR_RETURN(auto txn, SqliteTransaction::Begin(db_.get()));
  DISTILL_RETURN_IF_ERROR(RecordManifestLocked(manifest, refs, now_unix));
  DISTILL_ASSIGN_OR_RETURN(
      auto q, db_->Prepare("INSERT INTO images (name, digest, created_unix) VALUES (?, ?, ?) "
                           "ON CONFLICT(name) DO UPDATE SET digest = excluded.digest, "
                           "created_unix = excluded.created_unix"));
  DISTILL_RETURN_IF_ERROR(q->Bind(1, name).Bind(2, manifest.str()).Bind(3, now_unix).Run());
  return txn->Commit();
}

Status MetadataDb::Untag(const std::string& name) {
  DISTILL_ASSIGN_OR_RETURN(auto q, db_->Prepare("DELETE FROM images WHERE name = ?"));
  DISTILL_RETURN_IF_ERROR(q->Bind(1, name).Run());
  if (db_->changes() == 0) return Status::NotFound("no such image: " + name);
  return Status::Ok();
}

Result<std::optional<oci::Digest>> MetadataDb::LookupTag(const std::string& name) {
  DISTILL_ASSIGN_OR_RETURN(auto found,
                           DigestColumn("SELECT digest FROM images WHERE name = ?", name));
  if (found.empty()) return std::optional<oci::Digest>();
  return std::optional<oci::Digest>(found.front());
}

Result<std::vector<std::string>> MetadataDb::TagsOf(const oci::Digest& manifest) {
  DISTILL_ASSIGN_OR_RETURN(auto q,
                           db_->Prepare("SELECT name FROM images WHERE digest = ? ORDER BY name"));
  q->Bind(1, manifest.str());
  std::vector<std::string> out;
  for (;;) {
    DISTILL_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) return out;
    out.push_back(q->ColumnText(0));
  }
}

Result<std::vector<ImageRecord>> MetadataDb::ListImages() {
  DISTILL_ASSIGN_OR_RETURN(
      auto q, db_->Prepare("SELECT name, digest, created_unix FROM images ORDER BY name"));
  std::vector<ImageRecord> out;
  for (;;) {
    DISTILL_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) return out;
    DISTILL_ASSIGN_OR_RETURN(auto d, ParseStored(q->ColumnText(1), db_->path()));
    out.push_back(ImageRecord{q->ColumnText(0), std::move(d), q->ColumnInt(2)});
  }
}

Result<std::string> MetadataDb::CreateLease(std::string_view description, int64_t now_unix,
                                            int64_t expires_unix) {
  std::string id = RandomId();
  DISTILL_ASSIGN_OR_RETURN(
      auto q, db_->Prepare("INSERT INTO leases (id, description, created_unix, expires_unix) "
                           "VALUES (?, ?, ?, ?)"));
  DISTILL_RETURN_IF_ERROR(
      q->Bind(1, id).Bind(2, description).Bind(3, now_unix).Bind(4, expires_unix).Run());
  return id;
}

Status MetadataDb::AddToLease(const std::string& lease_id, const oci::Digest& digest) {
  DISTILL_ASSIGN_OR_RETURN(
      auto q, db_->Prepare("INSERT OR IGNORE INTO lease_blobs (lease_id, digest) VALUES (?, ?)"));
  Status st = q->Bind(1, lease_id).Bind(2, digest.str()).Run();
  if (!st.ok() && st.code() == Status::Code::kInvalidArgument) {
    return Status::NotFound("lease " + lease_id + " does not exist (expired and collected?)");
  }
  return st;
}

Status MetadataDb::DeleteLease(const std::string& lease_id) {
  DISTILL_ASSIGN_OR_RETURN(auto q, db_->Prepare("DELETE FROM leases WHERE id = ?"));
  DISTILL_RETURN_IF_ERROR(q->Bind(1, lease_id).Run());
  if (db_->changes() == 0) return Status::NotFound("lease " + lease_id + " does not exist");
  return Status::Ok();
}

Result<int> MetadataDb::DeleteExpiredLeases(int64_t now_unix) {
  DISTILL_ASSIGN_OR_RETURN(auto q, db_->Prepare("DELETE FROM leases WHERE expires_unix <= ?"));
  DISTILL_RETURN_IF_ERROR(q->Bind(1, now_unix).Run());
  return db_->changes();
}

Status MetadataDb::PutCacheRecord(const std::string& key, const CacheRecordRow& row,
                                  int64_t now_unix) {
  DISTILL_ASSIGN_OR_RETURN(auto q, db_->Prepare(R"sql(
INSERT INTO cache_records (cache_key, result_digest, media_type, size, diff_id, created_unix,
                           last_used_unix)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
ON CONFLICT(cache_key) DO UPDATE SET
  created_unix = CASE WHEN result_digest = ?2 THEN created_unix ELSE ?6 END,
  result_digest = ?2, media_type = ?3, size = ?4, diff_id = ?5, last_used_unix = ?6)sql"));
  q->Bind(1, key).Bind(2, row.result_digest).Bind(3, row.media_type).Bind(4, row.size);
  q->Bind(5, row.diff_id).Bind(6, now_unix);
  return q->Run();
}

Result<std::optional<CacheRecordRow>> MetadataDb::GetCacheRecord(const std::string& key) {
  DISTILL_ASSIGN_OR_RETURN(
      auto q, db_->Prepare("SELECT result_digest, media_type, size, diff_id, created_unix "
                           "FROM cache_records WHERE cache_key = ?"));
  q->Bind(1, key);
  DISTILL_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return std::optional<CacheRecordRow>();
  CacheRecordRow out;
  out.result_digest = q->ColumnText(0);
  out.media_type = q->ColumnText(1);
  out.size = q->ColumnInt(2);
  out.diff_id = q->ColumnText(3);
  out.created_unix = q->ColumnInt(4);
  return std::optional<CacheRecordRow>(std::move(out));
}

Result<int> MetadataDb::DeleteCacheRecords() {
  DISTILL_RETURN_IF_ERROR(db_->Exec("DELETE FROM cache_records"));
  return db_->changes();
}

Result<std::vector<std::string>> MetadataDb::CacheRecordDiffIds() {
  DISTILL_ASSIGN_OR_RETURN(
      auto q,
      db_->Prepare("SELECT DISTINCT diff_id FROM cache_records WHERE diff_id != '' ORDER BY 1"));
  std::vector<std::string> out;
  for (;;) {
    DISTILL_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) return out;
    out.push_back(q->ColumnText(0));
  }
}

Result<std::vector<std::string>> MetadataDb::ReachableDigests(int64_t now_unix) {
  // UNION (not UNION ALL) drops rows already seen, so cycles terminate.
  DISTILL_ASSIGN_OR_RETURN(auto q, db_->Prepare(R"sql(
WITH RECURSIVE reach(d) AS (
  SELECT digest FROM images
  UNION SELECT lb.digest FROM lease_blobs lb JOIN leases l ON l.id = lb.lease_id
        WHERE l.expires_unix > ?1
  UNION SELECT result_digest FROM cache_records
  UNION SELECT r.child FROM blob_refs r JOIN reach ON r.parent = reach.d
)
SELECT d FROM reach ORDER BY d)sql"));
  q->Bind(1, now_unix);
  std::vector<std::string> out;
  for (;;) {
    DISTILL_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) return out;
    out.push_back(q->ColumnText(0));
  }
}

Result<int> MetadataDb::DeleteUnreachableManifests(const std::vector<std::string>& reachable) {
  DISTILL_ASSIGN_OR_RETURN(auto all, ListManifests());
  DISTILL_ASSIGN_OR_RETURN(auto txn, SqliteTransaction::Begin(db_.get()));
  DISTILL_ASSIGN_OR_RETURN(auto del, db_->Prepare("DELETE FROM manifests WHERE digest = ?"));
  int deleted = 0;
  for (const auto& m : all) {
    if (std::binary_search(reachable.begin(), reachable.end(), m.str())) continue;
    del->Reset();
    DISTILL_RETURN_IF_ERROR(del->Bind(1, m.str()).Run());
    deleted += db_->changes();
  }
  DISTILL_RETURN_IF_ERROR(txn->Commit());
  return deleted;
}

}  // namespace distill::store
