// Cancellation of running sandboxes. A CancelToken is shared by every Run of
// one build; Cancel() makes each of them SIGKILL its sandbox's pid 1 (the
// kernel then kills the rest of the pid namespace and the mount namespace
// goes with it) and return a kCancelled error once the process is reaped.
#pragma once

#include <atomic>

#include "util/status.h"

namespace distill::exec {

class CancelToken {
 public:
  CancelToken();
  ~CancelToken();
  CancelToken(const CancelToken&) = delete;
  CancelToken& operator=(const CancelToken&) = delete;

  // Async-signal-safe and thread-safe; idempotent.
  void Cancel();
  bool cancelled() const { return cancelled_.load(); }
  // Readable (POLLIN) once Cancel() was called; never read from it.
  int fd() const { return event_fd_; }

 private:
  std::atomic<bool> cancelled_{false};
  int event_fd_ = -1;
};

// Makes SIGINT and SIGTERM call token->Cancel() (Ctrl-C stops the running
// steps instead of leaving them behind); nullptr restores the default actions.
Status CancelOnInterrupt(CancelToken* token);

}  // namespace distill::exec
