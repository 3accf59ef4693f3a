// Descriptor: a typed, sized, content-addressed pointer to a blob (OCI image
// spec, "Content Descriptors"). Manifests point at configs and layers with
// them, indexes at manifests.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oci/digest.h"
#include "oci/json_fields.h"
#include "oci/platform.h"
#include "util/status.h"

namespace distill::oci {

struct Descriptor {
  std::string media_type;
  Digest digest;
  int64_t size = 0;
  std::vector<std::string> urls;
  std::map<std::string, std::string> annotations;
  std::optional<Platform> platform;
  std::string artifact_type;
  // Members this model does not name ("data", vendor extensions), kept so a
  // document read and written again loses nothing.
  nlohmann::json unknown = nlohmann::json::object();

  friend bool operator==(const Descriptor& a, const Descriptor& b) {
    return a.media_type == b.media_type && a.digest == b.digest && a.size == b.size &&
           a.urls == b.urls && a.annotations == b.annotations && a.platform == b.platform &&
           a.artifact_type == b.artifact_type && a.unknown == b.unknown;
  }
};

// The descriptor of exactly these bytes.
Descriptor DescriptorOf(std::string_view media_type, std::string_view bytes);

// Checks that `bytes` are the blob `expected` describes (size, then digest).
// Use on every document received before parsing it; keep those bytes to pass
// the document on, since its digest is of them and not of any re-encoding.
Status VerifyBlob(std::string_view bytes, const Descriptor& expected, std::string_view what);

nlohmann::json DescriptorToJson(const Descriptor& d);
// Validates: mediaType well formed, digest valid, size >= 0, urls strings.
Result<Descriptor> DescriptorFromJson(const JsonFields& fields);

// Reads the array member `key` of descriptors; absent means empty unless required.
Status DescriptorListFromJson(const JsonFields& fields, std::string_view key, bool required,
                              std::vector<Descriptor>* out);

}  // namespace distill::oci
