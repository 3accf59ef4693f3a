// Streaming SHA-256. Feed bytes as they pass through a pipeline (tar writer,
// compressor, network) so nothing is read twice.
//
// Implemented here (util/sha256_compress.h) rather than taken from
// libcrypto: loading and initialising OpenSSL cost every distill command
// about 8 ms before it did any work, more than a no-op rebuild's whole
// budget allows; the SHA extensions path hashes as fast as OpenSSL's.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace distill {

class Sha256 {
 public:
  Sha256() { Reset(); }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(const void* data, size_t len);
  void Update(std::string_view s) { Update(s.data(), s.size()); }
  // The 32-byte digest; the hasher is reset and may be reused.
  std::array<uint8_t, 32> Finish();
  // Lowercase hex of the digest; the hasher is reset and may be reused.
  std::string FinishHex();
  uint64_t bytes() const { return bytes_; }

  static std::string HexOf(std::string_view data);

 private:
  void Reset();

  uint32_t state_[8];
  uint8_t block_[64];
  size_t block_len_ = 0;
  uint64_t bytes_ = 0;
};

}  // namespace distill
