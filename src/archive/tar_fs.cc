#include "archive/tar_fs.h"

#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace distill::archive {

Result<size_t> FdReader::Read(void* buf, size_t len) {
  for (;;) {
    ssize_t n = read(fd_, buf, len);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return Status::FromErrno("read " + name_, errno);
  }
}

Result<std::map<std::string, std::string>> ReadXattrs(const std::string& path) {
  std::map<std::string, std::string> out;
  std::vector<char> names;
  for (;;) {  // the list can grow between the size query and the read: retry
    ssize_t len = llistxattr(path.c_str(), nullptr, 0);
    if (len < 0) {
      if (errno == ENOTSUP) return out;
      return Status::FromErrno("list xattrs of " + path, errno);
    }
    names.resize(static_cast<size_t>(len));
    len = llistxattr(path.c_str(), names.data(), names.size());
    if (len >= 0) {
      names.resize(static_cast<size_t>(len));
      break;
    }
    if (errno != ERANGE) return Status::FromErrno("list xattrs of " + path, errno);
  }
  for (size_t pos = 0; pos < names.size();) {
    std::string name(names.data() + pos);
    pos += name.size() + 1;
    if (name.empty()) continue;
    std::string value;
    for (;;) {
      ssize_t len = lgetxattr(path.c_str(), name.c_str(), nullptr, 0);
      if (len < 0) {
        if (errno == ENODATA) break;  // removed meanwhile
        return Status::FromErrno("read xattr " + name + " of " + path, errno);
      }
      value.resize(static_cast<size_t>(len));
      len = lgetxattr(path.c_str(), name.c_str(), value.data(), value.size());
      if (len >= 0) {
        value.resize(static_cast<size_t>(len));
        out[name] = value;
        break;
      }
      if (errno != ERANGE) return Status::FromErrno("read xattr " + name + " of " + path, errno);
    }
  }
  return out;
}

std::string ProcFdPath(int dir_fd, const std::string& name) {
  return "/proc/self/fd/" + std::to_string(dir_fd) + "/" + name;
}

}  // namespace distill::archive
