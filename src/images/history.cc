#include "images/history.h"

#include <algorithm>

#include "images/humanize.h"
#include "images/table.h"

namespace distill::images {

namespace {

constexpr size_t kCreatedByWidth = 45;

std::optional<int64_t> TimeOf(const std::string& rfc3339) {
  if (rfc3339.empty()) return std::nullopt;
  auto t = ParseRfc3339(rfc3339);
  return t.ok() ? std::optional<int64_t>(*t) : std::nullopt;
}

}  // namespace

Result<std::vector<HistoryRow>> HistoryRows(const store::StoredImage& image,
                                            std::string_view name) {
  const auto& layers = image.manifest.layers;
  const auto& history = image.config.history;
  size_t layer_steps = static_cast<size_t>(std::count_if(
      history.begin(), history.end(), [](const oci::HistoryEntry& h) { return !h.empty_layer; }));
  if (layer_steps > layers.size()) {
    return Status::Corrupt(
        "image " + std::string(name) + ": its history lists " + std::to_string(layer_steps) +
        " layer-making steps but the manifest has " + std::to_string(layers.size()) + " layers");
  }
  std::vector<HistoryRow> rows;  // base first, reversed at the end
  // Layers that no history entry accounts for come first: they are the base.
  size_t next_layer = 0;
  for (; next_layer < layers.size() - layer_steps; ++next_layer) {
    HistoryRow row;
    row.size = static_cast<uint64_t>(layers[next_layer].size);
    rows.push_back(std::move(row));
  }
  for (const auto& entry : history) {
    HistoryRow row;
    row.created_unix = TimeOf(entry.created);
    row.created_by = entry.created_by;
    row.comment = entry.comment;
    if (!entry.empty_layer) row.size = static_cast<uint64_t>(layers[next_layer++].size);
    rows.push_back(std::move(row));
  }
  std::reverse(rows.begin(), rows.end());
  for (size_t i = 0; i < rows.size(); ++i) {
    rows[i].id = i == 0 ? image.manifest_digest.str() : "<missing>";
  }
  return rows;
}

std::string FormatHistory(const std::vector<HistoryRow>& rows, int64_t now_unix,
                          const HistoryOptions& options) {
  auto shown_id = [&](const std::string& id) {
    if (options.no_trunc || id.rfind("sha256:", 0) != 0) return id;
    return id.substr(7, 12);
  };
  if (options.quiet) {
    std::string out;
    for (const auto& row : rows) out += shown_id(row.id) + "\n";
    return out;
  }
  std::vector<std::vector<std::string>> cells;
  for (const auto& row : rows) {
    std::string created_by = row.created_by;
    std::replace(created_by.begin(), created_by.end(), '\t', ' ');
    std::replace(created_by.begin(), created_by.end(), '\n', ' ');
    if (!options.no_trunc) created_by = Ellipsize(created_by, kCreatedByWidth);
    cells.push_back({shown_id(row.id), HumanAgo(row.created_unix, now_unix), created_by,
                     HumanSize(row.size), row.comment});
  }
  return FormatTable({"IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"}, cells);
}

}  // namespace distill::images
