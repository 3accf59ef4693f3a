// The capability sets a sandboxed process keeps: Docker's default list, put in
// place in two steps around the uid switch (the bounding set must shrink while
// we still hold CAP_SETPCAP; permitted/effective are set after setuid, which
// empties them for a non-root user as Docker does).
#pragma once

#include <sys/capability.h>

#include <cstdint>
#include <vector>

#include "util/status.h"

namespace distill::exec {

// CHOWN DAC_OVERRIDE FSETID FOWNER MKNOD NET_RAW SETGID SETUID SETFCAP SETPCAP
// NET_BIND_SERVICE SYS_CHROOT KILL AUDIT_WRITE (mask 0x00000000a80425fb).
const std::vector<cap_value_t>& DockerDefaultCapabilities();

// Bit i set for capability i.
uint64_t CapabilityMask(const std::vector<cap_value_t>& caps);

// Drops every capability not in `keep` from the bounding set. Needs CAP_SETPCAP.
Status DropBoundingSet(const std::vector<cap_value_t>& keep);

// After the uid/gid switch: for root, effective = permitted = inheritable =
// `keep`; for any other uid all three are empty. Ambient is always cleared.
Status ApplyCapabilities(const std::vector<cap_value_t>& keep, bool is_root);

}  // namespace distill::exec
