#include "bootstrap/rootfs_command.h"

#include "bootstrap/recipe.h"
#include "exec/sandbox.h"

namespace distill::bootstrap {

std::vector<std::string> BootstrapEnv() {
  return {std::string("PATH=") + kDefaultPath,
          "DEBIAN_FRONTEND=noninteractive",
          "DEBCONF_NONINTERACTIVE_SEEN=true",
          "LC_ALL=C",
          "LANG=C",
          "HOME=/root"};
}

std::string LastLines(const std::string& text, size_t n) {
  size_t end = text.size();
  while (end > 0 && text[end - 1] == '\n') --end;
  size_t pos = end;
  size_t newlines = 0;
  while (pos > 0) {
    if (text[pos - 1] == '\n' && ++newlines == n) break;
    --pos;
  }
  return text.substr(pos, end - pos);
}

Status RunInRootfs(const std::string& root, const std::string& script, const std::string& what,
                   const std::vector<exec::BindMount>& binds) {
  exec::ProcessSpec spec;
  spec.rootfs = root;
  spec.argv = {"/bin/sh", "-c", "exec 2>&1; " + script};
  spec.env = BootstrapEnv();
  spec.network = exec::NetworkMode::kHost;
  spec.hostname = "distill-bootstrap";
  spec.binds = binds;
  std::string out;
  exec::RunOptions options;
  options.captured_stdout = &out;
  auto status = exec::Run(spec, options);
  if (!status.ok()) return status.status().Prefixed(what);
  if (status->ok()) return Status::Ok();
  std::string how = status->signal != 0 ? "killed by signal " + std::to_string(status->signal)
                                        : "exit status " + std::to_string(status->exit_code);
  return Status::Error(what + " failed (" + how + "); its last output:\n" + LastLines(out, 25));
}

}  // namespace distill::bootstrap
