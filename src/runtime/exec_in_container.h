// `distill exec`: runs a command inside a running container. The new process
// joins the namespaces of the container's pid 1 (ipc, uts, net, pid, mnt —
// setns; the pid namespace applies to children, hence a fork after it) and is
// hardened exactly as the container's own processes are: Docker's default
// bounding and effective capabilities, no_new_privs, the default seccomp
// filter (exec/ capabilities.h and seccomp_profile.h). It does not join the
// container's cgroup (resource limits do not cover exec'd processes).
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
};

// Returns the command's exit status (128+N when signal N killed it); stdio is
// distill's own.
Result<int> ExecInContainer(const std::string& store_root, const std::string& name_or_id,
                            const ExecRequest& request);

}  // namespace distill::runtime
