#include "inspect/fs_view.h"

#include <iterator>

#include "archive/whiteout.h"

namespace distill::inspect {

std::string FsView::Normalize(const std::string& path) {
  std::string out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    std::string part = path.substr(i, j - i);
    if (!part.empty() && part != ".") {
      if (part == "..") {
        size_t cut = out.rfind('/');
        out.erase(cut == std::string::npos ? 0 : cut);
      } else {
        out += "/" + part;
      }
    }
    i = j + 1;
  }
  return out.empty() ? "/" : out;
}

void FsView::BeginLayer(int index) {
  layer_ = index;
}

uint64_t FsView::wasted_bytes() const {
  uint64_t total = 0;
  for (const auto& w : wasted_) total += w.size;
  return total;
}

void FsView::Waste(const std::string& path, const FsNode& node, bool deleted) {
  // Only bytes of an earlier layer are wasted: a path written twice in one
  // layer's tar ships once as far as the visible result goes, but its first
  // copy is still in the blob, so count it too (hidden_by == layer).
  if (node.type != archive::TarEntryType::kFile || node.size == 0) return;
  wasted_.push_back({path, node.size, node.layer, layer_, deleted});
}

void FsView::RemoveTree(const std::string& path, bool keep_self, bool deleted) {
  if (!keep_self) {
    auto self = nodes_.find(path);
    if (self != nodes_.end()) {
      Waste(path, self->second, deleted);
      nodes_.erase(self);
    }
  }
  std::string prefix = path == "/" ? "/" : path + "/";
  auto it = nodes_.lower_bound(prefix);
  while (it != nodes_.end() && it->first.compare(0, prefix.size(), prefix) == 0) {
    // Opaque directories hide only what lower layers put there; entries this
    // layer already added under the directory stay.
    if (keep_self && it->second.layer == layer_) {
      ++it;
      continue;
    }
    Waste(it->first, it->second, deleted);
    it = nodes_.erase(it);
  }
}

void FsView::Apply(const archive::TarEntry& entry) {
  std::string path = Normalize(entry.path);
  auto [parent, base] = archive::SplitParent(path);
  std::string dir = parent.empty() ? "/" : std::string(parent);
  if (archive::IsOpaqueWhiteout(base)) {
    RemoveTree(dir, /*keep_self=*/true, /*deleted=*/true);
    return;
  }
  if (auto target = archive::WhiteoutTarget(base)) {
    RemoveTree(dir == "/" ? "/" + *target : dir + "/" + *target, false, true);
    return;
  }
  if (path == "/") return;  // the root entry carries nothing we report
  FsNode node;
  node.type = entry.type;
  node.size = entry.type == archive::TarEntryType::kFile ? entry.size : 0;
  node.mode = entry.mode;
  node.uid = entry.uid;
  node.gid = entry.gid;
  node.link = entry.linkname;
  node.layer = layer_;
  auto it = nodes_.find(path);
  if (it != nodes_.end()) {
    // A directory over a directory merges; anything else replaces the old
    // node, and a non-directory replacing a directory drops its contents.
    if (!(it->second.type == archive::TarEntryType::kDirectory &&
          entry.type == archive::TarEntryType::kDirectory)) {
      if (it->second.type == archive::TarEntryType::kDirectory) {
        RemoveTree(path, true, false);
      }
      Waste(path, it->second, false);
    }
    it->second = node;
    return;
  }
  nodes_.emplace(path, node);
}

}  // namespace distill::inspect
