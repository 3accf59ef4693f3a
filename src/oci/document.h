// What a fetched or loaded top-level document is (image manifest or index, OCI
// or Docker), decided from its own mediaType member and the Content-Type it
// came with, the way registries and clients agree on it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "util/status.h"

namespace distill::oci {

// Returns the media type of `doc`: its "mediaType" member when present,
// otherwise the caller's Content-Type (parameters ignored; empty, JSON and
// octet-stream types carry no information), otherwise a guess from its shape
// ("manifests" → OCI index, "config" → OCI manifest). Fails for Docker schema 1,
// for a mediaType that disagrees with a meaningful Content-Type, and for a
// document that is neither. `source` names the document in errors.
Result<std::string> ResolveDocumentMediaType(const nlohmann::json& doc,
                                             std::string_view content_type,
                                             std::string_view source);

}  // namespace distill::oci
