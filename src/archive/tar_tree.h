// WriteTreeTar: turns a directory tree into a layer tar, deterministically.
//
// Entries come in byte-wise path order (so parents precede children), hard
// links are recorded once (the first path in that order holds the content,
// later ones link to it), file contents are streamed in bounded chunks, and
// nothing host-specific (atime, ctime, inode numbers, user names) leaks in.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "archive/tar_writer.h"
#include "util/status.h"

namespace distill::archive {

struct TreeTarOptions {
  // SOURCE_DATE_EPOCH: mtimes later than this are written as this.
  std::optional<int64_t> clamp_mtime;
  // Remap owners (e.g. from a user namespace's host ids to container ids).
  std::function<uint64_t(uint64_t)> map_uid;
  std::function<uint64_t(uint64_t)> map_gid;
  // Treat the tree as an overlayfs upperdir: 0/0 character devices become
  // `.wh.NAME` entries, opaque directories get a `DIR/.wh..wh..opq` entry, and
  // overlayfs' own xattrs (trusted.overlay.*, user.overlay.*) are dropped.
  bool overlay_upperdir = false;
};

// Writes every entry under `root` (not `root` itself) to `writer`. Does not
// call writer->Finish(), so callers may append more entries. Sockets are
// skipped: a tar cannot carry them and a layer never needs them.
Status WriteTreeTar(const std::string& root, TarWriter* writer, const TreeTarOptions& options = {});

}  // namespace distill::archive
