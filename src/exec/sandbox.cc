#include "exec/sandbox.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "exec/capabilities.h"
#include "exec/cgroups.h"
#include "exec/etc_files.h"
#include "exec/pty.h"
#include "exec/sandbox_setup.h"
#include "exec/setup_channel.h"
#include "exec/unique_fd.h"

namespace distill::exec {
namespace {

std::atomic<int> g_run_counter{0};

// Raw syscalls: glibc 2.36's <sys/pidfd.h> lacks extern "C" for C++.
int PidfdOpen(pid_t pid) {
  return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
}
void PidfdKill(int pidfd) {
  syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, nullptr, 0);
}

struct Pipe {
  UniqueFd read, write;
};

Result<Pipe> MakePipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0) return Status::FromErrno("pipe", errno);
  return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

Status ValidateSpec(ProcessSpec* spec) {
  if (spec->argv.empty()) return Status::Invalid("sandbox: empty command");
  if (spec->rootfs.empty()) return Status::Invalid("sandbox: no rootfs given");
  char* real = realpath(spec->rootfs.c_str(), nullptr);
  if (real == nullptr) return Status::FromErrno("sandbox rootfs " + spec->rootfs, errno);
  spec->rootfs = real;
  free(real);
  struct stat st;
  if (stat(spec->rootfs.c_str(), &st) < 0 || !S_ISDIR(st.st_mode)) {
    return Status::Invalid("sandbox rootfs " + spec->rootfs + " is not a directory");
  }
  if (spec->rootfs == "/") return Status::Invalid("sandbox rootfs may not be the host's /");
  if (spec->cwd.empty() || spec->cwd[0] != '/') {
    return Status::Invalid("sandbox working directory \"" + spec->cwd + "\" is not absolute");
  }
  if (spec->hostname.empty() || spec->hostname.size() > 64) {
    return Status::Invalid("sandbox hostname \"" + spec->hostname + "\" must have 1 to 64 bytes");
  }
  return Status::Ok();
}

// The helper between distill and the sandbox's pid 1 (see sandbox.h). Never
// returns.
[[noreturn]] void RunHelper(const SandboxChildContext& ctx, int unshare_flags) {
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  if (unshare(unshare_flags) < 0) {
    WriteErrorFrame(ctx.status_fd, Status::FromErrno("create sandbox namespaces", errno));
    _exit(127);
  }
  pid_t init = fork();
  if (init < 0) {
    WriteErrorFrame(ctx.status_fd, Status::FromErrno("fork sandbox pid 1", errno));
    _exit(127);
  }
  if (init == 0) RunSandboxChild(ctx);
  int32_t pid32 = init;
  WriteFrame(ctx.status_fd, FrameType::kPid, std::string(reinterpret_cast<char*>(&pid32), 4));
  // Keep nothing open: not the setup channel (its EOF must mean "exec'd"), not
  // the pipes of other sandboxes started by other threads at the same moment.
  syscall(SYS_close_range, 0U, ~0U, 0U);
  int status = 0;
  while (waitpid(init, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) {
    // Die the same way, without a core file.
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    signal(WTERMSIG(status), SIG_DFL);
    sigset_t all;
    sigemptyset(&all);
    sigaddset(&all, WTERMSIG(status));
    sigprocmask(SIG_UNBLOCK, &all, nullptr);
    kill(getpid(), WTERMSIG(status));
    _exit(128 + WTERMSIG(status));
  }
  _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 127);
}

// Reads whatever is available from a capture pipe; closes it at EOF.
void Drain(UniqueFd* fd, std::string* out) {
  char buf[16384];
  ssize_t n = read(fd->get(), buf, sizeof(buf));
  if (n > 0) {
    out->append(buf, static_cast<size_t>(n));
  } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
    fd->Reset();
  }
}

}  // namespace

Result<ExitStatus> Run(const ProcessSpec& input_spec, const RunOptions& options) {
  ProcessSpec spec = input_spec;
  DISTILL_RETURN_IF_ERROR(ValidateSpec(&spec));
  std::vector<std::string> ignored_warnings;
  std::vector<std::string>* warnings =
      options.warnings != nullptr ? options.warnings : &ignored_warnings;

  DISTILL_ASSIGN_OR_RETURN(EtcFiles etc, EtcFiles::Create(spec.hostname, spec.network));

  std::optional<SandboxCgroup> cgroup;
  if (spec.limits.any()) {
    Result<CgroupLayout> layout = DetectCgroupLayout();
    if (!layout.ok()) {
      warnings->push_back("cgroup: limits not applied: " + layout.status().message());
    } else {
      std::string name = "run-" + std::to_string(getpid()) + "-" + std::to_string(++g_run_counter);
      cgroup.emplace(SandboxCgroup::Create(*layout, spec.limits, name, warnings));
    }
  }

  // Stdio: the spec's fds, /dev/null, or capture pipes.
  int raw_null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (raw_null < 0) return Status::FromErrno("open /dev/null", errno);
  UniqueFd dev_null(raw_null);
  UniqueFd capture_read[2], capture_write[2];
  std::string* capture_out[2] = {options.captured_stdout, options.captured_stderr};
  SandboxChildContext ctx;
  ctx.spec = &spec;
  ctx.etc = &etc;
  int given[3] = {spec.stdin_fd, spec.stdout_fd, spec.stderr_fd};
  for (int i = 0; i < 3; ++i) ctx.stdio[i] = given[i] >= 0 ? given[i] : dev_null.get();
  for (int i = 0; i < 2; ++i) {
    if (capture_out[i] == nullptr) continue;
    DISTILL_ASSIGN_OR_RETURN(Pipe p, MakePipe());
    capture_read[i] = std::move(p.read);
    capture_write[i] = std::move(p.write);
    ctx.stdio[i + 1] = capture_write[i].get();
  }
  DISTILL_ASSIGN_OR_RETURN(Pipe status_pipe, MakePipe());
  DISTILL_ASSIGN_OR_RETURN(Pipe go_pipe, MakePipe());
  ctx.status_fd = status_pipe.write.get();
  ctx.go_fd = go_pipe.read.get();
  UniqueFd terminal_read, terminal_write;
  if (spec.terminal) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
      return Status::FromErrno("socketpair for the pty", errno);
    }
    terminal_read.Reset(sv[0]);
    terminal_write.Reset(sv[1]);
    ctx.terminal_fd = terminal_write.get();
  }

  int flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC;
  if (spec.network == NetworkMode::kNone) flags |= CLONE_NEWNET;
  pid_t helper = fork();
  if (helper < 0) return Status::FromErrno("fork sandbox helper", errno);
  if (helper == 0) RunHelper(ctx, flags);

  status_pipe.write.Reset();
  go_pipe.read.Reset();
  terminal_write.Reset();
  for (UniqueFd& w : capture_write) w.Reset();
  auto reap_helper = [&]() -> int {
    int st = 0;
    while (waitpid(helper, &st, 0) < 0 && errno == EINTR) {
    }
    return st;
  };

  // 1. The helper reports pid 1 (or why it could not start it).
  Result<Frame> first = ReadFrame(status_pipe.read.get());
  if (!first.ok() || first->type != FrameType::kPid || first->payload.size() != 4) {
    reap_helper();
    if (first.ok() && first->type == FrameType::kError) return StatusFromErrorFrame(*first);
    return Status::Error("sandbox helper died before starting the process");
  }
  int32_t init_pid;
  std::memcpy(&init_pid, first->payload.data(), 4);
  int raw_init_fd = PidfdOpen(init_pid);
  UniqueFd init_fd(raw_init_fd);
  int raw_helper_fd = PidfdOpen(helper);
  UniqueFd helper_fd(raw_helper_fd);
  if (!init_fd.valid() || !helper_fd.valid()) {
    int err = errno;
    kill(init_pid, SIGKILL);
    reap_helper();
    return Status::FromErrno("pidfd_open for the sandbox", err);
  }

  // 2. Into the cgroup before it runs anything, then let it go.
  if (cgroup) {
    Status s = cgroup->AddProcess(init_pid);
    if (!s.ok()) warnings->push_back("cgroup: limits not applied: " + s.message());
  }
  char go = 1;
  if (write(go_pipe.write.get(), &go, 1) != 1) {
    PidfdKill(init_fd.get());
  }
  go_pipe.write.Reset();
  if (options.on_started) options.on_started(init_pid);

  // 3. Wait: setup errors, captured output, cancellation, the helper's exit.
  std::optional<Status> setup_error;
  bool cancelled = false;
  bool exited = false;
  int wait_status = 0;
  for (;;) {
    std::vector<pollfd> fds;
    enum Kind { kStatus, kOut, kErr, kCancel, kHelper, kTerminal };
    std::vector<Kind> kinds;
    auto add = [&](int fd, Kind k) {
      fds.push_back({fd, POLLIN, 0});
      kinds.push_back(k);
    };
    if (status_pipe.read.valid()) add(status_pipe.read.get(), kStatus);
    if (terminal_read.valid()) add(terminal_read.get(), kTerminal);
    if (capture_read[0].valid()) add(capture_read[0].get(), kOut);
    if (capture_read[1].valid()) add(capture_read[1].get(), kErr);
    if (options.cancel != nullptr && !cancelled && !exited) add(options.cancel->fd(), kCancel);
    if (!exited) add(helper_fd.get(), kHelper);
    if (fds.empty()) break;
    // After the helper is gone only pipes remain; they close as the
    // namespace's processes are already dead. The timeout guards against a
    // pipe end held by a process outside the sandbox.
    int n = poll(fds.data(), fds.size(), exited ? 2000 : -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::FromErrno("poll sandbox", errno);
    if (n == 0) break;
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      switch (kinds[i]) {
        case kStatus: {
          Result<Frame> f = ReadFrame(status_pipe.read.get());
          if (f.ok() && f->type == FrameType::kError) setup_error = StatusFromErrorFrame(*f);
          if (!f.ok()) status_pipe.read.Reset();  // EOF: exec'd, or dead
          break;
        }
        case kOut:
          Drain(&capture_read[0], capture_out[0]);
          break;
        case kErr:
          Drain(&capture_read[1], capture_out[1]);
          break;
        case kCancel:
          cancelled = true;
          PidfdKill(init_fd.get());
          break;
        case kHelper:
          wait_status = reap_helper();
          exited = true;
          break;
        case kTerminal: {
          // One message: the master (an error or EOF: the sandbox never got
          // that far, and its setup error says why).
          Result<UniqueFd> master = ReceiveFd(terminal_read.get());
          terminal_read.Reset();
          if (master.ok() && options.on_terminal) options.on_terminal(std::move(*master));
          break;
        }
      }
    }
  }
  if (!exited) {
    PidfdKill(init_fd.get());
    wait_status = reap_helper();
  }

  if (setup_error) return *setup_error;
  if (cancelled) return Status(Status::Code::kCancelled, "run cancelled: the sandbox was killed");
  ExitStatus result;
  if (WIFSIGNALED(wait_status)) {
    result.signal = WTERMSIG(wait_status);
  } else {
    result.exit_code = WEXITSTATUS(wait_status);
  }
  return result;
}

}  // namespace distill::exec
