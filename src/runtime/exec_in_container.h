// `distill exec`: runs a command inside a running container. The new process
// joins the namespaces of the container's pid 1 (ipc, uts, net, pid, mnt —
// setns; the pid namespace applies to children, hence a fork after it) and is
// hardened exactly as the container's own processes are: Docker's default
// bounding and effective capabilities, no_new_privs, the default seccomp
// filter (exec/ capabilities.h and seccomp_profile.h) — and it joins the
// container's cgroups, so its resource limits cover exec'd processes too.
// The process leads a session of its own: with -t a pty opened inside the
// container is its controlling terminal; without, it has none.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "util/status.h"

namespace distill::runtime {

struct ExecRequest {
  std::vector<std::string> argv;
  std::vector<std::string> env;  // added to the container's
  std::optional<std::string> user;
  std::optional<std::string> workdir;
  bool interactive = false;  // -i: distill's stdin (else /dev/null)
  bool tty = false;          // -t: a pty relayed to distill's stdin/stdout
};

// Returns the command's exit status (128+N when signal N killed it); stdout
// and stderr are distill's own (with -t, the pty's output goes to stdout).
Result<int> ExecInContainer(const std::string& store_root, const std::string& name_or_id,
                            const ExecRequest& request);

}  // namespace distill::runtime
