// `distill images`: one row per tag (and per untagged image), with the
// columns docker images prints.
//
// IMAGE ID is the manifest digest, as Docker shows it with the containerd image
// store, not the config digest of Docker's classic store: the manifest is what
// distill stores, tags and resolves ID prefixes against, so an ID shown here
// works in `rmi`, `tag`, `inspect`, `history`.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "oci/digest.h"
#include "store/store.h"
#include "util/status.h"

namespace distill::images {

struct ImageSummary {
  std::string repository;               // familiar ("python"); "<none>" for an untagged image
  std::string tag;                      // "3.9"; "<none>" for an untagged image
  oci::Digest id;                       // manifest digest
  std::optional<int64_t> created_unix;  // from the config; nullopt: unknown
  uint64_t size = 0;                    // ContentSize (image_view.h)
  // Set when the image could not be read (listed anyway, so one broken image
  // does not hide the rest); the CLI prints it to stderr.
  std::string problem;
};

struct ListOptions {
  // Also untagged manifests that another manifest (an index) references; by
  // default only tagged images and dangling ones (untagged, unreferenced) show.
  bool all = false;
};

// Newest first (unknown creation times last), then by repository and tag.
Result<std::vector<ImageSummary>> ListImageSummaries(store::Store& store,
                                                     const ListOptions& options = {});

struct TableOptions {
  bool digests = false;   // adds DIGEST (the manifest digest in full)
  bool no_trunc = false;  // full IDs
};

// REPOSITORY TAG [DIGEST] IMAGE ID CREATED SIZE.
std::string FormatImagesTable(const std::vector<ImageSummary>& images, int64_t now_unix,
                              const TableOptions& options = {});
// One 12-hex ID per row (docker images -q: repeated for images with many tags).
std::string FormatImageIds(const std::vector<ImageSummary>& images, bool no_trunc = false);
// [{"Repository","Tag","ID","Digest","Created","CreatedSince","Size"}], where
// Created is Unix seconds (null when unknown) and Size is bytes.
nlohmann::ordered_json ImagesToJson(const std::vector<ImageSummary>& images, int64_t now_unix);

}  // namespace distill::images
