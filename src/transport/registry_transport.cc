#include "transport/registry_transport.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

namespace distill::transport {
namespace {

std::string Join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

bool IsRedirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// " MANIFEST_UNKNOWN: manifest unknown" from the registry's error document.
std::string RegistryErrorDetail(const HttpResponse& response) {
  auto doc = nlohmann::json::parse(response.body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("errors") ||
      !doc["errors"].is_array()) {
    return "";
  }
  std::string out;
  for (const auto& e : doc["errors"]) {
    if (!e.is_object()) continue;
    std::string code = e.value("code", "");
    std::string message =
        e.contains("message") && e["message"].is_string() ? e["message"].get<std::string>() : "";
    out += out.empty() ? " " : "; ";
    out += code.empty() ? message : code + (message.empty() ? "" : ": " + message);
  }
  return out;
}

// The registry a user logs in to: the first component of "docker.io/library/x".
std::string LoginHost(const std::string& display) {
  return display.substr(0, display.find('/'));
}

}  // namespace

std::string UrlOrigin(const std::string& url) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  size_t slash = url.find_first_of("/?#", scheme + 3);
  return url.substr(0, slash);
}

std::string UrlHost(const std::string& url) {
  std::string origin = UrlOrigin(url);
  size_t scheme = origin.find("://");
  if (scheme == std::string::npos) return "";
  std::string host = origin.substr(scheme + 3);
  size_t at = host.rfind('@');
  if (at != std::string::npos) host = host.substr(at + 1);
  return host;
}

std::string ResolveLocation(const std::string& base_url, const std::string& location) {
  if (location.find("://") != std::string::npos) return location;
  if (location.starts_with("//")) return base_url.substr(0, base_url.find("://") + 1) + location;
  if (location.starts_with("/")) return UrlOrigin(base_url) + location;
  // Relative to the base's directory (rare for registries).
  std::string path_base = base_url.substr(0, base_url.find('?'));
  return path_base.substr(0, path_base.rfind('/') + 1) + location;
}

std::string UrlEncode(const std::string& s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += char(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

RegistryTransport::RegistryTransport(const RegistryClientOptions* options) : options_(options) {}

void RegistryTransport::Sleep(int ms) const {
  if (options_->sleep) {
    options_->sleep(ms);
  } else {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  }
}

int64_t RegistryTransport::Now() const {
  if (options_->now) return options_->now();
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void RegistryTransport::Log(const std::string& line) const {
  if (options_->log) options_->log(line);
}

RegistryTransport::HostState* RegistryTransport::StateFor(const std::string& host) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = hosts_[host];
  if (!slot) slot = std::make_unique<HostState>();
  return slot.get();
}

Status RegistryTransport::Probe(const std::string& host, HostState* state) {
  // Called with state->mu held.
  if (state->probed) return Status::Ok();
  const RegistryConfig& config = options_->config;
  bool insecure = config.For(host).insecure;
  TlsOptions tls = config.TlsFor(host);
  if (insecure) tls.verify = false;
  std::vector<std::string> schemes = {"https"};
  if (config.AllowsPlainHttp(host)) schemes.push_back("http");
  Status first_error;
  for (const auto& scheme : schemes) {
    HttpRequest req;
    req.url = scheme + "://" + host + "/v2/";
    req.tls = tls;
    auto r = options_->http->Send(req, nullptr);
    if (!r.ok()) {
      if (first_error.ok()) first_error = r.status();
      continue;
    }
    if (r->status != 200 && r->status != 401) {
      if (first_error.ok()) {
        first_error = Status(Status::Code::kUnavailable, "GET " + req.url + " answered HTTP " +
                                                             std::to_string(r->status) +
                                                             ": not an OCI/Docker v2 registry?");
      }
      continue;
    }
    state->challenges.clear();
    for (const auto& h : r->Headers("www-authenticate")) {
      auto parsed = ParseAuthChallenges(h);
      if (!parsed.ok()) return parsed.status().Prefixed("registry " + host);
      for (auto& c : *parsed) state->challenges.push_back(std::move(c));
    }
    state->base_url = scheme + "://" + host;
    state->tls = tls;
    state->probed = true;
    return Status::Ok();
  }
  std::string hint;
  const std::string& why = first_error.message();
  if (why.find("certificate") != std::string::npos || why.find("SSL") != std::string::npos) {
    hint =
        " (if its certificate comes from a private CA, put the CA in a certs.d directory: "
        "/etc/distill/certs.d/" +
        host + "/ca.crt)";
  } else if (!config.AllowsPlainHttp(host) && why.find("resolve") == std::string::npos) {
    hint = " (if " + host + " serves plain HTTP, mark it insecure in registries.json)";
  }
  return Status(Status::Code::kUnavailable,
                "cannot reach registry " + host + ": " + first_error.message() + hint);
}

Result<std::string> RegistryTransport::BaseUrl(const std::string& host) {
  HostState* state = StateFor(host);
  std::lock_guard<std::mutex> lock(state->mu);
  DISTILL_RETURN_IF_ERROR(Probe(host, state));
  return state->base_url;
}

Status RegistryTransport::LoadCredentials(const std::string& host, HostState* state) {
  if (state->creds_loaded) return Status::Ok();
  state->creds_loaded = true;
  if (options_->credentials == nullptr) return Status::Ok();
  // Credentials are filed under the name users log in to (docker.io, not its API host).
  std::string key = host == "registry-1.docker.io" ? "docker.io" : host;
  DISTILL_ASSIGN_OR_RETURN(state->creds, options_->credentials->Get(key));
  return Status::Ok();
}

Result<RegistryTransport::Token> RegistryTransport::FetchToken(
    const std::string& host, HostState* state, const AuthChallenge& challenge,
    const std::vector<std::string>& scopes) {
  std::string realm = challenge.Param("realm");
  if (realm.empty())
    return Status::Invalid("registry " + host + ": Bearer challenge without realm");
  std::string realm_host = UrlHost(realm);
  if (realm.starts_with("http://") && !options_->config.AllowsPlainHttp(realm_host)) {
    return Status::Invalid("registry " + host + " sends clients to a plain-HTTP token service " +
                           realm_host + "; refused (mark it insecure in registries.json)");
  }
  HttpRequest req;
  req.tls = options_->config.TlsFor(realm_host);
  if (options_->config.For(realm_host).insecure) req.tls.verify = false;
  std::string query;
  auto add = [&query](const std::string& k, const std::string& v) {
    query += (query.empty() ? "" : "&") + k + "=" + UrlEncode(v);
  };
  if (!challenge.Param("service").empty()) add("service", challenge.Param("service"));
  for (const auto& s : scopes) add("scope", s);
  const std::optional<Credentials>& creds = state->creds;
  if (creds && !creds->identity_token.empty()) {
    // OAuth2 refresh-token grant, as Docker does with identity tokens.
    add("grant_type", "refresh_token");
    add("refresh_token", creds->identity_token);
    add("client_id", "distill");
    req.method = "POST";
    req.url = realm;
    req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    std::string body = query;
    req.body_size = body.size();
    req.open_body = [body]() -> Result<std::unique_ptr<Reader>> {
      return std::unique_ptr<Reader>(std::make_unique<StringReader>(body));
    };
  } else {
    if (creds) {
      add("account", creds->username);
      req.headers.emplace_back("Authorization",
                               "Basic " + Base64Encode(creds->username + ":" + creds->password));
    }
    req.url = realm + (realm.find('?') == std::string::npos ? "?" : "&") + query;
  }
  // The URL may carry a refresh token in a POST body only, never in the query;
  // errors name the realm without the query.
  std::string where = "token service " + realm;
  Result<HttpResponse> r = Status::Error("unreached");
  int delay = options_->retry_delay_ms;
  for (int attempt = 1;; ++attempt) {
    r = options_->http->Send(req, nullptr);
    bool retry = !r.ok() || r->status == 429 || r->status >= 500;
    if (!retry || attempt >= std::max(1, options_->attempts)) break;
    Sleep(delay);
    delay *= 2;
  }
  if (!r.ok()) {
    return Status(Status::Code::kUnavailable, "registry " + host + ": cannot reach " + where);
  }
  if (r->status == 401 || r->status == 403) {
    std::string login = host == "registry-1.docker.io" ? "docker.io" : host;
    return Status(Status::Code::kPermission,
                  "registry " + login + ": " + where + " refused " +
                      (creds ? "the stored credentials" : "anonymous access") + " (HTTP " +
                      std::to_string(r->status) + "): run `distill login " + login + "`" +
                      (creds ? " again" : ""));
  }
  if (r->status != 200) {
    return Status(Status::Code::kUnavailable, "registry " + host + ": " + where +
                                                  " answered HTTP " + std::to_string(r->status));
  }
  auto doc = nlohmann::json::parse(r->body, nullptr, false);
  Token token;
  if (doc.is_object()) {
    for (const char* key : {"token", "access_token"}) {
      if (doc.contains(key) && doc[key].is_string() && !doc[key].get<std::string>().empty()) {
        token.value = doc[key].get<std::string>();
        break;
      }
    }
  }
  if (token.value.empty()) {
    return Status::Invalid("registry " + host + ": " + where + " answered without a token");
  }
  int64_t expires_in = 60;  // the distribution spec's default
  if (doc.contains("expires_in") && doc["expires_in"].is_number_integer()) {
    expires_in = std::max<int64_t>(doc["expires_in"].get<int64_t>(), 60);
  }
  // Fetch a new one a little before it runs out, not after a failed request.
  token.expires = Now() + expires_in - 10;
  return token;
}

Result<std::string> RegistryTransport::Authorization(const std::string& host, HostState* state,
                                                     const std::vector<std::string>& scopes,
                                                     bool refresh) {
  std::lock_guard<std::mutex> lock(state->mu);
  DISTILL_RETURN_IF_ERROR(Probe(host, state));
  const AuthChallenge* bearer = nullptr;
  const AuthChallenge* basic = nullptr;
  for (const auto& c : state->challenges) {
    if (c.scheme == "bearer" && bearer == nullptr) bearer = &c;
    if (c.scheme == "basic" && basic == nullptr) basic = &c;
  }
  if (bearer == nullptr && basic == nullptr) return std::string();
  DISTILL_RETURN_IF_ERROR(LoadCredentials(host, state));
  if (bearer != nullptr) {
    std::string key = Join(scopes, " ");
    auto it = state->tokens.find(key);
    if (!refresh && it != state->tokens.end() && it->second.expires > Now()) {
      return "Bearer " + it->second.value;
    }
    DISTILL_ASSIGN_OR_RETURN(Token t, FetchToken(host, state, *bearer, scopes));
    state->tokens[key] = t;
    return "Bearer " + t.value;
  }
  if (!state->creds || state->creds->username.empty()) return std::string();
  return "Basic " + Base64Encode(state->creds->username + ":" + state->creds->password);
}

Result<CallResult> RegistryTransport::Do(const RegistryCall& call) {
  HostState* state = StateFor(call.host);
  DISTILL_ASSIGN_OR_RETURN(std::string base, BaseUrl(call.host));
  std::string url = call.target.find("://") != std::string::npos ? call.target : base + call.target;
  std::string registry_origin = base;
  int attempts = call.attempts > 0 ? call.attempts : std::max(1, options_->attempts);
  int attempt = 1;
  int delay = options_->retry_delay_ms;
  int redirects = 0;
  bool refreshed = false;
  std::string method = call.method;
  for (;;) {
    HttpRequest req;
    req.method = method;
    req.url = url;
    req.headers = call.headers;
    bool to_registry = UrlOrigin(url) == registry_origin;
    if (to_registry) {
      req.tls = state->tls;
      // After a 401 the cached token was dropped, so this asks for a new one.
      DISTILL_ASSIGN_OR_RETURN(std::string auth,
                               Authorization(call.host, state, call.scopes, false));
      if (!auth.empty()) req.headers.emplace_back("Authorization", auth);
    } else {
      // Blob storage behind a redirect: its own TLS settings, and no credentials.
      std::string other = UrlHost(url);
      req.tls = options_->config.TlsFor(other);
      if (options_->config.For(other).insecure) req.tls.verify = false;
    }
    if (method != "GET" && method != "HEAD") {
      req.open_body = call.open_body;
      req.body_size = call.body_size;
    }
    auto r = options_->http->Send(req, [&call](const HttpResponse& head) -> Writer* {
      if (head.status >= 200 && head.status < 300 && call.on_success_body) {
        return call.on_success_body(head);
      }
      return nullptr;
    });
    if (!r.ok()) {
      if (r.status().code() == Status::Code::kUnavailable && attempt < attempts) {
        Log(call.display + ": " + r.status().message() + "; retrying in " + std::to_string(delay) +
            " ms");
        Sleep(delay);
        delay *= 2;
        ++attempt;
        continue;
      }
      if (r.status().code() == Status::Code::kUnavailable) {
        return Status(Status::Code::kUnavailable, call.display + ": " + r.status().message() +
                                                      " (after " + std::to_string(attempt) +
                                                      " attempts)");
      }
      return r.status();
    }
    long status = r->status;
    if (status == 401 && to_registry && !refreshed) {
      // The token may have expired or lack a scope: take the new challenge and ask again.
      refreshed = true;
      {
        std::lock_guard<std::mutex> lock(state->mu);
        auto headers = r->Headers("www-authenticate");
        if (!headers.empty()) {
          std::vector<AuthChallenge> fresh;
          for (const auto& h : headers) {
            auto parsed = ParseAuthChallenges(h);
            if (!parsed.ok()) return parsed.status().Prefixed("registry " + call.host);
            for (auto& c : *parsed) fresh.push_back(std::move(c));
          }
          state->challenges = std::move(fresh);
        }
        state->tokens.erase(Join(call.scopes, " "));
      }
      continue;
    }
    if (IsRedirect(status)) {
      auto location = r->Header("location");
      if (!location) return Status::Invalid(call.display + ": redirect without a Location");
      if (++redirects > 5) return Status::Invalid(call.display + ": too many redirects");
      url = ResolveLocation(url, *location);
      if (status == 303) method = "GET";
      continue;
    }
    bool transient = status == 429 || status >= 500;
    if (transient && attempt < attempts) {
      int wait = delay;
      if (auto after = r->Header("retry-after")) {
        int seconds = std::atoi(after->c_str());
        if (seconds > 0) wait = std::min(seconds, 10) * 1000;
      }
      Log(call.display + ": HTTP " + std::to_string(status) + "; retrying in " +
          std::to_string(wait) + " ms");
      Sleep(wait);
      delay *= 2;
      ++attempt;
      continue;
    }
    return CallResult{std::move(*r), url};
  }
}

Status RegistryTransport::ErrorFor(const RegistryCall& call, const HttpResponse& response,
                                   const std::string& what) const {
  std::string detail = RegistryErrorDetail(response);
  std::string http = "(HTTP " + std::to_string(response.status) + detail + ")";
  std::string login = LoginHost(call.display);
  bool have_creds = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = hosts_.find(call.host);
    if (it != hosts_.end()) {
      std::lock_guard<std::mutex> host_lock(it->second->mu);
      have_creds = it->second->creds.has_value();
    }
  }
  switch (response.status) {
    case 401:
      return Status(
          Status::Code::kPermission,
          call.display + ": unauthorized " + http + " for " + what + ": " +
              (have_creds ? "the registry refused the stored credentials; run `distill "
                            "login " +
                                login + "` again"
                          : "authentication required; run `distill login " + login + "`"));
    case 403:
      return Status(Status::Code::kPermission,
                    call.display + ": denied " + http + " for " + what +
                        ": the account lacks access to this repository (check its name, or run "
                        "`distill login " +
                        login + "` with another account)");
    case 404:
      return Status::NotFound(call.display + ": " + what + " not found " + http);
    case 429:
      return Status(Status::Code::kUnavailable,
                    call.display + ": too many requests " + http + " for " + what +
                        ": the registry rate-limits this client; try later, or log in");
    default:
      if (response.status >= 500) {
        return Status(Status::Code::kUnavailable, call.display + ": registry error " + http +
                                                      " for " + what + "; try again later");
      }
      return Status::Io(call.display + ": unexpected answer " + http + " for " + what);
  }
}

}  // namespace distill::transport
