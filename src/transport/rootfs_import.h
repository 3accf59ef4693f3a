// `distill import`: a root filesystem tarball (plain, gzip, zstd, xz, bzip2)
// becomes a one-layer image, as `docker import` does. The tar is decompressed,
// then gzip-compressed into the store in one pass (LayerWriter gives the diffID
// and the digest together); the config gets the host's os/architecture, the
// created time, rootfs.diff_ids and one history entry.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "oci/digest.h"
#include "store/store.h"
#include "util/status.h"

namespace distill::transport {

struct ImportOptions {
  std::string name;                  // tag for the image; empty = untagged
  std::vector<std::string> changes;  // --change lines (image_change.h)
  std::string message;               // history comment
  int64_t created_unix = -1;         // -1: now (or SOURCE_DATE_EPOCH when set)
};

// `path` "-" reads standard input. Returns the manifest digest.
Result<oci::Digest> ImportRootfs(store::Store& store, const std::string& path,
                                 const ImportOptions& options);

}  // namespace distill::transport
