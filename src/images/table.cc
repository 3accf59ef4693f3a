#include "images/table.h"

#include <algorithm>

namespace distill::images {

namespace {

constexpr size_t kMinWidth = 10;
constexpr size_t kPadding = 3;

// Display width approximated as UTF-8 code points (continuation bytes skipped).
size_t Width(const std::string& s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

std::string FormatTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows) {
  const size_t columns = header.size();
  std::vector<size_t> widths(columns, 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < columns && i < row.size(); ++i) {
      widths[i] = std::max(widths[i], Width(row[i]));
    }
  };
  measure(header);
  for (const auto& row : rows) measure(row);
  auto render = [&](const std::vector<std::string>& row, std::string* out) {
    for (size_t i = 0; i < columns; ++i) {
      std::string cell = i < row.size() ? row[i] : "";
      *out += cell;
      if (i + 1 == columns) break;
      size_t width = std::max(widths[i] + kPadding, kMinWidth);
      out->append(width - Width(cell), ' ');
    }
    // A trailing empty cell leaves trailing spaces; tabwriter trims none, but
    // they serve no reader.
    while (!out->empty() && out->back() == ' ') out->pop_back();
    *out += '\n';
  };
  std::string out;
  render(header, &out);
  for (const auto& row : rows) render(row, &out);
  return out;
}

std::string Ellipsize(const std::string& text, size_t width) {
  if (Width(text) <= width) return text;
  if (width == 0) return "";
  std::string out;
  size_t points = 0;
  for (char c : text) {
    bool starts_point = (c & 0xC0) != 0x80;
    if (starts_point && ++points == width) break;
    out += c;
  }
  return out + "…";
}

}  // namespace distill::images
