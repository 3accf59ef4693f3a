#include "builder/cache_export.h"

#include <memory>
#include <set>

#include "archive/verifying_reader.h"
#include "builder/store_cache.h"
#include "oci/manifest.h"
#include "solver/cache_key.h"

namespace distill::builder {

namespace {

// The target stage and the stages it is built FROM: the ones whose layers
// the final image is made of.
std::set<int> ImageStages(const frontend::Plan& plan) {
  std::set<int> stages;
  int index = plan.target;
  while (index >= 0 && index < static_cast<int>(plan.stages.size()) &&
         stages.insert(index).second) {
    const frontend::Stage& stage = plan.stages[index];
    if (stage.base.kind != frontend::BaseKind::kStage) break;
    index = stage.base.stage;
  }
  return stages;
}

// A stored blob read through a digest check, so that a blob damaged on disk
// never leaves the store as cache.
class VerifiedBlob : public Reader {
 public:
  VerifiedBlob(std::unique_ptr<Reader> blob, const oci::Descriptor& d)
      : blob_(std::move(blob)),
        verified_(blob_.get(), d.digest, "layer " + d.digest.str(), static_cast<uint64_t>(d.size)) {
  }
  Result<size_t> Read(void* buf, size_t len) override { return verified_.Read(buf, len); }

 private:
  std::unique_ptr<Reader> blob_;
  archive::VerifyingReader verified_;
};

}  // namespace

std::vector<std::string> SelectCacheKeys(const frontend::Plan& plan,
                                         const solver::BuildResult& result, CacheMode mode) {
  const std::set<int> image_stages = ImageStages(plan);
  std::vector<std::string> keys;
  std::set<std::string> seen;
  for (const solver::StepTiming& step : result.stats.steps) {
    if (step.key.empty()) continue;
    if (mode == CacheMode::kMin && !image_stages.count(step.stage)) continue;
    if (seen.insert(step.key).second) keys.push_back(step.key);
  }
  return keys;
}

Result<oci::Digest> ExportCache(store::Store& store, const std::vector<std::string>& keys,
                                CacheArtifactStore* dest) {
  CacheArtifact artifact;
  artifact.key_version = solver::kCacheKeyVersion;
  for (const std::string& key : keys) {
    DISTILL_ASSIGN_OR_RETURN(auto record, ReadCacheRecord(store, key));
    if (!record) continue;
    artifact.records.push_back(CacheArtifactRecord{key, record->layer});
  }
  DISTILL_ASSIGN_OR_RETURN(std::string config, EncodeCacheConfig(artifact));
  const oci::Manifest manifest = CacheManifest(artifact, config);
  // Layers first, then the config, the manifest last: a reader never finds
  // a manifest whose blobs are not all there.
  for (const oci::Descriptor& layer : manifest.layers) {
    DISTILL_RETURN_IF_ERROR(
        dest->PutBlob(layer, [&store, &layer]() -> Result<std::unique_ptr<Reader>> {
          DISTILL_ASSIGN_OR_RETURN(auto blob, store.blobs().Open(layer.digest));
          return std::unique_ptr<Reader>(std::make_unique<VerifiedBlob>(std::move(blob), layer));
        }));
  }
  DISTILL_RETURN_IF_ERROR(dest->PutBlob(manifest.config, [&config]() {
    return Result<std::unique_ptr<Reader>>(std::make_unique<StringReader>(config));
  }));
  DISTILL_ASSIGN_OR_RETURN(std::string manifest_bytes, oci::SerializeManifest(manifest));
  const oci::Descriptor desc = oci::DescriptorOf(oci::media_type::kOciManifest, manifest_bytes);
  DISTILL_RETURN_IF_ERROR(dest->PutManifest(desc, manifest_bytes));
  return desc.digest;
}

}  // namespace distill::builder
