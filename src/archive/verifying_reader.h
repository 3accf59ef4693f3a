// VerifyingReader: passes bytes through while hashing them, and fails at end
// of stream when they do not match the expected digest (and size). Blobs from
// a registry or an archive are trusted only after this check.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "oci/digest.h"
#include "util/io.h"
#include "util/sha256.h"

namespace distill::archive {

// Not thread-safe. The error surfaces on the Read that reaches end of stream
// (or as soon as more bytes than `expected_size` arrive), so a consumer must
// read to the end before it trusts, commits or renames what it wrote.
class VerifyingReader : public Reader {
 public:
  // `name` says what is read (a blob, a file) in error messages.
  VerifyingReader(Reader* source, oci::Digest expected, std::string name,
                  std::optional<uint64_t> expected_size = std::nullopt);

  Result<size_t> Read(void* buf, size_t len) override;

  uint64_t bytes() const { return bytes_; }
  // True once end of stream was reached and the digest matched.
  bool verified() const { return verified_; }

 private:
  Status CheckAtEnd();

  Reader* source_;
  oci::Digest expected_;
  std::string name_;
  std::optional<uint64_t> expected_size_;
  Sha256 sha_;
  uint64_t bytes_ = 0;
  bool verified_ = false;
  bool at_end_ = false;
  Status end_status_;
};

}  // namespace distill::archive
