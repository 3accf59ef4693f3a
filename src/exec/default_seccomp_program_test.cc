#include "exec/default_seccomp_program.h"

#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "exec/capabilities.h"
#include "exec/seccomp_profile.h"

namespace distill::exec {
namespace {

// The program linked in at build time is exactly what libseccomp compiles
// from the profile now: a stale generated file (profile edited, libseccomp
// upgraded without a rebuild of the generator's output) fails here.
TEST(DefaultSeccompProgram, MatchesTheProfileCompiledNow) {
  auto filter = BuildDefaultSeccompFilter(CapabilityMask(DockerDefaultCapabilities()));
  ASSERT_TRUE(filter.ok()) << filter.status().message();
  Result<std::string> compiled = filter->ExportProgram();
  ASSERT_TRUE(compiled.ok()) << compiled.status().message();
  EXPECT_EQ(DefaultSeccompProgram(), *compiled);
}

TEST(DefaultSeccompProgram, DefaultCapsUseTheBuiltInProgram) {
  Result<std::string> program = SeccompProgramFor(CapabilityMask(DockerDefaultCapabilities()));
  ASSERT_TRUE(program.ok()) << program.status().message();
  EXPECT_EQ(*program, DefaultSeccompProgram());
}

TEST(DefaultSeccompProgram, OtherCapsAreCompiledForThem) {
  // With CAP_SYS_ADMIN granted, the profile allows mount & co.: a different
  // program from the built-in one, and what libseccomp makes of those caps.
  uint64_t caps = CapabilityMask(DockerDefaultCapabilities()) | (uint64_t{1} << CAP_SYS_ADMIN);
  Result<std::string> program = SeccompProgramFor(caps);
  ASSERT_TRUE(program.ok()) << program.status().message();
  EXPECT_NE(*program, DefaultSeccompProgram());
  auto filter = BuildDefaultSeccompFilter(caps);
  ASSERT_TRUE(filter.ok());
  EXPECT_EQ(*program, *filter->ExportProgram());
}

TEST(DefaultSeccompProgram, LoadsAndDeniesWhatTheProfileDenies) {
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    if (!LoadSeccompProgram(DefaultSeccompProgram()).ok()) _exit(10);
    // Allowed: getpid. Denied without CAP_SYS_ADMIN: unshare, with EPERM.
    if (syscall(SYS_getpid) <= 0) _exit(11);
    errno = 0;
    if (syscall(SYS_unshare, 0) != -1 || errno != EPERM) _exit(12);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace distill::exec
