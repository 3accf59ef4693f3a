#include "distroless/ca_bundle.h"

namespace distill::distroless {

bool CaBundle::IsCertificatePath(std::string_view path) {
  constexpr std::string_view kDir = "usr/share/ca-certificates/";
  constexpr std::string_view kExt = ".crt";
  return path.size() > kDir.size() + kExt.size() && path.substr(0, kDir.size()) == kDir &&
         path.substr(path.size() - kExt.size()) == kExt;
}

Status CaBundle::Add(const std::string& path, std::string pem) {
  size_t begin = pem.find("-----BEGIN CERTIFICATE-----");
  if (begin == std::string::npos ||
      pem.find("-----END CERTIFICATE-----", begin) == std::string::npos)
    return Status::Corrupt(path + ": not a PEM certificate");
  if (pem.back() != '\n') pem.push_back('\n');
  certs_[path] = std::move(pem);
  return Status::Ok();
}

std::string CaBundle::Render() const {
  std::string out;
  for (const auto& [path, pem] : certs_) out += pem;
  return out;
}

}  // namespace distill::distroless
