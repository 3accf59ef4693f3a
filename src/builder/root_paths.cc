#include "builder/root_paths.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <sstream>

#include "exec/in_root.h"
#include "exec/unique_fd.h"

namespace distill::builder {

Status MakeDirsInRoot(const std::string& rootfs, const std::string& path, uid_t uid, gid_t gid) {
  int raw = open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (raw < 0) return Status::FromErrno("open " + rootfs, errno);
  exec::UniqueFd root(raw);
  std::stringstream parts(path);
  std::string part, prefix;
  while (std::getline(parts, part, '/')) {
    if (part.empty() || part == ".") continue;
    // The parent is opened through the in-root resolution, then the component
    // is created relative to it (never following a symlink out of the root).
    DISTILL_ASSIGN_OR_RETURN(
        exec::UniqueFd parent,
        exec::OpenInRoot(root.get(), prefix.empty() ? "/" : prefix, O_PATH | O_DIRECTORY));
    const std::string next = prefix + "/" + part;
    if (part == "..") {
      prefix = next;
      continue;
    }
    if (mkdirat(parent.get(), part.c_str(), 0755) == 0) {
      if (fchownat(parent.get(), part.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW) != 0) {
        return Status::FromErrno("chown " + next, errno);
      }
    } else if (errno != EEXIST) {
      return Status::FromErrno("mkdir " + next, errno);
    }
    // It exists now: it must be (or lead through a symlink to) a directory.
    auto dir = exec::OpenInRoot(root.get(), next, O_PATH | O_DIRECTORY);
    if (!dir.ok()) return Status::Invalid("cannot create directory " + next + ": not a directory");
    prefix = next;
  }
  return Status::Ok();
}

Result<exec::ResolvedUser> ResolveOwner(const std::string& rootfs, const std::string& user) {
  // No USER is root, looked up like any other user: its home (HOME=/root for
  // RUN, as Docker sets it) and groups come from the image's own files.
  auto resolved = exec::ResolveUserInRootfs(rootfs, user.empty() ? "0" : user);
  if (!resolved.ok()) return resolved.status().Prefixed("USER " + user);
  return resolved;
}

}  // namespace distill::builder
