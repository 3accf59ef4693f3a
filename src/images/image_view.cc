#include "images/image_view.h"

#include <nlohmann/json.hpp>

#include "images/humanize.h"

namespace distill::images {

Result<store::StoredImage> LoadImage(store::Store& store, const oci::Digest& manifest,
                                     std::string_view name) {
  auto image = store::ReadImageByDigest(store, manifest, name);
  if (image.ok() || image.status().code() == Status::Code::kNotFound) return image;
  // Tell an index apart from a broken manifest.
  auto bytes = store.blobs().ReadAll(manifest);
  if (bytes.ok()) {
    auto doc = nlohmann::json::parse(*bytes, nullptr, false);
    if (doc.is_object() && doc.contains("manifests")) {
      return Status::Invalid("image " + std::string(name) + " (" + manifest.str() +
                             ") is a multi-platform index, not a single image manifest");
    }
  }
  return image;
}

uint64_t ContentSize(const store::StoredImage& image) {
  uint64_t total = static_cast<uint64_t>(image.manifest.config.size);
  for (const auto& layer : image.manifest.layers) total += static_cast<uint64_t>(layer.size);
  return total;
}

std::optional<int64_t> CreatedUnix(const store::StoredImage& image) {
  if (image.config.created.empty()) return std::nullopt;
  auto t = ParseRfc3339(image.config.created);
  if (!t.ok()) return std::nullopt;
  return *t;
}

}  // namespace distill::images
