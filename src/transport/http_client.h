// HttpClient: the seam between the registry client and the network. The
// registry logic (auth, redirects, retries, uploads) talks to this interface,
// so it is unit-tested against an in-memory fake; the libcurl implementation
// (http_curl.h) is the only code that touches sockets.
//
// The client sends exactly one request: it never follows redirects (the caller
// does, so an Authorization header is never sent to another host) and never
// retries (the caller knows which requests can be replayed).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/io.h"
#include "util/status.h"

namespace distill::transport {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// TLS settings for one request (the registry layer picks them per host).
struct TlsOptions {
  bool verify = true;  // peer certificate and host name
  // PEM CA certificates trusted in addition to the system store (certs.d).
  std::string extra_ca_pem;
  // Client certificate and key files (certs.d client.cert / client.key).
  std::string client_cert_file;
  std::string client_key_file;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  HttpHeaders headers;  // "Name", "value"
  // The request body, opened afresh for each send (so a request can be retried).
  // Unset: no body. body_size must be given with it (Content-Length).
  std::function<Result<std::unique_ptr<Reader>>()> open_body;
  uint64_t body_size = 0;
  TlsOptions tls;
};

struct HttpResponse {
  long status = 0;
  HttpHeaders headers;  // names lowercased, in the order received
  // The body, when the caller's on_head chose not to stream it (capped at 1 MiB:
  // error documents, tokens, small manifests go here).
  std::string body;

  // The first header named `name` (lowercase), if any.
  std::optional<std::string> Header(std::string_view name) const;
  // Every header named `name` (WWW-Authenticate may come more than once).
  std::vector<std::string> Headers(std::string_view name) const;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Sends `request`. Once the status line and headers are in, `on_head` says
  // where the body goes: a Writer to stream it into, or nullptr to collect it
  // in HttpResponse::body. A failed transfer (DNS, refused, reset, timeout, TLS)
  // is a kUnavailable error naming the URL (never the headers). An error from
  // the Writer aborts the transfer and is returned as is.
  // Implementations are thread-safe.
  virtual Result<HttpResponse> Send(
      const HttpRequest& request,
      const std::function<Writer*(const HttpResponse&)>& on_head = nullptr) = 0;
};

// The most a collected (non-streamed) body may hold.
inline constexpr size_t kMaxCollectedBody = 1 << 20;

}  // namespace distill::transport
