#include "util/curl_transfer.h"

#include <mutex>

namespace distill {

Result<CurlTransfer> CurlTransfer::Start(const std::string& url,
                                         const CurlTransferOptions& options) {
  static std::once_flag once;
  static CURLcode init_rc = CURLE_OK;
  std::call_once(once, [] { init_rc = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (init_rc != CURLE_OK) {
    return Status::Error(std::string("libcurl: ") + curl_easy_strerror(init_rc));
  }
  CurlTransfer t;
  t.curl_.reset(curl_easy_init());
  if (!t.curl_) return Status::Error("libcurl: curl_easy_init failed");
  t.error_ = std::make_unique<char[]>(CURL_ERROR_SIZE);
  t.error_[0] = '\0';
  CURL* c = t.curl_.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, options.connect_timeout_seconds);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, options.stall_timeout_seconds);
  curl_easy_setopt(c, CURLOPT_USERAGENT, options.user_agent.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, t.error_.get());
  return t;
}

long CurlTransfer::ResponseCode() const {
  long code = 0;
  curl_easy_getinfo(curl_.get(), CURLINFO_RESPONSE_CODE, &code);
  return code;
}

Status CurlTransfer::Error(CURLcode rc, const std::string& what) const {
  const char* message = error_[0] != '\0' ? error_.get() : curl_easy_strerror(rc);
  return Status(Status::Code::kUnavailable, what + ": " + message);
}

}  // namespace distill
