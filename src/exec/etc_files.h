// The three files every container gets read-only: /etc/hosts, /etc/hostname
// and /etc/resolv.conf. They are generated in a temporary directory outside
// the rootfs and bind-mounted over the image's own, so a RUN step never writes
// them into its layer.
#pragma once

#include <string>

#include "exec/process_spec.h"
#include "util/status.h"

namespace distill::exec {

// /etc/hosts: localhost (v4 and v6) and the container's hostname.
std::string HostsFileFor(const std::string& hostname);

// /etc/resolv.conf from the host's: kept as is with host networking; in a new
// network namespace a loopback nameserver (systemd-resolved's 127.0.0.53,
// dnsmasq) is unreachable, so those lines are dropped and public resolvers are
// used when none is left, as Docker does.
std::string ResolvConfFor(const std::string& host_resolv_conf, NetworkMode network);

// A temp directory holding hosts, hostname and resolv.conf; removed on
// destruction.
class EtcFiles {
 public:
  static Result<EtcFiles> Create(const std::string& hostname, NetworkMode network,
                                 const std::string& host_resolv_conf_path = "/etc/resolv.conf");
  EtcFiles(EtcFiles&& o) noexcept : dir_(std::move(o.dir_)) { o.dir_.clear(); }
  EtcFiles& operator=(EtcFiles&&) = delete;
  EtcFiles(const EtcFiles&) = delete;
  ~EtcFiles();

  std::string hosts() const { return dir_ + "/hosts"; }
  std::string hostname() const { return dir_ + "/hostname"; }
  std::string resolv_conf() const { return dir_ + "/resolv.conf"; }

 private:
  explicit EtcFiles(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
};

}  // namespace distill::exec
