// RegistryTransport: one authenticated request to a registry, with everything
// that makes it dependable: the scheme probe (https, plain http only where the
// config allows), auth (Basic or Bearer tokens per scope, cached until they
// expire, fetched again after a 401), redirects followed without leaking the
// Authorization header to another host, and retries with backoff. The API
// calls (registry_client.cc) are built on it.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "transport/auth_challenge.h"
#include "transport/credentials.h"
#include "transport/http_client.h"
#include "transport/registry_client.h"

namespace distill::transport {

struct RegistryCall {
  std::string host;                 // API host ("registry-1.docker.io", "localhost:5000")
  std::string display;              // what errors call it: "docker.io/library/alpine"
  std::vector<std::string> scopes;  // "repository:library/alpine:pull"
  std::string method = "GET";
  std::string target;  // a path ("/v2/...") or an absolute URL (upload locations)
  HttpHeaders headers;
  std::function<Result<std::unique_ptr<Reader>>()> open_body;
  uint64_t body_size = 0;
  // Where a 2xx body goes (nullptr: collected). Other answers are collected.
  std::function<Writer*(const HttpResponse&)> on_success_body;
  int attempts = 0;  // 0: the client's default; 1: no retries (streams, upload steps)
};

struct CallResult {
  HttpResponse response;
  std::string url;  // the URL that answered (after redirects)
};

class RegistryTransport {
 public:
  explicit RegistryTransport(const RegistryClientOptions* options);

  // Sends `call`, following redirects and retrying as described above. Any
  // HTTP status is returned as a response; only transport failures that
  // outlast the retries are errors.
  Result<CallResult> Do(const RegistryCall& call);

  // "https://host" for `host` (probing it once).
  Result<std::string> BaseUrl(const std::string& host);

  // The error for an unexpected answer: names `display`, the HTTP status, the
  // registry's error codes, and what to do. Never includes a secret.
  Status ErrorFor(const RegistryCall& call, const HttpResponse& response,
                  const std::string& what) const;

 private:
  struct Token {
    std::string value;
    int64_t expires = 0;
  };
  struct HostState {
    mutable std::mutex mu;
    bool probed = false;
    std::string base_url;
    TlsOptions tls;
    std::vector<AuthChallenge> challenges;
    std::map<std::string, Token> tokens;  // by joined scopes
    bool creds_loaded = false;
    std::optional<Credentials> creds;
  };

  HostState* StateFor(const std::string& host);
  Status Probe(const std::string& host, HostState* state);
  // The Authorization header value for `scopes` ("" for none).
  Result<std::string> Authorization(const std::string& host, HostState* state,
                                    const std::vector<std::string>& scopes, bool refresh);
  Result<Token> FetchToken(const std::string& host, HostState* state,
                           const AuthChallenge& challenge, const std::vector<std::string>& scopes);
  Status LoadCredentials(const std::string& host, HostState* state);
  void Sleep(int ms) const;
  int64_t Now() const;
  void Log(const std::string& line) const;

  const RegistryClientOptions* options_;
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<HostState>> hosts_;
};

// The scheme+authority of an absolute URL ("https://h:5000"), and its host part ("h:5000").
std::string UrlOrigin(const std::string& url);
std::string UrlHost(const std::string& url);
// `location` (absolute, or a path) resolved against `base_url`.
std::string ResolveLocation(const std::string& base_url, const std::string& location);
// Percent-encodes a query value.
std::string UrlEncode(const std::string& s);

}  // namespace distill::transport
