#include "builder/image_writer.h"

#include <ctime>

#include "builder/config_convert.h"
#include "frontend/image_ref.h"
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

Result<oci::ImageConfig> ImageConfigOf(const solver::ImageState& state,
                                       const ImageWriteOptions& options) {
  oci::ImageConfig config;
  config.created = Rfc3339Utc(options.created_unix);
  config.author = state.config.author;
  DISTILL_ASSIGN_OR_RETURN(
      frontend::Platform platform,
      frontend::ParsePlatform(state.platform.empty() ? frontend::HostPlatform().ToString()
                                                     : state.platform));
  config.os = platform.os;
  config.architecture = platform.arch;
  config.variant = platform.variant;
  config.config = ToOciConfig(state.config);
  for (const auto& [k, v] : options.labels) config.config.labels[k] = v;
  config.has_config = true;
  for (const solver::LayerRef& layer : state.layers)
    config.rootfs.diff_ids.push_back(layer.diff_id);
  config.history = state.history;
  for (oci::HistoryEntry& h : config.history) {
    if (h.created.empty()) h.created = config.created;
  }
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
