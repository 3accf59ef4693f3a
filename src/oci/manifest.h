// Image manifest: OCI image manifest v1 and Docker image manifest v2 schema 2,
// which share one shape (schemaVersion 2, config, layers) and differ in media
// types and in what OCI added (annotations, subject, artifactType).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oci/descriptor.h"
#include "oci/media_types.h"
#include "util/status.h"

namespace distill::oci {

struct Manifest {
  int schema_version = 2;
  // As read; a new manifest is OCI. Empty only for an OCI manifest read
  // without the (optional) member.
  std::string media_type = std::string(media_type::kOciManifest);
  std::string artifact_type;
  Descriptor config;
  std::vector<Descriptor> layers;
  std::optional<Descriptor> subject;
  std::map<std::string, std::string> annotations;
  nlohmann::json unknown = nlohmann::json::object();

  MediaFamily family() const {
    return media_type == media_type::kDockerManifest ? MediaFamily::kDocker : MediaFamily::kOci;
  }
  friend bool operator==(const Manifest& a, const Manifest& b) {
    return a.schema_version == b.schema_version && a.media_type == b.media_type &&
           a.artifact_type == b.artifact_type && a.config == b.config && a.layers == b.layers &&
           a.subject == b.subject && a.annotations == b.annotations && a.unknown == b.unknown;
  }
};

// Parses and validates a manifest. `content_type` is the Content-Type it came
// with ("" when read from disk); `source` names it in errors (a digest, a path,
// "docker.io/library/python:3.9"). Keep `bytes` if the manifest is passed on:
// its digest is of those bytes, not of any re-encoding.
Result<Manifest> ParseManifest(std::string_view bytes, std::string_view content_type,
                               std::string_view source);

// The canonical JSON of `m` (see canonical_json.h).
Result<std::string> SerializeManifest(const Manifest& m);

// The same manifest in the other family: media types of the manifest, config
// and layers mapped (foreign ↔ nondistributable layers, gzip ↔ gzip). Going to
// Docker fails for what schema 2 cannot say (zstd layers, subject,
// artifactType) and drops annotations, which Docker's schema does not have.
Result<Manifest> ConvertManifest(const Manifest& m, MediaFamily to);

}  // namespace distill::oci
