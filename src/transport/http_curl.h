// The libcurl HttpClient: one easy handle per request, TLS verified against the
// system CA store (plus per-request extra CAs), no redirects followed, bounded
// connect time and an abort when a transfer stalls.
#pragma once

#include <memory>
#include <string>

#include "transport/http_client.h"

namespace distill::transport {

struct CurlHttpOptions {
  long connect_timeout_seconds = 20;
  // A transfer slower than 1 KiB/s for this long is aborted (and retried by the caller).
  long stall_timeout_seconds = 60;
  std::string user_agent = "distill";
  // The system CA bundle extra CAs are added to.
  std::string system_ca_file = "/etc/ssl/certs/ca-certificates.crt";
};

std::unique_ptr<HttpClient> NewCurlHttpClient(CurlHttpOptions options = {});

}  // namespace distill::transport
