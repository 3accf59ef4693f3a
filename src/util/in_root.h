// Path resolution confined to a root directory: every symlink met on the way
// is resolved as if the root were "/", ".." never climbs above it, and magic
// links (/proc/self/fd/...) are refused — openat2(RESOLVE_IN_ROOT) semantics.
// An image that ships /etc/passwd -> /host/etc/passwd, or a layer entry that
// goes through "../..", can then never make distill read or write outside the
// rootfs. The one implementation the extractor, the sandbox and COPY share.
//
// openat2 is used when the kernel has it; on kernels without it (or under a
// seccomp filter that refuses it) an equivalent component-by-component walk
// takes over, with O_NOFOLLOW on every step and symlinks expanded by hand.
#pragma once

#include <sys/types.h>

#include <string>

#include "util/status.h"
#include "util/unique_fd.h"

namespace distill {

struct InRootOptions {
  // Use the portable walk even when openat2 exists (tests exercise both).
  bool force_manual = false;
};

// Opens `path` (absolute or relative, taken inside the root) relative to
// `root_fd` with open(2) `flags`; O_CLOEXEC is always added. With O_CREAT the
// file is made with `mode` (its parent must exist).
Result<UniqueFd> OpenInRoot(int root_fd, const std::string& path, int flags, mode_t mode = 0,
                            const InRootOptions& options = {});

// An O_PATH descriptor of directory `path` inside the root; with
// `create_missing`, directories that do not exist are made (0755) on the way,
// each inside a directory itself reached in the root.
Result<UniqueFd> ResolveDirInRoot(int root_fd, const std::string& path, bool create_missing,
                                  const InRootOptions& options = {});

}  // namespace distill
