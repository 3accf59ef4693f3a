// The store-changing verbs' logic: tag, rmi, prune and fsck, with the lines
// they print (docker's wording where docker has the verb).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "oci/digest.h"
#include "store/store.h"
#include "util/status.h"

namespace distill::images {

// Points the normalised `target` at the image `source` names (tag, ID prefix
// or digest; see store::ResolveImage). Returns the normalised target. An invalid
// target is refused with the reference parser's reason.
Result<std::string> TagImage(store::Store& store, std::string_view source, std::string_view target);

// `docker rmi IMAGE`: a name untags that name; an ID or digest untags every tag
// of the image, refusing (unless force) when there is more than one, with
// docker's "image is referenced in multiple repositories". Returns the lines
// to print: "Untagged: python:3.9", then "Deleted: sha256:…" when the image is
// gone from the store's records (its blobs are freed by `prune`).
Result<std::vector<std::string>> RemoveImage(store::Store& store, std::string_view image,
                                             bool force);

struct PruneResult {
  store::PruneReport report;
  std::vector<std::pair<oci::Digest, uint64_t>> removed;  // blob and its size, sorted
  int snapshots_removed = 0;                              // unpacked layer chains
  uint64_t snapshot_bytes_freed = 0;
};

// Store::Prune, plus which blobs went: the blobs present before and gone after.
// Only GC deletes blobs and it runs alone (store.h), so that difference is
// exactly what this prune removed. Under the same exclusive lock, unpacked
// snapshots go unless an image left in the store stands on them or a build
// cache record made their layer.
// `chains_in_use`, when given, names more chains to keep (running
// containers' root filesystems); it is called while the lock is held.
Result<PruneResult> PruneStore(
    store::Store& store,
    const std::function<Result<std::vector<std::string>>()>& chains_in_use = nullptr);

// "Deleted: sha256:… (1.23kB)" per blob, temp files and expired leases when
// any, then "Total reclaimed space: 12.3MB".
std::string FormatPrune(const PruneResult& result);

// One line per problem ("corrupt blob sha256:…: <detail>", "... (repaired)"),
// then a summary. Problems remain when any is not repaired.
std::string FormatFsck(const store::FsckReport& report);
bool FsckProblemsRemain(const store::FsckReport& report);

}  // namespace distill::images
