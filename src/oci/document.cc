#include "oci/document.h"

#include "oci/media_types.h"

namespace distill::oci {
namespace {

bool CarriesNoType(std::string_view ct) {
  return ct.empty() || ct == "application/json" || ct == "application/octet-stream" ||
         ct == "text/plain";
}

Status Schema1Error(std::string_view source) {
  return Status::Invalid(std::string(source) +
                         ": Docker image manifest schema 1 is not supported (deprecated since "
                         "2017); pull a newer tag or ask the publisher to push schema 2 or OCI");
}

}  // namespace

Result<std::string> ResolveDocumentMediaType(const nlohmann::json& doc,
                                             std::string_view content_type,
                                             std::string_view source) {
  std::string src(source);
  if (!doc.is_object()) {
    return Status::Invalid(src + ": want a JSON object, got " + doc.type_name());
  }
  std::string field;
  if (auto it = doc.find("mediaType"); it != doc.end() && !it->is_null()) {
    if (!it->is_string()) {
      return Status::Invalid(src + ": mediaType: want a string, got " + it->type_name());
    }
    field = it->get<std::string>();
  }
  std::string ct = MediaTypeFromContentType(content_type);
  if (CarriesNoType(ct)) ct.clear();
  if (auto it = doc.find("schemaVersion"); it != doc.end() && *it == 1) return Schema1Error(source);
  if (IsDockerSchema1MediaType(field) || IsDockerSchema1MediaType(ct)) return Schema1Error(source);

  if (!field.empty()) {
    bool both_documents = (IsManifestMediaType(field) || IsIndexMediaType(field)) &&
                          (IsManifestMediaType(ct) || IsIndexMediaType(ct));
    if (both_documents && field != ct) {
      return Status::Invalid(src + ": mediaType \"" + field + "\" disagrees with Content-Type \"" +
                             ct + "\"");
    }
    return field;
  }
  if (!ct.empty()) return ct;
  if (doc.contains("manifests")) return std::string(media_type::kOciIndex);
  if (doc.contains("config") || doc.contains("layers")) {
    return std::string(media_type::kOciManifest);
  }
  return Status::Invalid(src +
                         ": neither an image manifest nor an image index (no mediaType, no "
                         "\"manifests\", no \"config\")");
}

}  // namespace distill::oci
