#include "oci/index.h"

#include "oci/canonical_json.h"
#include "oci/document.h"
#include "oci/json_fields.h"

namespace distill::oci {

Result<Index> ParseIndex(std::string_view bytes, std::string_view content_type,
                         std::string_view source) {
  std::string doc_name = "index " + std::string(source);
  DISTILL_ASSIGN_OR_RETURN(nlohmann::json doc, ParseJson(bytes, doc_name));
  DISTILL_ASSIGN_OR_RETURN(std::string type, ResolveDocumentMediaType(doc, content_type, doc_name));
  if (IsManifestMediaType(type)) {
    return Status::Invalid(doc_name + ": is an image manifest (" + type + "), not an index");
  }
  if (!IsIndexMediaType(type)) {
    return Status::Invalid(doc_name + ": media type \"" + type + "\" is not an image index");
  }
  DISTILL_ASSIGN_OR_RETURN(JsonFields f, JsonFields::Of(doc, doc_name));
  Index index;
  index.media_type.clear();
  DISTILL_RETURN_IF_ERROR(f.String("mediaType", &index.media_type));
  if (index.media_type.empty() && type == media_type::kDockerManifestList) {
    index.media_type = type;
  }
  int64_t version = 0;
  DISTILL_RETURN_IF_ERROR(f.Int64("schemaVersion", &version, /*required=*/true));
  if (version != 2) return f.Error("schemaVersion", "want 2, got " + std::to_string(version));
  DISTILL_RETURN_IF_ERROR(
      DescriptorListFromJson(f, "manifests", /*required=*/true, &index.manifests));
  if (f.Find("subject") != nullptr) {
    DISTILL_ASSIGN_OR_RETURN(JsonFields subject, f.Child("subject"));
    DISTILL_ASSIGN_OR_RETURN(index.subject, DescriptorFromJson(subject));
  }
  DISTILL_RETURN_IF_ERROR(f.String("artifactType", &index.artifact_type));
  DISTILL_RETURN_IF_ERROR(f.StringMap("annotations", &index.annotations));
  index.unknown = f.Unknown(
      {"schemaVersion", "mediaType", "artifactType", "manifests", "subject", "annotations"});
  return index;
}

Result<std::string> SerializeIndex(const Index& index) {
  nlohmann::json j = ObjectFrom(index.unknown);
  j["schemaVersion"] = index.schema_version;
  PutIfNotEmpty(j, "mediaType", index.media_type);
  PutIfNotEmpty(j, "artifactType", index.artifact_type);
  nlohmann::json manifests = nlohmann::json::array();
  for (const auto& d : index.manifests) manifests.push_back(DescriptorToJson(d));
  j["manifests"] = std::move(manifests);
  if (index.subject) j["subject"] = DescriptorToJson(*index.subject);
  PutIfNotEmpty(j, "annotations", index.annotations);
  return CanonicalJson(j);
}

Result<Index> ConvertIndex(const Index& index, MediaFamily to) {
  Index out = index;
  if (to == MediaFamily::kDocker) {
    if (index.subject) {
      return Status::Invalid("index has a subject (a referrer); a Docker manifest list cannot");
    }
    if (!index.artifact_type.empty()) {
      return Status::Invalid("index of artifact type \"" + index.artifact_type +
                             "\" cannot be written as a Docker manifest list");
    }
    out.annotations.clear();
  }
  out.media_type = to == MediaFamily::kOci ? std::string(media_type::kOciIndex)
                                           : std::string(media_type::kDockerManifestList);
  for (size_t i = 0; i < out.manifests.size(); ++i) {
    Descriptor& d = out.manifests[i];
    if (to == MediaFamily::kDocker) d.annotations.clear();
    auto converted = ConvertMediaType(d.media_type, to);
    if (!converted.ok()) {
      return converted.status().Prefixed("manifests[" + std::to_string(i) + "]");
    }
    d.media_type = std::move(converted).value();
  }
  return out;
}

Result<Descriptor> SelectPlatform(const Index& index, const Platform& want) {
  const Descriptor* best = nullptr;
  int best_rank = -1;
  std::string available;
  for (const auto& d : index.manifests) {
    if (!d.platform) continue;
    if (!IsManifestMediaType(d.media_type) && !IsIndexMediaType(d.media_type)) continue;
    // BuildKit's attestation manifests say unknown/unknown: not an image.
    if (d.platform->os == "unknown" && d.platform->architecture == "unknown") continue;
    if (!available.empty()) available += ", ";
    available += d.platform->str();
    int rank = PlatformRank(want, *d.platform);
    if (rank >= 0 && (best == nullptr || rank < best_rank)) {
      best = &d;
      best_rank = rank;
    }
  }
  if (best != nullptr) return *best;
  if (available.empty()) available = "none (no entry names a platform)";
  return Status::NotFound("no image for platform " + Normalize(want).str() +
                          " in the index; available: " + available);
}

}  // namespace distill::oci
