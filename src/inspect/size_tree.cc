#include "inspect/size_tree.h"

#include <algorithm>
#include <map>
#include <memory>
#include <queue>
#include <utility>

namespace distill::inspect {

namespace {

// The whole tree, before limits are applied.
struct FullNode {
  uint64_t size = 0;
  uint64_t files = 0;
  int layer = -1;
  bool dir = false;
  std::map<std::string, FullNode> children;
};

FullNode BuildFullTree(const FsView& fs) {
  FullNode root;
  root.dir = true;
  for (const auto& [path, node] : fs.nodes()) {
    if (node.type != archive::TarEntryType::kFile) continue;
    FullNode* at = &root;
    size_t start = 1;  // paths are "/a/b"
    while (true) {
      at->size += node.size;
      at->files += 1;
      size_t slash = path.find('/', start);
      std::string name = path.substr(start, slash == std::string::npos ? slash : slash - start);
      at = &at->children[name];
      if (slash == std::string::npos) break;
      at->dir = true;
      start = slash + 1;
    }
    at->size += node.size;
    at->files += 1;
    at->layer = node.layer;
  }
  return root;
}

// Lists the entries of `full` in `out` (largest first, the tail aggregated)
// and returns the directories among them, to be expanded later.
std::vector<std::pair<const FullNode*, SizeTreeNode*>> Expand(const FullNode& full,
                                                              SizeTreeNode* out,
                                                              const SizeTreeLimits& limits) {
  std::vector<std::pair<const std::string*, const FullNode*>> entries;
  for (const auto& [name, child] : full.children) {
    if (child.size > 0) entries.push_back({&name, &child});
  }
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return a.second->size > b.second->size;  // map order breaks ties by name
  });
  // Aggregating a single entry would hide it for nothing.
  size_t listed = entries.size() <= limits.per_dir + 1 ? entries.size() : limits.per_dir;
  out->children.reserve(listed + (listed < entries.size() ? 1 : 0));
  std::vector<std::pair<const FullNode*, SizeTreeNode*>> dirs;
  for (size_t i = 0; i < listed; ++i) {
    const FullNode& child = *entries[i].second;
    SizeTreeNode node;
    node.name = *entries[i].first;
    node.size = child.size;
    node.files = child.files;
    node.layer = child.dir ? -1 : child.layer;
    node.dir = child.dir;
    out->children.push_back(std::move(node));
    if (child.dir) dirs.push_back({&child, &out->children.back()});
  }
  if (listed < entries.size()) {
    SizeTreeNode rest;
    rest.other = true;
    for (size_t i = listed; i < entries.size(); ++i) {
      rest.size += entries[i].second->size;
      rest.files += entries[i].second->files;
    }
    rest.name = std::to_string(entries.size() - listed) + " smaller entries";
    out->children.push_back(std::move(rest));
  }
  return dirs;
}

size_t ListedCount(const FullNode& full, const SizeTreeLimits& limits) {
  size_t n = 0;
  for (const auto& [name, child] : full.children) n += child.size > 0 ? 1 : 0;
  return n <= limits.per_dir + 1 ? n : limits.per_dir + 1;
}

}  // namespace

SizeTreeNode BuildSizeTree(const FsView& fs, const SizeTreeLimits& limits) {
  FullNode full = BuildFullTree(fs);
  SizeTreeNode root;
  root.dir = true;
  root.size = full.size;
  root.files = full.files;
  // Largest directories are expanded first, so a spent budget only leaves
  // small directories collapsed.
  using Item = std::pair<const FullNode*, SizeTreeNode*>;
  auto smaller = [](const Item& a, const Item& b) { return a.first->size < b.first->size; };
  std::priority_queue<Item, std::vector<Item>, decltype(smaller)> queue(smaller);
  queue.push({&full, &root});
  size_t budget = limits.budget;
  while (!queue.empty()) {
    auto [from, to] = queue.top();
    queue.pop();
    size_t cost = ListedCount(*from, limits);
    if (cost > budget) {
      to->collapsed = cost > 0;
      continue;
    }
    budget -= cost;
    for (const Item& dir : Expand(*from, to, limits)) queue.push(dir);
  }
  return root;
}

nlohmann::json SizeTreeToJson(const SizeTreeNode& node) {
  nlohmann::json j = {{"name", node.name}, {"size", node.size}, {"files", node.files}};
  if (node.dir) j["dir"] = true;
  if (node.layer >= 0) j["layer"] = node.layer;
  if (node.other) j["other"] = true;
  if (node.collapsed) j["collapsed"] = true;
  if (!node.children.empty()) {
    nlohmann::json children = nlohmann::json::array();
    for (const auto& c : node.children) children.push_back(SizeTreeToJson(c));
    j["children"] = std::move(children);
  }
  return j;
}

size_t CountNodes(const SizeTreeNode& node) {
  size_t n = 1;
  for (const auto& c : node.children) n += CountNodes(c);
  return n;
}

}  // namespace distill::inspect
