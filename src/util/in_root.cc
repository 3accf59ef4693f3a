#include "util/in_root.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <deque>
#include <vector>

#include "util/file_system.h"

namespace distill {
namespace {

constexpr int kMaxSymlinks = 40;  // as the kernel's own limit

// Cleared the first time the kernel (or a seccomp filter) refuses openat2.
std::atomic<bool> g_openat2_works{true};

std::string Relative(const std::string& path) {
  size_t i = path.find_first_not_of('/');
  return i == std::string::npos ? std::string(".") : path.substr(i);
}

// openat2 with RESOLVE_IN_ROOT. Returns -1 with errno set; ENOSYS when the
// kernel cannot do it (the caller walks by hand).
int OpenAt2InRoot(int root_fd, const std::string& rel, int flags, mode_t mode) {
  if (!g_openat2_works.load(std::memory_order_relaxed)) {
    errno = ENOSYS;
    return -1;
  }
  struct open_how how = {};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  how.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  for (int attempt = 0; attempt < 8; ++attempt) {
    long fd = syscall(SYS_openat2, root_fd, rel.c_str(), &how, sizeof how);
    if (fd >= 0) return static_cast<int>(fd);
    if (errno == EAGAIN || errno == EINTR) continue;  // a concurrent rename: retry
    if (errno == ENOSYS || errno == EPERM) {          // old kernel, or a seccomp filter
      g_openat2_works.store(false, std::memory_order_relaxed);
      errno = ENOSYS;
    }
    return -1;
  }
  return -1;
}

// The portable walk: each component opened with O_NOFOLLOW, symlinks expanded
// explicitly, ".." popping at most to the root, absolute targets restarting
// at the root.
Result<UniqueFd> WalkDirManually(int root_fd, const std::string& path, bool create_missing) {
  std::deque<std::string> todo;
  for (auto& c : SplitPath(path)) todo.push_back(std::move(c));
  std::vector<UniqueFd> stack;  // resolved directories below the root
  int links = 0;
  while (!todo.empty()) {
    std::string comp = std::move(todo.front());
    todo.pop_front();
    if (comp == ".") continue;
    if (comp == "..") {
      if (!stack.empty()) stack.pop_back();
      continue;
    }
    int cur = stack.empty() ? root_fd : stack.back().get();
    struct stat st;
    if (fstatat(cur, comp.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno != ENOENT || !create_missing) return Status::FromErrno(path, errno);
      if (mkdirat(cur, comp.c_str(), 0755) != 0 && errno != EEXIST) {
        return Status::FromErrno("create directory " + comp + " of " + path, errno);
      }
      todo.push_front(comp);  // look again: it exists now
      continue;
    }
    if (S_ISLNK(st.st_mode)) {
      if (++links > kMaxSymlinks) return Status::FromErrno(path, ELOOP);
      std::string target(4096, '\0');
      ssize_t n = readlinkat(cur, comp.c_str(), target.data(), target.size());
      if (n < 0) return Status::FromErrno("readlink in " + path, errno);
      target.resize(static_cast<size_t>(n));
      if (!target.empty() && target[0] == '/') stack.clear();
      auto parts = SplitPath(target);
      todo.insert(todo.begin(), parts.begin(), parts.end());
      continue;
    }
    if (!S_ISDIR(st.st_mode)) return Status::FromErrno(path, ENOTDIR);
    UniqueFd next(openat(cur, comp.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!next.valid()) return Status::FromErrno(path, errno);
    stack.push_back(std::move(next));
  }
  if (stack.empty()) {
    UniqueFd dup_root(fcntl(root_fd, F_DUPFD_CLOEXEC, 0));
    if (!dup_root.valid()) return Status::FromErrno("dup", errno);
    return dup_root;
  }
  return std::move(stack.back());
}

// The portable OpenInRoot: the parent walked by hand, the leaf opened with
// O_NOFOLLOW; a symlink leaf is followed (inside the root) unless the caller
// asked for O_NOFOLLOW.
Result<UniqueFd> OpenManually(int root_fd, const std::string& path, int flags, mode_t mode) {
  std::string current = path;
  for (int links = 0; links <= kMaxSymlinks; ++links) {
    std::vector<std::string> parts = SplitPath(current);
    // A trailing "." or ".." (or the root itself) names a directory: walk it all.
    if (parts.empty() || parts.back() == "." || parts.back() == "..") {
      DISTILL_ASSIGN_OR_RETURN(UniqueFd dir, WalkDirManually(root_fd, current, false));
      if (flags & O_PATH) return dir;
      UniqueFd fd(openat(dir.get(), ".", (flags & ~O_CREAT) | O_CLOEXEC));
      if (!fd.valid()) return Status::FromErrno("open " + path + " inside the root", errno);
      return fd;
    }
    std::string leaf = parts.back();
    std::string parent;
    for (size_t i = 0; i + 1 < parts.size(); ++i) parent += "/" + parts[i];
    DISTILL_ASSIGN_OR_RETURN(UniqueFd dir, WalkDirManually(root_fd, parent, false));
    int fd = openat(dir.get(), leaf.c_str(), flags | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd >= 0) return UniqueFd(fd);
    const int err = errno;
    // ELOOP (or ENOTDIR for O_DIRECTORY, or a symlink opened with O_PATH)
    // means the leaf is a symlink: follow it unless told not to.
    struct stat st;
    bool is_link =
        fstatat(dir.get(), leaf.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
    if (!is_link || (flags & O_NOFOLLOW)) {
      return Status::FromErrno("open " + path + " inside the root", err);
    }
    std::string target(4096, '\0');
    ssize_t n = readlinkat(dir.get(), leaf.c_str(), target.data(), target.size());
    if (n < 0) return Status::FromErrno("readlink in " + path, errno);
    target.resize(static_cast<size_t>(n));
    current = (!target.empty() && target[0] == '/') ? target : parent + "/" + target;
  }
  return Status::FromErrno("open " + path + " inside the root", ELOOP);
}

}  // namespace

Result<UniqueFd> OpenInRoot(int root_fd, const std::string& path, int flags, mode_t mode,
                            const InRootOptions& options) {
  if (!options.force_manual) {
    int fd = OpenAt2InRoot(root_fd, Relative(path), flags, mode);
    if (fd >= 0) return UniqueFd(fd);
    if (errno != ENOSYS) return Status::FromErrno("open " + path + " inside the root", errno);
  }
  return OpenManually(root_fd, path, flags, mode);
}

Result<UniqueFd> ResolveDirInRoot(int root_fd, const std::string& path, bool create_missing,
                                  const InRootOptions& options) {
  if (!options.force_manual) {
    int fd = OpenAt2InRoot(root_fd, Relative(path), O_PATH | O_DIRECTORY, 0);
    if (fd >= 0) return UniqueFd(fd);
    // A missing directory is made by the walk below; anything else is final.
    if (errno != ENOSYS && !(errno == ENOENT && create_missing)) {
      return Status::FromErrno(path, errno);
    }
  }
  return WalkDirManually(root_fd, path, create_missing);
}

}  // namespace distill
