#include "builder/image_writer.h"

#include <algorithm>
#include <ctime>

#include "frontend/image_ref.h"
#include "solver/oci_config.h"
#include "store/image_store.h"

namespace distill::builder {

std::string Rfc3339Utc(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

int64_t CreatedTimeOfResults(store::Store& store, const solver::BuildStats& stats, int64_t now) {
  int64_t newest = 0;
  for (const solver::StepTiming& step : stats.steps) {
    if (step.key.empty()) continue;
    auto record = store.metadata().GetCacheRecord(step.key);
    // An unreadable record only costs a new `created`: fall back to now.
    if (!record.ok() || !record->has_value()) return now;
    newest = std::max(newest, (*record)->created_unix);
  }
  return newest > 0 ? newest : now;
}

Result<oci::ImageConfig> ImageConfigOf(const solver::ImageState& state,
                                       const ImageWriteOptions& options) {
  solver::ImageState with_platform = state;
  if (with_platform.platform.empty()) with_platform.platform = frontend::HostPlatform().ToString();
  DISTILL_ASSIGN_OR_RETURN(
      oci::ImageConfig config,
      solver::ToOciImageConfig(with_platform, Rfc3339Utc(options.created_unix)));
  for (const auto& [k, v] : options.labels) config.config.labels[k] = v;
  return config;
}

Result<oci::Digest> WriteBuiltImage(store::Store& store, const solver::ImageState& state,
                                    const ImageWriteOptions& options) {
  DISTILL_ASSIGN_OR_RETURN(oci::ImageConfig config, ImageConfigOf(state, options));
  std::vector<oci::Descriptor> layers;
  for (const solver::LayerRef& layer : state.layers) layers.push_back(layer.blob);
  store::WriteImageOptions write;
  write.tags = options.tags;
  return store::WriteImage(store, config, layers, write);
}

}  // namespace distill::builder
