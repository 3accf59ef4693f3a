#include "oci/descriptor.h"

#include "oci/media_types.h"

namespace distill::oci {

Descriptor DescriptorOf(std::string_view media_type, std::string_view bytes) {
  Descriptor d;
  d.media_type = std::string(media_type);
  d.digest = Digest::Of(bytes);
  d.size = static_cast<int64_t>(bytes.size());
  return d;
}

Status VerifyBlob(std::string_view bytes, const Descriptor& expected, std::string_view what) {
  if (static_cast<int64_t>(bytes.size()) != expected.size) {
    return Status::Corrupt(std::string(what) + ": size is " + std::to_string(bytes.size()) +
                           " bytes, its descriptor says " + std::to_string(expected.size));
  }
  Digest actual = Digest::Of(bytes);
  if (actual != expected.digest) {
    return Status::Corrupt(std::string(what) + ": content has digest " + actual.str() +
                           ", its descriptor says " + expected.digest.str());
  }
  return Status::Ok();
}

nlohmann::json DescriptorToJson(const Descriptor& d) {
  nlohmann::json j = ObjectFrom(d.unknown);
  j["mediaType"] = d.media_type;
  j["digest"] = d.digest.str();
  j["size"] = d.size;
  PutIfNotEmpty(j, "urls", d.urls);
  PutIfNotEmpty(j, "annotations", d.annotations);
  if (d.platform) j["platform"] = PlatformToJson(*d.platform);
  PutIfNotEmpty(j, "artifactType", d.artifact_type);
  return j;
}

Result<Descriptor> DescriptorFromJson(const JsonFields& f) {
  Descriptor d;
  DISTILL_RETURN_IF_ERROR(f.String("mediaType", &d.media_type, /*required=*/true));
  if (!IsWellFormedMediaType(d.media_type)) {
    return f.Error("mediaType", "\"" + d.media_type + "\" is not a media type (type/subtype)");
  }
  DISTILL_RETURN_IF_ERROR(f.DigestField("digest", &d.digest, /*required=*/true));
  DISTILL_RETURN_IF_ERROR(f.Int64("size", &d.size, /*required=*/true));
  if (d.size < 0) return f.Error("size", "must not be negative, got " + std::to_string(d.size));
  DISTILL_RETURN_IF_ERROR(f.StringList("urls", &d.urls));
  DISTILL_RETURN_IF_ERROR(f.StringMap("annotations", &d.annotations));
  if (f.Find("platform") != nullptr) {
    DISTILL_ASSIGN_OR_RETURN(JsonFields pf, f.Child("platform"));
    DISTILL_ASSIGN_OR_RETURN(d.platform, PlatformFromJson(pf));
  }
  DISTILL_RETURN_IF_ERROR(f.String("artifactType", &d.artifact_type));
  if (!d.artifact_type.empty() && !IsWellFormedMediaType(d.artifact_type)) {
    return f.Error("artifactType", "\"" + d.artifact_type + "\" is not a media type");
  }
  d.unknown =
      f.Unknown({"mediaType", "digest", "size", "urls", "annotations", "platform", "artifactType"});
  return d;
}

Status DescriptorListFromJson(const JsonFields& f, std::string_view key, bool required,
                              std::vector<Descriptor>* out) {
  const nlohmann::json* list = f.Find(key);
  if (list == nullptr) return required ? f.Error(key, "required field is missing") : Status::Ok();
  if (!list->is_array())
    return f.Error(key, std::string("want an array, got ") + list->type_name());
  std::vector<Descriptor> items;
  for (size_t i = 0; i < list->size(); ++i) {
    std::string path = f.PathOf(key) + "[" + std::to_string(i) + "]";
    DISTILL_ASSIGN_OR_RETURN(JsonFields item, JsonFields::Of((*list)[i], f.document(), path));
    DISTILL_ASSIGN_OR_RETURN(Descriptor d, DescriptorFromJson(item));
    items.push_back(std::move(d));
  }
  *out = std::move(items);
  return Status::Ok();
}

}  // namespace distill::oci
