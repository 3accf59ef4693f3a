// Digest: an OCI content identifier "algorithm:encoded". distill writes sha256
// only; it parses sha512 too so that it can reject it with a clear message.
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace distill::oci {

class Digest {
 public:
  Digest() = default;
  // Validates per the OCI image spec: lowercase hex of the right length for sha256.
  static Result<Digest> Parse(std::string_view s);
  static Digest Sha256Hex(std::string hex) { return Digest("sha256", std::move(hex)); }
  // Hash of a complete byte string (manifests, configs: small documents).
  static Digest Of(std::string_view bytes);

  const std::string& algorithm() const { return algorithm_; }
  const std::string& hex() const { return hex_; }
  std::string str() const { return algorithm_ + ":" + hex_; }
  bool empty() const { return hex_.empty(); }
  // The 12-character form Docker shows as IMAGE ID.
  std::string Short() const { return hex_.substr(0, 12); }

  friend bool operator==(const Digest&, const Digest&) = default;
  friend auto operator<=>(const Digest&, const Digest&) = default;

 private:
  Digest(std::string algorithm, std::string hex)
      : algorithm_(std::move(algorithm)), hex_(std::move(hex)) {}
  std::string algorithm_;
  std::string hex_;
};

}  // namespace distill::oci
