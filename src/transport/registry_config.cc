#include "transport/registry_config.h"

#include <arpa/inet.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace distill::transport {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

std::string UserConfigDir() {
  std::string xdg = Env("XDG_CONFIG_HOME");
  return xdg.empty() ? Env("HOME") + "/.config" : xdg;
}

// "host:port" -> "host"; "[::1]:5000" -> "::1".
std::string HostOnly(const std::string& host) {
  if (!host.empty() && host[0] == '[') {
    size_t close = host.find(']');
    return host.substr(1, close == std::string::npos ? std::string::npos : close - 1);
  }
  size_t colon = host.rfind(':');
  if (colon != std::string::npos && host.find(':') == colon) return host.substr(0, colon);
  return host;
}

std::string ReadText(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

bool IsLoopbackHost(const std::string& host) {
  std::string h = HostOnly(host);
  if (h == "localhost" || h == "::1") return true;
  in_addr addr{};
  if (inet_pton(AF_INET, h.c_str(), &addr) == 1) return (ntohl(addr.s_addr) >> 24) == 127;
  return false;
}

Result<RegistryConfig> RegistryConfig::Parse(const std::string& json, const std::string& source) {
  auto doc = nlohmann::json::parse(json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::Invalid(source + ": not a JSON object");
  }
  RegistryConfig config;
  if (!doc.contains("registries")) return config;
  if (!doc["registries"].is_object()) {
    return Status::Invalid(source + ": \"registries\" must be an object of host -> settings");
  }
  for (const auto& [host, entry] : doc["registries"].items()) {
    std::string where = source + ": registries[\"" + host + "\"]";
    if (!entry.is_object()) return Status::Invalid(where + " must be an object");
    RegistryHostConfig c;
    for (const auto& [key, value] : entry.items()) {
      if (key == "insecure") {
        if (!value.is_boolean()) return Status::Invalid(where + ".insecure must be true or false");
        c.insecure = value.get<bool>();
      } else if (key == "mirrors") {
        if (!value.is_array()) return Status::Invalid(where + ".mirrors must be a list of hosts");
        for (const auto& m : value) {
          if (!m.is_string() || m.get<std::string>().empty()) {
            return Status::Invalid(where + ".mirrors must be a list of hosts");
          }
          c.mirrors.push_back(m.get<std::string>());
        }
      } else {
        return Status::Invalid(where + ": unknown setting \"" + key +
                               "\" (known: mirrors, insecure)");
      }
    }
    config.hosts_[host] = std::move(c);
  }
  return config;
}

Status RegistryConfig::MergeFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::Ok();
  DISTILL_ASSIGN_OR_RETURN(RegistryConfig other, Parse(ReadText(path), path));
  for (auto& [host, c] : other.hosts_) hosts_[host] = std::move(c);
  return Status::Ok();
}

Result<RegistryConfig> RegistryConfig::Load() {
  RegistryConfig config;
  std::string explicit_file = Env("DISTILL_REGISTRIES_CONFIG");
  if (!explicit_file.empty()) {
    std::error_code ec;
    if (!std::filesystem::exists(explicit_file, ec)) {
      return Status::NotFound("DISTILL_REGISTRIES_CONFIG=" + explicit_file + ": no such file");
    }
    DISTILL_RETURN_IF_ERROR(config.MergeFile(explicit_file));
  } else {
    DISTILL_RETURN_IF_ERROR(config.MergeFile("/etc/distill/registries.json"));
    DISTILL_RETURN_IF_ERROR(config.MergeFile(UserConfigDir() + "/distill/registries.json"));
  }
  std::string certs = Env("DISTILL_CERTS_D");
  if (!certs.empty()) {
    config.certs_dirs = {certs};
  } else {
    config.certs_dirs = {"/etc/distill/certs.d", UserConfigDir() + "/distill/certs.d",
                         "/etc/docker/certs.d"};
  }
  return config;
}

RegistryHostConfig RegistryConfig::For(const std::string& host) const {
  auto it = hosts_.find(host);
  return it == hosts_.end() ? RegistryHostConfig{} : it->second;
}

bool RegistryConfig::AllowsPlainHttp(const std::string& host) const {
  return For(host).insecure || IsLoopbackHost(host);
}

TlsOptions RegistryConfig::TlsFor(const std::string& host) const {
  TlsOptions tls;
  for (const auto& dir : certs_dirs) {
    std::filesystem::path d = std::filesystem::path(dir) / host;
    std::error_code ec;
    if (!std::filesystem::is_directory(d, ec)) continue;
    std::vector<std::filesystem::path> entries;
    for (const auto& e : std::filesystem::directory_iterator(d, ec)) entries.push_back(e.path());
    std::sort(entries.begin(), entries.end());
    for (const auto& p : entries) {
      if (p.extension() == ".crt") tls.extra_ca_pem += ReadText(p) + "\n";
      if (p.filename() == "client.cert" && tls.client_cert_file.empty()) {
        tls.client_cert_file = p.string();
        tls.client_key_file = (d / "client.key").string();
      }
    }
  }
  return tls;
}

}  // namespace distill::transport
