// FsView: the filesystem an image's layers add up to, kept as metadata only
// (never file contents), built by feeding it each layer's tar entries in
// order. It applies OCI whiteouts (`.wh.NAME` deletes NAME and everything
// under it; `DIR/.wh..wh..opq` hides what lower layers put in DIR) and counts
// the bytes a later layer overwrote or deleted: they still ship in the image
// but nobody can see them ("wasted").
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "archive/tar_entry.h"

namespace distill::inspect {

struct FsNode {
  archive::TarEntryType type = archive::TarEntryType::kFile;
  uint64_t size = 0;  // content bytes (files only)
  uint32_t mode = 0;
  uint64_t uid = 0;
  uint64_t gid = 0;
  std::string link;  // symlink target or hard-link source
  int layer = 0;     // index (base = 0) of the layer that last wrote it
};

// Bytes a layer shipped that a later layer made invisible.
struct WastedFile {
  std::string path;
  uint64_t size = 0;
  int layer = 0;         // where the bytes are
  int hidden_by = 0;     // the layer that overwrote or deleted them
  bool deleted = false;  // by a whiteout (else overwritten)
};

class FsView {
 public:
  // Entries that follow belong to layer `index` (call with 0, 1, 2, ...).
  void BeginLayer(int index);
  // Applies one tar entry of the current layer (whiteouts included). Paths may
  // carry a leading "./" or "/"; they are kept as "/a/b".
  void Apply(const archive::TarEntry& entry);

  const std::map<std::string, FsNode>& nodes() const { return nodes_; }
  const std::vector<WastedFile>& wasted() const { return wasted_; }
  uint64_t wasted_bytes() const;

  // "./usr//bin/" -> "/usr/bin"; "" or "." -> "/".
  static std::string Normalize(const std::string& path);

 private:
  // Removes `path` and everything under it, recording files of lower layers
  // as wasted (when `path` itself is kept, only its descendants go).
  void RemoveTree(const std::string& path, bool keep_self, bool deleted);
  void Waste(const std::string& path, const FsNode& node, bool deleted);

  std::map<std::string, FsNode> nodes_;
  std::vector<WastedFile> wasted_;
  int layer_ = 0;
};

}  // namespace distill::inspect
