#include "images/image_view.h"

#include <nlohmann/json.hpp>

#include "images/humanize.h"

namespace distill::images {

uint64_t ImageView::ContentSize() const {
  uint64_t total = static_cast<uint64_t>(manifest.config.size);
  for (const auto& layer : manifest.layers) total += static_cast<uint64_t>(layer.size);
  return total;
}

std::optional<int64_t> ImageView::CreatedUnix() const {
  if (config.created.empty()) return std::nullopt;
  auto t = ParseRfc3339(config.created);
  if (!t.ok()) return std::nullopt;
  return *t;
}

Result<ImageView> LoadImage(store::Store& store, const oci::Digest& manifest,
                            std::string_view name) {
  const std::string what = "image " + std::string(name);
  ImageView view;
  view.manifest_digest = manifest;
  auto bytes = store.blobs().ReadAll(manifest);
  if (!bytes.ok()) return bytes.status().Prefixed(what + ": reading manifest " + manifest.str());
  view.manifest_bytes = std::move(bytes).value();
  // Tell an index apart before the manifest parser rejects it less helpfully.
  auto doc = nlohmann::json::parse(view.manifest_bytes, nullptr, false);
  if (doc.is_object() && doc.contains("manifests")) {
    return Status::Invalid(what + " (" + manifest.str() +
                           ") is a multi-platform index, not a single image manifest");
  }
  DISTILL_ASSIGN_OR_RETURN(view.manifest,
                           oci::ParseManifest(view.manifest_bytes, "", what + " manifest"));
  const oci::Digest& config = view.manifest.config.digest;
  auto config_bytes = store.blobs().ReadAll(config);
  if (!config_bytes.ok()) {
    return config_bytes.status().Prefixed(what + ": reading config " + config.str());
  }
  view.config_bytes = std::move(config_bytes).value();
  if (oci::Digest::Of(view.config_bytes) != config) {
    return Status::Corrupt(what + ": config blob " + config.str() +
                           " does not match its digest; run distill fsck");
  }
  DISTILL_ASSIGN_OR_RETURN(view.config, oci::ParseImageConfig(view.config_bytes, what + " config"));
  return view;
}

}  // namespace distill::images
