// SizeTree: the final filesystem of an image as a tree of sizes, small enough
// to draw as a treemap. A real image has tens of thousands of files; the tree
// keeps the largest entries of each directory (the rest become one "smaller
// entries" node) and stops expanding directories once a node budget is spent,
// largest directories first, so the page stays light while what matters
// (where the bytes are) is shown in detail.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "inspect/fs_view.h"

namespace distill::inspect {

struct SizeTreeNode {
  std::string name;    // the path component ("" for the root)
  uint64_t size = 0;   // bytes of regular files in it (or of the file)
  uint64_t files = 0;  // regular files in it (1 for a file)
  int layer = -1;      // files: the layer that wrote it; else -1
  bool dir = false;
  // Stands for `files` entries of the parent too small to list one by one.
  bool other = false;
  // A directory whose entries were not listed (the budget ran out).
  bool collapsed = false;
  std::vector<SizeTreeNode> children;  // largest first
};

struct SizeTreeLimits {
  size_t per_dir = 24;   // entries listed per directory; the rest are aggregated
  size_t budget = 2500;  // nodes in the whole tree (the root excluded)
};

// Regular files only (symlinks, devices and empty directories weigh nothing).
SizeTreeNode BuildSizeTree(const FsView& fs, const SizeTreeLimits& limits = {});

// {"name","size","files","dir"?,"layer"?,"other"?,"collapsed"?,"children"?}.
nlohmann::json SizeTreeToJson(const SizeTreeNode& node);

// Nodes in the tree, the root included (for tests and limits).
size_t CountNodes(const SizeTreeNode& node);

}  // namespace distill::inspect
