// Run: one process in a fresh sandbox, hardened like Docker's default
// container, and its exit status. Blocking; safe to call from several threads
// at once (each call has its own namespaces, cgroup and temp files).
//
// Process tree: distill forks a small helper, which unshares the mount, uts,
// ipc, pid (and net) namespaces and forks the sandbox's pid 1; the helper
// relays pid 1's exit status and is what Run waits for.
// Why fork + unshare + fork rather than clone(CLONE_NEW*): glibc's fork()
// keeps malloc and stdio consistent in the child of a multi-threaded process
// (the solver runs steps in threads), and the setup code allocates; a raw
// clone skips those fork handlers. unshare(CLONE_NEWPID) only applies to
// children, hence the second fork that makes the program pid 1.
//
// Guarantees: the host's mount table is the same after Run returns, whatever
// happened (all mounts live in the sandbox's mount namespace, which dies with
// its last process); every process of the sandbox is dead when Run returns.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

#include "exec/cancel.h"
#include "exec/process_spec.h"
#include "exec/unique_fd.h"
#include "util/status.h"

namespace distill::exec {

struct RunOptions {
  CancelToken* cancel = nullptr;  // Cancel() kills the sandbox; Run returns kCancelled
  // When set, the stream is captured (through a pipe) instead of going to the
  // spec's fd.
  std::string* captured_stdout = nullptr;
  std::string* captured_stderr = nullptr;
  // Receives what could not be applied but did not fail the run (e.g. a
  // cgroup limit on a host without that controller).
  std::vector<std::string>* warnings = nullptr;
  // Called once pid 1 is in its cgroup and released to run, with its pid in
  // the host's pid namespace (`distill run` forwards signals to it, records
  // it, and joins its namespaces for port publishing and `exec`). Called on
  // Run's thread, before Run waits.
  std::function<void(pid_t init_pid)> on_started;
  // ProcessSpec::terminal: receives the pty's master once the sandbox opened
  // it (after on_started, before the program runs). Called on Run's thread.
  std::function<void(UniqueFd master)> on_terminal;
};

// Errors: an invalid spec (kInvalidArgument), a failed setup step or exec
// (the step and errno, e.g. "mount proc on /proc: Operation not permitted",
// "exec /bin/sh: no such file or directory in the image (the image has no
// shell?)"), or kCancelled. The program's own failures are an ExitStatus.
Result<ExitStatus> Run(const ProcessSpec& spec, const RunOptions& options = {});

}  // namespace distill::exec
