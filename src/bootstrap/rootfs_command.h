// Runs a shell command inside the rootfs being bootstrapped, in distill's own
// sandbox (exec::Run: fresh namespaces, Docker's default hardening, host
// network so apt can reach the mirror), as root, with the environment dpkg
// and debconf need to run unattended.
#pragma once

#include <string>
#include <vector>

#include "exec/process_spec.h"
#include "util/status.h"

namespace distill::bootstrap {

// The environment of every bootstrap command.
std::vector<std::string> BootstrapEnv();

// The last `n` lines of `text` (for errors: what dpkg said before it failed).
std::string LastLines(const std::string& text, size_t n);

// Runs `/bin/sh -c script` in `root`. `what` ("dpkg --install (base system)")
// names the step in errors, which carry the exit status and the last lines of
// the command's output.
Status RunInRootfs(const std::string& root, const std::string& script, const std::string& what,
                   const std::vector<exec::BindMount>& binds = {});

}  // namespace distill::bootstrap
