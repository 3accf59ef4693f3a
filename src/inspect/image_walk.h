// Streams every layer of a stored image once, in order, into an FsView, and
// lets callers look at the content of the few files they care about (package
// databases, binaries) while the stream passes by. A second, optional pass
// hashes only the files whose sizes collide, to find duplicates.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "archive/tar_entry.h"
#include "inspect/fs_view.h"
#include "store/image_store.h"
#include "store/store.h"
#include "util/io.h"
#include "util/status.h"

namespace distill::inspect {

struct LayerInfo {
  int index = 0;
  std::string digest;            // of the stored (compressed) blob
  uint64_t compressed_size = 0;  // as the manifest says
  uint64_t content_bytes = 0;    // sum of file sizes in the tar
  uint64_t entries = 0;
  std::string created_by;  // the history step that made it ("" if unknown)
};

// Files with the same size and content, shipped more than once.
struct DuplicateSet {
  uint64_t size = 0;
  std::string sha256;
  std::vector<std::string> copies;  // "path (layer N)"
};

struct ImageWalk {
  std::vector<LayerInfo> layers;
  FsView fs;
  std::vector<DuplicateSet> duplicates;
  uint64_t duplicate_bytes = 0;  // bytes beyond the first copy of each set
};

// Called for regular files the predicate accepted; `content` streams the file.
using ContentVisitor = std::function<Status(const std::string& path, int layer,
                                            const archive::TarEntry& entry, Reader* content)>;
struct WalkOptions {
  std::function<bool(const std::string& path, const archive::TarEntry& entry)> wants_content;
  ContentVisitor on_content;
  bool find_duplicates = false;
};

// The layer index each history step made, in order (empty_layer steps skipped):
// the created_by of the layer at each position; "" where history runs short.
std::vector<std::string> LayerCreatedBy(const oci::ImageConfig& config, size_t layer_count);

// Walks the layers of `image` (`name` is what errors call it).
Result<ImageWalk> WalkImage(store::Store& store, const store::StoredImage& image,
                            std::string_view name, const WalkOptions& options = {});

// The same over already opened layer tar streams (tests, other sources).
// `layers` gives each stream's LayerInfo (index, digest, created_by filled in).
Result<ImageWalk> WalkLayerStreams(std::vector<LayerInfo> layers,
                                   const std::function<Result<std::unique_ptr<Reader>>(int)>& open,
                                   const WalkOptions& options = {});

}  // namespace distill::inspect
