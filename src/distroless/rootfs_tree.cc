#include "distroless/rootfs_tree.h"

#include <algorithm>
#include <deque>
#include <set>
#include <string_view>
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

const std::string* RootfsTree::FileContent(const std::string& path) const {
  auto it = nodes_.find(path);
  if (it == nodes_.end() || it->second.entry.type != TarEntryType::kFile) return nullptr;
  return &it->second.content;
}

std::vector<std::string> RootfsTree::ChildNames(const std::string& dir) const {
  std::string prefix = dir.empty() ? "" : dir + "/";
  // A set: "etc-x" sorts between "etc" and "etc/a", so names repeat non-adjacently.
  std::set<std::string> names;
  for (auto it = nodes_.lower_bound(prefix);
       it != nodes_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    size_t slash = it->first.find('/', prefix.size());
    // Deeper entries imply their parent directory even when it has no node.
    names.insert(it->first.substr(
        prefix.size(), slash == std::string::npos ? std::string::npos : slash - prefix.size()));
  }
  names.erase("");
  return {names.begin(), names.end()};
}

std::optional<std::string> RootfsTree::Resolve(const std::string& path) const {
  std::deque<std::string> rest;
  auto push_front_components = [&rest](std::string_view p) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= p.size()) {
      size_t slash = p.find('/', start);
      if (slash == std::string_view::npos) slash = p.size();
      parts.emplace_back(p.substr(start, slash - start));
      start = slash + 1;
    }
    rest.insert(rest.begin(), parts.begin(), parts.end());
  };
  push_front_components(path);
  std::string current;
  int hops = 0;
  while (!rest.empty()) {
    std::string part = std::move(rest.front());
    rest.pop_front();
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      size_t slash = current.rfind('/');
      current = slash == std::string::npos ? "" : current.substr(0, slash);
      continue;
    }
    std::string next = current.empty() ? part : current + "/" + part;
    auto it = nodes_.find(next);
    if (it != nodes_.end() && it->second.entry.type == TarEntryType::kSymlink) {
      if (++hops > 40) return std::nullopt;  // the kernel's ELOOP limit
      const std::string& target = it->second.entry.linkname;
      if (!target.empty() && target.front() == '/') current.clear();
      push_front_components(target);
      continue;
    }
    current = std::move(next);
  }
  return current;
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
