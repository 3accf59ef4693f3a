// Downloading ADD's http(s) sources. UrlFetcher is the seam (DESIGN.md: every
// side effect behind a small interface); the real one uses libcurl.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "util/status.h"

namespace distill::context {

struct FetchedFile {
  // From Content-Disposition's filename when the server sends one, otherwise
  // the last segment of the URL path; "" when neither names a file.
  std::string filename;
  std::optional<int64_t> mtime_seconds;  // Last-Modified, when sent
  uint64_t size = 0;
  std::string sha256_hex;  // of the bytes written
};

class UrlFetcher {
 public:
  virtual ~UrlFetcher() = default;
  // Streams the body of `url` into `out_fd` (positioned at its start).
  // Redirects are followed; an HTTP error status is an error naming the URL.
  virtual Result<FetchedFile> Fetch(const std::string& url, int out_fd) = 0;
};

// The libcurl fetcher (http and https only).
std::unique_ptr<UrlFetcher> NewCurlFetcher();

// The file name a Content-Disposition header value gives ("" when none):
// `attachment; filename="a.tar.gz"` → "a.tar.gz". Directory parts are dropped.
std::string FilenameFromContentDisposition(std::string_view value);
// The last non-empty segment of a URL's path (query and fragment ignored).
std::string FilenameFromUrl(std::string_view url);

}  // namespace distill::context
