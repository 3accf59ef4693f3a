#include "builder/cache_artifact.h"

#include <algorithm>
#include <set>

#include "oci/canonical_json.h"
#include "oci/descriptor.h"
#include "oci/json_fields.h"

namespace distill::builder {

namespace {

// Only the members a layer needs: a record never carries annotations or URLs.
nlohmann::json LayerJson(const oci::Descriptor& d) {
  return nlohmann::json{{"mediaType", d.media_type}, {"digest", d.digest.str()}, {"size", d.size}};
}

Result<CacheArtifactRecord> RecordFromJson(const oci::JsonFields& f) {
  CacheArtifactRecord record;
  DISTILL_RETURN_IF_ERROR(f.String("key", &record.key, /*required=*/true));
  if (!oci::Digest::Parse(record.key).ok()) {
    return f.Error("key", "\"" + record.key + "\" is not a cache key (sha256:<hex>)");
  }
  if (f.Find("layer") == nullptr) return record;
  DISTILL_ASSIGN_OR_RETURN(oci::JsonFields layer, f.Child("layer"));
  solver::LayerRef ref;
  DISTILL_ASSIGN_OR_RETURN(ref.blob, oci::DescriptorFromJson(layer));
  if (!oci::IsLayerMediaType(ref.blob.media_type)) {
    return layer.Error("mediaType", "\"" + ref.blob.media_type + "\" is not a layer media type");
  }
  DISTILL_RETURN_IF_ERROR(f.DigestField("diffID", &ref.diff_id, /*required=*/true));
  record.layer = std::move(ref);
  return record;
}

// Records in key order: the artifact's bytes do not depend on build order.
std::vector<const CacheArtifactRecord*> SortedByKey(const CacheArtifact& artifact) {
  std::vector<const CacheArtifactRecord*> sorted;
  for (const CacheArtifactRecord& r : artifact.records) sorted.push_back(&r);
  std::sort(sorted.begin(), sorted.end(),
            [](const auto* a, const auto* b) { return a->key < b->key; });
  return sorted;
}

}  // namespace

Result<std::string> EncodeCacheConfig(const CacheArtifact& artifact) {
  nlohmann::json records = nlohmann::json::array();
  for (const CacheArtifactRecord* r : SortedByKey(artifact)) {
    nlohmann::json j{{"key", r->key}};
    if (r->layer) {
      j["layer"] = LayerJson(r->layer->blob);
      j["diffID"] = r->layer->diff_id.str();
    }
    records.push_back(std::move(j));
  }
  nlohmann::json doc{{"formatVersion", kCacheFormatVersion},
                     {"cacheKeyVersion", artifact.key_version},
                     {"records", std::move(records)}};
  return oci::CanonicalJson(doc);
}

Result<CacheArtifact> DecodeCacheConfig(std::string_view bytes, std::string_view source) {
  DISTILL_ASSIGN_OR_RETURN(nlohmann::json doc, oci::ParseJson(bytes, source));
  DISTILL_ASSIGN_OR_RETURN(oci::JsonFields f, oci::JsonFields::Of(doc, std::string(source)));
  int64_t version = 0;
  DISTILL_RETURN_IF_ERROR(f.Int64("formatVersion", &version, /*required=*/true));
  if (version != kCacheFormatVersion) {
    return Status::Invalid(std::string(source) + ": cache format version " +
                           std::to_string(version) + " is not one this distill reads (it reads " +
                           std::to_string(kCacheFormatVersion) +
                           "); export the cache again with this distill");
  }
  CacheArtifact artifact;
  DISTILL_RETURN_IF_ERROR(f.String("cacheKeyVersion", &artifact.key_version, /*required=*/true));
  const nlohmann::json* records = f.Find("records");
  if (records == nullptr) return f.Error("records", "required field is missing");
  if (!records->is_array()) return f.Error("records", "want an array");
  for (size_t i = 0; i < records->size(); ++i) {
    DISTILL_ASSIGN_OR_RETURN(oci::JsonFields rf,
                             oci::JsonFields::Of((*records)[i], std::string(source),
                                                 "records[" + std::to_string(i) + "]"));
    DISTILL_ASSIGN_OR_RETURN(CacheArtifactRecord record, RecordFromJson(rf));
    artifact.records.push_back(std::move(record));
  }
  return artifact;
}

oci::Manifest CacheManifest(const CacheArtifact& artifact, std::string_view config_bytes) {
  oci::Manifest m;
  m.artifact_type = std::string(kCacheArtifactType);
  m.config = oci::DescriptorOf(kCacheConfigMediaType, config_bytes);
  std::set<std::string> seen;
  for (const CacheArtifactRecord* r : SortedByKey(artifact)) {
    if (!r->layer || !seen.insert(r->layer->blob.digest.str()).second) continue;
    oci::Descriptor layer;
    layer.media_type = r->layer->blob.media_type;
    layer.digest = r->layer->blob.digest;
    layer.size = r->layer->blob.size;
    m.layers.push_back(std::move(layer));
  }
  return m;
}

Status CheckCacheManifest(const oci::Manifest& manifest, std::string_view source) {
  if (manifest.artifact_type == kCacheArtifactType ||
      manifest.config.media_type == kCacheConfigMediaType) {
    return Status::Ok();
  }
  const std::string what =
      manifest.artifact_type.empty() ? manifest.config.media_type : manifest.artifact_type;
  return Status::Invalid(std::string(source) + " is not a distill build cache (it holds " + what +
                         "; want " + std::string(kCacheArtifactType) + ")");
}

Status CheckRecordsAgainstManifest(const CacheArtifact& artifact, const oci::Manifest& manifest,
                                   std::string_view source) {
  for (const CacheArtifactRecord& r : artifact.records) {
    if (!r.layer) continue;
    bool listed = false;
    for (const oci::Descriptor& d : manifest.layers) {
      listed = listed || (d.digest == r.layer->blob.digest && d.size == r.layer->blob.size);
    }
    if (!listed) {
      return Status::Corrupt(std::string(source) + ": record " + r.key + " names layer " +
                             r.layer->blob.digest.str() + ", which the manifest does not list");
    }
  }
  return Status::Ok();
}

}  // namespace distill::builder
