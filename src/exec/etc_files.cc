#include "exec/etc_files.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <sstream>

namespace distill::exec {
namespace {

bool IsLoopbackAddress(const std::string& addr) {
  return addr.rfind("127.", 0) == 0 || addr == "::1";
}

Status WriteFile(const std::string& path, const std::string& text) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::FromErrno("create " + path, errno);
  size_t off = 0;
  while (off < text.size()) {
    ssize_t n = write(fd, text.data() + off, text.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      close(fd);
      return Status::FromErrno("write " + path, err);
    }
    off += static_cast<size_t>(n);
  }
  close(fd);
  return Status::Ok();
}

}  // namespace

std::string HostsFileFor(const std::string& hostname) {
  std::string out =
      "127.0.0.1\tlocalhost\n"
      "::1\tlocalhost ip6-localhost ip6-loopback\n"
      "fe00::0\tip6-localnet\n"
      "ff00::0\tip6-mcastprefix\n"
      "ff02::1\tip6-allnodes\n"
      "ff02::2\tip6-allrouters\n";
  if (!hostname.empty()) out += "127.0.1.1\t" + hostname + "\n";
  return out;
}

std::string ResolvConfFor(const std::string& host_resolv_conf, NetworkMode network) {
  if (network == NetworkMode::kHost) return host_resolv_conf;
  std::istringstream in(host_resolv_conf);
  std::string line, out;
  bool has_nameserver = false;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string key, value;
    words >> key >> value;
    if (key == "nameserver") {
      if (IsLoopbackAddress(value)) continue;
      has_nameserver = true;
    }
    out += line + "\n";
  }
  if (!has_nameserver) out += "nameserver 8.8.8.8\nnameserver 8.8.4.4\n";
  return out;
}

Result<EtcFiles> EtcFiles::Create(const std::string& hostname, NetworkMode network,
                                  const std::string& host_resolv_conf_path) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "distill-etc-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) return Status::FromErrno("mkdtemp " + tmpl, errno);
  EtcFiles files(tmpl);
  std::string host_resolv;
  int fd = open(host_resolv_conf_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof(buf))) > 0) host_resolv.append(buf, static_cast<size_t>(n));
    close(fd);
  }
  // A host without resolv.conf still gets a working default.
  DISTILL_RETURN_IF_ERROR(WriteFile(files.resolv_conf(), ResolvConfFor(host_resolv, network)));
  DISTILL_RETURN_IF_ERROR(WriteFile(files.hosts(), HostsFileFor(hostname)));
  DISTILL_RETURN_IF_ERROR(WriteFile(files.hostname(), hostname + "\n"));
  return files;
}

EtcFiles::~EtcFiles() {
  if (dir_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

}  // namespace distill::exec
