#include "exec/capabilities.h"

#include <sys/prctl.h>

#include <algorithm>
#include <cerrno>
#include <string>

namespace distill::exec {

const std::vector<cap_value_t>& DockerDefaultCapabilities() {
  static const std::vector<cap_value_t> kCaps = {
      CAP_CHOWN,   CAP_DAC_OVERRIDE, CAP_FSETID,           CAP_FOWNER,
      CAP_MKNOD,   CAP_NET_RAW,      CAP_SETGID,           CAP_SETUID,
      CAP_SETFCAP, CAP_SETPCAP,      CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT,
      CAP_KILL,    CAP_AUDIT_WRITE};
  return kCaps;
}

uint64_t CapabilityMask(const std::vector<cap_value_t>& caps) {
  uint64_t mask = 0;
  for (cap_value_t c : caps) mask |= uint64_t{1} << c;
  return mask;
}

Status DropBoundingSet(const std::vector<cap_value_t>& keep) {
  // The kernel may know more capabilities than our headers: ask it.
  int last = static_cast<int>(cap_max_bits()) - 1;
  for (int c = 0; c <= last; ++c) {
    if (std::find(keep.begin(), keep.end(), c) != keep.end()) continue;
    if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL) {
      return Status::FromErrno("drop capability " + std::to_string(c) + " from the bounding set",
                               errno);
    }
  }
  return Status::Ok();
}

Status ApplyCapabilities(const std::vector<cap_value_t>& keep, bool is_root) {
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0) {
    return Status::FromErrno("clear ambient capabilities", errno);
  }
  cap_t caps = cap_init();  // all sets empty
  if (caps == nullptr) return Status::FromErrno("cap_init", errno);
  if (is_root && !keep.empty()) {
    for (cap_flag_t set : {CAP_EFFECTIVE, CAP_PERMITTED, CAP_INHERITABLE}) {
      if (cap_set_flag(caps, set, static_cast<int>(keep.size()), keep.data(), CAP_SET) < 0) {
        int err = errno;
        cap_free(caps);
        return Status::FromErrno("build capability set", err);
      }
    }
  }
  int rc = cap_set_proc(caps);
  int err = errno;
  cap_free(caps);
  if (rc < 0) return Status::FromErrno("set process capabilities", err);
  return Status::Ok();
}

}  // namespace distill::exec
