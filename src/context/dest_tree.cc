#include "context/dest_tree.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "dockerfile/clean_path.h"
#include "exec/in_root.h"
#include "util/file_system.h"

namespace distill::context {
namespace {

bool Privileged() {
  return geteuid() == 0;
}

// openat2(RESOLVE_IN_ROOT) keeping errno, so "missing" can be told apart.
int OpenInRootRaw(int root_fd, const std::string& path, int flags) {
  struct open_how how = {};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  std::string rel = path.substr(std::min(path.find_first_not_of('/'), path.size()));
  if (rel.empty()) rel = ".";
  return static_cast<int>(syscall(SYS_openat2, root_fd, rel.c_str(), &how, sizeof how));
}

}  // namespace

Status CopyFileData(int src_fd, int dst_fd, const std::string& what) {
  for (;;) {
    ssize_t n = copy_file_range(src_fd, nullptr, dst_fd, nullptr, 1 << 30, 0);
    if (n == 0) return Status::Ok();
    if (n > 0) continue;
    if (errno == EINTR) continue;
    if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) {
      return Status::FromErrno("copy " + what, errno);
    }
    break;  // fall back to read/write
  }
  std::vector<char> buf(1 << 17);
  for (;;) {
    ssize_t n = read(src_fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::FromErrno("read " + what, errno);
    if (n == 0) return Status::Ok();
    size_t done = 0;
    while (done < static_cast<size_t>(n)) {
      ssize_t w = write(dst_fd, buf.data() + done, static_cast<size_t>(n) - done);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return Status::FromErrno("write " + what, errno);
      done += static_cast<size_t>(w);
    }
  }
}

Result<DestTree> DestTree::Open(const std::string& rootfs) {
  exec::UniqueFd fd(open(rootfs.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return Status::FromErrno("open destination root " + rootfs, errno);
  return DestTree(rootfs, std::move(fd));
}

bool DestTree::IsDirectory(const std::string& path) const {
  return exec::OpenInRoot(root_.get(), path, O_PATH | O_DIRECTORY).ok();
}

Result<exec::UniqueFd> DestTree::OpenDir(const std::string& path) const {
  auto fd = exec::OpenInRoot(root_.get(), path, O_RDONLY | O_DIRECTORY);
  if (!fd.ok()) return fd.status().Prefixed(rootfs_);
  return fd;
}

Result<exec::UniqueFd> DestTree::MakeDirs(const std::string& path, const WriteMeta& made_meta) {
  if (depth_ == 0) links_followed_ = 0;
  ++depth_;
  struct DepthGuard {
    int* d;
    ~DepthGuard() { --*d; }
  } guard{&depth_};
  std::vector<std::string> parts = SplitPath(path);
  DISTILL_ASSIGN_OR_RETURN(exec::UniqueFd dir, OpenDir("/"));
  std::string so_far;
  for (size_t i = 0; i < parts.size(); ++i) {
    so_far += "/" + parts[i];
    int next = OpenInRootRaw(root_.get(), so_far, O_RDONLY | O_DIRECTORY);
    if (next >= 0) {
      dir = exec::UniqueFd(next);
      continue;
    }
    if (errno != ENOENT) {
      return Status::FromErrno("cannot create directory " + so_far + " in " + rootfs_, errno);
    }
    // Missing: create it in the parent we reached inside the root.
    if (mkdirat(dir.get(), parts[i].c_str(), 0755) != 0) {
      if (errno != EEXIST) return Status::FromErrno("mkdir " + so_far + " in " + rootfs_, errno);
      // A dangling symlink: create what it points to, inside the root, as
      // Docker's resolution of the destination does.
      std::string target(4096, '\0');
      ssize_t n = readlinkat(dir.get(), parts[i].c_str(), target.data(), target.size());
      if (n < 0) return Status::FromErrno("mkdir " + so_far + " in " + rootfs_, EEXIST);
      if (++links_followed_ > 40) return Status::FromErrno("mkdir " + path, ELOOP);
      target.resize(static_cast<size_t>(n));
      std::string rest = target.starts_with("/") ? target : so_far + "/../" + target;
      for (size_t k = i + 1; k < parts.size(); ++k) rest += "/" + parts[k];
      return MakeDirs(dockerfile::CleanPath(rest), made_meta);
    }
    exec::UniqueFd made(
        openat(dir.get(), parts[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!made.valid()) return Status::FromErrno("open " + so_far + " in " + rootfs_, errno);
    DISTILL_RETURN_IF_ERROR(ApplyMeta(made.get(), so_far, made_meta, true));
    dir = std::move(made);
  }
  return dir;
}

Status DestTree::ApplyMeta(int fd, const std::string& path, const WriteMeta& meta, bool is_dir) {
  if (meta.owner && fchown(fd, meta.owner->uid, meta.owner->gid) != 0) {
    if (errno != EPERM || Privileged()) {
      return Status::FromErrno("chown " + path + " in " + rootfs_, errno);
    }
  }
  // After chown, which clears set-id bits.
  if (fchmod(fd, meta.mode & 07777) != 0) {
    return Status::FromErrno("chmod " + path + " in " + rootfs_, errno);
  }
  if (is_dir) {
    if (meta.mtime) DeferDirectoryTimes(path, meta);
    return Status::Ok();
  }
  if (meta.mtime) {
    struct timespec ts[2] = {meta.atime.value_or(*meta.mtime), *meta.mtime};
    if (futimens(fd, ts) != 0) return Status::FromErrno("set times of " + path, errno);
  }
  return Status::Ok();
}

void DestTree::DeferDirectoryTimes(const std::string& path, const WriteMeta& meta) {
  if (!meta.mtime) return;
  dir_times_.push_back({path, meta.atime.value_or(*meta.mtime), *meta.mtime});
}

Status DestTree::PrepareSlot(int dir_fd, const std::string& name, const std::string& path) {
  struct stat st;
  if (fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return Status::Ok();
    return Status::FromErrno("stat " + path + " in " + rootfs_, errno);
  }
  if (S_ISDIR(st.st_mode)) {
    return Status::Invalid("cannot replace directory " + path + " in " + rootfs_ +
                           " with a non-directory");
  }
  if (unlinkat(dir_fd, name.c_str(), 0) != 0) {
    return Status::FromErrno("replace " + path + " in " + rootfs_, errno);
  }
  return Status::Ok();
}

Status DestTree::WriteFileFromFd(int dir_fd, const std::string& name, const std::string& path,
                                 int src_fd, const WriteMeta& meta) {
  DISTILL_RETURN_IF_ERROR(PrepareSlot(dir_fd, name, path));
  exec::UniqueFd out(
      openat(dir_fd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!out.valid()) return Status::FromErrno("create " + path + " in " + rootfs_, errno);
  DISTILL_RETURN_IF_ERROR(CopyFileData(src_fd, out.get(), path));
  DISTILL_RETURN_IF_ERROR(ApplyMeta(out.get(), path, meta, false));
  // After chown, which would drop security.capability again.
  CopyXattrs(src_fd, out.get());
  return Status::Ok();
}

Status DestTree::WriteSymlink(int dir_fd, const std::string& name, const std::string& path,
                              const std::string& target, const WriteMeta& meta) {
  DISTILL_RETURN_IF_ERROR(PrepareSlot(dir_fd, name, path));
  if (symlinkat(target.c_str(), dir_fd, name.c_str()) != 0) {
    return Status::FromErrno("symlink " + path + " in " + rootfs_, errno);
  }
  if (meta.owner &&
      fchownat(dir_fd, name.c_str(), meta.owner->uid, meta.owner->gid, AT_SYMLINK_NOFOLLOW) != 0 &&
      (errno != EPERM || Privileged())) {
    return Status::FromErrno("chown " + path + " in " + rootfs_, errno);
  }
  if (meta.mtime) {
    struct timespec ts[2] = {meta.atime.value_or(*meta.mtime), *meta.mtime};
    if (utimensat(dir_fd, name.c_str(), ts, AT_SYMLINK_NOFOLLOW) != 0) {
      return Status::FromErrno("set times of " + path, errno);
    }
  }
  return Status::Ok();
}

Status DestTree::WriteSpecial(int dir_fd, const std::string& name, const std::string& path,
                              mode_t type, dev_t rdev, const WriteMeta& meta) {
  DISTILL_RETURN_IF_ERROR(PrepareSlot(dir_fd, name, path));
  if (mknodat(dir_fd, name.c_str(), type | 0600, rdev) != 0) {
    return Status::FromErrno("mknod " + path + " in " + rootfs_, errno);
  }
  exec::UniqueFd fd(openat(dir_fd, name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) return Status::FromErrno("open " + path, errno);
  std::string proc = exec::FdPath(fd.get());
  if (meta.owner && chown(proc.c_str(), meta.owner->uid, meta.owner->gid) != 0 &&
      (errno != EPERM || Privileged())) {
    return Status::FromErrno("chown " + path + " in " + rootfs_, errno);
  }
  if (chmod(proc.c_str(), meta.mode & 07777) != 0) return Status::FromErrno("chmod " + path, errno);
  if (meta.mtime) {
    struct timespec ts[2] = {meta.atime.value_or(*meta.mtime), *meta.mtime};
    if (utimensat(dir_fd, name.c_str(), ts, AT_SYMLINK_NOFOLLOW) != 0) {
      return Status::FromErrno("set times of " + path, errno);
    }
  }
  return Status::Ok();
}

Status DestTree::WriteHardlink(int dir_fd, const std::string& name, const std::string& path,
                               const std::string& existing_path) {
  DISTILL_RETURN_IF_ERROR(PrepareSlot(dir_fd, name, path));
  size_t slash = existing_path.rfind('/');
  std::string parent = existing_path.substr(0, slash);
  DISTILL_ASSIGN_OR_RETURN(exec::UniqueFd from_dir, OpenDir(parent.empty() ? "/" : parent));
  std::string base = existing_path.substr(slash + 1);
  if (linkat(from_dir.get(), base.c_str(), dir_fd, name.c_str(), 0) != 0) {
    return Status::FromErrno("hardlink " + path + " to " + existing_path + " in " + rootfs_, errno);
  }
  return Status::Ok();
}

Status DestTree::WriteDirectory(int dir_fd, const std::string& name, const std::string& path,
                                const WriteMeta& meta, bool* created) {
  *created = false;
  struct stat st;
  if (fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
    if (S_ISDIR(st.st_mode)) return Status::Ok();
    if (S_ISLNK(st.st_mode)) {
      // A symlink to a directory inside the image is entered, as Docker does;
      // any other symlink is replaced.
      if (IsDirectory(path)) return Status::Ok();
    }
    if (unlinkat(dir_fd, name.c_str(), 0) != 0) {
      return Status::FromErrno("replace " + path + " in " + rootfs_, errno);
    }
  } else if (errno != ENOENT) {
    return Status::FromErrno("stat " + path + " in " + rootfs_, errno);
  }
  if (mkdirat(dir_fd, name.c_str(), 0700) != 0) {
    return Status::FromErrno("mkdir " + path + " in " + rootfs_, errno);
  }
  exec::UniqueFd fd(openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) return Status::FromErrno("open " + path + " in " + rootfs_, errno);
  *created = true;
  return ApplyMeta(fd.get(), path, meta, true);
}

void DestTree::CopyXattrs(int src_fd, int dst_fd) {
  ssize_t len = flistxattr(src_fd, nullptr, 0);
  if (len <= 0) return;
  std::string names(static_cast<size_t>(len), '\0');
  len = flistxattr(src_fd, names.data(), names.size());
  if (len <= 0) return;
  names.resize(static_cast<size_t>(len));
  for (size_t pos = 0; pos < names.size();) {
    std::string name(names.c_str() + pos);
    pos += name.size() + 1;
    ssize_t vlen = fgetxattr(src_fd, name.c_str(), nullptr, 0);
    if (vlen < 0) continue;
    std::string value(static_cast<size_t>(vlen), '\0');
    vlen = fgetxattr(src_fd, name.c_str(), value.data(), value.size());
    if (vlen < 0) continue;
    // Best effort: file systems without xattrs, or names this process may
    // not set (trusted.*, security.* unprivileged), are skipped.
    (void)fsetxattr(dst_fd, name.c_str(), value.data(), static_cast<size_t>(vlen), 0);
  }
}

Status DestTree::FinishDirectories() {
  std::stable_sort(dir_times_.begin(), dir_times_.end(),
                   [](const DeferredTimes& a, const DeferredTimes& b) {
                     return std::count(a.path.begin(), a.path.end(), '/') >
                            std::count(b.path.begin(), b.path.end(), '/');
                   });
  for (const auto& d : dir_times_) {
    DISTILL_ASSIGN_OR_RETURN(exec::UniqueFd fd, OpenDir(d.path));
    struct timespec ts[2] = {d.atime, d.mtime};
    if (futimens(fd.get(), ts) != 0) return Status::FromErrno("set times of " + d.path, errno);
  }
  dir_times_.clear();
  return Status::Ok();
}

}  // namespace distill::context
