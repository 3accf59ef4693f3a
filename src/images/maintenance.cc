#include "images/maintenance.h"

#include <algorithm>
#include <set>

#include "images/humanize.h"
#include "images/image_ref.h"
#include "images/image_view.h"
#include "snapshot/chain_id.h"
#include "snapshot/snapshot_store.h"
#include "store/image_store.h"

namespace distill::images {

namespace {

std::string Familiar(const std::string& stored) {
  return SplitStoredName(stored).Familiar();
}

// The digests `manifest` references, as recorded when it was first stored;
// read from the manifest itself when it never was (a bare blob).
Result<std::vector<oci::Digest>> RefsOf(store::Store& store, const oci::Digest& manifest,
                                        std::string_view name) {
  DISTILL_ASSIGN_OR_RETURN(bool recorded, store.metadata().HasManifest(manifest));
  if (recorded) return store.metadata().RefsOf(manifest);
  DISTILL_ASSIGN_OR_RETURN(store::StoredImage image, LoadImage(store, manifest, name));
  return store::ManifestRefs(image.manifest);
}

}  // namespace

Result<std::string> TagImage(store::Store& store, std::string_view source,
                             std::string_view target) {
  auto normalized = store::NormalizeImageName(target);
  if (!normalized.ok())
    return normalized.status().Prefixed("cannot tag as \"" + std::string(target) + "\"");
  DISTILL_ASSIGN_OR_RETURN(oci::Digest manifest, store::ResolveImage(store, source));
  DISTILL_ASSIGN_OR_RETURN(auto refs, RefsOf(store, manifest, source));
  DISTILL_RETURN_IF_ERROR(store.Tag(*normalized, manifest, refs));
  return *normalized;
}

Result<std::vector<std::string>> RemoveImage(store::Store& store, std::string_view image,
                                             bool force) {
  DISTILL_ASSIGN_OR_RETURN(oci::Digest manifest, store::ResolveImage(store, image));
  // Which tag did the user name, if any? Then only that tag goes.
  std::string query = manifest.str();
  auto ref_name = store::NormalizeImageName(image);
  if (ref_name.ok()) {
    DISTILL_ASSIGN_OR_RETURN(auto tagged, store.metadata().LookupTag(*ref_name));
    if (tagged && *tagged == manifest) query = *ref_name;
  }
  if (query == manifest.str() && !force) {
    DISTILL_ASSIGN_OR_RETURN(auto tags, store.metadata().TagsOf(manifest));
    if (tags.size() > 1) {
      return Status::Invalid("conflict: unable to delete " + manifest.Short() + " (" +
                             std::string(image) +
                             ") (must be forced) - image is referenced in multiple repositories");
    }
    DISTILL_ASSIGN_OR_RETURN(auto parents, store.metadata().ParentsOf(manifest));
    if (!parents.empty()) {
      return Status::Invalid("conflict: unable to delete " + manifest.Short() + " (" +
                             std::string(image) + ") (must be forced) - index " +
                             parents.front().Short() + " references it");
    }
  }
  DISTILL_ASSIGN_OR_RETURN(store::RemoveResult removed, store.Remove(query, force));
  std::vector<std::string> lines;
  for (const auto& name : removed.untagged) lines.push_back("Untagged: " + Familiar(name));
  for (const auto& digest : removed.forgotten) lines.push_back("Deleted: " + digest.str());
  return lines;
}

Result<PruneResult> PruneStore(
    store::Store& store, const std::function<Result<std::vector<std::string>>()>& chains_in_use) {
  DISTILL_ASSIGN_OR_RETURN(auto before, store.blobs().List());
  std::vector<std::pair<oci::Digest, uint64_t>> sized;
  for (const auto& blob : before) {
    auto size = store.blobs().Stat(blob);
    sized.emplace_back(blob, size.ok() ? *size : 0);
  }
  PruneResult result;
  auto collect_snapshots = [&]() -> Status {
    DISTILL_ASSIGN_OR_RETURN(auto snapshots, snapshot::SnapshotStore::Open(&store));
    std::set<oci::Digest> keep;
    DISTILL_ASSIGN_OR_RETURN(auto manifests, store.metadata().ListManifests());
    for (const oci::Digest& manifest : manifests) {
      // An index is skipped: its images are manifests of their own here.
      Result<store::StoredImage> image = store::ReadImageByDigest(store, manifest, manifest.str());
      if (!image.ok()) continue;
      for (const oci::Digest& chain : snapshot::ChainIds(image->config.rootfs.diff_ids)) {
        keep.insert(chain);
      }
    }
    if (chains_in_use) {
      DISTILL_ASSIGN_OR_RETURN(std::vector<std::string> in_use, chains_in_use());
      for (const std::string& text : in_use) {
        DISTILL_ASSIGN_OR_RETURN(oci::Digest chain, oci::Digest::Parse(text));
        keep.insert(chain);
      }
    }
    std::set<oci::Digest> cached_layers;
    DISTILL_ASSIGN_OR_RETURN(auto diff_ids, store.metadata().CacheRecordDiffIds());
    for (const std::string& text : diff_ids) {
      Result<oci::Digest> d = oci::Digest::Parse(text);
      if (d.ok()) cached_layers.insert(*d);
    }
    DISTILL_ASSIGN_OR_RETURN(
        result.snapshots_removed,
        snapshots->RemoveUnreferenced(keep, cached_layers, &result.snapshot_bytes_freed));
    return Status::Ok();
  };
  DISTILL_ASSIGN_OR_RETURN(result.report, store.Prune(/*wait=*/false, collect_snapshots));
  DISTILL_ASSIGN_OR_RETURN(auto after, store.blobs().List());
  std::set<oci::Digest> remaining(after.begin(), after.end());
  for (auto& [blob, size] : sized) {
    if (!remaining.count(blob)) result.removed.emplace_back(blob, size);
  }
  std::sort(result.removed.begin(), result.removed.end());
  return result;
}

std::string FormatPrune(const PruneResult& result) {
  std::string out;
  if (!result.removed.empty()) out += "Deleted blobs:\n";
  for (const auto& [blob, size] : result.removed) {
    out += "deleted: " + blob.str() + " (" + HumanSize(size) + ")\n";
  }
  const auto& r = result.report;
  if (r.manifests_forgotten > 0) {
    out += "Forgot " + std::to_string(r.manifests_forgotten) + " untagged image record(s)\n";
  }
  if (r.temp_files_removed > 0) {
    out += "Removed " + std::to_string(r.temp_files_removed) +
           " temporary file(s) of interrupted writes\n";
  }
  if (r.leases_expired > 0) {
    out += "Expired " + std::to_string(r.leases_expired) + " lease(s)\n";
  }
  if (result.snapshots_removed > 0) {
    out += "Removed " + std::to_string(result.snapshots_removed) + " unpacked layer snapshot(s) (" +
           HumanSize(result.snapshot_bytes_freed) + ")\n";
  }
  out += "Total reclaimed space: " + HumanSize(r.bytes_freed + result.snapshot_bytes_freed) + "\n";
  return out;
}

std::string FormatFsck(const store::FsckReport& report) {
  using Kind = store::FsckProblem::Kind;
  std::string out;
  int remaining = 0;
  for (const auto& p : report.problems) {
    const char* kind = "";
    switch (p.kind) {
      case Kind::kCorruptBlob:
        kind = "corrupt blob";
        break;
      case Kind::kMissingBlob:
        kind = "missing blob";
        break;
      case Kind::kDanglingTag:
        kind = "dangling tag";
        break;
      case Kind::kStrayFile:
        kind = "stray file";
        break;
    }
    std::string subject = p.kind == Kind::kDanglingTag ? Familiar(p.subject) : p.subject;
    out += std::string(kind) + " " + subject + ": " + p.detail + (p.repaired ? " (repaired)" : "") +
           "\n";
    if (!p.repaired) ++remaining;
  }
  out += "checked " + std::to_string(report.blobs_checked) +
         " blob(s): " + std::to_string(report.problems.size()) + " problem(s)";
  if (!report.problems.empty()) {
    out += ", " + std::to_string(remaining) + " remaining";
    if (remaining > 0) out += " (run distill fsck --repair to fix them)";
  }
  out += "\n";
  if (report.temp_files > 0) {
    out += std::to_string(report.temp_files) +
           " temporary file(s) of interrupted writes (distill prune removes them)\n";
  }
  return out;
}

bool FsckProblemsRemain(const store::FsckReport& report) {
  return std::any_of(report.problems.begin(), report.problems.end(),
                     [](const store::FsckProblem& p) { return !p.repaired; });
}

}  // namespace distill::images
