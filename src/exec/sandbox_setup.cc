#include "exec/sandbox_setup.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <net/if.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "exec/capabilities.h"
#include "exec/default_seccomp_program.h"
#include "exec/in_root.h"
#include "exec/pty.h"
#include "exec/seccomp_profile.h"
#include "exec/setup_channel.h"

namespace distill::exec {
namespace {

// As runc's defaults: kernel interfaces that leak host information or allow
// host-level actions are hidden (masked) or frozen (read-only).
const char* const kMaskedPaths[] = {"/proc/acpi",        "/proc/kcore",
                                    "/proc/keys",        "/proc/latency_stats",
                                    "/proc/timer_list",  "/proc/timer_stats",
                                    "/proc/sched_debug", "/proc/scsi",
                                    "/sys/firmware",     "/sys/devices/virtual/powercap"};
const char* const kReadonlyPaths[] = {"/proc/asound", "/proc/bus", "/proc/fs",
                                      "/proc/irq",    "/proc/sys", "/proc/sysrq-trigger"};
const char* const kDeviceNodes[] = {"null", "zero", "full", "random", "urandom", "tty"};
const char kDefaultPath[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

Status Mount(const std::string& source, const std::string& target_name, const char* fstype,
             unsigned long flags, const std::string& data, const std::string& target_for_errors) {
  if (mount(source.c_str(), target_name.c_str(), fstype, flags,
            data.empty() ? nullptr : data.c_str()) < 0) {
    std::string what = fstype != nullptr ? fstype : (flags & MS_BIND ? "bind " + source : source);
    return Status::FromErrno("mount " + what + " on " + target_for_errors, errno);
  }
  return Status::Ok();
}

// Remounts the mount at `path` (inside the root) read-only, keeping its
// nosuid/nodev/noexec flags.
Status RemountReadonly(int root_fd, const std::string& path) {
  DISTILL_ASSIGN_OR_RETURN(UniqueFd fd, OpenInRoot(root_fd, path, O_PATH));
  struct statvfs sv = {};
  unsigned long keep = 0;
  if (fstatvfs(fd.get(), &sv) == 0) {
    if (sv.f_flag & ST_NOSUID) keep |= MS_NOSUID;
    if (sv.f_flag & ST_NODEV) keep |= MS_NODEV;
    if (sv.f_flag & ST_NOEXEC) keep |= MS_NOEXEC;
  }
  return Mount("", FdPath(fd.get()), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY | keep, "",
               path + " (read-only remount)");
}

Status BindInto(int root_fd, const std::string& source, const std::string& target, bool readonly,
                bool recursive) {
  struct stat st;
  if (stat(source.c_str(), &st) < 0) return Status::FromErrno("bind source " + source, errno);
  MountPointKind kind = S_ISDIR(st.st_mode) ? MountPointKind::kDirectory : MountPointKind::kFile;
  DISTILL_ASSIGN_OR_RETURN(UniqueFd t, MakeMountPointInRoot(root_fd, target, kind));
  DISTILL_RETURN_IF_ERROR(
      Mount(source, FdPath(t.get()), nullptr, MS_BIND | (recursive ? MS_REC : 0), "", target));
  if (readonly) return RemountReadonly(root_fd, target);
  return Status::Ok();
}

Status WaitForCgroup(int go_fd) {
  char c;
  ssize_t n;
  do {
    n = read(go_fd, &c, 1);
  } while (n < 0 && errno == EINTR);
  if (n != 1) return Status::Error("sandbox: parent went away before setup");
  close(go_fd);
  return Status::Ok();
}

Status ResetSignals() {
  // Handlers and ignored signals of distill must not leak into the program
  // (an ignored SIGPIPE would survive execve).
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    signal(sig, SIG_DFL);
  }
  sigset_t none;
  sigemptyset(&none);
  if (sigprocmask(SIG_SETMASK, &none, nullptr) < 0)
    return Status::FromErrno("unblock signals", errno);
  return Status::Ok();
}

Status MakeMountsPrivate() {
  // Nothing we mount from here on may propagate back to the host.
  return Mount("", "/", nullptr, MS_REC | MS_PRIVATE, "", "/ (make private)");
}

Status BindRootfs(const std::string& rootfs) {
  // pivot_root needs the new root to be a mount point.
  return Mount(rootfs, rootfs, nullptr, MS_BIND | MS_REC, "", rootfs);
}

Status MountProc(int root_fd) {
  DISTILL_ASSIGN_OR_RETURN(UniqueFd t,
                           MakeMountPointInRoot(root_fd, "/proc", MountPointKind::kDirectory));
  return Mount("proc", FdPath(t.get()), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "", "/proc");
}

Status MountDev(int root_fd) {
  {
    DISTILL_ASSIGN_OR_RETURN(UniqueFd t,
                             MakeMountPointInRoot(root_fd, "/dev", MountPointKind::kDirectory));
    DISTILL_RETURN_IF_ERROR(Mount("tmpfs", FdPath(t.get()), "tmpfs", MS_NOSUID | MS_STRICTATIME,
                                  "mode=755,size=65536k", "/dev"));
  }
  for (const char* node : kDeviceNodes) {
    std::string host = std::string("/dev/") + node;
    // Bind the host's node: works wherever we may not mknod.
    DISTILL_RETURN_IF_ERROR(BindInto(root_fd, host, host, false, false));
  }
  DISTILL_ASSIGN_OR_RETURN(UniqueFd dev, OpenInRoot(root_fd, "/dev", O_PATH | O_DIRECTORY));
  {
    DISTILL_ASSIGN_OR_RETURN(UniqueFd t,
                             MakeMountPointInRoot(root_fd, "/dev/pts", MountPointKind::kDirectory));
    DISTILL_RETURN_IF_ERROR(Mount("devpts", FdPath(t.get()), "devpts", MS_NOSUID | MS_NOEXEC,
                                  "newinstance,ptmxmode=0666,mode=0620,gid=5", "/dev/pts"));
  }
  {
    DISTILL_ASSIGN_OR_RETURN(UniqueFd t,
                             MakeMountPointInRoot(root_fd, "/dev/shm", MountPointKind::kDirectory));
    DISTILL_RETURN_IF_ERROR(Mount("shm", FdPath(t.get()), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                                  "mode=1777,size=65536k", "/dev/shm"));
  }
  {
    DISTILL_ASSIGN_OR_RETURN(
        UniqueFd t, MakeMountPointInRoot(root_fd, "/dev/mqueue", MountPointKind::kDirectory));
    DISTILL_RETURN_IF_ERROR(Mount("mqueue", FdPath(t.get()), "mqueue",
                                  MS_NOSUID | MS_NODEV | MS_NOEXEC, "", "/dev/mqueue"));
  }
  const std::pair<const char*, const char*> links[] = {
      {"pts/ptmx", "ptmx"},          {"/proc/self/fd", "fd"},       {"/proc/self/fd/0", "stdin"},
      {"/proc/self/fd/1", "stdout"}, {"/proc/self/fd/2", "stderr"}, {"/proc/kcore", "core"}};
  for (const auto& [target, name] : links) {
    if (symlinkat(target, dev.get(), name) < 0) {
      return Status::FromErrno(std::string("symlink /dev/") + name, errno);
    }
  }
  return Status::Ok();
}

Status MountSys(int root_fd, NetworkMode network) {
  if (network == NetworkMode::kHost) {
    // sysfs shows the network namespace of its mounter; with the host's
    // network, the host's /sys (without its submounts) read-only.
    return BindInto(root_fd, "/sys", "/sys", true, false);
  }
  DISTILL_ASSIGN_OR_RETURN(UniqueFd t,
                           MakeMountPointInRoot(root_fd, "/sys", MountPointKind::kDirectory));
  return Mount("sysfs", FdPath(t.get()), "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "",
               "/sys");
}

Status MountExtra(int root_fd, const ProcessSpec& spec) {
  for (const BindMount& b : spec.binds) {
    DISTILL_RETURN_IF_ERROR(BindInto(root_fd, b.source, b.target, b.readonly, true));
  }
  for (const TmpfsMount& m : spec.tmpfs) {
    DISTILL_ASSIGN_OR_RETURN(UniqueFd t,
                             MakeMountPointInRoot(root_fd, m.target, MountPointKind::kDirectory));
    char data[64];
    std::snprintf(data, sizeof(data), "mode=%o", static_cast<unsigned>(m.mode));
    std::string opts = data;
    if (m.size_bytes != 0) opts += ",size=" + std::to_string(m.size_bytes);
    DISTILL_RETURN_IF_ERROR(
        Mount("tmpfs", FdPath(t.get()), "tmpfs", MS_NOSUID | MS_NODEV, opts, m.target));
  }
  return Status::Ok();
}

Status MountEtcFiles(int root_fd, const EtcFiles& etc) {
  DISTILL_RETURN_IF_ERROR(BindInto(root_fd, etc.resolv_conf(), "/etc/resolv.conf", true, false));
  DISTILL_RETURN_IF_ERROR(BindInto(root_fd, etc.hosts(), "/etc/hosts", true, false));
  return BindInto(root_fd, etc.hostname(), "/etc/hostname", true, false);
}

Status PivotRoot(const std::string& rootfs) {
  if (chdir(rootfs.c_str()) < 0) return Status::FromErrno("chdir " + rootfs, errno);
  // pivot_root(".", ".") stacks the old root on top of the new one; detaching
  // it leaves only the new root, without needing a put_old directory.
  if (syscall(SYS_pivot_root, ".", ".") < 0)
    return Status::FromErrno("pivot_root " + rootfs, errno);
  if (umount2(".", MNT_DETACH) < 0) return Status::FromErrno("unmount the old root", errno);
  if (chdir("/") < 0) return Status::FromErrno("chdir /", errno);
  return Status::Ok();
}

Status MaskPaths() {
  for (const char* path : kMaskedPaths) {
    struct stat st;
    if (stat(path, &st) < 0) continue;  // absent on this kernel: nothing to hide
    Status s = S_ISDIR(st.st_mode) ? Mount("tmpfs", path, "tmpfs", MS_RDONLY, "size=0", path)
                                   : Mount("/dev/null", path, nullptr, MS_BIND, "", path);
    DISTILL_RETURN_IF_ERROR(s.Prefixed("mask"));
  }
  return Status::Ok();
}

Status ReadonlyPaths(int root_fd) {
  for (const char* path : kReadonlyPaths) {
    struct stat st;
    if (stat(path, &st) < 0) continue;
    DISTILL_RETURN_IF_ERROR(Mount(path, path, nullptr, MS_BIND | MS_REC, "", path));
    DISTILL_RETURN_IF_ERROR(RemountReadonly(root_fd, path));
  }
  return Status::Ok();
}

Status SetHostname(const std::string& hostname) {
  if (sethostname(hostname.data(), hostname.size()) < 0) {
    return Status::FromErrno("set hostname \"" + hostname + "\"", errno);
  }
  return Status::Ok();
}

Status BringUpLoopback() {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) return Status::FromErrno("socket for loopback setup", errno);
  UniqueFd sock(s);
  struct ifreq ifr = {};
  std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) return Status::FromErrno("get flags of lo", errno);
  ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
  if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) return Status::FromErrno("bring lo up", errno);
  return Status::Ok();
}

Status SwitchUser(const ProcessSpec& spec) {
  // Bounding set first: dropping needs CAP_SETPCAP, which root loses below
  // only if the user is not root.
  DISTILL_RETURN_IF_ERROR(DropBoundingSet(DockerDefaultCapabilities()));
  if (setgroups(spec.supplementary_gids.size(), spec.supplementary_gids.data()) < 0) {
    return Status::FromErrno("setgroups", errno);
  }
  if (setresgid(spec.gid, spec.gid, spec.gid) < 0) {
    return Status::FromErrno("setgid " + std::to_string(spec.gid), errno);
  }
  if (setresuid(spec.uid, spec.uid, spec.uid) < 0) {
    return Status::FromErrno("setuid " + std::to_string(spec.uid), errno);
  }
  return ApplyCapabilities(DockerDefaultCapabilities(), spec.uid == 0);
}

Status ChangeDirectory(const std::string& cwd) {
  if (chdir(cwd.c_str()) < 0) return Status::FromErrno("chdir to working directory " + cwd, errno);
  return Status::Ok();
}

Status SetNoNewPrivileges() {
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return Status::FromErrno("no_new_privs", errno);
  return Status::Ok();
}

std::string PathFromEnv(const std::vector<std::string>& env) {
  for (const std::string& e : env) {
    if (e.rfind("PATH=", 0) == 0) return e.substr(5);
  }
  return kDefaultPath;
}

// A bare name is looked up in the image's PATH (the spec's env), as Docker
// does; a name with a '/' is used as is.
Result<std::string> FindExecutable(const ProcessSpec& spec) {
  const std::string& name = spec.argv[0];
  if (name.empty()) return Status::Invalid("exec: empty program name");
  if (name.find('/') != std::string::npos) return name;
  std::string path = PathFromEnv(spec.env);
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(start, end - start);
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + name;
    struct stat st;
    if (stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    start = end + 1;
  }
  return Status::NotFound("exec " + name + ": executable file not found in $PATH (PATH=" + path +
                          ")");
}

Status ConnectStdio(const int stdio[3]) {
  // Move the sources above 2 first so that dup2 into 0..2 cannot clobber a
  // source that happens to sit there.
  int moved[3];
  for (int i = 0; i < 3; ++i) {
    moved[i] = fcntl(stdio[i], F_DUPFD_CLOEXEC, 3);
    if (moved[i] < 0) return Status::FromErrno("duplicate stdio descriptor", errno);
  }
  for (int i = 0; i < 3; ++i) {
    if (dup2(moved[i], i) < 0) return Status::FromErrno("connect stdio", errno);
  }
  return Status::Ok();
}

Status CloseInheritedFds() {
  // Every fd >= 3 closes at execve. CLOEXEC rather than close: the setup
  // channel must stay open to report an execve failure.
  if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
    return Status::FromErrno("close_range", errno);
  }
  return Status::Ok();
}

Status ExecError(const std::string& program, int err) {
  if (err == ENOENT) {
    std::string msg = "exec " + program + ": no such file or directory in the image";
    if (program.size() >= 3 && program.compare(program.size() - 3, 3, "/sh") == 0) {
      msg += " (the image has no shell?)";
    } else {
      msg += " (or its dynamic loader is missing)";
    }
    return Status::NotFound(msg);
  }
  if (err == ENOEXEC) return Status::Invalid("exec " + program + ": exec format error");
  return Status::FromErrno("exec " + program, err);
}

Status RemountRootReadonly() {
  if (mount(nullptr, "/", nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) < 0) {
    return Status::FromErrno("remount / read-only", errno);
  }
  return Status::Ok();
}

// `run --init`: forks; the child returns (to load seccomp and exec the
// program) while this process stays pid 1: it reaps every child the
// namespace hands it, forwards every catchable signal to the program and
// exits with the program's status. Only returns in the child.
void BecomeInitOfForkedChild(int status_fd, std::string_view seccomp_program) {
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &all, nullptr);
  pid_t child = fork();
  if (child < 0) {
    WriteErrorFrame(status_fd, Status::FromErrno("fork the program under --init", errno));
    _exit(127);
  }
  if (child == 0) {
    sigprocmask(SIG_SETMASK, &none, nullptr);
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    return;
  }
  // The child keeps the setup channel to report its exec; EOF must mean
  // "exec'd", so the init lets go of it.
  close(status_fd);
  if (!LoadSeccompProgram(seccomp_program).ok()) {
    kill(child, SIGKILL);
  }
  for (;;) {
    siginfo_t info;
    int sig = sigwaitinfo(&all, &info);
    if (sig < 0) continue;
    if (sig != SIGCHLD) {
      kill(child, sig);
      continue;
    }
    int status = 0;
    pid_t reaped;
    while ((reaped = waitpid(-1, &status, WNOHANG)) > 0) {
      if (reaped != child) continue;
      _exit(WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status));
    }
  }
}

// `run -t`: a pty from the container's own devpts (so that `tty` names a
// /dev/pts/N that exists in there), opened after the user switch so that the
// program's user owns it; the master goes to distill, the slave is returned.
Result<UniqueFd> OpenTerminal(const SandboxChildContext& ctx) {
  const ProcessSpec& spec = *ctx.spec;
  winsize size = {};
  size.ws_row = spec.terminal_rows;
  size.ws_col = spec.terminal_cols;
  DISTILL_ASSIGN_OR_RETURN(Pty pty, OpenPty("/dev/ptmx", size));
  DISTILL_RETURN_IF_ERROR(SendFd(ctx.terminal_fd, pty.master.get()));
  return std::move(pty.slave);
}

// The program leads a session of its own: with -t its pty is the controlling
// terminal (^C, job control); without, it has none, so it can never reach the
// terminal distill was started from (through /dev/tty, e.g. TIOCSTI).
Status EnterOwnSession(bool terminal) {
  if (terminal) return MakeControllingTerminal(STDIN_FILENO);
  if (setsid() < 0) return Status::FromErrno("setsid", errno);
  return Status::Ok();
}

Status SetupAndExec(const SandboxChildContext& ctx) {
  const ProcessSpec& spec = *ctx.spec;
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);  // dies with its helper
  // Nothing may be reported before the helper's pid frame: wait first.
  DISTILL_RETURN_IF_ERROR(WaitForCgroup(ctx.go_fd));
  DISTILL_RETURN_IF_ERROR(ResetSignals());
  DISTILL_RETURN_IF_ERROR(MakeMountsPrivate());
  DISTILL_RETURN_IF_ERROR(BindRootfs(spec.rootfs));
  int raw_root = open(spec.rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (raw_root < 0) return Status::FromErrno("open rootfs " + spec.rootfs, errno);
  UniqueFd root(raw_root);
  DISTILL_RETURN_IF_ERROR(MountProc(root.get()));
  DISTILL_RETURN_IF_ERROR(MountDev(root.get()));
  DISTILL_RETURN_IF_ERROR(MountSys(root.get(), spec.network));
  DISTILL_RETURN_IF_ERROR(MountExtra(root.get(), spec));
  DISTILL_RETURN_IF_ERROR(MountEtcFiles(root.get(), *ctx.etc));
  DISTILL_RETURN_IF_ERROR(PivotRoot(spec.rootfs));
  root.Reset();
  int raw_new_root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (raw_new_root < 0) return Status::FromErrno("open new root", errno);
  UniqueFd new_root(raw_new_root);
  DISTILL_RETURN_IF_ERROR(MaskPaths());
  DISTILL_RETURN_IF_ERROR(ReadonlyPaths(new_root.get()));
  new_root.Reset();
  if (spec.readonly_rootfs) DISTILL_RETURN_IF_ERROR(RemountRootReadonly());
  DISTILL_RETURN_IF_ERROR(SetHostname(spec.hostname));
  if (spec.network == NetworkMode::kNone) DISTILL_RETURN_IF_ERROR(BringUpLoopback());
  DISTILL_RETURN_IF_ERROR(SwitchUser(spec));
  DISTILL_RETURN_IF_ERROR(ChangeDirectory(spec.cwd));
  DISTILL_RETURN_IF_ERROR(SetNoNewPrivileges());
  DISTILL_ASSIGN_OR_RETURN(std::string program, FindExecutable(spec));
  const std::string_view seccomp_program = DefaultSeccompProgram();
  std::vector<char*> argv, envp;
  for (const std::string& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const std::string& e : spec.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  if (spec.terminal) {
    DISTILL_ASSIGN_OR_RETURN(UniqueFd slave, OpenTerminal(ctx));
    const int tty[3] = {slave.get(), slave.get(), slave.get()};
    DISTILL_RETURN_IF_ERROR(ConnectStdio(tty));
  } else {
    DISTILL_RETURN_IF_ERROR(ConnectStdio(ctx.stdio));
  }
  DISTILL_RETURN_IF_ERROR(CloseInheritedFds());
  // The uid switch cleared the parent-death signal; set it again so the
  // program dies with its helper.
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (spec.init) BecomeInitOfForkedChild(ctx.status_fd, seccomp_program);
  DISTILL_RETURN_IF_ERROR(EnterOwnSession(spec.terminal));
  DISTILL_RETURN_IF_ERROR(LoadSeccompProgram(seccomp_program));
  execve(program.c_str(), argv.data(), envp.data());
  return ExecError(program, errno);
}

}  // namespace

void RunSandboxChild(const SandboxChildContext& ctx) {
  Status s = SetupAndExec(ctx);
  WriteErrorFrame(ctx.status_fd, s);
  _exit(127);
}

}  // namespace distill::exec
