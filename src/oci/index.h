// Image index: OCI image index v1 and Docker manifest list v2, the
// multi-platform pointer to one manifest per platform.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oci/descriptor.h"
#include "oci/media_types.h"
#include "oci/platform.h"
#include "util/status.h"

namespace distill::oci {

struct Index {
  int schema_version = 2;
  // As read; a new index is OCI. Empty only for an OCI index read without it.
  std::string media_type = std::string(media_type::kOciIndex);
  std::string artifact_type;
  std::vector<Descriptor> manifests;
  std::optional<Descriptor> subject;
  std::map<std::string, std::string> annotations;
  nlohmann::json unknown = nlohmann::json::object();

  MediaFamily family() const {
    return media_type == media_type::kDockerManifestList ? MediaFamily::kDocker : MediaFamily::kOci;
  }
  friend bool operator==(const Index& a, const Index& b) {
    return a.schema_version == b.schema_version && a.media_type == b.media_type &&
           a.artifact_type == b.artifact_type && a.manifests == b.manifests &&
           a.subject == b.subject && a.annotations == b.annotations && a.unknown == b.unknown;
  }
};

// Parses and validates an index or manifest list (see ParseManifest for the
// meaning of the arguments).
Result<Index> ParseIndex(std::string_view bytes, std::string_view content_type,
                         std::string_view source);

// The canonical JSON of `index`.
Result<std::string> SerializeIndex(const Index& index);

// The same index in the other family (index ↔ manifest list; entries' media
// types mapped). Going to Docker fails for subject and artifactType and drops
// annotations (of the index and of its entries).
Result<Index> ConvertIndex(const Index& index, MediaFamily to);

// The manifest for `want`: the best-ranked entry (PlatformRank), the first one
// in index order among equals. Entries without a platform, or whose media type
// is not an image manifest or index (attestations), are skipped. The error
// lists the platforms the index offers.
Result<Descriptor> SelectPlatform(const Index& index, const Platform& want);

}  // namespace distill::oci
