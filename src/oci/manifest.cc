#include "oci/manifest.h"

#include "oci/canonical_json.h"
#include "oci/document.h"
#include "oci/json_fields.h"

namespace distill::oci {

Result<Manifest> ParseManifest(std::string_view bytes, std::string_view content_type,
                               std::string_view source) {
  std::string doc_name = "manifest " + std::string(source);
  DISTILL_ASSIGN_OR_RETURN(nlohmann::json doc, ParseJson(bytes, doc_name));
  DISTILL_ASSIGN_OR_RETURN(std::string type, ResolveDocumentMediaType(doc, content_type, doc_name));
  if (IsIndexMediaType(type)) {
    return Status::Invalid(doc_name + ": is an image index (" + type +
                           "), not an image manifest; select a platform first");
  }
  if (!IsManifestMediaType(type)) {
    return Status::Invalid(doc_name + ": media type \"" + type + "\" is not an image manifest");
  }
  DISTILL_ASSIGN_OR_RETURN(JsonFields f, JsonFields::Of(doc, doc_name));
  Manifest m;
  m.media_type.clear();
  DISTILL_RETURN_IF_ERROR(f.String("mediaType", &m.media_type));
  // A Docker manifest read without its mediaType member keeps the type the
  // registry gave it, so writing it back says what it is.
  if (m.media_type.empty() && type == media_type::kDockerManifest) m.media_type = type;
  int64_t version = 0;
  DISTILL_RETURN_IF_ERROR(f.Int64("schemaVersion", &version, /*required=*/true));
  if (version != 2) {
    return f.Error("schemaVersion", "want 2, got " + std::to_string(version));
  }
  m.schema_version = 2;
  DISTILL_ASSIGN_OR_RETURN(JsonFields config, f.Child("config"));
  DISTILL_ASSIGN_OR_RETURN(m.config, DescriptorFromJson(config));
  DISTILL_RETURN_IF_ERROR(DescriptorListFromJson(f, "layers", /*required=*/true, &m.layers));
  if (f.Find("subject") != nullptr) {
    DISTILL_ASSIGN_OR_RETURN(JsonFields subject, f.Child("subject"));
    DISTILL_ASSIGN_OR_RETURN(m.subject, DescriptorFromJson(subject));
  }
  DISTILL_RETURN_IF_ERROR(f.String("artifactType", &m.artifact_type));
  DISTILL_RETURN_IF_ERROR(f.StringMap("annotations", &m.annotations));
  m.unknown = f.Unknown(
      {"schemaVersion", "mediaType", "artifactType", "config", "layers", "subject", "annotations"});
  return m;
}

Result<std::string> SerializeManifest(const Manifest& m) {
  nlohmann::json j = ObjectFrom(m.unknown);
  j["schemaVersion"] = m.schema_version;
  PutIfNotEmpty(j, "mediaType", m.media_type);
  PutIfNotEmpty(j, "artifactType", m.artifact_type);
  j["config"] = DescriptorToJson(m.config);
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& layer : m.layers) layers.push_back(DescriptorToJson(layer));
  j["layers"] = std::move(layers);
  if (m.subject) j["subject"] = DescriptorToJson(*m.subject);
  PutIfNotEmpty(j, "annotations", m.annotations);
  return CanonicalJson(j);
}

Result<Manifest> ConvertManifest(const Manifest& m, MediaFamily to) {
  Manifest out = m;
  if (to == MediaFamily::kDocker) {
    if (m.subject) {
      return Status::Invalid(
          "manifest has a subject (a referrer); Docker schema 2 cannot say that");
    }
    if (!m.artifact_type.empty()) {
      return Status::Invalid("manifest of artifact type \"" + m.artifact_type +
                             "\" cannot be written as a Docker schema 2 manifest");
    }
    out.annotations.clear();
  }
  out.media_type = to == MediaFamily::kOci ? std::string(media_type::kOciManifest)
                                           : std::string(media_type::kDockerManifest);
  auto convert = [&](Descriptor& d, std::string_view what) -> Status {
    auto converted = ConvertMediaType(d.media_type, to);
    if (!converted.ok()) return converted.status().Prefixed(std::string(what));
    d.media_type = std::move(converted).value();
    return Status::Ok();
  };
  DISTILL_RETURN_IF_ERROR(convert(out.config, "config"));
  for (size_t i = 0; i < out.layers.size(); ++i) {
    DISTILL_RETURN_IF_ERROR(convert(out.layers[i], "layers[" + std::to_string(i) + "]"));
  }
  return out;
}

}  // namespace distill::oci
