#include "store/store.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <set>

namespace distill::store {

namespace {

constexpr std::string_view kVersionPrefix = "distill-store-layout ";

std::string GcLockPath(const std::string& root) {
  return JoinPath(root, "gc.lock");
}

bool IsHex(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

Status CheckLayoutVersion(FileSystem* fs, const std::string& root) {
  std::string path = JoinPath(root, "version");
  auto content = fs->ReadFile(path);
  if (!content.ok()) {
    if (content.status().code() == Status::Code::kNotFound) {
      return fs->WriteFileAtomically(
          path, std::string(kVersionPrefix) + std::to_string(Store::kLayoutVersion) + "\n");
    }
    return content.status();
  }
  std::string_view text = *content;
  if (text.substr(0, kVersionPrefix.size()) != kVersionPrefix) {
    return Status::Corrupt(path + ": not a distill store version file");
  }
  int version = std::atoi(std::string(text.substr(kVersionPrefix.size())).c_str());
  if (version <= 0) return Status::Corrupt(path + ": unreadable layout version");
  if (version > Store::kLayoutVersion) {
    return Status::Invalid("store " + root + " has layout version " + std::to_string(version) +
                           ", newer than this distill supports (" +
                           std::to_string(Store::kLayoutVersion) + "); upgrade distill");
  }
  return Status::Ok();
}

}  // namespace

Store::Store(std::string root, FileSystem* fs, std::unique_ptr<MetadataDb> meta,
             StoreOptions options, std::unique_ptr<FileLock> op_lock)
    : root_(std::move(root)),
      fs_(fs),
      blobs_(fs, root_),
      meta_(std::move(meta)),
      options_(std::move(options)),
      op_lock_(std::move(op_lock)) {}

Result<std::unique_ptr<Store>> Store::Open(const std::string& root, FileSystem* fs,
                                           StoreOptions options) {
  if (root.empty() || root.front() != '/') {
    return Status::Invalid("store root \"" + root + "\" must be an absolute path");
  }
  DISTILL_RETURN_IF_ERROR(fs->MakeDirs(root).Prefixed("creating store " + root));
  DISTILL_RETURN_IF_ERROR(CheckLayoutVersion(fs, root));
  DISTILL_ASSIGN_OR_RETURN(auto op_lock, fs->Lock(GcLockPath(root), LockMode::kShared, true));
  BlobStore blobs(fs, root);
  DISTILL_RETURN_IF_ERROR(blobs.Init().Prefixed("creating store " + root));
  if (options.metadata_path.empty()) options.metadata_path = JoinPath(root, "distill.db");
  if (!options.clock) options.clock = [] { return static_cast<int64_t>(std::time(nullptr)); };
  DISTILL_ASSIGN_OR_RETURN(auto meta, MetadataDb::Open(options.metadata_path));
  return std::unique_ptr<Store>(
      new Store(root, fs, std::move(meta), std::move(options), std::move(op_lock)));
}

Status Store::Tag(const std::string& name, const oci::Digest& manifest,
                  const std::vector<oci::Digest>& refs) {
  if (!blobs_.Exists(manifest)) {
    return Status::NotFound("cannot tag " + name + ": manifest " + manifest.str() +
                            " is not in the store");
  }
  for (const auto& ref : refs) {
    if (!blobs_.Exists(ref)) {
      return Status::NotFound("cannot tag " + name + ": blob " + ref.str() + " referenced by " +
                              manifest.str() + " is not in the store");
    }
  }
  // Re-tagging with the same image (a no-op rebuild) changes nothing: no
  // write transaction, and the tag keeps the time it was first given.
  auto current = meta_->LookupTag(name);
  if (current.ok() && current->has_value() && **current == manifest) return Status::Ok();
  return meta_->Tag(name, manifest, refs, Now());
}

Status Store::RecordManifest(const oci::Digest& manifest, const std::vector<oci::Digest>& refs) {
  for (const auto& d : refs) {
    if (!blobs_.Exists(d)) {
      return Status::NotFound("cannot record manifest " + manifest.str() + ": blob " + d.str() +
                              " is not in the store");
    }
  }
  if (!blobs_.Exists(manifest)) {
    return Status::NotFound("cannot record manifest " + manifest.str() +
                            ": it is not in the store");
  }
  return meta_->RecordManifest(manifest, refs, Now());
}

Result<oci::Digest> Store::Resolve(std::string_view name_or_digest) {
  std::string query(name_or_digest);
  DISTILL_ASSIGN_OR_RETURN(auto tagged, meta_->LookupTag(query));
  if (tagged) return *tagged;
  if (query.find(':') != std::string::npos && query.rfind("sha256:", 0) == 0) {
    DISTILL_ASSIGN_OR_RETURN(auto digest, oci::Digest::Parse(query));
    DISTILL_ASSIGN_OR_RETURN(bool recorded, meta_->HasManifest(digest));
    if (recorded || blobs_.Exists(digest)) return digest;
    return Status::NotFound("no such image: " + query);
  }
  if (IsHex(query)) {
    DISTILL_ASSIGN_OR_RETURN(auto matches, meta_->ManifestsWithPrefix(query));
    if (matches.size() == 1) return matches.front();
    if (matches.size() > 1) {
      return Status::Invalid("image ID prefix " + query + " is ambiguous: matches " +
                             std::to_string(matches.size()) + " images; give more characters");
    }
  }
  return Status::NotFound("no such image: " + query);
}

Result<std::vector<ImageRecord>> Store::ListImages() {
  return meta_->ListImages();
}

Status Store::Untag(const std::string& name) {
  return meta_->Untag(name);
}

Status Store::ForgetIfUnused(const oci::Digest& manifest, RemoveResult* result) {
  DISTILL_ASSIGN_OR_RETURN(auto tags, meta_->TagsOf(manifest));
  DISTILL_ASSIGN_OR_RETURN(auto parents, meta_->ParentsOf(manifest));
  if (!tags.empty() || !parents.empty()) return Status::Ok();
  DISTILL_ASSIGN_OR_RETURN(bool recorded, meta_->HasManifest(manifest));
  if (!recorded) return Status::Ok();
  DISTILL_RETURN_IF_ERROR(meta_->DeleteManifest(manifest));
  result->forgotten.push_back(manifest);
  return Status::Ok();
}

Result<RemoveResult> Store::Remove(std::string_view name_or_digest, bool force) {
  RemoveResult result;
  std::string query(name_or_digest);
  DISTILL_ASSIGN_OR_RETURN(auto tagged, meta_->LookupTag(query));
  if (tagged) {
    DISTILL_RETURN_IF_ERROR(meta_->Untag(query));
    result.untagged.push_back(query);
    DISTILL_RETURN_IF_ERROR(ForgetIfUnused(*tagged, &result));
    return result;
  }
  DISTILL_ASSIGN_OR_RETURN(oci::Digest digest, Resolve(query));
  DISTILL_ASSIGN_OR_RETURN(auto tags, meta_->TagsOf(digest));
  DISTILL_ASSIGN_OR_RETURN(auto parents, meta_->ParentsOf(digest));
  if (!force && tags.size() > 1) {
    std::string names;
    for (const auto& t : tags) names += (names.empty() ? "" : ", ") + t;
    return Status::Invalid("cannot remove image " + digest.str() + ": it is tagged as " + names +
                           "; remove the tags by name or force");
  }
  if (!force && !parents.empty()) {
    return Status::Invalid("cannot remove image " + digest.str() + ": image " +
                           parents.front().str() + " references it; remove that first or force");
  }
  for (const auto& t : tags) {
    DISTILL_RETURN_IF_ERROR(meta_->Untag(t));
    result.untagged.push_back(t);
  }
  DISTILL_RETURN_IF_ERROR(ForgetIfUnused(digest, &result));
  return result;
}

Result<std::string> Store::CreateLease(std::string_view description, int64_t ttl_seconds) {
  int64_t now = Now();
  return meta_->CreateLease(description, now, now + ttl_seconds);
}

Status Store::AddToLease(const std::string& lease_id, const oci::Digest& digest) {
  return meta_->AddToLease(lease_id, digest);
}

Status Store::ReleaseLease(const std::string& lease_id) {
  return meta_->DeleteLease(lease_id);
}

Status Store::WithExclusiveLock(bool wait, const std::function<Status()>& fn) {
  // flock locks belong to one open file: holding our shared lock while asking for
  // the exclusive one would wait on ourselves.
  op_lock_.reset();
  auto exclusive = fs_->Lock(GcLockPath(root_), LockMode::kExclusive, wait);
  Status st = exclusive.ok() ? fn()
                             : exclusive.status().Prefixed("garbage collection of " + root_ +
                                                           " needs the store to itself");
  if (exclusive.ok()) exclusive.value().reset();
  auto shared = fs_->Lock(GcLockPath(root_), LockMode::kShared, true);
  if (!shared.ok()) return st.ok() ? shared.status() : st;
  op_lock_ = std::move(shared).value();
  return st;
}

Result<PruneReport> Store::Prune(bool wait, const std::function<Status()>& then) {
  PruneReport report;
  auto collect = [&]() -> Status {
    int64_t now = Now();
    DISTILL_ASSIGN_OR_RETURN(report.temp_files_removed, blobs_.RemoveTempFiles());
    DISTILL_ASSIGN_OR_RETURN(report.leases_expired, meta_->DeleteExpiredLeases(now));
    DISTILL_ASSIGN_OR_RETURN(auto reachable, meta_->ReachableDigests(now));
    DISTILL_ASSIGN_OR_RETURN(report.manifests_forgotten,
                             meta_->DeleteUnreachableManifests(reachable));
    DISTILL_ASSIGN_OR_RETURN(auto all, blobs_.List());
    for (const auto& blob : all) {
      if (std::binary_search(reachable.begin(), reachable.end(), blob.str())) continue;
      auto size = blobs_.Stat(blob);
      DISTILL_RETURN_IF_ERROR(blobs_.Delete(blob));
      ++report.blobs_removed;
      if (size.ok()) report.bytes_freed += *size;
    }
    return then ? then() : Status::Ok();
  };
  DISTILL_RETURN_IF_ERROR(WithExclusiveLock(wait, collect));
  return report;
}

Result<FsckReport> Store::Fsck(bool repair) {
  FsckReport report;
  auto check = [&]() -> Status {
    using Kind = FsckProblem::Kind;
    DISTILL_ASSIGN_OR_RETURN(auto temps, fs_->ListDir(blobs_.temp_dir()));
    report.temp_files = static_cast<int>(temps.size());

    // 1. Every blob's bytes against its name.
    std::vector<std::string> stray;
    DISTILL_ASSIGN_OR_RETURN(auto all, blobs_.List(&stray));
    for (const auto& path : stray) {
      FsckProblem p{Kind::kStrayFile, path, "file in the blob directory is not named by a digest"};
      if (repair) p.repaired = fs_->RemoveTree(path).ok();
      report.problems.push_back(std::move(p));
    }
    std::set<oci::Digest> present;
    for (const auto& blob : all) {
      ++report.blobs_checked;
      Status st = blobs_.Verify(blob);
      if (st.ok()) {
        present.insert(blob);
        continue;
      }
      if (st.code() != Status::Code::kCorrupt) return st;
      FsckProblem p{Kind::kCorruptBlob, blob.str(), st.message()};
      if (repair) p.repaired = blobs_.Delete(blob).ok();
      report.problems.push_back(std::move(p));
    }

    // 2. Every recorded reference; a manifest is broken when it, or anything it
    // references (transitively through recorded manifests), is missing.
    DISTILL_ASSIGN_OR_RETURN(auto manifests, meta_->ListManifests());
    std::map<oci::Digest, std::vector<oci::Digest>> refs;
    std::set<oci::Digest> broken;
    std::vector<size_t> missing_problems;
    for (const auto& m : manifests) {
      DISTILL_ASSIGN_OR_RETURN(refs[m], meta_->RefsOf(m));
      if (!present.count(m)) {
        broken.insert(m);
        missing_problems.push_back(report.problems.size());
        report.problems.push_back({Kind::kMissingBlob, m.str(), "recorded manifest is missing"});
      }
      for (const auto& child : refs[m]) {
        if (present.count(child)) continue;
        broken.insert(m);
        missing_problems.push_back(report.problems.size());
        report.problems.push_back(
            {Kind::kMissingBlob, child.str(), "referenced by manifest " + m.str() + " is missing"});
      }
    }
    for (bool changed = true; changed;) {
      changed = false;
      for (const auto& [m, children] : refs) {
        if (broken.count(m)) continue;
        for (const auto& child : children) {
          if (broken.count(child)) {
            broken.insert(m);
            changed = true;
            break;
          }
        }
      }
    }

    // 3. Every tag must lead to a complete image.
    DISTILL_ASSIGN_OR_RETURN(auto images, meta_->ListImages());
    for (const auto& image : images) {
      if (!broken.count(image.digest) && refs.count(image.digest)) continue;
      FsckProblem p{Kind::kDanglingTag, image.name,
                    "tag points at " + image.digest.str() + ", which is missing or incomplete"};
      if (repair) p.repaired = meta_->Untag(image.name).ok();
      report.problems.push_back(std::move(p));
    }
    if (repair) {
      for (const auto& m : broken) {
        DISTILL_ASSIGN_OR_RETURN(auto tags, meta_->TagsOf(m));
        if (tags.empty()) DISTILL_RETURN_IF_ERROR(meta_->DeleteManifest(m));
      }
      for (size_t i : missing_problems) report.problems[i].repaired = true;
    }
    return Status::Ok();
  };
  if (repair) {
    DISTILL_RETURN_IF_ERROR(WithExclusiveLock(true, check));
  } else {
    DISTILL_RETURN_IF_ERROR(check());
  }
  return report;
}

}  // namespace distill::store
