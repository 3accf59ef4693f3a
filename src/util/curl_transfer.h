// One libcurl easy transfer with what every transfer distill makes shares:
// connect and stall timeouts, the user agent, no signals (threads), an error
// buffer, and cleanup. debian/fetch (packages) and transport/http_curl
// (registries) set only what differs on top: redirects, protocols, headers,
// bodies, TLS.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>

#include "util/status.h"

namespace distill {

struct CurlTransferOptions {
  long connect_timeout_seconds = 20;
  // A transfer slower than 1 KiB/s for this long is aborted (and retried by
  // the caller).
  long stall_timeout_seconds = 60;
  std::string user_agent = "distill";
};

class CurlTransfer {
 public:
  // An easy handle for `url` with the options set (curl_global_init runs
  // once per process first). Fails when libcurl cannot be loaded.
  static Result<CurlTransfer> Start(const std::string& url, const CurlTransferOptions& options);

  CurlTransfer(CurlTransfer&&) noexcept = default;
  CurlTransfer& operator=(CurlTransfer&&) noexcept = default;
  ~CurlTransfer() = default;

  CURL* handle() const { return curl_.get(); }
  CURLcode Perform() { return curl_easy_perform(curl_.get()); }
  // The last response's status code (0 before one arrived).
  long ResponseCode() const;
  // A failed Perform as kUnavailable (worth a retry): "WHAT: libcurl's
  // message" (its error buffer when it wrote one).
  Status Error(CURLcode rc, const std::string& what) const;

 private:
  struct Cleanup {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
  };
  CurlTransfer() = default;

  std::unique_ptr<CURL, Cleanup> curl_;
  // Where libcurl writes its message; heap so that a move keeps the address.
  std::unique_ptr<char[]> error_;
};

}  // namespace distill
