#include "util/sha256.h"

#include <algorithm>
#include <cstring>

#include "util/sha256_compress.h"

namespace distill {
namespace {

using sha256_internal::CompressFn;

// Chosen once: the SHA extensions where the CPU has them.
CompressFn Compress() {
  static const CompressFn fn = sha256_internal::HasShaExtensions()
                                   ? &sha256_internal::CompressShaExtensions
                                   : &sha256_internal::CompressPortable;
  return fn;
}

}  // namespace

void Sha256::Reset() {
  // FIPS 180-4, 5.3.3: the fractional parts of the square roots of the first
  // eight primes.
  static constexpr uint32_t kInitial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                           0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::memcpy(state_, kInitial, sizeof(state_));
  block_len_ = 0;
  bytes_ = 0;
}

void Sha256::Update(const void* data, size_t len) {
  if (len == 0) return;  // `data` may then be null (an empty view), not for memcpy
  const uint8_t* p = static_cast<const uint8_t*>(data);
  bytes_ += len;
  if (block_len_ > 0) {
    size_t take = std::min(len, sizeof(block_) - block_len_);
    std::memcpy(block_ + block_len_, p, take);
    block_len_ += take;
    p += take;
    len -= take;
    if (block_len_ < sizeof(block_)) return;
    Compress()(state_, block_, 1);
    block_len_ = 0;
  }
  // Whole blocks straight from the caller's buffer.
  if (size_t blocks = len / 64; blocks > 0) {
    Compress()(state_, p, blocks);
    p += blocks * 64;
    len -= blocks * 64;
  }
  if (len > 0) {
    std::memcpy(block_, p, len);
    block_len_ = len;
  }
}

std::array<uint8_t, 32> Sha256::Finish() {
  // Padding (FIPS 180-4, 5.1.1): 0x80, zeros to 56 mod 64, the bit length.
  const uint64_t bit_length = bytes_ * 8;
  uint8_t pad[72] = {0x80};
  size_t pad_len = (block_len_ < 56 ? 56 : 120) - block_len_;
  for (int i = 0; i < 8; ++i) pad[pad_len + i] = static_cast<uint8_t>(bit_length >> (56 - 8 * i));
  Update(pad, pad_len + 8);
  std::array<uint8_t, 32> digest;
  for (int i = 0; i < 8; ++i) {
    for (int j = 0; j < 4; ++j) digest[4 * i + j] = static_cast<uint8_t>(state_[i] >> (24 - 8 * j));
  }
  Reset();
  return digest;
}

std::string Sha256::FinishHex() {
  static const char kHex[] = "0123456789abcdef";
  std::array<uint8_t, 32> digest = Finish();
  std::string out(64, '0');
  for (size_t i = 0; i < digest.size(); ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 15];
  }
  return out;
}

std::string Sha256::HexOf(std::string_view data) {
  Sha256 h;
  h.Update(data);
  return h.FinishHex();
}

}  // namespace distill
