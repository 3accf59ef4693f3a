// Downloads for the apt client: an HttpClient seam (libcurl in production, a
// fake in tests) and a Downloader with a content-addressed cache. Everything
// cached is named by its SHA-256 and checked against it, so a cached file is
// as trustworthy as the signed Release that listed its hash.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "util/curl_transfer.h"
#include "util/io.h"
#include "util/status.h"

namespace distill::debian {

struct HttpHead {
  long status = 0;  // 200, 206, 404, ...; file:// answers 200
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // GETs `url`, asking for the bytes from `offset` on (a Range request) when
  // offset > 0. Once the status is known, `on_head` says where the body goes
  // (nullptr discards it). Returns the status; a transport failure (DNS,
  // refused, reset, timeout) is a kUnavailable error naming the URL.
  // Implementations are thread-safe.
  virtual Result<HttpHead> Get(const std::string& url, uint64_t offset,
                               const std::function<Writer*(const HttpHead&)>& on_head) = 0;
};

// Timeouts and user agent of each transfer.
using CurlOptions = CurlTransferOptions;

// libcurl, one easy handle per request (http, https, file URLs; follows redirects).
std::unique_ptr<HttpClient> NewCurlHttpClient(CurlOptions options = {});

// "HTTP 404 Not Found" for messages.
std::string HttpStatusText(long status);

struct DownloadRequest {
  std::vector<std::string> urls;  // tried in order (e.g. by-hash, then the plain path)
  std::string sha256;             // lowercase hex; required
  std::optional<uint64_t> size;
};

struct DownloaderOptions {
  std::string cache_dir;     // files land in <cache_dir>/sha256/<hex>
  int parallel = 4;          // downloads at once in FetchAll
  int attempts = 3;          // per URL, for transient failures (5xx, 408, 429, transport)
  int retry_delay_ms = 500;  // doubled after each failed attempt
};

// The machine-wide package cache, used when the directory exists.
inline constexpr const char* kMachineDebianCacheDir = "/var/cache/distill/debian";

// Where downloaded Release files, indexes and .debs are cached: $DISTILL_DEBIAN_CACHE
// when set, else /var/cache/distill/debian when that directory exists, else
// <root>/cache/debian of the store ($DISTILL_ROOT).
std::string DefaultDebianCacheDir(const std::string& store_root);

// Thread-safe. Partial downloads live in <cache_dir>/partial and are resumed
// with a Range request; a process-wide lock file per hash keeps two processes
// from writing the same file.
class Downloader {
 public:
  Downloader(HttpClient* http, DownloaderOptions options);

  // A small document that has no known hash yet (InRelease): the body of a 200
  // response, at most `max_bytes`. Not cached.
  Result<std::string> FetchText(const std::string& url, size_t max_bytes = 64 << 20);

  // The path of a verified copy of the file in the cache: reused when present
  // (its hash checked the first time this Downloader uses it; a process
  // normally has one Downloader), else downloaded and checked. A hash or size
  // mismatch is a kCorrupt error naming the URL.
  Result<std::string> Fetch(const DownloadRequest& request);

  // Fetch for many files, `parallel` at a time; results in request order.
  std::vector<Result<std::string>> FetchAll(const std::vector<DownloadRequest>& requests);

  std::string CachePath(const std::string& sha256) const;

 private:
  Result<std::string> FetchLocked(const DownloadRequest& request);
  // One GET of `url` into `partial`, resuming it; returns the HTTP status.
  Result<long> Transfer(const std::string& url, const std::string& partial);
  bool AlreadyVerified(const std::string& sha256);
  void MarkVerified(const std::string& sha256);

  HttpClient* http_;
  DownloaderOptions options_;
  std::mutex mu_;
  std::set<std::string> verified_;  // hashes checked in this process
};

}  // namespace distill::debian
