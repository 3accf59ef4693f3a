// `distill history`: the config's history entries, newest first, with the
// layer each non-empty entry made (matched in order, base first), in the
// columns docker history prints.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "images/image_view.h"
#include "util/status.h"

namespace distill::images {

struct HistoryRow {
  // The image ID on the newest row; "<missing>" elsewhere, as docker prints
  // for steps that have no image of their own in the store.
  std::string id;
  std::optional<int64_t> created_unix;
  std::string created_by;
  uint64_t size = 0;  // compressed layer size; 0 for steps without a layer
  std::string comment;
};

// Fails (naming the image) when the history lists more layer-making steps than
// the manifest has layers. Layers without any history (a config that records
// none) get rows of their own with an empty CREATED BY.
Result<std::vector<HistoryRow>> HistoryRows(const store::StoredImage& image, std::string_view name);

struct HistoryOptions {
  bool no_trunc = false;  // full IDs and CREATED BY
  bool quiet = false;     // IDs only
};

// IMAGE CREATED CREATED BY SIZE COMMENT; CREATED BY is cut to 45 characters
// with "…" unless no_trunc.
std::string FormatHistory(const std::vector<HistoryRow>& rows, int64_t now_unix,
                          const HistoryOptions& options = {});

}  // namespace distill::images
