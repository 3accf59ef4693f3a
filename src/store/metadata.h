// MetadataDb: the store's SQLite database (ROOT/distill.db): tags, the reference
// graph between blobs, leases that protect in-flight work from GC, and tables later
// parts fill (build cache records, snapshots, containers).
//
// The schema carries a version (table schema_version); Open applies the migrations
// from the file's version up to kSchemaVersion, each in its own transaction, and
// refuses a database written by a newer distill. Every multi-row change runs in one
// transaction, so a killed process leaves either all of it or none.
//
// Connection settings: WAL journal (readers never block the writer), busy_timeout
// (writers from other processes queue instead of failing), foreign keys on,
// synchronous=FULL (a change that returned ok survives power loss).
//
// Thread-safety: one MetadataDb per thread; many processes may open the same file.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oci/digest.h"
#include "store/sqlite_db.h"
#include "util/status.h"

namespace distill::store {

struct ImageRecord {
  std::string name;
  oci::Digest digest;
  int64_t created_unix = 0;
};

// One build cache record: a step's cache key -> its layer (src/builder/).
struct CacheRecordRow {
  std::string result_digest;  // the layer blob ("sha256:..."); "" when the step made no layer
  std::string media_type;
  int64_t size = 0;
  std::string diff_id;
  // When this result was made (read back; PutCacheRecord takes `now_unix`).
  // A re-run that makes another result moves it; a cache hit does not.
  int64_t created_unix = 0;
};

class MetadataDb {
 public:
  static constexpr int kSchemaVersion = 3;

  // `path` may be ":memory:" for tests.
  static Result<std::unique_ptr<MetadataDb>> Open(const std::string& path);
  // Version of the schema now in the file (kSchemaVersion after a successful Open).
  Result<int> SchemaVersion();

  // --- reference graph -------------------------------------------------------------
  // Records a manifest (or index) and the digests it references directly (config,
  // layers, child manifests). Recording the same manifest again adds missing refs.
  Status RecordManifest(const oci::Digest& manifest, const std::vector<oci::Digest>& refs,
                        int64_t now_unix);
  Result<bool> HasManifest(const oci::Digest& manifest);
  Result<std::vector<oci::Digest>> RefsOf(const oci::Digest& manifest);
  // Recorded manifests that reference `child`.
  Result<std::vector<oci::Digest>> ParentsOf(const oci::Digest& child);
  Result<std::vector<oci::Digest>> ListManifests();
  // Recorded manifests whose hex starts with `hex_prefix`.
  Result<std::vector<oci::Digest>> ManifestsWithPrefix(std::string_view hex_prefix);
  // Forgets a manifest and its refs; fails while a tag points at it.
  Status DeleteManifest(const oci::Digest& manifest);

  // --- tags ------------------------------------------------------------------------
  // Records the manifest with its refs and points `name` at it, in one transaction.
  Status Tag(const std::string& name, const oci::Digest& manifest,
             const std::vector<oci::Digest>& refs, int64_t now_unix);
  // kNotFound naming the tag when it does not exist.
  Status Untag(const std::string& name);
  Result<std::optional<oci::Digest>> LookupTag(const std::string& name);
  Result<std::vector<std::string>> TagsOf(const oci::Digest& manifest);
  // Sorted by name.
  Result<std::vector<ImageRecord>> ListImages();

  // --- leases ----------------------------------------------------------------------
  // A lease keeps blobs alive for GC while an operation has written them but not yet
  // tagged them. It expires at `expires_unix` (so a killed process cannot pin blobs
  // forever). Returns the lease id.
  Result<std::string> CreateLease(std::string_view description, int64_t now_unix,
                                  int64_t expires_unix);
  Status AddToLease(const std::string& lease_id, const oci::Digest& digest);
  Status DeleteLease(const std::string& lease_id);
  Result<int> DeleteExpiredLeases(int64_t now_unix);

  // --- build cache -----------------------------------------------------------------
  // A record's layer blob is a GC root for as long as the record exists.
  Status PutCacheRecord(const std::string& key, const CacheRecordRow& row, int64_t now_unix);
  Result<std::optional<CacheRecordRow>> GetCacheRecord(const std::string& key);
  // Drops the whole build cache (`prune --all`); returns how many records went.
  Result<int> DeleteCacheRecords();
  // The diff IDs of the layers cache records hold (their unpacked snapshots
  // are kept by prune), without duplicates.
  Result<std::vector<std::string>> CacheRecordDiffIds();

  // --- GC --------------------------------------------------------------------------
  // Digests reachable from a GC root (tag, unexpired lease, cache record) through
  // the reference graph, as "sha256:<hex>" strings, sorted.
  Result<std::vector<std::string>> ReachableDigests(int64_t now_unix);
  // Deletes recorded manifests not in `reachable` (sorted); returns how many.
  Result<int> DeleteUnreachableManifests(const std::vector<std::string>& reachable);

  SqliteDb* db() { return db_.get(); }

 private:
  explicit MetadataDb(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  Status Migrate();
  Status RecordManifestLocked(const oci::Digest& manifest, const std::vector<oci::Digest>& refs,
                              int64_t now_unix);
  Result<std::vector<oci::Digest>> DigestColumn(std::string_view sql, std::string_view arg);

  std::unique_ptr<SqliteDb> db_;
};

}  // namespace distill::store
