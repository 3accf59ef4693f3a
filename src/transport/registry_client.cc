#include "transport/registry_client.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include "oci/document.h"
#include "oci/media_types.h"
#include "transport/http_curl.h"
#include "transport/registry_transport.h"
#include "util/sha256.h"

namespace distill::transport {

const char kManifestAccept[] =
    "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.docker.distribution.manifest.v2+json";

std::string ApiHost(const std::string& domain) {
  return domain == "docker.io" ? "registry-1.docker.io" : domain;
}

oci::Descriptor FetchedManifest::descriptor() const {
  oci::Descriptor d;
  d.media_type = media_type;
  d.digest = digest;
  d.size = static_cast<int64_t>(bytes.size());
  return d;
}

namespace {

// Where a blob's bytes go while they are checked: counts, hashes, refuses more
// than the descriptor's size, and drops the first `skip` bytes (a resumed
// transfer from a registry that ignored the Range header).
class CheckingSink : public Writer {
 public:
  CheckingSink(Writer* out, uint64_t limit) : out_(out), limit_(limit) {}
  using Writer::Write;
  Status Write(const void* data, size_t len) override {
    const char* p = static_cast<const char*>(data);
    if (skip_ > 0) {
      size_t n = std::min<uint64_t>(skip_, len);
      skip_ -= n;
      p += n;
      len -= n;
    }
    if (len == 0) return Status::Ok();
    if (written_ + len > limit_) {
      return Status::Corrupt("more bytes than the " + std::to_string(limit_) +
                             " the descriptor gives");
    }
    hasher_.Update(p, len);
    written_ += len;
    return out_->Write(p, len);
  }
  Status Close() override { return Status::Ok(); }
  void SkipNext(uint64_t n) { skip_ = n; }
  uint64_t written() const { return written_; }
  std::string HexDigest() { return hasher_.FinishHex(); }

 private:
  Writer* out_;
  uint64_t limit_;
  uint64_t skip_ = 0;
  uint64_t written_ = 0;
  Sha256 hasher_;
};

std::string Scope(const std::string& path, const std::string& actions) {
  return "repository:" + path + ":" + actions;
}

// The repository's display name for messages: "docker.io/library/alpine".
std::string Display(const oci::Reference& ref) {
  return ref.name();
}

// The manifest reference in the URL: the digest when there is one.
std::string ManifestTag(const oci::Reference& ref) {
  return ref.digest() ? ref.digest()->str() : ref.tag();
}

}  // namespace

class RegistryClient::Impl {
 public:
  explicit Impl(RegistryClientOptions options)
      : options_(std::move(options)), transport_(&options_) {}

  // Hosts to pull from, mirrors first.
  std::vector<std::string> PullHosts(const oci::Reference& ref) const {
    std::vector<std::string> hosts = options_.config.For(ref.domain()).mirrors;
    hosts.push_back(ApiHost(ref.domain()));
    return hosts;
  }

  RegistryCall Call(const std::string& host, const oci::Reference& ref,
                    const std::string& actions) {
    RegistryCall c;
    c.host = host;
    c.display = host == ApiHost(ref.domain()) ? Display(ref) : host + "/" + ref.path();
    c.scopes = {Scope(ref.path(), actions)};
    return c;
  }

  // Runs `attempt` against each pull host in turn; the upstream's error is the answer.
  template <typename T>
  Result<T> OverPullHosts(const oci::Reference& ref,
                          const std::function<Result<T>(const std::string& host)>& attempt) {
    auto hosts = PullHosts(ref);
    for (size_t i = 0; i + 1 < hosts.size(); ++i) {
      auto r = attempt(hosts[i]);
      if (r.ok()) return r;
      Log("mirror " + hosts[i] + " failed (" + r.status().message() + "); trying the next source");
    }
    return attempt(hosts.back());
  }

  Result<oci::Descriptor> HeadManifest(const oci::Reference& ref) {
    return OverPullHosts<oci::Descriptor>(
        ref, [&](const std::string& host) -> Result<oci::Descriptor> {
          RegistryCall c = Call(host, ref, "pull");
          c.method = "HEAD";
          c.target = "/v2/" + ref.path() + "/manifests/" + ManifestTag(ref);
          c.headers.emplace_back("Accept", kManifestAccept);
          DISTILL_ASSIGN_OR_RETURN(CallResult r, transport_.Do(c));
          if (r.response.status != 200) {
            return transport_.ErrorFor(c, r.response, "manifest " + ManifestTag(ref));
          }
          oci::Descriptor d;
          d.media_type =
              oci::MediaTypeFromContentType(r.response.Header("content-type").value_or(""));
          auto digest = r.response.Header("docker-content-digest");
          if (ref.digest()) {
            d.digest = *ref.digest();
          } else if (digest) {
            DISTILL_ASSIGN_OR_RETURN(d.digest, oci::Digest::Parse(*digest));
          } else {
            // No digest header: the manifest itself has to be read to know it.
            DISTILL_ASSIGN_OR_RETURN(FetchedManifest m, FetchFrom(host, ref));
            return m.descriptor();
          }
          if (auto len = r.response.Header("content-length")) d.size = std::atoll(len->c_str());
          return d;
        });
  }

  Result<FetchedManifest> FetchFrom(const std::string& host, const oci::Reference& ref) {
    RegistryCall c = Call(host, ref, "pull");
    c.target = "/v2/" + ref.path() + "/manifests/" + ManifestTag(ref);
    c.headers.emplace_back("Accept", kManifestAccept);
    std::string what = "manifest " + ManifestTag(ref);
    DISTILL_ASSIGN_OR_RETURN(CallResult r, transport_.Do(c));
    if (r.response.status != 200) return transport_.ErrorFor(c, r.response, what);
    FetchedManifest m;
    m.bytes = std::move(r.response.body);
    m.digest = oci::Digest::Of(m.bytes);
    std::string source = c.display + " " + what;
    if (ref.digest() && *ref.digest() != m.digest) {
      return Status::Corrupt(source + ": the registry served content with digest " +
                             m.digest.str() + " (corrupt registry or proxy)");
    }
    if (auto header = r.response.Header("docker-content-digest")) {
      if (*header != m.digest.str() && !ref.digest()) {
        return Status::Corrupt(source + ": Docker-Content-Digest " + *header +
                               " but the content hashes to " + m.digest.str());
      }
    }
    auto doc = nlohmann::json::parse(m.bytes, nullptr, false);
    if (doc.is_discarded()) return Status::Corrupt(source + ": not JSON");
    DISTILL_ASSIGN_OR_RETURN(
        m.media_type,
        oci::ResolveDocumentMediaType(doc, r.response.Header("content-type").value_or(""), source));
    return m;
  }

  Result<FetchedManifest> FetchManifest(const oci::Reference& ref) {
    return OverPullHosts<FetchedManifest>(
        ref, [&](const std::string& host) { return FetchFrom(host, ref); });
  }

  Status FetchBlobFrom(const std::string& host, const oci::Reference& ref,
                       const oci::Descriptor& blob, CheckingSink* sink) {
    RegistryCall c = Call(host, ref, "pull");
    c.target = "/v2/" + ref.path() + "/blobs/" + blob.digest.str();
    c.attempts = 1;  // retried here, resuming where the last attempt stopped
    std::string what = "blob " + blob.digest.str();
    int attempts = std::max(1, options_.attempts);
    int delay = options_.retry_delay_ms;
    for (int attempt = 1;; ++attempt) {
      uint64_t offset = sink->written();
      c.headers.clear();
      if (offset > 0) c.headers.emplace_back("Range", "bytes=" + std::to_string(offset) + "-");
      c.on_success_body = [sink, offset](const HttpResponse& head) -> Writer* {
        // 200 to a Range request: the whole blob again; skip what we have.
        sink->SkipNext(head.status == 200 ? offset : 0);
        return sink;
      };
      auto r = transport_.Do(c);
      Status st;
      if (!r.ok()) {
        st = r.status();
        if (st.code() == Status::Code::kCorrupt) return st.Prefixed(c.display + " " + what);
      } else if (r->response.status == 200 || r->response.status == 206) {
        if (sink->written() == static_cast<uint64_t>(blob.size)) break;
        st = Status(Status::Code::kUnavailable, "transfer ended after " +
                                                    std::to_string(sink->written()) + " of " +
                                                    std::to_string(blob.size) + " bytes");
      } else if (r->response.status == 429 || r->response.status >= 500) {
        st = transport_.ErrorFor(c, r->response, what);
      } else {
        return transport_.ErrorFor(c, r->response, what);
      }
      if (attempt >= attempts) return st;
      Log(c.display + " " + what + ": " + st.message() + "; resuming at byte " +
          std::to_string(sink->written()));
      Sleep(delay);
      delay *= 2;
    }
    std::string got = "sha256:" + sink->HexDigest();
    if (got != blob.digest.str()) {
      return Status::Corrupt(c.display + ": " + what + " arrived with digest " + got +
                             " (corrupt registry, mirror or proxy); nothing was stored");
    }
    return Status::Ok();
  }

  Status FetchBlob(const oci::Reference& ref, const oci::Descriptor& blob, Writer* out) {
    if (blob.digest.algorithm() != "sha256") {
      return Status::Invalid("blob " + blob.digest.str() + ": only sha256 digests are supported");
    }
    CheckingSink sink(out, static_cast<uint64_t>(blob.size));
    auto hosts = PullHosts(ref);
    Status st;
    for (size_t i = 0; i < hosts.size(); ++i) {
      // A mirror that failed mid-blob leaves bytes in the sink: the next host resumes.
      st = FetchBlobFrom(hosts[i], ref, blob, &sink);
      if (st.ok() || st.code() == Status::Code::kCorrupt) return st;
      if (i + 1 < hosts.size()) {
        Log("mirror " + hosts[i] + " failed (" + st.message() + "); trying the next source");
      }
    }
    return st;
  }

  Result<bool> BlobExists(const oci::Reference& ref, const oci::Digest& digest) {
    RegistryCall c = Call(ApiHost(ref.domain()), ref, "pull,push");
    c.method = "HEAD";
    c.target = "/v2/" + ref.path() + "/blobs/" + digest.str();
    DISTILL_ASSIGN_OR_RETURN(CallResult r, transport_.Do(c));
    if (r.response.status == 200) return true;
    if (r.response.status == 404) return false;
    return transport_.ErrorFor(c, r.response, "blob " + digest.str());
  }

  Result<bool> MountBlob(const oci::Reference& ref, const oci::Digest& digest,
                         const std::string& from) {
    RegistryCall c = Call(ApiHost(ref.domain()), ref, "pull,push");
    c.scopes.push_back(Scope(from, "pull"));
    c.method = "POST";
    c.target = "/v2/" + ref.path() + "/blobs/uploads/?mount=" + UrlEncode(digest.str()) +
               "&from=" + UrlEncode(from);
    DISTILL_ASSIGN_OR_RETURN(CallResult r, transport_.Do(c));
    if (r.response.status == 201) return true;
    if (r.response.status == 202) {
      // An upload session was opened instead; let it expire (or cancel it).
      if (auto loc = r.response.Header("location")) {
        RegistryCall del = c;
        del.method = "DELETE";
        del.target = ResolveLocation(r.url, *loc);
        del.attempts = 1;
        (void)transport_.Do(del);
      }
      return false;
    }
    return transport_.ErrorFor(c, r.response, "mount of blob " + digest.str() + " from " + from);
  }

  // POST: a new upload session; returns its absolute URL.
  Result<std::string> StartUpload(const RegistryCall& base, const oci::Reference& ref) {
    RegistryCall c = base;
    c.method = "POST";
    c.target = "/v2/" + ref.path() + "/blobs/uploads/";
    DISTILL_ASSIGN_OR_RETURN(CallResult r, transport_.Do(c));
    if (r.response.status != 202) return transport_.ErrorFor(c, r.response, "blob upload start");
    auto loc = r.response.Header("location");
    if (!loc) return Status::Invalid(c.display + ": upload started without a Location");
    return ResolveLocation(r.url, *loc);
  }

  static std::string WithDigest(const std::string& url, const oci::Digest& digest) {
    return url + (url.find('?') == std::string::npos ? "?" : "&") +
           "digest=" + UrlEncode(digest.str());
  }

  Status UploadOnce(const oci::Reference& ref, const oci::Descriptor& blob,
                    const std::function<Result<std::unique_ptr<Reader>>()>& open) {
    RegistryCall base = Call(ApiHost(ref.domain()), ref, "pull,push");
    std::string what = "upload of blob " + blob.digest.str();
    DISTILL_ASSIGN_OR_RETURN(std::string location, StartUpload(base, ref));
    uint64_t size = static_cast<uint64_t>(blob.size);
    if (options_.chunk_size == 0) {
      RegistryCall put = base;
      put.method = "PUT";
      put.target = WithDigest(location, blob.digest);
      put.attempts = 1;
      put.headers.emplace_back("Content-Type", "application/octet-stream");
      put.open_body = open;
      put.body_size = size;
      DISTILL_ASSIGN_OR_RETURN(CallResult r, transport_.Do(put));
      if (r.response.status != 201) return transport_.ErrorFor(put, r.response, what);
      return Status::Ok();
    }
    DISTILL_ASSIGN_OR_RETURN(std::unique_ptr<Reader> in, open());
    uint64_t sent = 0;
    std::string chunk;
    while (sent < size) {
      uint64_t len = std::min<uint64_t>(options_.chunk_size, size - sent);
      chunk.resize(len);
      size_t have = 0;
      while (have < len) {
        DISTILL_ASSIGN_OR_RETURN(size_t n, in->Read(chunk.data() + have, len - have));
        if (n == 0) return Status::Io(what + ": the stored blob is shorter than its descriptor");
        have += n;
      }
      RegistryCall patch = base;
      patch.method = "PATCH";
      patch.target = location;
      patch.attempts = 1;
      patch.headers.emplace_back("Content-Type", "application/octet-stream");
      patch.headers.emplace_back("Content-Range",
                                 std::to_string(sent) + "-" + std::to_string(sent + len - 1));
      patch.open_body = [&chunk]() -> Result<std::unique_ptr<Reader>> {
        return std::unique_ptr<Reader>(std::make_unique<StringReader>(chunk));
      };
      patch.body_size = len;
      DISTILL_ASSIGN_OR_RETURN(CallResult r, transport_.Do(patch));
      if (r.response.status != 202) return transport_.ErrorFor(patch, r.response, what);
      if (auto loc = r.response.Header("location")) location = ResolveLocation(r.url, *loc);
      sent += len;
    }
    RegistryCall put = base;
    put.method = "PUT";
    put.target = WithDigest(location, blob.digest);
    put.attempts = 1;
    DISTILL_ASSIGN_OR_RETURN(CallResult r, transport_.Do(put));
    if (r.response.status != 201) return transport_.ErrorFor(put, r.response, what);
    return Status::Ok();
  }

  Status PushBlob(const oci::Reference& ref, const oci::Descriptor& blob,
                  const std::function<Result<std::unique_ptr<Reader>>()>& open) {
    // An upload session is not resumable across failures: start over each time.
    int attempts = std::max(1, options_.attempts);
    int delay = options_.retry_delay_ms;
    for (int attempt = 1;; ++attempt) {
      Status st = UploadOnce(ref, blob, open);
      if (st.ok() || st.code() != Status::Code::kUnavailable || attempt >= attempts) return st;
      Log(st.message() + "; starting the upload again");
      Sleep(delay);
      delay *= 2;
    }
  }

  Result<oci::Descriptor> PushManifest(const oci::Reference& ref, const std::string& bytes,
                                       const std::string& media_type) {
    RegistryCall c = Call(ApiHost(ref.domain()), ref, "pull,push");
    c.method = "PUT";
    std::string tag = ref.tag().empty() ? ref.digest()->str() : ref.tag();
    c.target = "/v2/" + ref.path() + "/manifests/" + tag;
    c.headers.emplace_back("Content-Type", media_type);
    c.open_body = [bytes]() -> Result<std::unique_ptr<Reader>> {
      return std::unique_ptr<Reader>(std::make_unique<StringReader>(bytes));
    };
    c.body_size = bytes.size();
    DISTILL_ASSIGN_OR_RETURN(CallResult r, transport_.Do(c));
    if (r.response.status != 201 && r.response.status != 200) {
      return transport_.ErrorFor(c, r.response, "manifest " + tag);
    }
    oci::Descriptor d;
    d.media_type = media_type;
    d.digest = oci::Digest::Of(bytes);
    d.size = static_cast<int64_t>(bytes.size());
    if (auto header = r.response.Header("docker-content-digest")) {
      if (*header != d.digest.str()) {
        return Status::Corrupt(c.display + ": the registry stored manifest " + tag + " as " +
                               *header + " but its bytes hash to " + d.digest.str());
      }
    }
    return d;
  }

  Status CheckLogin(const std::string& domain) {
    RegistryCall c;
    c.host = ApiHost(domain);
    c.display = domain;
    c.target = "/v2/";
    DISTILL_ASSIGN_OR_RETURN(CallResult r, transport_.Do(c));
    if (r.response.status == 200) return Status::Ok();
    if (r.response.status == 401) {
      return Status(
          Status::Code::kPermission,
          "login to " + domain + " failed: the registry refused the user name or password");
    }
    return transport_.ErrorFor(c, r.response, "login");
  }

  void Log(const std::string& line) const {
    if (options_.log) options_.log(line);
  }
  void Sleep(int ms) const {
    if (options_.sleep) {
      options_.sleep(ms);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    }
  }

  RegistryClientOptions options_;
  RegistryTransport transport_;
};

RegistryClient::RegistryClient(RegistryClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
RegistryClient::~RegistryClient() = default;

Status RegistryClient::CheckLogin(const std::string& domain) {
  return impl_->CheckLogin(domain);
}

const RegistryClientOptions& RegistryClient::options() const {
  return impl_->options_;
}

Result<oci::Descriptor> RegistryClient::HeadManifest(const oci::Reference& ref) {
  return impl_->HeadManifest(ref);
}

Result<FetchedManifest> RegistryClient::FetchManifest(const oci::Reference& ref) {
  return impl_->FetchManifest(ref);
}

Status RegistryClient::FetchBlob(const oci::Reference& ref, const oci::Descriptor& blob,
                                 Writer* sink) {
  return impl_->FetchBlob(ref, blob, sink);
}

Result<std::string> RegistryClient::FetchBlobBytes(const oci::Reference& ref,
                                                   const oci::Descriptor& blob) {
  if (blob.size > (64 << 20)) {
    return Status::Invalid(ref.name() + ": blob " + blob.digest.str() +
                           " is too large to read into memory");
  }
  StringWriter out;
  DISTILL_RETURN_IF_ERROR(impl_->FetchBlob(ref, blob, &out));
  return std::move(out.str());
}

Result<bool> RegistryClient::BlobExists(const oci::Reference& ref, const oci::Digest& digest) {
  return impl_->BlobExists(ref, digest);
}

Result<bool> RegistryClient::MountBlob(const oci::Reference& ref, const oci::Digest& digest,
                                       const std::string& from) {
  return impl_->MountBlob(ref, digest, from);
}

Status RegistryClient::PushBlob(const oci::Reference& ref, const oci::Descriptor& blob,
                                const std::function<Result<std::unique_ptr<Reader>>()>& open) {
  return impl_->PushBlob(ref, blob, open);
}

Result<oci::Descriptor> RegistryClient::PushManifest(const oci::Reference& ref,
                                                     const std::string& bytes,
                                                     const std::string& media_type) {
  return impl_->PushManifest(ref, bytes, media_type);
}

Result<DefaultRegistryClient> NewDefaultRegistryClient(
    std::function<void(const std::string&)> log) {
  DefaultRegistryClient d;
  d.http = NewCurlHttpClient();
  d.credentials = std::make_unique<CredentialStore>(CredentialStore::Default());
  RegistryClientOptions options;
  options.http = d.http.get();
  options.credentials = d.credentials.get();
  DISTILL_ASSIGN_OR_RETURN(options.config, RegistryConfig::Load());
  options.log = std::move(log);
  // Chunked uploads on request (registries that cap request sizes; tests).
  if (const char* chunk = std::getenv("DISTILL_PUSH_CHUNK_SIZE")) {
    options.chunk_size = std::strtoull(chunk, nullptr, 10);
  }
  d.client = std::make_unique<RegistryClient>(std::move(options));
  return d;
}

}  // namespace distill::transport
