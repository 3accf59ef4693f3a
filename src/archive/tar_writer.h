// TarWriter: writes a deterministic POSIX (ustar + pax) tar stream.
//
// Determinism is the point (DESIGN.md: layers are byte-stable): the same
// entries produce the same bytes. Nothing is looked up or sampled — no atime or
// ctime, no uname/gname lookups, pax records in a fixed (sorted) order, pax
// headers only when a field does not fit ustar, sub-second mtimes only on request.
#pragma once

#include <cstdint>
#include <string>

#include "archive/tar_entry.h"
#include "util/io.h"
#include "util/status.h"

namespace distill::archive {

struct TarWriterOptions {
  // Record nanosecond mtimes (as pax "mtime" records). Off by default: whole
  // seconds keep layers reproducible across filesystems with different precision.
  bool subsecond_mtime = false;
};

// Not thread-safe. The writer never closes `out`: after Finish() the owner
// closes it (e.g. a compressor that must flush its trailer).
class TarWriter {
 public:
  explicit TarWriter(Writer* out, TarWriterOptions options = {});

  // Writes one entry. For kFile, exactly `entry.size` bytes are streamed from
  // `content` (in bounded chunks); a shorter or longer stream is an error (the
  // file changed while it was read). `content` is ignored, and may be null, for
  // every other type.
  Status WriteEntry(const TarEntry& entry, Reader* content);

  // Writes the end-of-archive marker (two zero blocks). No entry may follow.
  Status Finish();

  uint64_t bytes_written() const { return bytes_written_; }

 private:
  Status WriteBlocks(const void* data, size_t len);  // pads to a block boundary
  Status WriteContent(const TarEntry& entry, Reader* content);

  Writer* out_;
  TarWriterOptions options_;
  uint64_t bytes_written_ = 0;
  bool finished_ = false;
};

}  // namespace distill::archive
