// Decompression of downloaded or stored blobs: a Reader that recognizes the
// format by its magic bytes (gzip, zstd, xz, bzip2, or plain) and streams the
// decompressed bytes. Concatenated members/frames (pigz, `cat a.gz b.gz`) are
// decoded as one stream, as gzip(1) does.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "util/io.h"

namespace distill::archive {

enum class CompressionFormat { kNone, kGzip, kZstd, kXz, kBzip2 };

// The longest magic number DetectCompression looks at.
inline constexpr size_t kMaxMagicSize = 6;

// Format of a stream that starts with `prefix` (kNone if no magic matches,
// including prefixes too short to tell).
CompressionFormat DetectCompression(std::string_view prefix);
std::string_view CompressionFormatName(CompressionFormat format);

// A Reader of the decompressed bytes of `source` (which must outlive it). The
// format is detected on the first Read. Corrupt or truncated input gives a
// kCorrupt error naming `name` (a file path, a blob digest). Not thread-safe.
std::unique_ptr<Reader> NewDecompressor(Reader* source, std::string name);

}  // namespace distill::archive
