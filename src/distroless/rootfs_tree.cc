#include "distroless/rootfs_tree.h"

#include <algorithm>
#include <vector>

#include "archive/tar_writer.h"

namespace distill::distroless {

using archive::TarEntry;
using archive::TarEntryType;

Status RootfsTree::Add(TarEntry entry, std::string content) {
  if (entry.path.empty() || entry.path.front() == '/' || entry.path.back() == '/') {
    return Status::Invalid("rootfs entry \"" + entry.path + "\": not a clean relative path");
  }
  if (entry.type == TarEntryType::kHardlink) {
    auto target = nodes_.find(entry.linkname);
    if (target == nodes_.end() || target->second.entry.type != TarEntryType::kFile) {
      return Status::NotFound("hard link " + entry.path + " → " + entry.linkname +
                              ": the target is not a file in the image");
    }
    content = target->second.content;
    entry.type = TarEntryType::kFile;
    entry.linkname.clear();
  }
  if (entry.type == TarEntryType::kFile) {
    entry.size = content.size();
  } else {
    entry.size = 0;
    content.clear();
  }
  auto it = nodes_.find(entry.path);
  if (it != nodes_.end()) {
    if (entry.type == TarEntryType::kDirectory) return Status::Ok();
    it->second = Node{std::move(entry), std::move(content)};
    return Status::Ok();
  }
  std::string path = entry.path;
  nodes_.emplace(std::move(path), Node{std::move(entry), std::move(content)});
  return Status::Ok();
}

Status RootfsTree::AddDirectory(const std::string& path, uint32_t mode, uint64_t uid,
                                uint64_t gid) {
  TarEntry e;
  e.path = path;
  e.type = TarEntryType::kDirectory;
  e.mode = mode;
  e.uid = uid;
  e.gid = gid;
  // Generated directories define their metadata: replace what a package said.
  nodes_.erase(path);
  return Add(std::move(e));
}

Status RootfsTree::AddFile(const std::string& path, std::string content, uint32_t mode) {
  TarEntry e;
  e.path = path;
  e.type = TarEntryType::kFile;
  e.mode = mode;
  return Add(std::move(e), std::move(content));
}

Status RootfsTree::AddSymlink(const std::string& path, const std::string& target) {
  TarEntry e;
  e.path = path;
  e.type = TarEntryType::kSymlink;
  e.mode = 0777;
  e.linkname = target;
  return Add(std::move(e));
}

const TarEntry* RootfsTree::Find(const std::string& path) const {
  auto it = nodes_.find(path);
  return it == nodes_.end() ? nullptr : &it->second.entry;
}

Status RootfsTree::WriteTar(Writer* out, int64_t epoch) const {
  // Parents that no entry names, made like mkdir -p would.
  std::map<std::string, Node> implied;
  for (const auto& [path, node] : nodes_) {
    for (size_t slash = path.find('/'); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
      std::string parent = path.substr(0, slash);
      if (nodes_.count(parent) || implied.count(parent)) continue;
      TarEntry dir;
      dir.path = parent;
      dir.type = TarEntryType::kDirectory;
      dir.mode = 0755;
      implied.emplace(parent, Node{dir, {}});
    }
  }
  std::vector<const Node*> order;
  order.reserve(nodes_.size() + implied.size());
  for (const auto& [path, node] : nodes_) order.push_back(&node);
  for (const auto& [path, node] : implied) order.push_back(&node);
  std::sort(order.begin(), order.end(),
            [](const Node* a, const Node* b) { return a->entry.path < b->entry.path; });

  archive::TarWriter tar(out);
  for (const Node* node : order) {
    TarEntry e = node->entry;
    e.mtime_sec = std::min(e.mtime_sec, epoch);
    e.mtime_nsec = 0;
    StringReader content(node->content);
    DISTILL_RETURN_IF_ERROR(tar.WriteEntry(e, &content));
  }
  return tar.Finish();
}

}  // namespace distill::distroless
