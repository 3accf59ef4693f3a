#include "snapshot/tree_removal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

#include "archive/tar_fs.h"

namespace distill::snapshot {

namespace {

using archive::UniqueFd;

// Empties the directory `fd` (named `path` in errors) of entries on `dev`.
Status EmptyDir(int fd, const std::string& path, dev_t dev) {
  int dup_fd = dup(fd);
  if (dup_fd < 0) return Status::FromErrno("dup " + path, errno);
  DIR* dir = fdopendir(dup_fd);
  if (dir == nullptr) {
    int err = errno;
    close(dup_fd);
    return Status::FromErrno("opendir " + path, err);
  }
  std::vector<std::string> names;
  while (struct dirent* de = readdir(dir)) {
    std::string name = de->d_name;
    if (name != "." && name != "..") names.push_back(std::move(name));
  }
  closedir(dir);
  for (const auto& name : names) {
    std::string child = path + "/" + name;
    struct stat st;
    if (fstatat(fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) continue;
      return Status::FromErrno("stat " + child, errno);
    }
    if (S_ISDIR(st.st_mode)) {
      if (st.st_dev != dev) {
        return Status(Status::Code::kIo, "remove " + child +
                                             ": another filesystem is mounted there; "
                                             "unmount it first");
      }
      UniqueFd sub(openat(fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!sub.valid()) return Status::FromErrno("open " + child, errno);
      DISTILL_RETURN_IF_ERROR(EmptyDir(sub.get(), child, dev));
      if (unlinkat(fd, name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT) {
        return Status::FromErrno("remove " + child, errno);
      }
    } else if (unlinkat(fd, name.c_str(), 0) != 0 && errno != ENOENT) {
      return Status::FromErrno("remove " + child, errno);
    }
  }
  return Status::Ok();
}

}  // namespace

Status RemoveTreeOnOneDevice(const std::string& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::Ok();
    return Status::FromErrno("stat " + path, errno);
  }
  if (!S_ISDIR(st.st_mode)) {
    if (unlink(path.c_str()) != 0 && errno != ENOENT) {
      return Status::FromErrno("remove " + path, errno);
    }
    return Status::Ok();
  }
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) return Status::FromErrno("open " + path, errno);
  DISTILL_RETURN_IF_ERROR(EmptyDir(fd.get(), path, st.st_dev));
  if (rmdir(path.c_str()) != 0 && errno != ENOENT) {
    return Status::FromErrno("remove " + path, errno);
  }
  return Status::Ok();
}

}  // namespace distill::snapshot
