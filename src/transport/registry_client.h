// RegistryClient: the OCI distribution API (v2) spoken over an HttpClient.
//
// One client serves many registries and repositories. Per registry host it
// keeps the scheme (https; plain http only for loopback or insecure hosts, see
// registry_config.h) and the auth state: the challenge from GET /v2/, Basic
// credentials, or Bearer tokens per scope, reused until they expire and
// fetched again on a 401. Every request:
//   * follows redirects itself (up to 5), sending Authorization only to the
//     registry host, never to the blob storage it redirects to;
//   * is retried on 429, 5xx and transport failures, with exponential backoff
//     (Retry-After honoured up to 10 s), when its body can be replayed;
//   * fails with a message naming registry, repository, HTTP status and what
//     to do ("unauthorized: ... run `distill login HOST`"), never a secret.
// Pulls (manifests and blobs) try the host's mirrors first, then the registry.
//
// Docker Hub: a reference's domain "docker.io" is served by
// registry-1.docker.io (ApiHost); credentials are filed under docker.io.
//
// Thread-safety: all methods may be called from many threads at once.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "oci/descriptor.h"
#include "oci/digest.h"
#include "oci/reference.h"
#include "transport/credentials.h"
#include "transport/http_client.h"
#include "transport/registry_config.h"
#include "util/io.h"
#include "util/status.h"

namespace distill::transport {

// The media types a manifest GET accepts: OCI index and manifest, Docker
// manifest list and schema 2 (comma-separated, for the Accept header).
extern const char kManifestAccept[];

struct RegistryClientOptions {
  HttpClient* http = nullptr;                    // required; outlives the client
  const CredentialStore* credentials = nullptr;  // null: anonymous only
  RegistryConfig config;
  int attempts = 4;          // per request, for 429/5xx/transport failures
  int retry_delay_ms = 250;  // before the second attempt; doubled after each
  uint64_t chunk_size = 0;   // > 0: blobs are uploaded in PATCH chunks of this size
  std::function<void(const std::string&)> log;  // progress lines (no secrets); may be unset
  // Seams for tests: waiting between attempts, and the time (Unix seconds)
  // that token expiry is measured against. Unset: the real ones.
  std::function<void(int milliseconds)> sleep;
  std::function<int64_t()> now;
};

struct FetchedManifest {
  std::string bytes;       // exactly as served (its digest is of these bytes)
  std::string media_type;  // from Content-Type, else the document's mediaType
  oci::Digest digest;      // verified: equals the reference's digest when it has one
  oci::Descriptor descriptor() const;
};

class RegistryClient {
 public:
  explicit RegistryClient(RegistryClientOptions options);
  ~RegistryClient();
  RegistryClient(const RegistryClient&) = delete;
  RegistryClient& operator=(const RegistryClient&) = delete;

  // HEAD of the manifest `ref` names (by digest when it has one, else by tag):
  // its media type, digest and size. kNotFound when the registry has none.
  Result<oci::Descriptor> HeadManifest(const oci::Reference& ref);
  // GET of the manifest (or index) `ref` names, verified against the digest.
  Result<FetchedManifest> FetchManifest(const oci::Reference& ref);
  // Streams blob `blob` of `ref`'s repository into `sink`, checking size and
  // digest on the way: kCorrupt on a mismatch (the sink has then received bad
  // bytes: callers write into a store::BlobWriter, whose Commit re-checks and
  // drops them). A broken transfer resumes with a Range request (or skips the
  // bytes already written when the registry ignores ranges). The sink is not
  // closed.
  Status FetchBlob(const oci::Reference& ref, const oci::Descriptor& blob, Writer* sink);
  // The blob's small content in memory (configs), verified.
  Result<std::string> FetchBlobBytes(const oci::Reference& ref, const oci::Descriptor& blob);

  // HEAD /blobs/<digest> in `ref`'s repository.
  Result<bool> BlobExists(const oci::Reference& ref, const oci::Digest& digest);
  // Cross-repository mount from repository path `from` (same registry) into
  // `ref`'s repository; false when the registry started an upload instead
  // (the blob is not there, or mounting is not supported).
  Result<bool> MountBlob(const oci::Reference& ref, const oci::Digest& digest,
                         const std::string& from);
  // Uploads a blob: POST, then one PUT (monolithic) or PATCH chunks and a
  // closing PUT ?digest= (options.chunk_size > 0). `open` is called for each
  // attempt. Does not check whether the blob exists first.
  Status PushBlob(const oci::Reference& ref, const oci::Descriptor& blob,
                  const std::function<Result<std::unique_ptr<Reader>>()>& open);
  // PUT of a manifest or index under `ref`'s tag (or its digest when it has
  // only a digest). Returns its descriptor; the registry's Docker-Content-Digest
  // must match the bytes.
  Result<oci::Descriptor> PushManifest(const oci::Reference& ref, const std::string& bytes,
                                       const std::string& media_type);

  // Checks that the credentials for registry `domain` are accepted (GET /v2/
  // with them; a Bearer registry's token service is asked for a token without
  // scope, as `docker login` does). kPermission when they are refused.
  Status CheckLogin(const std::string& domain);

  const RegistryClientOptions& options() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// The host that serves the API for a reference domain ("docker.io" ->
// "registry-1.docker.io"; others unchanged).
std::string ApiHost(const std::string& domain);

// A client over libcurl with the registry config, the default credential
// files and `log` for progress (stderr in the CLI).
struct DefaultRegistryClient {
  std::unique_ptr<HttpClient> http;
  std::unique_ptr<CredentialStore> credentials;
  std::unique_ptr<RegistryClient> client;
};
Result<DefaultRegistryClient> NewDefaultRegistryClient(
    std::function<void(const std::string&)> log = nullptr);

}  // namespace distill::transport
