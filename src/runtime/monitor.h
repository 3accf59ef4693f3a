// The monitor: the process that owns one container's sandbox from start to
// exit (like conmon). For `run -d` it is a daemonised child of distill (double
// fork + setsid, see lifecycle.h); for a foreground `run` it is distill itself.
//
// It holds the container's monitor.lock for its whole life, mounts the root
// filesystem (an overlay over the image's snapshot chain, throwaway
// upperdir), serves published ports, pumps output into container.log,
// records every state change, and on exit unmounts everything (and removes
// the container under --rm). If it is killed, the next distill command sees
// the free lock and cleans up (ContainerStore::Reconcile, SnapshotStore::Recover).
#pragma once

#include <functional>
#include <string>

#include "runtime/container.h"
#include "util/status.h"

namespace distill::runtime {

struct MonitorHooks {
  // Output is also copied here (foreground run); -1: log file only.
  int echo_stdout = -1;
  int echo_stderr = -1;
  // Called once the container runs (state is "running", pid recorded).
  std::function<void(const ContainerState&)> on_started;
  // `run -i` in the foreground: what the user types (distill's stdin) goes
  // to the container's stdin or pty; -1: a detached -i container's stdin is
  // a pipe held open but silent (there is no attach).
  int user_input = -1;
  // `run -t` in the foreground: the terminal whose window size the pty gets
  // (and follows on SIGWINCH); -1: 24x80.
  int window_size_source = -1;
};

// Runs the created container `id` to its end and returns its exit status
// (128+N when signal N killed it). A failure to start is an error (and the
// container is recorded as exited with that error, or removed under --rm).
Result<int> RunMonitor(const std::string& store_root, const std::string& id,
                       const MonitorHooks& hooks);

// The exit status `distill run` reports for a failure to start: 127 when the
// command (or the shell) is missing from the image, 125 otherwise (Docker's).
int ExitCodeForStartError(const Status& status);

}  // namespace distill::runtime
