#include "inspect/image_walk.h"

#include <map>
#include <set>

#include "archive/tar_reader.h"
#include "util/sha256.h"

namespace distill::inspect {

std::vector<std::string> LayerCreatedBy(const oci::ImageConfig& config, size_t layer_count) {
  std::vector<std::string> out;
  for (const auto& h : config.history) {
    if (h.empty_layer) continue;
    if (out.size() == layer_count) break;
    out.push_back(h.created_by);
  }
  out.resize(layer_count);
  return out;
}

namespace {

// Pass two: hashes the final-view-or-not files whose (size) was seen more than
// once. Identity of a copy is (layer, path); the hash is streamed.
Status FindDuplicates(const std::vector<LayerInfo>& layers,
                      const std::function<Result<std::unique_ptr<Reader>>(int)>& open,
                      const std::map<uint64_t, int>& size_counts, ImageWalk* walk) {
  std::map<std::pair<uint64_t, std::string>, std::vector<std::string>> by_hash;
  std::vector<char> buf(64 * 1024);
  for (const auto& layer : layers) {
    DISTILL_ASSIGN_OR_RETURN(auto in, open(layer.index));
    archive::TarReader tar(in.get(), "layer " + layer.digest);
    archive::TarEntry entry;
    while (true) {
      DISTILL_ASSIGN_OR_RETURN(bool more, tar.Next(&entry));
      if (!more) break;
      if (entry.type != archive::TarEntryType::kFile || entry.size == 0) continue;
      auto count = size_counts.find(entry.size);
      if (count == size_counts.end() || count->second < 2) continue;
      Sha256 hasher;
      while (true) {
        DISTILL_ASSIGN_OR_RETURN(size_t n, tar.ReadContent(buf.data(), buf.size()));
        if (n == 0) break;
        hasher.Update(buf.data(), n);
      }
      by_hash[{entry.size, hasher.FinishHex()}].push_back(
          FsView::Normalize(entry.path) + " (layer " + std::to_string(layer.index) + ")");
    }
  }
  for (auto& [key, copies] : by_hash) {
    if (copies.size() < 2) continue;
    walk->duplicate_bytes += key.first * (copies.size() - 1);
    walk->duplicates.push_back({key.first, key.second, std::move(copies)});
  }
  return Status::Ok();
}

}  // namespace

Result<ImageWalk> WalkLayerStreams(std::vector<LayerInfo> layers,
                                   const std::function<Result<std::unique_ptr<Reader>>(int)>& open,
                                   const WalkOptions& options) {
  ImageWalk walk;
  std::map<uint64_t, int> size_counts;
  for (auto& layer : layers) {
    DISTILL_ASSIGN_OR_RETURN(auto in, open(layer.index));
    archive::TarReader tar(in.get(), "layer " + layer.digest);
    walk.fs.BeginLayer(layer.index);
    archive::TarEntry entry;
    while (true) {
      DISTILL_ASSIGN_OR_RETURN(bool more, tar.Next(&entry));
      if (!more) break;
      ++layer.entries;
      walk.fs.Apply(entry);
      if (entry.type != archive::TarEntryType::kFile) continue;
      layer.content_bytes += entry.size;
      if (entry.size > 0) ++size_counts[entry.size];
      std::string path = FsView::Normalize(entry.path);
      if (options.on_content && options.wants_content && options.wants_content(path, entry)) {
        DISTILL_RETURN_IF_ERROR(options.on_content(path, layer.index, entry, tar.content()));
      }
    }
  }
  if (options.find_duplicates) {
    DISTILL_RETURN_IF_ERROR(FindDuplicates(layers, open, size_counts, &walk));
  }
  walk.layers = std::move(layers);
  return walk;
}

Result<ImageWalk> WalkImage(store::Store& store, const store::StoredImage& image,
                            std::string_view name, const WalkOptions& options) {
  DISTILL_ASSIGN_OR_RETURN(auto image_layers, store::LayersOf(image));
  std::vector<std::string> created_by = LayerCreatedBy(image.config, image_layers.size());
  std::vector<LayerInfo> layers;
  for (size_t i = 0; i < image_layers.size(); ++i) {
    LayerInfo info;
    info.index = static_cast<int>(i);
    info.digest = image_layers[i].descriptor.digest.str();
    info.compressed_size = static_cast<uint64_t>(image_layers[i].descriptor.size);
    info.created_by = created_by[i];
    layers.push_back(std::move(info));
  }
  auto open = [&](int index) -> Result<std::unique_ptr<Reader>> {
    auto opened = store::OpenLayerTar(store, image_layers[static_cast<size_t>(index)].descriptor);
    if (!opened.ok()) {
      return Status(opened.status().code(), std::string(name) + ": layer " + std::to_string(index) +
                                                ": " + opened.status().message());
    }
    return opened;
  };
  return WalkLayerStreams(std::move(layers), open, options);
}

}  // namespace distill::inspect
