// DestTree: writes into a destination root file system without ever leaving
// it. Every directory is reached with openat2(RESOLVE_IN_ROOT) (exec/in_root.h),
// so a symlink already in the image — /app -> /etc, or ../../.. — resolves as
// if the rootfs were "/", and the last component of every write is created
// with O_NOFOLLOW/O_EXCL on a directory descriptor reached that way.
//
// Not thread-safe.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "exec/unique_fd.h"
#include "util/status.h"

namespace distill::context {

struct Owner {
  uid_t uid = 0;
  gid_t gid = 0;
};

// Metadata one written object gets.
struct WriteMeta {
  uint32_t mode = 0644;  // permission bits (ignored for symlinks)
  std::optional<Owner> owner;
  std::optional<struct timespec> mtime;  // none: leave the creation time
  std::optional<struct timespec> atime;
};

class DestTree {
 public:
  static Result<DestTree> Open(const std::string& rootfs);

  const std::string& rootfs() const { return rootfs_; }

  // Whether the absolute `path` is a directory (symlinks resolved in root).
  bool IsDirectory(const std::string& path) const;

  // Makes sure directory `path` exists; every component it has to create
  // gets `made_meta` (Docker: 0755, owned by the --chown user or root).
  // Returns the directory opened for reading.
  Result<exec::UniqueFd> MakeDirs(const std::string& path, const WriteMeta& made_meta);

  // Opens an existing directory (symlinks resolved in root).
  Result<exec::UniqueFd> OpenDir(const std::string& path) const;

  // Writers of one object named `name` in directory `dir_fd` (reached
  // through MakeDirs/OpenDir); `path` names it in errors. An existing
  // non-directory is replaced; an existing directory is an error, except
  // that WriteDirectory keeps (and merges into) it.
  Status WriteFileFromFd(int dir_fd, const std::string& name, const std::string& path, int src_fd,
                         const WriteMeta& meta);
  Status WriteSymlink(int dir_fd, const std::string& name, const std::string& path,
                      const std::string& target, const WriteMeta& meta);
  Status WriteSpecial(int dir_fd, const std::string& name, const std::string& path, mode_t type,
                      dev_t rdev, const WriteMeta& meta);
  Status WriteHardlink(int dir_fd, const std::string& name, const std::string& path,
                       const std::string& existing_path);
  // Creates the directory unless one is there; *created tells which. A new
  // directory's mtime is applied by FinishDirectories (after its contents).
  Status WriteDirectory(int dir_fd, const std::string& name, const std::string& path,
                        const WriteMeta& meta, bool* created);

  // Copies extended attributes from `src_fd` to `dst_fd` where the file
  // system allows (unsupported or forbidden names are skipped).
  static void CopyXattrs(int src_fd, int dst_fd);

  // Sets the recorded mtimes of directories created by WriteDirectory/MakeDirs,
  // deepest first, once nothing more is written into them.
  Status FinishDirectories();

  // Remembers that `path` got metadata `meta` to apply later (a directory
  // whose contents are still to come).
  void DeferDirectoryTimes(const std::string& path, const WriteMeta& meta);

 private:
  DestTree(std::string rootfs, exec::UniqueFd fd)
      : rootfs_(std::move(rootfs)), root_(std::move(fd)) {}
  Status PrepareSlot(int dir_fd, const std::string& name, const std::string& path);
  Status ApplyMeta(int fd, const std::string& path, const WriteMeta& meta, bool is_dir);

  std::string rootfs_;
  exec::UniqueFd root_;
  struct DeferredTimes {
    std::string path;
    struct timespec atime;
    struct timespec mtime;
  };
  std::vector<DeferredTimes> dir_times_;
  int depth_ = 0;  // MakeDirs recursion through dangling symlinks
  int links_followed_ = 0;
};

// Copies all bytes of `src_fd` (from its current offset) to `dst_fd`.
Status CopyFileData(int src_fd, int dst_fd, const std::string& what);

}  // namespace distill::context
