// Pseudo-terminals for `run -t` / `exec -t`. The pty is opened inside the
// container (its own devpts instance), so that `tty` there names a
// /dev/pts/N that exists in the container; the master travels back to distill
// over a unix socket (SCM_RIGHTS), where runtime/terminal_relay.h connects it
// to the user's terminal.
#pragma once

#include <sys/ioctl.h>

#include "exec/unique_fd.h"
#include "util/status.h"

namespace distill::exec {

struct Pty {
  UniqueFd master;  // CLOEXEC
  UniqueFd slave;   // CLOEXEC, not the caller's controlling terminal
};

// Opens a new pty through `ptmx_path` (e.g. "/dev/ptmx" once inside the
// container's root) and sets its window size when `size` has rows and columns.
Result<Pty> OpenPty(const char* ptmx_path, const winsize& size);

// Makes `slave` the controlling terminal of a new session led by the calling
// process (setsid + TIOCSCTTY), so that ^C and job control reach the program.
Status MakeControllingTerminal(int slave);

// Passes one descriptor over a unix socket, and receives it on the other end.
Status SendFd(int socket, int fd);
Result<UniqueFd> ReceiveFd(int socket);

}  // namespace distill::exec
