// `distill diff A B`: how two images differ in size, layers, packages, files
// and attack surface, from one walk of each image's layers.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "inspect/findings.h"
#include "inspect/fs_view.h"
#include "inspect/packages.h"
#include "store/store.h"
#include "util/status.h"

namespace distill::inspect {

struct DiffSide {
  std::string name;
  std::string digest;
  uint64_t compressed_size = 0;
  uint64_t content_size = 0;
  size_t layer_count = 0;
  std::vector<Package> packages;
  std::vector<Finding> findings;
  std::string verdict;
};

struct PackageChange {
  std::string ecosystem, name, old_version, new_version;  // "" on the missing side
};

struct FileChange {
  std::string path;
  uint64_t old_size = 0, new_size = 0;
};

struct ImageDiff {
  DiffSide a, b;
  std::vector<PackageChange> packages_added, packages_removed, packages_changed;
  size_t files_added = 0, files_removed = 0, files_changed = 0;
  // Largest first, `top_n` of each.
  std::vector<FileChange> top_added, top_removed, top_changed;
};

// Compares two final filesystems and package lists (no I/O). A file counts as
// changed when its type, size, mode, owner or link target differ.
ImageDiff CompareImages(DiffSide a, const FsView& fs_a, DiffSide b, const FsView& fs_b,
                        size_t top_n = 10);

// Reads and walks both images.
Result<ImageDiff> DiffImages(store::Store& store, const std::string& a, const std::string& b);

std::string FormatDiffText(const ImageDiff& diff);
nlohmann::json DiffToJson(const ImageDiff& diff);

}  // namespace distill::inspect
