// Software bills of materials for an image: SPDX 2.3 JSON and CycloneDX 1.5
// JSON, listing the packages packages.h finds, each with its purl, and the
// image itself (by manifest digest) as what the document describes.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "inspect/packages.h"

namespace distill::inspect {

struct SbomSubject {
  std::string name;    // as the user named the image
  std::string digest;  // manifest digest, "sha256:..."
};

struct SbomOptions {
  int64_t created_unix = 0;  // creation time written into the document
  std::string uuid;          // for the CycloneDX serial number and SPDX namespace
};

// A random RFC 4122 version 4 UUID.
std::string RandomUuid();

nlohmann::json ToSpdx(const SbomSubject& subject, const std::vector<Package>& packages,
                      const SbomOptions& options);
nlohmann::json ToCycloneDx(const SbomSubject& subject, const std::vector<Package>& packages,
                           const SbomOptions& options);

}  // namespace distill::inspect
