// Per-registry settings: mirrors, plain-HTTP ("insecure") registries and
// TLS material. Read from JSON files, later files overriding earlier ones per
// registry:
//
//   /etc/distill/registries.json
//   $XDG_CONFIG_HOME/distill/registries.json (~/.config/distill/registries.json)
//   $DISTILL_REGISTRIES_CONFIG (a file; replaces the two above when set)
//
//   {"registries": {
//      "docker.io":      {"mirrors": ["mirror.example.com:5000"]},
//      "build-cache:5000": {"insecure": true}}}
//
// CA certificates come from certs.d-style directories, as Docker and
// containerd lay them out: DIR/HOST[:PORT]/*.crt are trusted CAs, client.cert
// and client.key a client certificate. DIRs: /etc/distill/certs.d,
// ~/.config/distill/certs.d, /etc/docker/certs.d, or $DISTILL_CERTS_D.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "transport/http_client.h"
#include "util/status.h"

namespace distill::transport {

struct RegistryHostConfig {
  std::vector<std::string> mirrors;  // hosts tried first for pulls, in order
  bool insecure = false;             // plain HTTP (and unverified TLS) allowed
};

class RegistryConfig {
 public:
  RegistryConfig() = default;
  // Reads the files above (missing files are fine; malformed ones are errors
  // naming the file).
  static Result<RegistryConfig> Load();
  // Parses one document; `source` names it in errors.
  static Result<RegistryConfig> Parse(const std::string& json, const std::string& source);
  // Reads `path` and merges it over this config (missing: no change).
  Status MergeFile(const std::string& path);

  // The settings for `host` (defaults when it is not configured).
  RegistryHostConfig For(const std::string& host) const;
  void Set(const std::string& host, RegistryHostConfig config) { hosts_[host] = std::move(config); }

  // Whether plain HTTP may be used: insecure in config, or a loopback host.
  bool AllowsPlainHttp(const std::string& host) const;
  // TLS options for `host` from the certs.d directories.
  TlsOptions TlsFor(const std::string& host) const;

  std::vector<std::string> certs_dirs;

 private:
  std::map<std::string, RegistryHostConfig> hosts_;
};

// localhost, 127.0.0.0/8, ::1 (with or without a port).
bool IsLoopbackHost(const std::string& host);

}  // namespace distill::transport
