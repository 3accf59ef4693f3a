#include "oci/digest.h"

#include "util/sha256.h"

namespace distill::oci {

Result<Digest> Digest::Parse(std::string_view s) {
  size_t colon = s.find(':');
  if (colon == std::string_view::npos) {
    return Status::Invalid("invalid digest \"" + std::string(s) + "\": missing algorithm prefix");
  }
  std::string algo(s.substr(0, colon));
  std::string hex(s.substr(colon + 1));
  if (algo != "sha256") {
    return Status::Invalid("unsupported digest algorithm \"" + algo + "\" (only sha256)");
  }
  if (hex.size() != 64) {
    return Status::Invalid("invalid digest \"" + std::string(s) + "\": want 64 hex characters");
  }
  for (char c : hex) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    if (!ok) return Status::Invalid("invalid digest \"" + std::string(s) + "\": not lowercase hex");
  }
  return Digest(std::move(algo), std::move(hex));
}

Digest Digest::Of(std::string_view bytes) {
  return Sha256Hex(Sha256::HexOf(bytes));
}

}  // namespace distill::oci
