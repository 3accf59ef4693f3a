// FakeRegistry: an in-memory OCI distribution registry behind the HttpClient
// seam, for unit tests of the registry client. It serves the v2 API for
// "reg.test" (manifests, blobs, uploads, mounts), an optional Bearer token
// service at "auth.test" or Basic auth, redirects of blob GETs to
// "storage.test", and scripted faults (5xx, resets, cut transfers, corrupt
// blobs). Every request is recorded with its headers so tests can check what
// was sent where.
#pragma once

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "oci/digest.h"
#include "transport/auth_challenge.h"
#include "transport/http_client.h"
#include "transport/registry_transport.h"

namespace distill::transport::testing {

struct RecordedRequest {
  std::string method;
  std::string url;
  HttpHeaders headers;
  std::string body;
  std::string Header(const std::string& name) const {
    for (const auto& [k, v] : headers) {
      if (k == name) return v;
    }
    return "";
  }
};

class FakeRegistry : public HttpClient {
 public:
  enum class Auth { kNone, kBasic, kBearer };
  Auth auth = Auth::kNone;
  std::string user = "alice";
  std::string password = "s3cr3t-PASS";
  std::string refresh_token = "identity-REFRESH";  // accepted by the OAuth2 POST form
  bool anonymous_pull = true;                      // Bearer: anonymous tokens may pull
  int64_t token_expires_in = 300;                  // seconds
  bool redirect_blobs = false;                     // blob GETs answer 307 to storage.test
  bool honour_range = true;
  bool allow_mount = true;
  std::set<std::string> corrupt_blobs;     // digests served with a flipped byte
  std::map<std::string, int> fail_next;    // "METHOD path-prefix" -> answers of 503 left
  std::map<std::string, int> reset_next;   // "METHOD path-prefix" -> transport errors left
  std::map<std::string, size_t> cut_next;  // blob digest -> bytes sent before a reset (once)

  std::map<std::string, std::string> blobs;  // digest -> bytes (one namespace for all repos)
  std::map<std::string, std::set<std::string>> repo_blobs;  // repo -> digests linked
  struct StoredManifest {
    std::string bytes, media_type;
  };
  std::map<std::string, StoredManifest> manifests;  // "repo@ref" (tag or digest)

  std::vector<RecordedRequest> requests;
  int tokens_issued = 0;

  // Adds content to `repo` directly (test setup).
  oci::Digest AddBlob(const std::string& repo, const std::string& bytes);
  oci::Digest AddManifest(const std::string& repo, const std::string& tag, const std::string& bytes,
                          const std::string& media_type);

  Result<HttpResponse> Send(const HttpRequest& request,
                            const std::function<Writer*(const HttpResponse&)>& on_head) override;

  // Forgets every token issued (a registry restart, a revocation).
  void RevokeTokens() { tokens_.clear(); }

  // Requests to `host` ("reg.test", "auth.test", "storage.test").
  std::vector<RecordedRequest> RequestsTo(const std::string& host) const;

 private:
  HttpResponse Handle(const RecordedRequest& req, std::string* body_out, bool* reset_after,
                      size_t* cut);
  HttpResponse HandleToken(const RecordedRequest& req);
  HttpResponse HandleRegistry(const RecordedRequest& req, const std::string& path,
                              const std::map<std::string, std::string>& query,
                              std::string* body_out, size_t* cut);
  bool Authorized(const RecordedRequest& req, const std::string& repo, bool push) const;

  std::mutex mu_;
  std::map<std::string, std::string> uploads_;  // upload id -> bytes so far
  std::map<std::string, std::string> upload_repo_;
  std::map<std::string, std::string> tokens_;  // token -> "pull" | "pull,push" (for any repo)
  int next_upload_ = 0;
};

// ---- implementation (header-only: the fake is linked into tests only) ----

namespace fake_registry_detail {

inline std::map<std::string, std::string> ParseQuery(const std::string& q) {
  std::map<std::string, std::string> out;
  size_t pos = 0;
  while (pos < q.size()) {
    size_t amp = q.find('&', pos);
    std::string kv = q.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    size_t eq = kv.find('=');
    std::string k = kv.substr(0, eq), v = eq == std::string::npos ? "" : kv.substr(eq + 1);
    std::string dec;
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i] == '%' && i + 2 < v.size()) {
        dec += char(std::stoi(v.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        dec += v[i];
      }
    }
    out[k] += (out[k].empty() ? "" : " ") + dec;  // repeated keys (scope) joined
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  return out;
}

inline HttpResponse Answer(long status, HttpHeaders headers = {}) {
  HttpResponse r;
  r.status = status;
  r.headers = std::move(headers);
  return r;
}

inline HttpResponse ErrorDoc(long status, const std::string& code, const std::string& message) {
  HttpResponse r = Answer(status, {{"content-type", "application/json"}});
  r.body = nlohmann::json{{"errors", {{{"code", code}, {"message", message}}}}}.dump();
  return r;
}

}  // namespace fake_registry_detail
using namespace fake_registry_detail;

inline oci::Digest FakeRegistry::AddBlob(const std::string& repo, const std::string& bytes) {
  oci::Digest d = oci::Digest::Of(bytes);
  blobs[d.str()] = bytes;
  repo_blobs[repo].insert(d.str());
  return d;
}

inline oci::Digest FakeRegistry::AddManifest(const std::string& repo, const std::string& tag,
                                             const std::string& bytes,
                                             const std::string& media_type) {
  oci::Digest d = oci::Digest::Of(bytes);
  manifests[repo + "@" + tag] = {bytes, media_type};
  manifests[repo + "@" + d.str()] = {bytes, media_type};
  return d;
}

inline std::vector<RecordedRequest> FakeRegistry::RequestsTo(const std::string& host) const {
  std::vector<RecordedRequest> out;
  for (const auto& r : requests) {
    if (UrlHost(r.url) == host) out.push_back(r);
  }
  return out;
}

inline bool FakeRegistry::Authorized(const RecordedRequest& req, const std::string& repo,
                                     bool push) const {
  (void)repo;
  std::string header = req.Header("Authorization");
  switch (auth) {
    case Auth::kNone:
      return true;
    case Auth::kBasic:
      return header == "Basic " + Base64Encode(user + ":" + password);
    case Auth::kBearer: {
      if (!header.starts_with("Bearer ")) return false;
      auto it = tokens_.find(header.substr(7));
      if (it == tokens_.end()) return false;
      return !push || it->second == "pull,push";
    }
  }
  return false;
}

inline HttpResponse FakeRegistry::HandleToken(const RecordedRequest& req) {
  // GET with the scope in the query, or the OAuth2 POST form (identity tokens).
  auto query = ParseQuery(req.method == "POST" ? req.body : req.url.substr(req.url.find('?') + 1));
  bool authed = req.Header("Authorization") == "Basic " + Base64Encode(user + ":" + password) ||
                (query["grant_type"] == "refresh_token" && query["refresh_token"] == refresh_token);
  if (!req.Header("Authorization").empty() && !authed) {
    return ErrorDoc(401, "UNAUTHORIZED", "bad credentials");
  }
  if (!authed && !anonymous_pull) return ErrorDoc(401, "UNAUTHORIZED", "login required");
  bool wants_push = query["scope"].find("push") != std::string::npos;
  std::string token = "tok-" + std::to_string(++tokens_issued);
  tokens_[token] = authed && wants_push ? "pull,push" : "pull";
  HttpResponse r = Answer(200, {{"content-type", "application/json"}});
  r.body = nlohmann::json{{"token", token}, {"expires_in", token_expires_in}}.dump();
  return r;
}

inline HttpResponse FakeRegistry::HandleRegistry(const RecordedRequest& req,
                                                 const std::string& path,
                                                 const std::map<std::string, std::string>& query,
                                                 std::string* body_out, size_t* cut) {
  auto challenge = [&](const std::string& repo, bool push) {
    HttpHeaders h;
    if (auth == Auth::kBasic) h.emplace_back("www-authenticate", "Basic realm=\"fake\"");
    if (auth == Auth::kBearer) {
      std::string scope =
          repo.empty() ? "" : ",scope=\"repository:" + repo + (push ? ":pull,push\"" : ":pull\"");
      h.emplace_back("www-authenticate",
                     "Bearer realm=\"https://auth.test/token\",service=\"reg.test\"" + scope);
    }
    HttpResponse r = ErrorDoc(401, "UNAUTHORIZED", "authentication required");
    r.headers.insert(r.headers.end(), h.begin(), h.end());
    return r;
  };
  if (path == "/v2/") {
    return Authorized(req, "", false) ? Answer(200) : challenge("", false);
  }
  // /v2/<repo>/(manifests|blobs)/<ref> or /v2/<repo>/blobs/uploads/[id]
  std::string rest = path.substr(4);
  size_t kind_pos = rest.find("/manifests/");
  bool is_manifest = kind_pos != std::string::npos;
  if (!is_manifest) kind_pos = rest.find("/blobs/");
  if (kind_pos == std::string::npos) return ErrorDoc(404, "NAME_UNKNOWN", "no such route");
  std::string repo = rest.substr(0, kind_pos);
  std::string tail = rest.substr(kind_pos + (is_manifest ? 11 : 7));
  bool push = req.method == "PUT" || req.method == "POST" || req.method == "PATCH";
  if (!Authorized(req, repo, push)) return challenge(repo, push);
  if (is_manifest) {
    if (req.method == "PUT") {
      oci::Digest d = AddManifest(repo, tail, req.body, req.Header("Content-Type"));
      return Answer(201, {{"docker-content-digest", d.str()}});
    }
    auto it = manifests.find(repo + "@" + tail);
    if (it == manifests.end()) return ErrorDoc(404, "MANIFEST_UNKNOWN", "manifest unknown");
    HttpResponse r =
        Answer(200, {{"content-type", it->second.media_type},
                     {"docker-content-digest", oci::Digest::Of(it->second.bytes).str()},
                     {"content-length", std::to_string(it->second.bytes.size())}});
    if (req.method == "GET") r.body = it->second.bytes;
    return r;
  }
  if (tail.starts_with("uploads/")) {
    std::string id = tail.substr(8);
    if (req.method == "POST") {
      auto mount = query.find("mount");
      if (mount != query.end() && allow_mount) {
        auto from = repo_blobs.find(query.at("from"));
        if (from != repo_blobs.end() && from->second.count(mount->second)) {
          repo_blobs[repo].insert(mount->second);
          return Answer(201, {{"location", "/v2/" + repo + "/blobs/" + mount->second}});
        }
      }
      id = "u" + std::to_string(++next_upload_);
      uploads_[id] = "";
      upload_repo_[id] = repo;
      return Answer(202, {{"location", "/v2/" + repo + "/blobs/uploads/" + id + "?_state=x"}});
    }
    auto up = uploads_.find(id);
    if (up == uploads_.end()) return ErrorDoc(404, "BLOB_UPLOAD_UNKNOWN", "no such upload");
    if (req.method == "PATCH") {
      std::string range = req.Header("Content-Range");
      if (!range.empty() && std::stoull(range) != up->second.size()) {
        return Answer(416);
      }
      up->second += req.body;
      return Answer(202, {{"location", "/v2/" + repo + "/blobs/uploads/" + id + "?_state=y"},
                          {"range", "0-" + std::to_string(up->second.size() - 1)}});
    }
    if (req.method == "PUT") {
      up->second += req.body;
      auto digest = query.find("digest");
      if (digest == query.end() || oci::Digest::Of(up->second).str() != digest->second) {
        return ErrorDoc(400, "DIGEST_INVALID", "digest did not match");
      }
      AddBlob(repo, up->second);
      uploads_.erase(up);
      return Answer(201, {{"docker-content-digest", digest->second}});
    }
    if (req.method == "DELETE") {
      uploads_.erase(up);
      return Answer(204);
    }
    return Answer(405);
  }
  // A blob.
  auto linked = repo_blobs.find(repo);
  if (linked == repo_blobs.end() || !linked->second.count(tail)) {
    return ErrorDoc(404, "BLOB_UNKNOWN", "blob unknown");
  }
  if (req.method == "GET" && redirect_blobs) {
    return Answer(307, {{"location", "https://storage.test/data/" + tail + "?sig=abc"}});
  }
  const std::string& bytes = blobs[tail];
  HttpResponse r = Answer(200, {{"content-length", std::to_string(bytes.size())}});
  if (req.method == "GET") {
    *body_out = bytes;
    if (corrupt_blobs.count(tail) && !body_out->empty()) (*body_out)[0] ^= 1;
    std::string range = req.Header("Range");
    if (!range.empty() && honour_range) {
      size_t from = std::stoull(range.substr(6));
      *body_out = body_out->substr(std::min(from, body_out->size()));
      r.status = 206;
    }
    auto c = cut_next.find(tail);
    if (c != cut_next.end()) {
      *cut = c->second;
      cut_next.erase(c);
    }
  }
  return r;
}

inline HttpResponse FakeRegistry::Handle(const RecordedRequest& req, std::string* body_out,
                                         bool* reset_after, size_t* cut) {
  (void)reset_after;
  std::string host = UrlHost(req.url);
  std::string origin = UrlOrigin(req.url);
  std::string path_query = req.url.substr(origin.size());
  std::string path = path_query.substr(0, path_query.find('?'));
  std::string query_text =
      path_query.find('?') == std::string::npos ? "" : path_query.substr(path_query.find('?') + 1);
  for (auto* faults : {&fail_next}) {
    for (auto& [key, left] : *faults) {
      if (left > 0 && (req.method + " " + path).starts_with(key)) {
        --left;
        return ErrorDoc(503, "UNAVAILABLE", "try again");
      }
    }
  }
  if (host == "auth.test") return HandleToken(req);
  if (host == "storage.test") {
    std::string digest = path.substr(6);  // "/data/<digest>"
    auto it = blobs.find(digest);
    if (it == blobs.end()) return Answer(404);
    *body_out = it->second;
    return Answer(200);
  }
  if (host != "reg.test") return Answer(404);
  return HandleRegistry(req, path, ParseQuery(query_text), body_out, cut);
}

inline Result<HttpResponse> FakeRegistry::Send(
    const HttpRequest& request, const std::function<Writer*(const HttpResponse&)>& on_head) {
  RecordedRequest rec;
  rec.method = request.method;
  rec.url = request.url;
  rec.headers = request.headers;
  if (request.open_body) {
    DISTILL_ASSIGN_OR_RETURN(auto reader, request.open_body());
    char buf[4096];
    for (;;) {
      DISTILL_ASSIGN_OR_RETURN(size_t n, reader->Read(buf, sizeof buf));
      if (n == 0) break;
      rec.body.append(buf, n);
    }
  }
  std::string body;
  bool reset_after = false;
  size_t cut = 0;
  HttpResponse response;
  {
    std::lock_guard<std::mutex> lock(mu_);
    requests.push_back(rec);
    std::string path = UrlHost(rec.url) == "" ? rec.url : rec.url.substr(UrlOrigin(rec.url).size());
    for (auto& [key, left] : reset_next) {
      if (left > 0 && (rec.method + " " + path).starts_with(key)) {
        --left;
        return Status(Status::Code::kUnavailable,
                      rec.method + " " + rec.url + ": Connection reset");
      }
    }
    response = Handle(rec, &body, &reset_after, &cut);
  }
  if (!response.body.empty()) body = response.body;
  response.body.clear();
  Writer* out = on_head ? on_head(response) : nullptr;
  std::string sent = cut > 0 ? body.substr(0, cut) : body;
  if (out != nullptr) {
    DISTILL_RETURN_IF_ERROR(out->Write(sent));
  } else {
    response.body = sent;
  }
  if (cut > 0) {
    return Status(Status::Code::kUnavailable, rec.method + " " + rec.url + ": Connection reset");
  }
  return response;
}

}  // namespace distill::transport::testing
