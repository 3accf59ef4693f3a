// What to run in a sandbox and how: the executor's whole input. The builder
// fills one per RUN step (rootfs = the step's overlay mount); `distill run`
// fills one per container.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace distill::exec {

enum class NetworkMode {
  kHost,  // share the host's network namespace
  kNone,  // a new, empty network namespace with only `lo` up
};

// A bind mount of a host path into the sandbox (RUN --mount, run -v).
struct BindMount {
  std::string source;  // host path
  std::string target;  // path inside the rootfs (created if missing)
  bool readonly = false;
};

// A tmpfs mounted inside the sandbox.
struct TmpfsMount {
  std::string target;
  uint64_t size_bytes = 0;  // 0: the kernel default (half of RAM)
  mode_t mode = 01777;
};

struct ResourceLimits {
  uint64_t memory_bytes = 0;  // 0: no limit
  double cpus = 0;            // CPU quota in cores (1.5 = 150ms per 100ms); 0: none
  uint64_t pids = 0;          // 0: no limit
  bool any() const { return memory_bytes != 0 || cpus > 0 || pids != 0; }
};

struct ProcessSpec {
  // An already prepared directory (e.g. an overlay mount) that becomes "/".
  std::string rootfs;
  std::vector<std::string> argv;  // argv[0] without '/' is looked up in PATH
  std::vector<std::string> env;   // "KEY=value"
  std::string cwd = "/";          // must exist in the rootfs
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> supplementary_gids;
  std::string hostname = "distill";
  NetworkMode network = NetworkMode::kNone;
  std::vector<BindMount> binds;
  std::vector<TmpfsMount> tmpfs;
  // Host descriptors that become the process's 0, 1, 2. -1: /dev/null.
  // Ignored for a stream that RunOptions asks to capture.
  int stdin_fd = -1;
  int stdout_fd = -1;
  int stderr_fd = -1;
  // `run -t`: a pseudo-terminal opened inside the sandbox (its own devpts)
  // becomes the process's stdin, stdout, stderr and controlling terminal; the
  // std*_fd above are then ignored and the master goes to
  // RunOptions::on_terminal. Rows and columns: its first window size (0: unset).
  bool terminal = false;
  unsigned short terminal_rows = 0;
  unsigned short terminal_cols = 0;
  ResourceLimits limits;
  // `run --read-only`: "/" is remounted read-only after pivot_root (the
  // mounts on top of it, /proc, /dev, binds, tmpfs, keep their own flags).
  bool readonly_rootfs = false;
  // `run --init`: pid 1 forks before exec and stays behind as a minimal init
  // (reaps every zombie, forwards signals to the program, exits with the
  // program's status, 128+N when a signal N killed it).
  bool init = false;
};

// How the process ended: exactly one of exit_code / signal is meaningful.
struct ExitStatus {
  int exit_code = 0;
  int signal = 0;  // non-zero when killed by a signal
  bool ok() const { return signal == 0 && exit_code == 0; }
};

}  // namespace distill::exec
