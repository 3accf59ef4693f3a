// SnapshotStore: unpacked layer chains and the overlay mounts RUN steps work in
// (DESIGN.md "The flow of one build", points 3-5). Layout under ROOT/snapshots:
//
//   <dir_id>/fs        one layer, unpacked with overlay-style whiteouts (0/0
//                      character devices, trusted.overlay.opaque="y"); the chain
//                      it tops is recorded in the `snapshots` table
//   tmp/<name>.lock    held (flock) by the live process that owns tmp/<name>
//   tmp/<name>/        an unpack in progress, or an active snapshot:
//                      fs (the upperdir), work (overlay's workdir), merged (mount)
//   empty/             the lower directory of a snapshot on scratch
//
// Invariants: a <dir_id>/ directory appears only by an atomic rename of
// complete content, done while holding the SQLite write lock and recorded in
// the same transaction; so a killed process leaves only tmp/ directories (which
// no live process locks) and, at worst, an unrecorded <dir_id>/ — both removed
// by Recover(), which Open() runs. Two processes unpacking the same chain both
// do the work; the first to publish wins and the other discards its copy.
//
// Not thread-safe: one SnapshotStore per thread (each over its own Store), as
// with Store. Mounting needs CAP_SYS_ADMIN in the caller's mount namespace.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "archive/compress.h"
#include "archive/layer_writer.h"
#include "oci/descriptor.h"
#include "oci/digest.h"
#include "snapshot/snapshot_records.h"
#include "snapshot/work_dir.h"
#include "store/store.h"
#include "util/status.h"

namespace distill::snapshot {

// One layer of an image as the store holds it.
struct LayerBlob {
  oci::Digest diff_id;  // sha256 of the uncompressed tar
  oci::Digest blob;     // the (possibly compressed) blob in the BlobStore
};

// A writable overlay over a chain: the root filesystem of one RUN step.
// Destroying it unmounts (lazily as a last resort) and removes its directories.
class ActiveSnapshot {
 public:
  ActiveSnapshot(ActiveSnapshot&&) = default;
  ActiveSnapshot& operator=(ActiveSnapshot&&) = default;
  ~ActiveSnapshot();

  // The merged view, mounted read-write: the step's root directory.
  const std::string& rootfs() const { return rootfs_; }
  // Where the step's changes land (overlay whiteouts and opaque dirs included).
  const std::string& upper_dir() const { return upper_dir_; }
  // The chain under this snapshot; empty for scratch.
  const oci::Digest& parent() const { return parent_; }
  bool mounted() const { return mounted_; }
  // Unmounts the merged view (detaching lazily when busy). Idempotent.
  Status Unmount();

 private:
  friend class SnapshotStore;
  ActiveSnapshot() = default;

  std::unique_ptr<WorkDir> dir_;
  oci::Digest parent_;
  std::vector<std::string> lower_dirs_;  // absolute, top-most first
  std::string rootfs_;
  std::string upper_dir_;
  bool mounted_ = false;
};

struct CommitOptions {
  archive::Compression compression = archive::Compression::kGzip;
  archive::CompressOptions compress_options;
  // SOURCE_DATE_EPOCH: later mtimes are written as this.
  std::optional<int64_t> clamp_mtime;
  // Container paths the sandbox created as mount targets (/proc, /etc/hosts,
  // bind targets, ...). Each is dropped from the diff when it is an empty
  // file or directory that the lower layers do not have, together with
  // directories that exist in the upper layer only because of it.
  std::vector<std::string> placeholder_paths;
};

struct CommittedLayer {
  // No changes: no blob was written and chain_id is the parent's (the builder
  // records an empty_layer history entry).
  bool empty = false;
  oci::Descriptor descriptor;  // the layer blob (media type from the compression)
  oci::Digest diff_id;
  oci::Digest chain_id;  // the chain with this layer on top
};

struct RecoveryReport {
  int work_dirs_removed = 0;        // abandoned tmp/ directories (with their mounts)
  int unrecorded_dirs_removed = 0;  // <dir_id>/ published but never recorded
};

struct SnapshotStoreOptions {
  // syncfs() an unpacked or committed snapshot before publishing it, so a
  // recorded snapshot survives power loss. Tests may turn it off for speed.
  bool sync = true;
};

class SnapshotStore {
 public:
  // Creates ROOT/snapshots when missing and runs Recover(). `store` must
  // outlive the SnapshotStore.
  static Result<std::unique_ptr<SnapshotStore>> Open(store::Store* store,
                                                     SnapshotStoreOptions options = {});

  // Makes sure every prefix of `layers` (bottom first) is unpacked, unpacking
  // the missing ones from their blobs (diff IDs verified). Returns the chain ID
  // of the whole stack (empty for no layers), the argument Prepare takes.
  Result<oci::Digest> EnsureUnpacked(const std::vector<LayerBlob>& layers);

  // Mounts a fresh writable overlay over `parent` (empty: scratch). The chain
  // must be unpacked (EnsureUnpacked or an earlier Commit).
  Result<ActiveSnapshot> Prepare(const oci::Digest& parent);

  // Unmounts `active`, turns its upper directory into a layer blob in the store
  // and keeps the directory itself as the snapshot of the new chain (no
  // re-extraction). `active` is consumed whatever the outcome.
  Result<CommittedLayer> Commit(ActiveSnapshot&& active, const CommitOptions& options = {});

  // The unpacked directories of `chain`, top-most layer first (absolute).
  Result<std::vector<std::string>> LowerDirs(const oci::Digest& chain);
  bool HasChain(const oci::Digest& chain);

  // Removes every snapshot that is neither in `keep` nor an ancestor of one,
  // nor a layer whose diff ID is in `keep_layers` (the build cache's layers:
  // kept with their ancestors, so a partly cached rebuild mounts them without
  // unpacking). Must not run while another process uses a snapshot it removes
  // (run it under the store's exclusive GC lock). Returns how many were removed;
  // `bytes_freed`, when given, gets the disk space their files took.
  Result<int> RemoveUnreferenced(const std::set<oci::Digest>& keep,
                                 const std::set<oci::Digest>& keep_layers = {},
                                 uint64_t* bytes_freed = nullptr);

  // Removes what killed processes left: abandoned tmp/ directories (unmounting
  // what is mounted in them) and unrecorded snapshot directories. Safe while
  // other processes use the store.
  Result<RecoveryReport> Recover();

  // ROOT/snapshots
  const std::string& dir() const { return dir_; }

 private:
  SnapshotStore(store::Store* store, std::string dir, SnapshotStoreOptions options)
      : store_(store),
        records_(&store->metadata()),
        dir_(std::move(dir)),
        tmp_dir_(dir_ + "/tmp"),
        options_(options) {}

  std::string DirOf(int64_t dir_id) const { return dir_ + "/" + std::to_string(dir_id); }
  // Whether `record` has its complete directory on disk.
  bool IsPresent(const SnapshotRecord& record) const;
  Status UnpackLayer(const LayerBlob& layer, const std::string& fs_dir);
  // Renames `work` into place as the snapshot of `chain` and records it, unless
  // another process got there first (then `work` is left to be discarded).
  Status Publish(const oci::Digest& chain, const oci::Digest& parent, WorkDir* work);
  // Streams `upper_dir` as a layer into the blob store: its digests and the
  // stored blob's digest.
  Result<std::pair<archive::LayerDigests, oci::Digest>> WriteLayerBlob(
      const std::string& upper_dir, const CommitOptions& options);
  // Lower directories relative to dir_, top-most first.
  Result<std::vector<std::string>> RelativeLowerDirs(const oci::Digest& chain);

  store::Store* store_;
  SnapshotRecords records_;
  std::string dir_;
  std::string tmp_dir_;
  SnapshotStoreOptions options_;
};

}  // namespace distill::snapshot
