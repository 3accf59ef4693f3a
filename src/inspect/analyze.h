// `distill analyze`: what an image costs (size per layer and the step that made
// it, largest files and directories, wasted and duplicated bytes) and what it
// contains that an attacker could use (findings.h), as text or JSON.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "inspect/findings.h"
#include "inspect/image_walk.h"
#include "inspect/size_tree.h"
#include "store/image_store.h"
#include "store/store.h"
#include "util/status.h"

namespace distill::inspect {

struct SizedPath {
  std::string path;
  uint64_t size = 0;
  int layer = -1;  // files: the layer that wrote it; directories: -1
};

struct AnalyzeReport {
  std::string image;  // as the user named it
  std::string digest;
  std::string user;
  std::vector<LayerInfo> layers;
  uint64_t compressed_size = 0;  // sum of layer blobs
  uint64_t content_size = 0;     // bytes of the files in the final view
  uint64_t file_count = 0;
  std::vector<SizedPath> largest_files;  // top 10
  std::vector<SizedPath> largest_dirs;   // top 10, recursive sizes
  uint64_t wasted_bytes = 0;
  std::vector<WastedFile> wasted;  // largest first, top 10
  size_t wasted_count = 0;
  uint64_t duplicate_bytes = 0;
  std::vector<DuplicateSet> duplicates;  // largest first, top 10
  std::vector<Finding> findings;
  std::string verdict;
  SizeTreeNode tree;  // the final filesystem by size, for the HTML treemap
};

// Fills the report from a finished walk (no I/O).
AnalyzeReport BuildReport(const std::string& name, const store::StoredImage& image,
                          const ImageWalk& walk, size_t top_n = 10);

// Reads the image, walks it (with duplicate detection) and builds the report.
Result<AnalyzeReport> AnalyzeImage(store::Store& store, const std::string& name);

std::string FormatReportText(const AnalyzeReport& report);
nlohmann::json ReportToJson(const AnalyzeReport& report);

// Splits "shell,root" and checks every name is a category; errors quote the bad one.
Result<std::vector<std::string>> ParseFailOn(const std::string& list);
// True when any finding's category is in `fail_on`.
bool ShouldFail(const std::vector<Finding>& findings, const std::vector<std::string>& fail_on);

}  // namespace distill::inspect
