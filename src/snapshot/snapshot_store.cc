#include "snapshot/snapshot_store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <map>

#include "archive/decompress.h"
#include "archive/extract.h"
#include "archive/layer_writer.h"
#include "archive/tar_fs.h"
#include "archive/tar_tree.h"
#include "archive/tar_writer.h"
#include "archive/verifying_reader.h"
#include "oci/media_types.h"
#include "snapshot/chain_id.h"
#include "snapshot/overlay_mount.h"
#include "snapshot/placeholders.h"
#include "snapshot/tree_removal.h"

namespace distill::snapshot {

namespace {

// Bytes the files under `dir` occupy on disk (allocated blocks; hard links
// counted once per name: an overcount for the rare layer that has them).
uint64_t DiskUsage(const std::string& dir) {
  static thread_local uint64_t total;
  total = 0;
  auto add = [](const char*, const struct stat* st, int, struct FTW*) {
    total += static_cast<uint64_t>(st->st_blocks) * 512;
    return 0;
  };
  nftw(dir.c_str(), add, 32, FTW_PHYS | FTW_MOUNT);
  return total;
}

constexpr const char* kEmptyLower = "empty";

Status MakeDir(const std::string& path, mode_t mode) {
  if (mkdir(path.c_str(), mode) != 0 && errno != EEXIST) {
    return Status::FromErrno("create " + path, errno);
  }
  // mkdir applies the umask; the root of a container must be exactly `mode`.
  if (chmod(path.c_str(), mode) != 0) return Status::FromErrno("chmod " + path, errno);
  return Status::Ok();
}

bool IsDir(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool IsEmptyDir(const std::string& path) {
  DIR* d = opendir(path.c_str());
  if (d == nullptr) return false;
  bool empty = true;
  while (struct dirent* de = readdir(d)) {
    std::string name = de->d_name;
    if (name != "." && name != "..") {
      empty = false;
      break;
    }
  }
  closedir(d);
  return empty;
}

Status SyncFilesystemOf(const std::string& path) {
  archive::UniqueFd fd(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return Status::FromErrno("open " + path, errno);
  if (syncfs(fd.get()) != 0) return Status::FromErrno("syncfs " + path, errno);
  return Status::Ok();
}

std::string_view LayerMediaType(archive::Compression compression) {
  switch (compression) {
    case archive::Compression::kNone:
      return oci::media_type::kOciLayerTar;
    case archive::Compression::kGzip:
      return oci::media_type::kOciLayerTarGzip;
    case archive::Compression::kZstd:
      return oci::media_type::kOciLayerTarZstd;
  }
  return oci::media_type::kOciLayerTar;
}

std::string BaseName(const std::string& path) {
  return path.substr(path.rfind('/') + 1);
}

// All numeric names in `dir` (snapshot directories).
Result<std::vector<int64_t>> NumericEntries(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return Status::FromErrno("open " + dir, errno);
  std::vector<int64_t> out;
  while (struct dirent* de = readdir(d)) {
    std::string name = de->d_name;
    if (name.empty() || name.size() > 18 ||
        name.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    out.push_back(std::stoll(name));
  }
  closedir(d);
  return out;
}

}  // namespace

// --- ActiveSnapshot ---------------------------------------------------------------

ActiveSnapshot::~ActiveSnapshot() {
  if (dir_ == nullptr) return;  // moved from
  (void)Unmount();
  // The WorkDir removes the directories (and unmounts whatever is still there).
}

Status ActiveSnapshot::Unmount() {
  if (!mounted_) return Status::Ok();
  DISTILL_RETURN_IF_ERROR(UnmountOrDetach(rootfs_));
  mounted_ = false;
  return Status::Ok();
}

// --- SnapshotStore ----------------------------------------------------------------

Result<std::unique_ptr<SnapshotStore>> SnapshotStore::Open(store::Store* store,
                                                           SnapshotStoreOptions options) {
  std::string dir = store->root() + "/snapshots";
  std::unique_ptr<SnapshotStore> s(new SnapshotStore(store, dir, options));
  DISTILL_RETURN_IF_ERROR(MakeDir(dir, 0711));
  DISTILL_RETURN_IF_ERROR(MakeDir(s->tmp_dir_, 0700));
  DISTILL_RETURN_IF_ERROR(MakeDir(dir + "/" + kEmptyLower, 0755));
  DISTILL_RETURN_IF_ERROR(s->Recover().status());
  return s;
}

bool SnapshotStore::IsPresent(const SnapshotRecord& record) const {
  return record.dir_id > 0 && IsDir(DirOf(record.dir_id) + "/fs");
}

bool SnapshotStore::HasChain(const oci::Digest& chain) {
  auto lowers = RelativeLowerDirs(chain);
  return lowers.ok();
}

Status SnapshotStore::UnpackLayer(const LayerBlob& layer, const std::string& fs_dir) {
  const std::string name = "layer " + layer.blob.str();
  DISTILL_ASSIGN_OR_RETURN(auto blob, store_->blobs().Open(layer.blob));
  auto tar = archive::NewDecompressor(blob.get(), name);
  archive::VerifyingReader verified(tar.get(), layer.diff_id,
                                    name + " (uncompressed, diff ID " + layer.diff_id.str() + ")");
  archive::ExtractOptions extract;
  extract.whiteouts = archive::WhiteoutMode::kOverlay;
  extract.source_name = name;
  DISTILL_RETURN_IF_ERROR(archive::ExtractTar(&verified, fs_dir, extract));
  // The extractor stops at the end-of-archive marker; read the rest (padding)
  // so that the diff ID is checked over the whole stream.
  char buf[64 * 1024];
  for (;;) {
    DISTILL_ASSIGN_OR_RETURN(size_t n, verified.Read(buf, sizeof buf));
    if (n == 0) break;
  }
  if (!verified.verified()) return Status::Corrupt(name + ": diff ID was not verified");
  return Status::Ok();
}

Status SnapshotStore::Publish(const oci::Digest& chain, const oci::Digest& parent, WorkDir* work) {
  if (options_.sync) DISTILL_RETURN_IF_ERROR(SyncFilesystemOf(work->path()));
  // The write lock makes "check, pick a number, rename, record" one step for
  // every process sharing the store.
  DISTILL_ASSIGN_OR_RETURN(auto txn, store::SqliteTransaction::Begin(records_.sqlite()));
  DISTILL_ASSIGN_OR_RETURN(auto existing, records_.Find(chain));
  if (existing && IsPresent(*existing)) return Status::Ok();  // someone else won
  DISTILL_ASSIGN_OR_RETURN(int64_t dir_id, records_.NextDirId());
  std::string target = DirOf(dir_id);
  // An unrecorded directory by that number was left by a killed publisher (a
  // live one would hold this lock).
  DISTILL_RETURN_IF_ERROR(UnmountAllUnder(target));
  DISTILL_RETURN_IF_ERROR(RemoveTreeOnOneDevice(target));
  if (rename(work->path().c_str(), target.c_str()) != 0) {
    return Status::FromErrno(
        "publish snapshot " + chain.str() + ": rename " + work->path() + " to " + target, errno);
  }
  work->MarkMoved();
  SnapshotRecord record{chain, parent, dir_id, static_cast<int64_t>(time(nullptr))};
  Status st = records_.Put(record);
  if (st.ok()) st = txn->Commit();
  if (!st.ok()) {
    (void)RemoveTreeOnOneDevice(target);
    return st.Prefixed("publish snapshot " + chain.str());
  }
  return Status::Ok();
}

Result<oci::Digest> SnapshotStore::EnsureUnpacked(const std::vector<LayerBlob>& layers) {
  oci::Digest parent;
  for (size_t i = 0; i < layers.size(); ++i) {
    const LayerBlob& layer = layers[i];
    oci::Digest chain = ChainIdOf(parent, layer.diff_id);
    DISTILL_ASSIGN_OR_RETURN(auto record, records_.Find(chain));
    if (!record || !IsPresent(*record)) {
      const std::string what = "unpacking layer " + std::to_string(i + 1) + "/" +
                               std::to_string(layers.size()) + " (" + layer.blob.str() + ")";
      DISTILL_ASSIGN_OR_RETURN(auto work, WorkDir::Create(tmp_dir_));
      DISTILL_RETURN_IF_ERROR(MakeDir(*work / "fs", 0755).Prefixed(what));
      DISTILL_RETURN_IF_ERROR(UnpackLayer(layer, *work / "fs").Prefixed(what));
      DISTILL_RETURN_IF_ERROR(Publish(chain, parent, work.get()).Prefixed(what));
    }
    parent = chain;
  }
  return parent;
}

Result<std::vector<std::string>> SnapshotStore::RelativeLowerDirs(const oci::Digest& chain) {
  std::vector<std::string> out;
  oci::Digest cur = chain;
  while (!cur.empty()) {
    DISTILL_ASSIGN_OR_RETURN(auto record, records_.Find(cur));
    if (!record || !IsPresent(*record)) {
      std::string msg = "snapshot of chain " + cur.str() + " is not unpacked";
      if (cur != chain) msg += " (an ancestor of " + chain.str() + ")";
      return Status::NotFound(msg);
    }
    out.push_back(std::to_string(record->dir_id) + "/fs");
    cur = record->parent;
    if (out.size() > 100000) return Status::Corrupt("snapshot chain " + chain.str() + " loops");
  }
  return out;
}

Result<std::vector<std::string>> SnapshotStore::LowerDirs(const oci::Digest& chain) {
  DISTILL_ASSIGN_OR_RETURN(auto rel, RelativeLowerDirs(chain));
  for (auto& r : rel) r = dir_ + "/" + r;
  return rel;
}

Result<ActiveSnapshot> SnapshotStore::Prepare(const oci::Digest& parent) {
  std::vector<std::string> lowers;
  if (parent.empty()) {
    lowers.push_back(kEmptyLower);
  } else {
    DISTILL_ASSIGN_OR_RETURN(lowers, RelativeLowerDirs(parent));
  }
  ActiveSnapshot active;
  active.parent_ = parent;
  DISTILL_ASSIGN_OR_RETURN(active.dir_, WorkDir::Create(tmp_dir_));
  const std::string name = BaseName(active.dir_->path());
  active.upper_dir_ = *active.dir_ / "fs";
  active.rootfs_ = *active.dir_ / "merged";
  DISTILL_RETURN_IF_ERROR(MakeDir(active.upper_dir_, 0755));
  DISTILL_RETURN_IF_ERROR(MakeDir(*active.dir_ / "work", 0700));
  DISTILL_RETURN_IF_ERROR(MakeDir(active.rootfs_, 0755));
  if (!parent.empty()) {
    for (const auto& l : lowers) active.lower_dirs_.push_back(dir_ + "/" + l);
  }

  OverlaySpec spec;
  spec.base_dir = dir_;
  spec.lower_dirs = std::move(lowers);
  spec.upper_dir = "tmp/" + name + "/fs";
  spec.work_dir = "tmp/" + name + "/work";
  spec.target = active.rootfs_;
  Status st = MountOverlay(spec);
  if (!st.ok()) {
    return st.Prefixed("preparing a snapshot over " +
                       (parent.empty() ? std::string("scratch") : parent.str()));
  }
  active.mounted_ = true;
  return active;
}

Result<std::pair<archive::LayerDigests, oci::Digest>> SnapshotStore::WriteLayerBlob(
    const std::string& upper_dir, const CommitOptions& options) {
  DISTILL_ASSIGN_OR_RETURN(auto blob, store_->blobs().NewWriter());
  DISTILL_ASSIGN_OR_RETURN(auto layer, archive::LayerWriter::Create(options.compression, blob.get(),
                                                                    options.compress_options));
  archive::TarWriter tar(layer.get());
  archive::TreeTarOptions tree;
  tree.overlay_upperdir = true;
  tree.clamp_mtime = options.clamp_mtime;
  DISTILL_RETURN_IF_ERROR(archive::WriteTreeTar(upper_dir, &tar, tree));
  DISTILL_RETURN_IF_ERROR(tar.Finish());
  DISTILL_ASSIGN_OR_RETURN(auto digests, layer->Finish());
  DISTILL_ASSIGN_OR_RETURN(auto stored, blob->Commit(digests.digest, digests.compressed_size));
  return std::make_pair(digests, stored);
}

Result<CommittedLayer> SnapshotStore::Commit(ActiveSnapshot&& active_in,
                                             const CommitOptions& options) {
  // Owned here, so every return below cleans it up.
  ActiveSnapshot active = std::move(active_in);
  if (active.dir_ == nullptr) return Status::Invalid("commit of an empty ActiveSnapshot");
  const std::string what = "committing the snapshot over " +
                           (active.parent_.empty() ? std::string("scratch") : active.parent_.str());
  DISTILL_RETURN_IF_ERROR(active.Unmount().Prefixed(what));
  DISTILL_RETURN_IF_ERROR(
      DropPlaceholders(active.upper_dir_, active.lower_dirs_, options.placeholder_paths)
          .Prefixed(what));

  CommittedLayer result;
  if (IsEmptyDir(active.upper_dir_)) {
    result.empty = true;
    result.chain_id = active.parent_;
    return result;
  }

  auto written = WriteLayerBlob(active.upper_dir_, options);
  if (!written.ok()) return written.status().Prefixed(what);
  const auto& [digests, stored] = *written;

  result.diff_id = digests.diff_id;
  result.descriptor.media_type = std::string(LayerMediaType(options.compression));
  result.descriptor.digest = stored;
  result.descriptor.size = static_cast<int64_t>(digests.compressed_size);
  result.chain_id = ChainIdOf(active.parent_, digests.diff_id);

  // The upper directory becomes the new chain's snapshot as it is.
  DISTILL_RETURN_IF_ERROR(RemoveTreeOnOneDevice(*active.dir_ / "work").Prefixed(what));
  DISTILL_RETURN_IF_ERROR(RemoveTreeOnOneDevice(active.rootfs_).Prefixed(what));
  DISTILL_RETURN_IF_ERROR(
      Publish(result.chain_id, active.parent_, active.dir_.get()).Prefixed(what));
  return result;
}

Result<int> SnapshotStore::RemoveUnreferenced(const std::set<oci::Digest>& keep,
                                              const std::set<oci::Digest>& keep_layers,
                                              uint64_t* bytes_freed) {
  DISTILL_ASSIGN_OR_RETURN(auto records, records_.List());
  std::map<oci::Digest, oci::Digest> parent_of;
  for (const auto& r : records) parent_of[r.chain_id] = r.parent;
  std::set<oci::Digest> roots = keep;
  // A record names its chain and parent, not its layer: a chain is one of
  // keep_layers' when it is its parent's chain with that layer on top.
  for (const auto& r : records) {
    for (const auto& diff_id : keep_layers) {
      if (ChainIdOf(r.parent, diff_id) == r.chain_id) {
        roots.insert(r.chain_id);
        break;
      }
    }
  }
  std::set<oci::Digest> kept;
  for (const auto& k : roots) {
    for (oci::Digest cur = k; !cur.empty() && kept.insert(cur).second;) {
      auto it = parent_of.find(cur);
      if (it == parent_of.end()) break;
      cur = it->second;
    }
  }
  int removed = 0;
  for (const auto& r : records) {
    if (kept.count(r.chain_id)) continue;
    // Move the directory out of sight first: a crash then leaves a recorded
    // snapshot without a directory (unpacked again on demand) and an abandoned
    // work directory (removed by Recover), never a half-deleted snapshot.
    DISTILL_ASSIGN_OR_RETURN(auto trash, WorkDir::Create(tmp_dir_));
    std::string dir = DirOf(r.dir_id);
    if (r.dir_id > 0 && IsDir(dir)) {
      DISTILL_RETURN_IF_ERROR(UnmountAllUnder(dir));
      if (bytes_freed != nullptr) *bytes_freed += DiskUsage(dir);
      if (rename(dir.c_str(), (*trash / "old").c_str()) != 0) {
        return Status::FromErrno("remove snapshot " + r.chain_id.str() + ": rename " + dir, errno);
      }
    }
    DISTILL_RETURN_IF_ERROR(records_.Delete(r.chain_id));
    DISTILL_RETURN_IF_ERROR(trash->Remove().Prefixed("remove snapshot " + r.chain_id.str()));
    ++removed;
  }
  return removed;
}

Result<RecoveryReport> SnapshotStore::Recover() {
  RecoveryReport report;
  DISTILL_ASSIGN_OR_RETURN(report.work_dirs_removed, RemoveAbandonedWorkDirs(tmp_dir_));

  DISTILL_ASSIGN_OR_RETURN(auto txn, store::SqliteTransaction::Begin(records_.sqlite()));
  DISTILL_ASSIGN_OR_RETURN(auto records, records_.List());
  std::set<int64_t> recorded;
  for (const auto& r : records) recorded.insert(r.dir_id);
  DISTILL_ASSIGN_OR_RETURN(auto entries, NumericEntries(dir_));
  for (int64_t id : entries) {
    if (recorded.count(id)) continue;
    std::string path = DirOf(id);
    DISTILL_RETURN_IF_ERROR(UnmountAllUnder(path).Prefixed("recovering " + dir_));
    DISTILL_RETURN_IF_ERROR(RemoveTreeOnOneDevice(path).Prefixed("recovering " + dir_));
    ++report.unrecorded_dirs_removed;
  }
  DISTILL_RETURN_IF_ERROR(txn->Commit());
  return report;
}

}  // namespace distill::snapshot
