// Streaming SHA-256 over OpenSSL's EVP interface. Feed bytes as they pass
// through a pipeline (tar writer, compressor, network) so nothing is read twice.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace distill {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(const void* data, size_t len);
  void Update(std::string_view s) { Update(s.data(), s.size()); }
  // Lowercase hex of the digest; the hasher is reset and may be reused.
  std::string FinishHex();
  uint64_t bytes() const { return bytes_; }

  static std::string HexOf(std::string_view data);

 private:
  evp_md_ctx_st* ctx_;
  uint64_t bytes_ = 0;
};

}  // namespace distill
