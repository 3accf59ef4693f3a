// Docker's default seccomp profile (moby profiles/seccomp/default.json) for
// x86_64 with its x86 and x32 sub-architectures: everything not listed fails
// with EPERM. The profile is kept as data (seccomp_profile.cc) and compiled
// into a BPF filter with libseccomp.
#pragma once

#include <seccomp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "util/status.h"

namespace distill::exec {

// A compiled, not yet loaded, filter. Load() installs it on the calling
// thread; it is the last step before execve.
class SeccompFilter {
 public:
  SeccompFilter(SeccompFilter&&) noexcept = default;
  SeccompFilter& operator=(SeccompFilter&&) noexcept = default;
  ~SeccompFilter() = default;

  Status Load() const;
  // The filter as a classic BPF program (struct sock_filter[]), for a process
  // that loads it with LoadSeccompProgram without any libseccomp state: the
  // sandbox gets it compiled by distill while it sets itself up.
  Result<std::string> ExportProgram() const;
  // Number of syscall rules added (for tests and diagnostics).
  int rule_count() const { return rule_count_; }

 private:
  friend Result<SeccompFilter> BuildDefaultSeccompFilter(uint64_t granted_caps);

  // Installs a program from SeccompFilter::ExportProgram on the calling thread
  // (no_new_privs must be set first). Only a syscall: safe in a forked child.
  Status LoadSeccompProgram(std::string_view program);
  struct CtxRelease {
    void operator()(void* ctx) const { seccomp_release(ctx); }
  };
  SeccompFilter(void* ctx, int rules) : ctx_(ctx), rule_count_(rules) {}
  std::unique_ptr<void, CtxRelease> ctx_;
  int rule_count_ = 0;
};

// `granted_caps` (bit i = capability i) enables the profile's capability-gated
// rules, as Docker does: e.g. without CAP_SYS_ADMIN, mount/unshare/setns are
// denied and clone may not create namespaces.
Result<SeccompFilter> BuildDefaultSeccompFilter(uint64_t granted_caps);

// Installs a program from SeccompFilter::ExportProgram on the calling thread
// (no_new_privs must be set first). Only a syscall: safe in a forked child.
Status LoadSeccompProgram(std::string_view program);

}  // namespace distill::exec
