// Registry credentials, stored and looked up the way Docker does it, so a
// `docker login` is good for distill and the other way round:
//
//   1. distill's own auth file, written by `distill login`:
//      $DISTILL_AUTH_FILE, else $XDG_CONFIG_HOME/distill/auth.json
//      (~/.config/distill/auth.json). A Docker-style config.json, mode 0600.
//   2. Docker's config: $DOCKER_CONFIG/config.json, else ~/.docker/config.json.
//
// In each file, for a registry host: credHelpers[host] names a helper; else
// auths[host].auth (base64 "user:password") or identitytoken; else credsStore
// names a helper for every host. A helper is run as Docker runs it:
// `docker-credential-NAME get` with the server on stdin and
// {"Username":..,"Secret":..} on stdout ("<token>" as Username means Secret is
// an identity token).
//
// Secrets never leave this file's types except into an Authorization header:
// no message built here contains one.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/status.h"

namespace distill::transport {

struct Credentials {
  std::string username;
  std::string password;
  std::string identity_token;  // OAuth2 refresh token (helpers, `docker login` to some registries)
};

// Runs `program` with `args`, feeding `input` on stdin; returns its stdout.
// A non-zero exit is an error (stderr is not included: helpers may echo input).
using HelperRunner = std::function<Result<std::string>(
    const std::string& program, const std::vector<std::string>& args, const std::string& input)>;

// The production runner: fork/exec through PATH.
Result<std::string> RunCredentialHelper(const std::string& program,
                                        const std::vector<std::string>& args,
                                        const std::string& input);

class CredentialStore {
 public:
  // `files` are searched in order; the first one is where Store/Erase write.
  CredentialStore(std::vector<std::string> files, HelperRunner runner = RunCredentialHelper);
  // The default search list above, from the environment.
  static CredentialStore Default();

  // Credentials for a registry host ("docker.io", "localhost:5000"). nullopt when
  // none are configured. A file that cannot be parsed is an error naming it.
  Result<std::optional<Credentials>> Get(const std::string& host) const;
  // Writes user/password for `host` into the first file (created 0600, replaced
  // atomically; other entries kept).
  Status Store(const std::string& host, const Credentials& creds) const;
  // Removes `host` from the first file; kNotFound when it was not there.
  Status Erase(const std::string& host) const;

  const std::vector<std::string>& files() const { return files_; }

  // Credentials for `host` that win over the files, held in memory only
  // (`distill login` checks a password with the registry before storing it).
  void Preset(const std::string& host, Credentials creds) { preset_[host] = std::move(creds); }

 private:
  std::vector<std::string> files_;
  std::map<std::string, Credentials> preset_;
  HelperRunner runner_;
};

// The keys a config.json may file `host` under ("https://index.docker.io/v1/"
// for Docker Hub, "host", "https://host", "http://host").
std::vector<std::string> CredentialKeysFor(const std::string& host);

}  // namespace distill::transport
