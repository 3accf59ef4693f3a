// Compression of layer streams: the factory for the compressing Writers.
// Output is reproducible: the same input, compression and level give the same
// bytes on any machine and with any thread count, so layer digests are stable.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "util/io.h"
#include "util/status.h"

namespace distill::archive {

enum class Compression { kNone, kGzip, kZstd };

struct CompressOptions {
  // Codec level; kDefaultLevel picks gzip 6 / zstd 3. Gzip accepts 0..9, zstd 1..19.
  static constexpr int kDefaultLevel = -1;
  int level = kDefaultLevel;
  // Worker threads; 0 means one per core. Never changes the output bytes.
  int threads = 0;
  // Gzip only: input bytes per parallel block. Part of the output format (a
  // different block size gives different bytes), so keep the default for
  // reproducible digests.
  size_t gzip_block_size = 128 * 1024;
};

// "none"/"uncompressed", "gzip", "zstd" (for flags and config files).
Result<Compression> ParseCompression(std::string_view name);
std::string_view CompressionName(Compression c);

// Threads to use for `requested` (0 = the number of cores, at least 1).
int ResolveThreads(int requested);

// Returns a Writer that compresses into `out` (which must outlive it). Close()
// finishes the compressed stream and flushes it to `out` but does not close
// `out`. Errors for a level out of range.
Result<std::unique_ptr<Writer>> NewCompressor(Compression compression, Writer* out,
                                              const CompressOptions& options = {});

}  // namespace distill::archive
