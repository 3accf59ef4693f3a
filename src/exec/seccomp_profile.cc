#include "exec/seccomp_profile.h"

#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace distill::exec {
namespace {

// Syscalls every container may make.
const char* const kAllowed[] = {
    "accept", "accept4", "access", "adjtimex", "alarm", "bind", "brk", "capget", "capset", "chdir",
    "chmod", "chown", "chown32", "clock_adjtime", "clock_adjtime64", "clock_getres",
    "clock_getres_time64", "clock_gettime", "clock_gettime64", "clock_nanosleep",
    "clock_nanosleep_time64", "close", "close_range", "connect", "copy_file_range", "creat", "dup",
    "dup2", "dup3", "epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_pwait",
    "epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2", "execve", "execveat",
    "exit", "exit_group", "faccessat", "faccessat2", "fadvise64", "fadvise64_64", "fallocate",
    "fanotify_mark", "fchdir", "fchmod", "fchmodat", "fchown", "fchown32", "fchownat", "fcntl",
    "fcntl64", "fdatasync", "fgetxattr", "flistxattr", "flock", "fork", "fremovexattr", "fsetxattr",
    "fstat", "fstat64", "fstatat64", "fstatfs", "fstatfs64", "fsync", "ftruncate", "ftruncate64",
    "futex", "futex_time64", "futex_waitv", "futimesat", "getcpu", "getcwd", "getdents",
    "getdents64", "getegid", "getegid32", "geteuid", "geteuid32", "getgid", "getgid32", "getgroups",
    "getgroups32", "getitimer", "getpeername", "getpgid", "getpgrp", "getpid", "getppid",
    "getpriority", "getrandom", "getresgid", "getresgid32", "getresuid", "getresuid32", "getrlimit",
    "get_robust_list", "getrusage", "getsid", "getsockname", "getsockopt", "get_thread_area",
    "gettid", "gettimeofday", "getuid", "getuid32", "getxattr", "inotify_add_watch", "inotify_init",
    "inotify_init1", "inotify_rm_watch", "io_cancel", "ioctl", "io_destroy", "io_getevents",
    "io_pgetevents", "io_pgetevents_time64", "ioprio_get", "ioprio_set", "io_setup", "io_submit",
    "io_uring_enter", "io_uring_register", "io_uring_setup", "ipc", "kill", "landlock_add_rule",
    "landlock_create_ruleset", "landlock_restrict_self", "lchown", "lchown32", "lgetxattr", "link",
    "linkat", "listen", "listxattr", "llistxattr", "_llseek", "lremovexattr", "lseek", "lsetxattr",
    "lstat", "lstat64", "madvise", "membarrier", "memfd_create", "memfd_secret", "mincore", "mkdir",
    "mkdirat", "mknod", "mknodat", "mlock", "mlock2", "mlockall", "mmap", "mmap2", "mprotect",
    "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive", "mq_timedreceive_time64",
    "mq_timedsend", "mq_timedsend_time64", "mq_unlink", "mremap", "msgctl", "msgget", "msgrcv",
    "msgsnd", "msync", "munlock", "munlockall", "munmap", "name_to_handle_at", "nanosleep",
    "newfstatat", "_newselect", "open", "openat", "openat2", "pause", "pidfd_open",
    "pidfd_send_signal", "pipe", "pipe2", "pkey_alloc", "pkey_free", "pkey_mprotect", "poll",
    "ppoll", "ppoll_time64", "prctl", "pread64", "preadv", "preadv2", "prlimit64",
    "process_mrelease", "pselect6", "pselect6_time64", "pwrite64", "pwritev", "pwritev2", "read",
    "readahead", "readlink", "readlinkat", "readv", "recv", "recvfrom", "recvmmsg",
    "recvmmsg_time64", "recvmsg", "remap_file_pages", "removexattr", "rename", "renameat",
    "renameat2", "restart_syscall", "rmdir", "rseq", "rt_sigaction", "rt_sigpending",
    "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait",
    "rt_sigtimedwait_time64", "rt_tgsigqueueinfo", "sched_getaffinity", "sched_getattr",
    "sched_getparam", "sched_get_priority_max", "sched_get_priority_min", "sched_getscheduler",
    "sched_rr_get_interval", "sched_rr_get_interval_time64", "sched_setaffinity", "sched_setattr",
    "sched_setparam", "sched_setscheduler", "sched_yield", "seccomp", "select", "semctl", "semget",
    "semop", "semtimedop", "semtimedop_time64", "send", "sendfile", "sendfile64", "sendmmsg",
    "sendmsg", "sendto", "setfsgid", "setfsgid32", "setfsuid", "setfsuid32", "setgid", "setgid32",
    "setgroups", "setgroups32", "setitimer", "setpgid", "setpriority", "setregid", "setregid32",
    "setresgid", "setresgid32", "setresuid", "setresuid32", "setreuid", "setreuid32", "setrlimit",
    "set_robust_list", "setsid", "setsockopt", "set_thread_area", "set_tid_address", "setuid",
    "setuid32", "setxattr", "shmat", "shmctl", "shmdt", "shmget", "shutdown", "sigaltstack",
    "signalfd", "signalfd4", "sigprocmask", "sigreturn", "socketcall", "socketpair", "splice",
    "stat", "stat64", "statfs", "statfs64", "statx", "symlink", "symlinkat", "sync",
    "sync_file_range", "syncfs", "sysinfo", "tee", "tgkill", "time", "timer_create", "timer_delete",
    "timer_getoverrun", "timer_gettime", "timer_gettime64", "timer_settime", "timer_settime64",
    "timerfd_create", "timerfd_gettime", "timerfd_gettime64", "timerfd_settime",
    "timerfd_settime64", "times", "tkill", "truncate", "truncate64", "ugetrlimit", "umask", "uname",
    "unlink", "unlinkat", "utime", "utimensat", "utimensat_time64", "utimes", "vfork", "vmsplice",
    "wait4", "waitid", "waitpid", "write", "writev",
    // Allowed on kernels >= 4.8 (where seccomp runs before ptrace can bypass it).
    "process_vm_readv", "process_vm_writev", "ptrace",
    // x86 specific.
    "arch_prctl", "modify_ldt"};

// Syscalls allowed only when the container holds a capability.
struct CapabilityGated {
  int capability;
  std::vector<const char*> names;
};
const CapabilityGated kCapabilityGated[] = {
    {CAP_DAC_READ_SEARCH, {"open_by_handle_at"}},
    {CAP_SYS_ADMIN, {"bpf",           "clone",         "clone3",      "fanotify_init",   "fsconfig",
                     "fsmount",       "fsopen",        "fspick",      "lookup_dcookie",  "mount",
                     "mount_setattr", "move_mount",    "open_tree",   "perf_event_open", "quotactl",
                     "quotactl_fd",   "setdomainname", "sethostname", "setns",           "syslog",
                     "umount",        "umount2",       "unshare"}},
    {CAP_SYS_BOOT, {"reboot"}},
    {CAP_SYS_CHROOT, {"chroot"}},
    {CAP_SYS_MODULE, {"delete_module", "init_module", "finit_module"}},
    {CAP_SYS_PACCT, {"acct"}},
    {CAP_SYS_PTRACE, {"kcmp", "pidfd_getfd", "process_madvise"}},
    {CAP_SYS_RAWIO, {"iopl", "ioperm"}},
    {CAP_SYS_TIME, {"settimeofday", "stime", "clock_settime", "clock_settime64"}},
    {CAP_SYS_TTY_CONFIG, {"vhangup"}},
    {CAP_SYS_NICE, {"get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"}},
    {CAP_SYSLOG, {"syslog"}},
    {CAP_BPF, {"bpf"}},
    {CAP_PERFMON, {"perf_event_open"}},
};

// personality(2) personas the profile allows: PER_LINUX, PER_LINUX32,
// UNAME26, UNAME26|PER_LINUX32, and 0xffffffff (query).
const uint64_t kAllowedPersonalities[] = {0x0, 0x8, 0x20000, 0x20008, 0xffffffff};

// clone(2) flags that create namespaces: CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|
// NEWUSER|NEWPID|NEWNET. Without CAP_SYS_ADMIN clone is allowed only when none
// of them is set.
constexpr uint64_t kCloneNamespaceFlags = 0x7E020000;

constexpr int kAfVsock = 40;

bool Has(uint64_t caps, int cap) {
  return (caps >> cap) & 1;
}

// Adds one rule; a syscall unknown to libseccomp or to every architecture of
// the filter is skipped, as Docker skips names its libseccomp does not know.
Status AddRule(scmp_filter_ctx ctx, uint32_t action, const char* name, int* count,
               std::vector<scmp_arg_cmp> args = {}) {
  int nr = seccomp_syscall_resolve_name(name);
  if (nr == __NR_SCMP_ERROR) return Status::Ok();
  int rc = seccomp_rule_add_array(ctx, action, nr, static_cast<unsigned>(args.size()),
                                  args.empty() ? nullptr : args.data());
  // -EDOM/-EOPNOTSUPP: not on these arches; -EEXIST: listed twice (syslog).
  if (rc == -EDOM || rc == -EOPNOTSUPP || rc == -EEXIST) return Status::Ok();
  if (rc < 0) return Status::FromErrno(std::string("seccomp rule for ") + name, -rc);
  ++*count;
  return Status::Ok();
}

}  // namespace

Status SeccompFilter::Load() const {
  int rc = seccomp_load(ctx_.get());
  if (rc < 0) return Status::FromErrno("load seccomp filter", -rc);
  return Status::Ok();
}

Result<std::string> SeccompFilter::ExportProgram() const {
  int fd = memfd_create("distill-seccomp", MFD_CLOEXEC);
  if (fd < 0) return Status::FromErrno("memfd_create for the seccomp program", errno);
  int rc = seccomp_export_bpf(ctx_.get(), fd);
  std::string program;
  if (rc == 0 && lseek(fd, 0, SEEK_SET) == 0) {
    char buf[8192];
    ssize_t n;
    while ((n = read(fd, buf, sizeof(buf))) > 0) program.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  if (rc < 0) return Status::FromErrno("export the seccomp filter", -rc);
  if (program.empty() || program.size() % sizeof(sock_filter) != 0) {
    return Status::Error("export the seccomp filter: " + std::to_string(program.size()) +
                         " bytes is not a BPF program");
  }
  return program;
}

Status LoadSeccompProgram(std::string_view program) {
  if (program.empty() || program.size() % sizeof(sock_filter) != 0 ||
      program.size() / sizeof(sock_filter) > BPF_MAXINSNS) {
    return Status::Invalid("load seccomp filter: " + std::to_string(program.size()) +
                           " bytes is not a BPF program");
  }
  sock_fprog prog = {};
  prog.len = static_cast<unsigned short>(program.size() / sizeof(sock_filter));
  prog.filter = reinterpret_cast<sock_filter*>(const_cast<char*>(program.data()));
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
    return Status::FromErrno("load seccomp filter", errno);
  }
  return Status::Ok();
}

Result<SeccompFilter> BuildDefaultSeccompFilter(uint64_t granted_caps) {
  scmp_filter_ctx raw = seccomp_init(SCMP_ACT_ERRNO(EPERM));
  if (raw == nullptr) return Status::Error("seccomp_init failed");
  SeccompFilter filter(raw, 0);
  for (uint32_t arch : {SCMP_ARCH_X86, SCMP_ARCH_X32}) {
    int rc = seccomp_arch_add(raw, arch);
    if (rc < 0 && rc != -EEXIST) return Status::FromErrno("seccomp: add architecture", -rc);
  }
  int count = 0;
  for (const char* name : kAllowed) {
    DISTILL_RETURN_IF_ERROR(AddRule(raw, SCMP_ACT_ALLOW, name, &count));
  }
  for (const CapabilityGated& gated : kCapabilityGated) {
    if (!Has(granted_caps, gated.capability)) continue;
    for (const char* name : gated.names) {
      DISTILL_RETURN_IF_ERROR(AddRule(raw, SCMP_ACT_ALLOW, name, &count));
    }
  }
  // socket: anything but AF_VSOCK (a channel to the hypervisor host).
  DISTILL_RETURN_IF_ERROR(AddRule(raw, SCMP_ACT_ALLOW, "socket", &count,
                                  {SCMP_A0(SCMP_CMP_NE, static_cast<uint64_t>(kAfVsock))}));
  for (uint64_t persona : kAllowedPersonalities) {
    DISTILL_RETURN_IF_ERROR(
        AddRule(raw, SCMP_ACT_ALLOW, "personality", &count, {SCMP_A0(SCMP_CMP_EQ, persona)}));
  }
  if (!Has(granted_caps, CAP_SYS_ADMIN)) {
    DISTILL_RETURN_IF_ERROR(
        AddRule(raw, SCMP_ACT_ALLOW, "clone", &count,
                {SCMP_A0(SCMP_CMP_MASKED_EQ, kCloneNamespaceFlags, uint64_t{0})}));
    // ENOSYS, not EPERM: clone3's flags live in memory seccomp cannot read, so
    // it is refused in a way that makes libc fall back to clone.
    DISTILL_RETURN_IF_ERROR(AddRule(raw, SCMP_ACT_ERRNO(ENOSYS), "clone3", &count));
  }
  filter.rule_count_ = count;
  return filter;
}

}  // namespace distill::exec
