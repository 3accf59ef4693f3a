// The libcurl HttpClient: one easy handle per request, TLS verified against the
// system CA store (plus per-request extra CAs), no redirects followed, bounded
// connect time and an abort when a transfer stalls.
#pragma once

#include <memory>
#include <string>

#include "transport/http_client.h"
#include "util/curl_transfer.h"

namespace distill::transport {

// Timeouts and user agent of each transfer, and:
struct CurlHttpOptions : CurlTransferOptions {
  // The system CA bundle extra CAs are added to.
  std::string system_ca_file = "/etc/ssl/certs/ca-certificates.crt";
};

std::unique_ptr<HttpClient> NewCurlHttpClient(CurlHttpOptions options = {});

}  // namespace distill::transport
