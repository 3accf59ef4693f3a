// LayerWriter: the single streaming pass that turns a tar stream into a layer
// blob. Tar bytes go in; on the way to the destination they are hashed
// (diffID), compressed, and hashed again (digest), so no byte is read twice.
//
//   Write(tar) ─► sha256+count ─► compressor ─► sha256+count ─► destination
#pragma once

#include <cstdint>
#include <memory>

#include "archive/compress.h"
#include "archive/hashing_writer.h"
#include "oci/digest.h"
#include "util/io.h"

namespace distill::archive {

struct LayerDigests {
  oci::Digest diff_id;  // sha256 of the uncompressed tar
  oci::Digest digest;   // sha256 of the blob as stored (compressed)
  uint64_t uncompressed_size = 0;
  uint64_t compressed_size = 0;
};

// Not thread-safe (the compressor uses its own threads internally). The
// destination is not closed: the caller commits it (fsync, rename) after
// Finish() succeeds. With Compression::kNone, digest == diff_id.
class LayerWriter : public Writer {
 public:
  static Result<std::unique_ptr<LayerWriter>> Create(Compression compression, Writer* destination,
                                                     const CompressOptions& options = {});

  using Writer::Write;
  Status Write(const void* data, size_t len) override;
  // Ends the compressed stream and computes the digests.
  Status Close() override;
  // Close() and return the digests.
  Result<LayerDigests> Finish();
  // Valid after a successful Close().
  const LayerDigests& digests() const { return digests_; }

 private:
  LayerWriter() = default;

  std::unique_ptr<HashingWriter> compressed_;    // compressor → destination; null if kNone
  std::unique_ptr<Writer> compressor_;           // null if kNone
  std::unique_ptr<HashingWriter> uncompressed_;  // caller → compressor (or destination)
  LayerDigests digests_;
  bool closed_ = false;
  Status close_status_;
};

}  // namespace distill::archive
