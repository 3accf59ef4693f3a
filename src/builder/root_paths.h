// File system work inside a mounted rootfs, confined to it: every path is
// resolved as if the rootfs were "/" (exec/in_root.h), so an image's symlinks
// can never make the builder create or chown anything outside it.
#pragma once

#include <sys/types.h>

#include <string>

#include "exec/user_lookup.h"
#include "util/status.h"

namespace distill::builder {

// mkdir -p `path` inside `rootfs`: missing directories are created 0755 and
// owned by uid:gid; existing ones are left as they are. A non-directory in the
// way is an error naming the path.
Status MakeDirsInRoot(const std::string& rootfs, const std::string& path, uid_t uid, gid_t gid);

// USER `user` resolved against the rootfs's own /etc/passwd and /etc/group;
// "" is root. Errors name the user.
Result<exec::ResolvedUser> ResolveOwner(const std::string& rootfs, const std::string& user);

}  // namespace distill::builder
