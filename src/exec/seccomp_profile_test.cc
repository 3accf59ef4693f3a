#include "exec/seccomp_profile.h"

#include <gtest/gtest.h>
#include <linux/sched.h>
#include <sched.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "exec/capabilities.h"

namespace distill::exec {
namespace {

// Runs `probe` in a forked child with the filter loaded; the child's exit code
// is the probe's result (0 = as expected, else a small number naming the check).
int RunFiltered(uint64_t caps, int (*probe)()) {
  auto filter = BuildDefaultSeccompFilter(caps);
  if (!filter.ok()) return 100;
  pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    if (!filter->Load().ok()) _exit(101);
    _exit(probe());
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 200 + WTERMSIG(status);
}

TEST(SeccompProfile, ExportedProgramLoadsAndFilters) {
  auto filter = BuildDefaultSeccompFilter(CapabilityMask(DockerDefaultCapabilities()));
  ASSERT_TRUE(filter.ok()) << filter.status().message();
  Result<std::string> program = filter->ExportProgram();
  ASSERT_TRUE(program.ok()) << program.status().message();
  EXPECT_EQ(program->size() % 8, 0u);
  EXPECT_FALSE(LoadSeccompProgram("1234567").ok());  // not whole instructions
  pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    if (!LoadSeccompProgram(*program).ok()) _exit(1);
    if (unshare(CLONE_NEWUTS) == 0 || errno != EPERM) _exit(2);
    if (getpid() <= 0) _exit(3);
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(SeccompProfile, Builds) {
  auto filter = BuildDefaultSeccompFilter(CapabilityMask(DockerDefaultCapabilities()));
  ASSERT_TRUE(filter.ok()) << filter.status().message();
  EXPECT_GT(filter->rule_count(), 300);
}

TEST(SeccompProfile, DeniesPrivilegedSyscallsWithEperm) {
  int r = RunFiltered(CapabilityMask(DockerDefaultCapabilities()), [] {
    if (unshare(CLONE_NEWUTS) == 0 || errno != EPERM) return 1;
    if (syscall(SYS_keyctl, 0, 0, 0, 0, 0) == 0 || errno != EPERM) return 2;
    if (syscall(SYS_mount, "none", "/tmp", "tmpfs", 0, nullptr) == 0 || errno != EPERM) return 3;
    if (socket(40 /* AF_VSOCK */, SOCK_STREAM, 0) >= 0 || errno != EPERM) return 4;
    if (personality(0x0008 /* PER_LINUX32 */) < 0) return 5;
    if (personality(PER_BSD) >= 0 || errno != EPERM) return 6;
    // clone3 answers ENOSYS so libc falls back to clone.
    struct clone_args args = {};
    if (syscall(SYS_clone3, &args, sizeof(args)) >= 0 || errno != ENOSYS) return 7;
    return 0;
  });
  EXPECT_EQ(r, 0);
}

TEST(SeccompProfile, AllowsOrdinaryWork) {
  int r = RunFiltered(CapabilityMask(DockerDefaultCapabilities()), [] {
    int fds[2];
    if (pipe(fds) != 0) return 1;
    if (write(fds[1], "x", 1) != 1) return 2;
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) return 3;
    close(s);
    pid_t pid = fork();  // glibc: clone without namespace flags
    if (pid < 0) return 4;
    if (pid == 0) _exit(0);
    int st = 0;
    waitpid(pid, &st, 0);
    if (!WIFEXITED(st)) return 5;
    return 0;
  });
  EXPECT_EQ(r, 0);
}

TEST(SeccompProfile, SysAdminCapabilityEnablesGatedRules) {
  uint64_t caps = CapabilityMask(DockerDefaultCapabilities()) | (uint64_t{1} << CAP_SYS_ADMIN);
  int r = RunFiltered(caps, [] {
    // Allowed by the filter; the kernel itself decides (we are root here).
    if (unshare(CLONE_NEWUTS) != 0) return 1;
    return 0;
  });
  EXPECT_EQ(r, 0);
}

TEST(Capabilities, DockerDefaultMask) {
  EXPECT_EQ(CapabilityMask(DockerDefaultCapabilities()), 0xa80425fbULL);
}

}  // namespace
}  // namespace distill::exec
