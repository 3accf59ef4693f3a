// Store: the local image store (DESIGN.md step 6). Blobs are content-addressed files
// (BlobStore), everything else is rows in SQLite (MetadataDb). Layout under ROOT:
//
//   ROOT/version             "distill-store-layout <N>": refuses layouts newer than ours
//   ROOT/blobs/sha256/<hex>  published blobs
//   ROOT/tmp/                blobs being written (random names)
//   ROOT/distill.db          metadata (+ -wal, -shm)
//   ROOT/gc.lock             the GC lock (below)
//
// Concurrency (many distill processes may share one store):
//  * Metadata: SQLite transactions (WAL, busy_timeout). Each multi-row change is one
//    transaction, so readers see all of it or none.
//  * Blobs: published by an atomic rename of verified, fsynced content to its digest
//    name. Two processes writing the same blob write the same bytes to the same name:
//    publication is idempotent and needs no lock.
//  * GC (Prune, and Fsck with repair) deletes files, so it must not run while any
//    operation might have written a blob it has not yet tagged. Every open Store holds
//    a shared flock on ROOT/gc.lock for its whole lifetime; Prune trades its own shared
//    lock for an exclusive one, so it runs only when no other Store is open (waiting,
//    or failing with kUnavailable when wait == false). Blobs that must outlive the
//    Store that wrote them without a tag are protected by a lease (a DB row with an
//    expiry) instead.
// A Store object is not thread-safe: use one per thread (each is its own "operation").
//
// Crash safety: a blob is durable (file and directory fsynced) before Commit returns,
// and Tag refuses digests whose blobs are missing, so a tag is written only after
// everything it references is on disk. A killed process leaves at most temp files,
// which Prune removes, and unreferenced blobs, which Prune collects.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oci/digest.h"
#include "store/blob_store.h"
#include "store/metadata.h"
#include "util/file_system.h"
#include "util/status.h"

namespace distill::store {

struct StoreOptions {
  // Defaults to ROOT/distill.db. SQLite opens it directly, not through the FileSystem
  // (it has its own crash safety); ":memory:" runs a whole store on InMemoryFileSystem.
  std::string metadata_path;
  // Unix seconds; defaults to the system clock.
  std::function<int64_t()> clock;
};

struct RemoveResult {
  std::vector<std::string> untagged;
  std::vector<oci::Digest> forgotten;  // manifests no longer recorded (Prune frees them)
};

struct PruneReport {
  int blobs_removed = 0;
  uint64_t bytes_freed = 0;
  int temp_files_removed = 0;
  int leases_expired = 0;
  int manifests_forgotten = 0;
};

struct FsckProblem {
  enum class Kind { kCorruptBlob, kMissingBlob, kDanglingTag, kStrayFile };
  Kind kind;
  std::string subject;  // a digest, tag or path
  std::string detail;   // one human-readable line
  bool repaired = false;
};

struct FsckReport {
  int blobs_checked = 0;
  int temp_files = 0;  // leftovers of killed writers: not a problem, Prune removes them
  std::vector<FsckProblem> problems;
  bool clean() const { return problems.empty(); }
};

class Store {
 public:
  static constexpr int kLayoutVersion = 1;

  // Creates the layout when missing. Blocks while another process runs GC.
  static Result<std::unique_ptr<Store>> Open(const std::string& root, FileSystem* fs,
                                             StoreOptions options = {});

  const std::string& root() const { return root_; }
  BlobStore& blobs() { return blobs_; }
  MetadataDb& metadata() { return *meta_; }

  // --- images ----------------------------------------------------------------------
  // Points `name` at `manifest`, recording the digests the manifest references
  // directly (config, layers, child manifests; parsed by the caller). Every one of
  // them, and the manifest itself, must already be in the blob store.
  Status Tag(const std::string& name, const oci::Digest& manifest,
             const std::vector<oci::Digest>& refs);
  // Records a manifest that is not tagged itself (e.g. a child of an index).
  Status RecordManifest(const oci::Digest& manifest, const std::vector<oci::Digest>& refs);
  // A tag name, a full digest "sha256:<hex>", or a unique hex prefix of a recorded
  // manifest digest (as docker accepts image IDs).
  Result<oci::Digest> Resolve(std::string_view name_or_digest);
  Result<std::vector<ImageRecord>> ListImages();
  Status Untag(const std::string& name);
  // `docker rmi`: by name, removes that tag; by digest, removes the image's tags, and
  // refuses (unless force) when more than one tag names it or another recorded
  // manifest (an index) references it. A manifest left without tags or parents is
  // forgotten; Prune then frees its blobs.
  Result<RemoveResult> Remove(std::string_view name_or_digest, bool force);

  // --- leases ----------------------------------------------------------------------
  Result<std::string> CreateLease(std::string_view description, int64_t ttl_seconds);
  Status AddToLease(const std::string& lease_id, const oci::Digest& digest);
  Status ReleaseLease(const std::string& lease_id);

  // --- maintenance -----------------------------------------------------------------
  // Removes temp files, expired leases, and every blob not reachable from a tag, an
  // unexpired lease or a cache record. See the locking notes above for `wait`.
  // `then`, when given, runs after that while the exclusive lock is still held:
  // for collecting what lives beside the store (unpacked snapshots).
  Result<PruneReport> Prune(bool wait = true, const std::function<Status()>& then = nullptr);
  // Verifies every blob's content against its digest, and every reference (tag ->
  // manifest -> blobs). With repair: deletes corrupt and stray blobs, removes tags
  // that can no longer be served and forgets broken manifests (takes the GC lock).
  Result<FsckReport> Fsck(bool repair);

 private:
  Store(std::string root, FileSystem* fs, std::unique_ptr<MetadataDb> meta, StoreOptions options,
        std::unique_ptr<FileLock> op_lock);
  int64_t Now() const { return options_.clock(); }
  // Runs `fn` holding the exclusive GC lock instead of this Store's shared one.
  Status WithExclusiveLock(bool wait, const std::function<Status()>& fn);
  Status ForgetIfUnused(const oci::Digest& manifest, RemoveResult* result);

  std::string root_;
  FileSystem* fs_;
  BlobStore blobs_;
  std::unique_ptr<MetadataDb> meta_;
  StoreOptions options_;
  std::unique_ptr<FileLock> op_lock_;
};

}  // namespace distill::store
