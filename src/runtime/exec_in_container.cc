#include "runtime/exec_in_container.h"

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "exec/capabilities.h"
#include "exec/cgroups.h"
#include "exec/default_seccomp_program.h"
#include "exec/pty.h"
#include "exec/seccomp_profile.h"
#include "exec/unique_fd.h"
#include "exec/user_lookup.h"
#include "runtime/lifecycle.h"
#include "runtime/terminal_relay.h"

namespace distill::runtime {
namespace {

const char kDefaultPath[] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

void SetEnv(std::vector<std::string>* env, const std::string& kv) {
  std::string key = kv.substr(0, kv.find('='));
  for (std::string& e : *env) {
    if (e.substr(0, e.find('=')) == key) {
      e = kv;
      return;
    }
  }
  env->push_back(kv);
}

// Stdio of the exec'd process, last thing before seccomp: with -t a pty of
// the container's devpts (its master sent to distill over `terminal_fd`) as
// stdin/stdout/stderr and controlling terminal of a new session; without, a
// new session with no terminal, stdin /dev/null unless -i.
Status ConnectStdio(const ExecRequest& req, const winsize& size, int terminal_fd) {
  if (req.tty) {
    DISTILL_ASSIGN_OR_RETURN(exec::Pty pty, exec::OpenPty("/dev/ptmx", size));
    DISTILL_RETURN_IF_ERROR(exec::SendFd(terminal_fd, pty.master.get()));
    for (int i = 0; i < 3; ++i) {
      if (dup2(pty.slave.get(), i) < 0) return Status::FromErrno("exec: connect the pty", errno);
    }
    return exec::MakeControllingTerminal(STDIN_FILENO);
  }
  if (setsid() < 0) return Status::FromErrno("exec: setsid", errno);
  if (!req.interactive) {
    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null < 0) return Status::FromErrno("exec: open /dev/null", errno);
    if (dup2(null, STDIN_FILENO) < 0) return Status::FromErrno("exec: stdin", errno);
    close(null);
  }
  return Status::Ok();
}

// In the grandchild, inside every namespace: never returns.
[[noreturn]] void ExecInside(const ContainerRecord& r, const ExecRequest& req, const winsize& size,
                             int error_fd, int terminal_fd) {
  auto fail = [error_fd](const Status& s) {
    ssize_t ignored = write(error_fd, s.message().data(), s.message().size());
    (void)ignored;
    _exit(126);
  };
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  std::string cwd = req.workdir.value_or(r.spec.cwd);
  if (chdir(cwd.c_str()) < 0) fail(Status::FromErrno("exec: working directory " + cwd, errno));
  Result<exec::ResolvedUser> user = exec::ResolveUserInRootfs("/", req.user.value_or(r.spec.user));
  if (!user.ok()) fail(user.status());
  std::vector<std::string> env;
  bool has_path = false;
  for (const std::string& e : r.spec.env) has_path = has_path || e.starts_with("PATH=");
  if (!has_path) env.push_back(kDefaultPath);
  env.push_back("HOSTNAME=" + r.spec.id.substr(0, 12));
  for (const std::string& e : r.spec.env) SetEnv(&env, e);
  bool has_home = false;
  for (const std::string& e : env) has_home = has_home || e.starts_with("HOME=");
  if (!has_home) env.push_back("HOME=" + user->home);
  for (const std::string& e : req.env) SetEnv(&env, e);

  const auto& caps = exec::DockerDefaultCapabilities();
  Status s = exec::DropBoundingSet(caps);
  if (!s.ok()) fail(s);
  if (setgroups(user->supplementary_gids.size(), user->supplementary_gids.data()) < 0) {
    fail(Status::FromErrno("exec: setgroups", errno));
  }
  if (setgid(user->gid) < 0) fail(Status::FromErrno("exec: setgid", errno));
  if (setuid(user->uid) < 0) fail(Status::FromErrno("exec: setuid", errno));
  s = exec::ApplyCapabilities(caps, user->uid == 0);
  if (!s.ok()) fail(s);
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) fail(Status::FromErrno("no_new_privs", errno));
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  Result<std::string> seccomp = exec::SeccompProgramFor(exec::CapabilityMask(caps));
  if (!seccomp.ok()) fail(seccomp.status());
  std::vector<char*> argv, envp;
  for (const std::string& a : req.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const std::string& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  // execvpe searches our own PATH, not the one in `envp`: use the container's.
  for (const std::string& e : env) {
    if (e.starts_with("PATH=")) setenv("PATH", e.c_str() + 5, 1);
  }
  s = ConnectStdio(req, size, terminal_fd);
  if (!s.ok()) fail(s);
  s = exec::LoadSeccompProgram(*seccomp);
  if (!s.ok()) fail(s);
  execvpe(argv[0], argv.data(), envp.data());
  int err = errno;
  std::string msg =
      "exec " + req.argv[0] + ": " + std::strerror(err) + " in container " + r.spec.name;
  ssize_t ignored = write(error_fd, msg.data(), msg.size());
  (void)ignored;
  _exit(err == ENOENT ? 127 : 126);
}

int StatusToCode(int status) {
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 125;
}

}  // namespace

Result<int> ExecInContainer(const std::string& store_root, const std::string& name_or_id,
                            const ExecRequest& req) {
  if (req.argv.empty()) return Status::Invalid("exec: no command given");
  DISTILL_ASSIGN_OR_RETURN(ContainerRecord r, InspectContainer(store_root, name_or_id));
  if (r.state.status != ContainerStatus::kRunning ||
      ProcessStartTime(r.state.pid) != r.state.pid_start_time) {
    return Status(
        Status::Code::kUnavailable,
        "container " + name_or_id + " is not running (status " + StatusName(r.state.status) + ")");
  }
  // Open every namespace first: after joining the mount namespace the host's
  // /proc is out of sight.
  const char* const kNamespaces[] = {"ipc", "uts", "net", "pid", "mnt"};
  std::vector<exec::UniqueFd> ns;
  for (const char* name : kNamespaces) {
    std::string path = "/proc/" + std::to_string(r.state.pid) + "/ns/" + name;
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::FromErrno("exec: open " + path, errno);
    ns.emplace_back(fd);
  }
  int errpipe[2];
  if (pipe2(errpipe, O_CLOEXEC) < 0) return Status::FromErrno("pipe", errno);
  exec::UniqueFd err_read(errpipe[0]), err_write(errpipe[1]);
  exec::UniqueFd terminal_read, terminal_write;
  winsize size = {};
  int size_source = isatty(STDIN_FILENO) ? STDIN_FILENO : STDOUT_FILENO;
  if (ioctl(size_source, TIOCGWINSZ, &size) < 0 || size.ws_row == 0) {
    size.ws_row = 24;
    size.ws_col = 80;
  }
  if (req.tty) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
      return Status::FromErrno("socketpair for the pty", errno);
    }
    terminal_read.Reset(sv[0]);
    terminal_write.Reset(sv[1]);
  }
  pid_t joiner = fork();
  if (joiner < 0) return Status::FromErrno("fork", errno);
  if (joiner == 0) {
    err_read.Reset();
    terminal_read.Reset();
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    // The cgroups first, while the host's /sys is in sight: the command
    // forked below inherits them, so the container's limits cover it.
    if (Status joined = exec::JoinCgroupsOf(r.state.pid); !joined.ok()) {
      std::string msg = "exec: " + joined.message();
      ssize_t ignored = write(err_write.get(), msg.data(), msg.size());
      (void)ignored;
      _exit(125);
    }
    for (size_t i = 0; i < ns.size(); ++i) {
      if (setns(ns[i].get(), 0) < 0) {
        std::string msg = std::string("exec: join the container's ") + kNamespaces[i] +
                          " namespace: " + std::strerror(errno);
        ssize_t ignored = write(err_write.get(), msg.data(), msg.size());
        (void)ignored;
        _exit(125);
      }
    }
    pid_t inner = fork();
    if (inner < 0) _exit(125);
    if (inner == 0) ExecInside(r, req, size, err_write.get(), terminal_write.get());
    err_write.Reset();
    terminal_write.Reset();
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    int status = 0;
    while (waitpid(inner, &status, 0) < 0 && errno == EINTR) {
    }
    _exit(StatusToCode(status));
  }
  err_write.Reset();
  terminal_write.Reset();
  ns.clear();
  // -t: the pty's master arrives once the command is about to exec (an error
  // or EOF instead: it failed before, and the error pipe says why).
  std::optional<RawTerminal> raw;
  std::optional<TerminalRelay> relay;
  if (req.tty) {
    Result<exec::UniqueFd> master = exec::ReceiveFd(terminal_read.get());
    terminal_read.Reset();
    if (master.ok()) {
      if (req.interactive) {
        Result<RawTerminal> entered = RawTerminal::Enter(STDIN_FILENO);
        if (entered.ok()) raw.emplace(std::move(*entered));
      }
      RelayConfig config;
      config.user_input = req.interactive ? STDIN_FILENO : -1;
      config.window_size_source = isatty(size_source) ? size_source : -1;
      config.output.Reset(fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3));
      relay.emplace(std::move(config));
      relay->StartWithTerminal(std::move(*master));
    }
  }
  std::string error;
  char buf[4096];
  for (;;) {
    ssize_t n = read(err_read.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    error.append(buf, static_cast<size_t>(n));
  }
  int status = 0;
  while (waitpid(joiner, &status, 0) < 0 && errno == EINTR) {
  }
  if (relay) relay->Finish();
  raw.reset();
  int code = StatusToCode(status);
  if (!error.empty()) {
    return Status(code == 127 ? Status::Code::kNotFound : Status::Code::kInternal, error);
  }
  return code;
}

}  // namespace distill::runtime
