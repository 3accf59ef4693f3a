// PortProxy: `run -p` without iptables. The monitor listens on the host and,
// for each TCP connection (or each UDP client address), opens a socket INSIDE
// the container's network namespace to 127.0.0.1:CONTAINER_PORT and copies
// bytes both ways.
//
// How a socket gets into the container's namespace: each listener's thread
// calls setns(CLONE_NEWNET) on itself once it has its host socket (a thread's
// network namespace is its own; sockets keep the namespace they were created
// in), so every socket it — or a thread it spawns — creates afterwards lives
// in the container's namespace, while the listening socket stays on the host.
#pragma once

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "exec/unique_fd.h"
#include "runtime/port_mapping.h"
#include "util/status.h"

namespace distill::runtime {

class PortProxy {
 public:
  // Binds every mapping on the host now (so a busy port fails the start),
  // filling in the host ports chosen for host_port 0.
  static Result<std::unique_ptr<PortProxy>> Bind(std::vector<PortMapping>* mappings);
  ~PortProxy();
  PortProxy(const PortProxy&) = delete;
  PortProxy& operator=(const PortProxy&) = delete;

  // Starts forwarding into the network namespace `netns_fd` (dup'ed; -1: the
  // caller's own namespace, for --network host).
  Status Start(int netns_fd);
  // Closes the listeners; connections in flight end on their own.
  void Stop();

 private:
  struct Listener {
    PortMapping mapping;
    exec::UniqueFd fd;
  };
  PortProxy() = default;
  void ServeTcp(Listener* l);
  void ServeUdp(Listener* l);

  std::vector<Listener> listeners_;
  std::vector<std::thread> threads_;
  exec::UniqueFd netns_;
  exec::UniqueFd stop_event_;
};

}  // namespace distill::runtime
