// The sandbox's pid 1 before exec: one straight sequence of small steps
// (DESIGN.md), each returning a precise error:
//   wait for the cgroup → mounts (private propagation, rootfs, /proc, /dev,
//   /sys, extra mounts, /etc files) → pivot_root → masked and read-only paths
//   → hostname, loopback → bounding set, uid/gid, capabilities → cwd →
//   no_new_privs → stdio (or a new pty), close fds → a session of its own →
//   seccomp → execve.
#pragma once

#include "exec/etc_files.h"
#include "exec/process_spec.h"

namespace distill::exec {

struct SandboxChildContext {
  const ProcessSpec* spec = nullptr;  // rootfs already made absolute
  const EtcFiles* etc = nullptr;
  int stdio[3] = {-1, -1, -1};  // host fds to become 0, 1, 2
  int status_fd = -1;           // CLOEXEC write end of the setup channel
  int go_fd = -1;               // read end: one byte once the cgroup is set
  int terminal_fd = -1;         // spec->terminal: unix socket the pty master is sent over
};

// Never returns: execs the program, or reports the failing step over
// status_fd and exits with 127.
[[noreturn]] void RunSandboxChild(const SandboxChildContext& ctx);

}  // namespace distill::exec
