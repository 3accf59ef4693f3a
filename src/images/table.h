// Column-aligned text tables, laid out as the docker CLI's tabwriter does
// (minimum cell width 10, three spaces of padding, last column unpadded), so
// `distill images` lines up like `docker images`.
#pragma once

#include <string>
#include <vector>

namespace distill::images {

// Renders `header` and `rows` (each the same number of cells as the header;
// shorter rows are padded with empty cells) as lines ending in '\n'.
std::string FormatTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows);

// `text` cut to `width` characters with "…" as the last one when longer (the
// docker CLI's truncation of CREATED BY). Counts UTF-8 code points, not bytes.
std::string Ellipsize(const std::string& text, size_t width);

}  // namespace distill::images
