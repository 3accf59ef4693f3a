#include "exec/in_root.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "util/file_system.h"

namespace distill::exec {

std::string FdPath(int fd) {
  return "/proc/self/fd/" + std::to_string(fd);
}

Result<UniqueFd> MakeMountPointInRoot(int root_fd, const std::string& path, MountPointKind kind) {
  std::vector<std::string> parts = SplitPath(path);
  // Walk component by component so each mkdir happens inside a directory that
  // was itself reached through RESOLVE_IN_ROOT.
  DISTILL_ASSIGN_OR_RETURN(UniqueFd dir, OpenInRoot(root_fd, ".", O_PATH | O_DIRECTORY));
  std::string so_far;
  for (size_t i = 0; i < parts.size(); ++i) {
    so_far += "/" + parts[i];
    bool leaf = i + 1 == parts.size();
    if (leaf && kind == MountPointKind::kFile) {
      auto f = OpenInRoot(root_fd, so_far, O_PATH);
      if (f.ok()) return f;
      int fd =
          openat(dir.get(), parts[i].c_str(), O_CREAT | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
      if (fd < 0 && errno != EEXIST && errno != ELOOP) {
        return Status::FromErrno("create mount point " + path, errno);
      }
      if (fd >= 0) close(fd);
      return OpenInRoot(root_fd, so_far, O_PATH);
    }
    if (mkdirat(dir.get(), parts[i].c_str(), 0755) < 0 && errno != EEXIST) {
      return Status::FromErrno("create mount point " + so_far, errno);
    }
    DISTILL_ASSIGN_OR_RETURN(dir, OpenInRoot(root_fd, so_far, O_PATH | O_DIRECTORY));
  }
  return dir;
}

Result<std::string> ReadFileInRoot(const std::string& root, const std::string& path) {
  int raw_root = open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (raw_root < 0) {
    // Not kNotFound: callers read that as "the file is missing in the image".
    return Status(Status::Code::kInvalidArgument,
                  Status::FromErrno("open rootfs " + root, errno).message());
  }
  UniqueFd root_fd(raw_root);
  DISTILL_ASSIGN_OR_RETURN(UniqueFd fd, OpenInRoot(root_fd.get(), path, O_RDONLY));
  std::string out;
  char buf[8192];
  for (;;) {
    ssize_t n = read(fd.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::FromErrno("read " + path + " in " + root, errno);
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

}  // namespace distill::exec
