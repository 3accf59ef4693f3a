// /etc/ssl/certs/ca-certificates.crt made natively from the ca-certificates
// package, without running update-ca-certificates: with Debian's default
// configuration every certificate the package ships under
// /usr/share/ca-certificates is enabled, and the bundle is their PEM text
// concatenated in the (sorted) order of /etc/ca-certificates.conf.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "util/status.h"

namespace distill::distroless {

class CaBundle {
 public:
  // True for the paths update-ca-certificates would pick up:
  // "usr/share/ca-certificates/<dir>/<name>.crt".
  static bool IsCertificatePath(std::string_view path);

  // Adds one certificate file's content; rejects text without a PEM
  // certificate block, naming `path`.
  Status Add(const std::string& path, std::string pem);

  size_t size() const { return certs_.size(); }
  // The bundle: each certificate in path order, each ending in a newline.
  std::string Render() const;

 private:
  std::map<std::string, std::string> certs_;  // path → PEM text
};

}  // namespace distill::distroless
