// HashingWriter: a pass-through Writer that computes the SHA-256 and the byte
// count of everything written through it. Layers get their diffID and digest
// this way, in the same pass that produces the bytes.
#pragma once

#include <cstdint>

#include "oci/digest.h"
#include "util/io.h"
#include "util/sha256.h"

namespace distill::archive {

// Not thread-safe. Close() finalizes the digest but does NOT close the wrapped
// writer: whoever created the destination decides when it is complete (for
// example after an fsync and rename).
class HashingWriter : public Writer {
 public:
  // `out` may be null: then the bytes are only hashed and counted.
  explicit HashingWriter(Writer* out) : out_(out) {}

  using Writer::Write;
  Status Write(const void* data, size_t len) override;
  Status Close() override;

  // Valid after Close().
  const oci::Digest& digest() const { return digest_; }
  uint64_t bytes() const { return bytes_; }

 private:
  Writer* out_;
  Sha256 sha_;
  oci::Digest digest_;
  uint64_t bytes_ = 0;
  bool closed_ = false;
};

}  // namespace distill::archive
