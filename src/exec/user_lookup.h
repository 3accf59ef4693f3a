// Resolves a Dockerfile USER / `run --user` value against an image's own
// /etc/passwd and /etc/group, with Docker's rules:
//   - forms: "", "name", "uid", "uid:gid", "name:group", "uid:group", "name:gid";
//   - a name must exist in the file; a numeric id need not (a missing passwd
//     file is fine for numeric ids);
//   - the default gid comes from the passwd entry (0 when there is none);
//   - supplementary groups are the /etc/group entries listing the user's name,
//     and only when no group was given explicitly.
// The parsing functions are pure (file contents in, ids out) so they are tested
// without root.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace distill::exec {

struct ResolvedUser {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> supplementary_gids;
  std::string home = "/";  // from passwd; "/" when unknown (Docker's default)
};

// `passwd` / `group` hold the files' contents, or nullopt when the file does
// not exist in the image.
Result<ResolvedUser> ResolveUser(std::string_view user_spec,
                                 const std::optional<std::string>& passwd,
                                 const std::optional<std::string>& group);

// Reads <rootfs>/etc/passwd and <rootfs>/etc/group (symlinks resolved inside
// the rootfs, never out of it) and calls ResolveUser.
Result<ResolvedUser> ResolveUserInRootfs(const std::string& rootfs, std::string_view user_spec);

}  // namespace distill::exec
