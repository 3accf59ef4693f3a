// Path access confined to a root directory: every symlink met on the way is
// resolved as if the root were "/" (openat2 RESOLVE_IN_ROOT), so an image that
// ships /etc/passwd -> /host/etc/passwd or a mount target through "../.." can
// never make distill read or mount over a file outside the rootfs.
#pragma once

#include <sys/types.h>

#include <string>

#include "exec/unique_fd.h"
#include "util/in_root.h"
#include "util/status.h"

namespace distill::exec {

// Opens `path` (absolute or relative, taken inside the root) relative to
// `root_fd` with `flags` (O_CLOEXEC is always added): util/in_root.h.
using distill::OpenInRoot;

enum class MountPointKind { kDirectory, kFile };

// Makes sure `path` exists inside the root as a directory or a regular file
// (creating missing parent directories 0755, a missing file 0644) and returns
// an O_PATH descriptor of it, ready to be used as a mount target through
// /proc/self/fd/N.
Result<UniqueFd> MakeMountPointInRoot(int root_fd, const std::string& path, MountPointKind kind);

// Reads a whole file inside `root` (a directory path). NotFound if missing.
Result<std::string> ReadFileInRoot(const std::string& root, const std::string& path);

// "/proc/self/fd/N": the name under which the mount syscalls reach an fd.
std::string FdPath(int fd);

}  // namespace distill::exec
