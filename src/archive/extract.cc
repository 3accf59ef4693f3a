#include "archive/extract.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <deque>
#include <set>
#include <vector>

#include "archive/tar_fs.h"
#include "archive/whiteout.h"
#include "util/file_system.h"
#include "util/in_root.h"

namespace distill::archive {
namespace {

class Extractor {
 public:
  Extractor(int root_fd, std::string root, const ExtractOptions& options)
      : root_fd_(root_fd), root_(std::move(root)), options_(options) {
    privileged_ = options.privileged.value_or(geteuid() == 0);
  }

  Status Run(Reader* in);

 private:
  struct DirFixup {
    std::string path;
    uint32_t mode;
    struct timespec mtime;
  };

  Status Fail(const std::string& path, const std::string& what) const {
    return Status::Invalid(options_.source_name + ": entry '" + path + "': " + what);
  }
  Status FailErrno(const std::string& path, const std::string& what, int err) const {
    return Status::FromErrno(options_.source_name + ": entry '" + path + "': " + what, err);
  }

  Result<UniqueFd> ResolveDir(const std::string& rel, bool create_missing);
  Status ApplyEntry(TarReader* reader, const TarEntry& entry);
  Status ApplyWhiteout(const std::string& path, const std::string& parent, std::string_view base);
  Status MakeRoom(int parent_fd, const std::string& base, const TarEntry& entry,
                  const std::string& path);
  Status WriteFile(TarReader* reader, int parent_fd, const std::string& base,
                   const std::string& path);
  Status SetMetadata(int parent_fd, const std::string& base, const TarEntry& entry,
                     const std::string& path);
  Status SetXattrs(const std::string& proc_path, const TarEntry& entry, const std::string& path);
  Status RemoveTree(int parent_fd, const std::string& name, const std::string& path);
  Status RemoveLowerContent(int dir_fd, const std::string& path);
  void RecordInLayer(const std::string& path);

  int root_fd_;
  std::string root_;
  const ExtractOptions& options_;
  bool privileged_;
  std::set<std::string> in_layer_;  // entries of this layer and their ancestors
  std::vector<std::string> opaque_dirs_;
  std::vector<DirFixup> dir_fixups_;
};

Result<UniqueFd> Extractor::ResolveDir(const std::string& rel, bool create_missing) {
  InRootOptions in_root;
  in_root.force_manual = options_.force_manual_resolution;
  return ResolveDirInRoot(root_fd_, rel.empty() ? "." : rel, create_missing, in_root);
}

void Extractor::RecordInLayer(const std::string& path) {
  for (size_t slash = path.find('/'); slash != std::string::npos;
       slash = path.find('/', slash + 1)) {
    in_layer_.insert(path.substr(0, slash));
  }
  in_layer_.insert(path);
}

Status Extractor::RemoveTree(int parent_fd, const std::string& name, const std::string& path) {
  UniqueFd dir(openat(parent_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!dir.valid()) return FailErrno(path, "open directory to remove it", errno);
  DIR* d = fdopendir(dup(dir.get()));
  if (d == nullptr) return FailErrno(path, "read directory", errno);
  std::vector<std::pair<std::string, bool>> children;
  while (struct dirent* de = readdir(d)) {
    std::string child = de->d_name;
    if (child == "." || child == "..") continue;
    struct stat st;
    if (fstatat(dir.get(), child.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      closedir(d);
      return FailErrno(path + "/" + child, "stat", errno);
    }
    children.emplace_back(child, S_ISDIR(st.st_mode));
  }
  closedir(d);
  for (const auto& [child, is_dir] : children) {
    if (is_dir) {
      DISTILL_RETURN_IF_ERROR(RemoveTree(dir.get(), child, path + "/" + child));
    } else if (unlinkat(dir.get(), child.c_str(), 0) != 0) {
      return FailErrno(path + "/" + child, "remove", errno);
    }
  }
  if (unlinkat(parent_fd, name.c_str(), AT_REMOVEDIR) != 0) {
    return FailErrno(path, "remove directory", errno);
  }
  return Status::Ok();
}

// Removes everything under `path` that this layer did not write.
Status Extractor::RemoveLowerContent(int dir_fd, const std::string& path) {
  UniqueFd dir(openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir.valid()) return FailErrno(path, "open opaque directory", errno);
  DIR* d = fdopendir(dup(dir.get()));
  if (d == nullptr) return FailErrno(path, "read directory", errno);
  std::vector<std::pair<std::string, bool>> children;
  while (struct dirent* de = readdir(d)) {
    std::string child = de->d_name;
    if (child == "." || child == "..") continue;
    struct stat st;
    if (fstatat(dir.get(), child.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      closedir(d);
      return FailErrno(path + "/" + child, "stat", errno);
    }
    children.emplace_back(child, S_ISDIR(st.st_mode));
  }
  closedir(d);
  for (const auto& [child, is_dir] : children) {
    std::string child_path = path.empty() ? child : path + "/" + child;
    if (in_layer_.count(child_path)) {
      if (is_dir) {
        UniqueFd sub(
            openat(dir.get(), child.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!sub.valid()) return FailErrno(child_path, "open", errno);
        DISTILL_RETURN_IF_ERROR(RemoveLowerContent(sub.get(), child_path));
      }
    } else if (is_dir) {
      DISTILL_RETURN_IF_ERROR(RemoveTree(dir.get(), child, child_path));
    } else if (unlinkat(dir.get(), child.c_str(), 0) != 0) {
      return FailErrno(child_path, "remove", errno);
    }
  }
  return Status::Ok();
}

Status Extractor::ApplyWhiteout(const std::string& path, const std::string& parent,
                                std::string_view base) {
  bool opaque = IsOpaqueWhiteout(base);
  std::optional<std::string> target = WhiteoutTarget(base);
  if (!opaque && !target) return Status::Ok();  // reserved ".wh..wh.*" names (aufs metadata)
  std::string target_path = target ? (parent.empty() ? *target : parent + "/" + *target) : "";

  if (options_.whiteouts == WhiteoutMode::kApply) {
    if (opaque) {
      opaque_dirs_.push_back(parent);  // applied at the end: this layer's entries survive
      return Status::Ok();
    }
    if (in_layer_.count(target_path)) return Status::Ok();  // only hides lower content
    auto dir = ResolveDir(parent, false);
    if (!dir.ok()) {
      if (dir.status().code() == Status::Code::kNotFound) return Status::Ok();
      return Fail(path, "cannot resolve parent directory: " + dir.status().message());
    }
    struct stat st;
    if (fstatat(dir->get(), target->c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) return Status::Ok();
      return FailErrno(target_path, "stat whiteout target", errno);
    }
    if (S_ISDIR(st.st_mode)) return RemoveTree(dir->get(), *target, target_path);
    if (unlinkat(dir->get(), target->c_str(), 0) != 0) {
      return FailErrno(target_path, "remove whited-out entry", errno);
    }
    return Status::Ok();
  }

  // kOverlay: write what overlayfs itself would have written.
  if (!privileged_) {
    return Fail(path, "writing overlay whiteouts needs privilege (CAP_MKNOD, trusted.* xattrs)");
  }
  RecordInLayer(opaque ? parent : target_path);
  DISTILL_ASSIGN_OR_RETURN(UniqueFd dir, ResolveDir(parent, true));
  if (opaque) {
    std::string proc = "/proc/self/fd/" + std::to_string(dir.get());
    if (setxattr(proc.c_str(), options_.overlay_opaque_xattr.c_str(), "y", 1, 0) != 0) {
      return FailErrno(path, "set " + options_.overlay_opaque_xattr, errno);
    }
    return Status::Ok();
  }
  TarEntry whiteout;
  whiteout.type = TarEntryType::kCharDevice;
  DISTILL_RETURN_IF_ERROR(MakeRoom(dir.get(), *target, whiteout, target_path));
  if (mknodat(dir.get(), target->c_str(), S_IFCHR | 0, makedev(0, 0)) != 0) {
    return FailErrno(target_path, "create overlay whiteout", errno);
  }
  return Status::Ok();
}

// Clears the way for `entry` at parent/base, as Docker does: an existing
// directory stays when a directory comes; anything else is replaced.
Status Extractor::MakeRoom(int parent_fd, const std::string& base, const TarEntry& entry,
                           const std::string& path) {
  struct stat st;
  if (fstatat(parent_fd, base.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return Status::Ok();
    return FailErrno(path, "stat", errno);
  }
  if (S_ISDIR(st.st_mode)) {
    if (entry.type == TarEntryType::kDirectory) return Status::Ok();
    return RemoveTree(parent_fd, base, path);
  }
  if (unlinkat(parent_fd, base.c_str(), 0) != 0) return FailErrno(path, "replace", errno);
  return Status::Ok();
}

Status Extractor::SetXattrs(const std::string& proc_path, const TarEntry& entry,
                            const std::string& path) {
  for (const auto& [name, value] : entry.xattrs) {
    if (lsetxattr(proc_path.c_str(), name.c_str(), value.data(), value.size(), 0) != 0) {
      if (!privileged_ && (errno == EPERM || errno == ENOTSUP)) continue;  // e.g. trusted.*
      return FailErrno(path, "set xattr " + name, errno);
    }
  }
  return Status::Ok();
}

// Owner first (chown clears setuid bits and file capabilities), then xattrs,
// then mode, then mtime.
Status Extractor::SetMetadata(int parent_fd, const std::string& base, const TarEntry& entry,
                              const std::string& path) {
  const char* name = base.c_str();
  if (privileged_ && fchownat(parent_fd, name, static_cast<uid_t>(entry.uid),
                              static_cast<gid_t>(entry.gid), AT_SYMLINK_NOFOLLOW) != 0) {
    return FailErrno(path, "chown", errno);
  }
  DISTILL_RETURN_IF_ERROR(SetXattrs(ProcFdPath(parent_fd, base), entry, path));
  if (entry.type == TarEntryType::kDirectory) {
    // Mode and mtime after the children are written (they would bump the mtime,
    // and a read-only mode would stop them).
    dir_fixups_.push_back({path, entry.mode, {entry.mtime_sec, entry.mtime_nsec}});
    return Status::Ok();
  }
  if (entry.type != TarEntryType::kSymlink && fchmodat(parent_fd, name, entry.mode, 0) != 0) {
    return FailErrno(path, "chmod", errno);
  }
  struct timespec times[2] = {{entry.mtime_sec, entry.mtime_nsec},
                              {entry.mtime_sec, entry.mtime_nsec}};
  if (utimensat(parent_fd, name, times, AT_SYMLINK_NOFOLLOW) != 0) {
    return FailErrno(path, "set mtime", errno);
  }
  return Status::Ok();
}

Status Extractor::WriteFile(TarReader* reader, int parent_fd, const std::string& base,
                            const std::string& path) {
  UniqueFd fd(
      openat(parent_fd, base.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd.valid()) return FailErrno(path, "create file", errno);
  std::vector<char> buf(64 * 1024);
  for (;;) {
    DISTILL_ASSIGN_OR_RETURN(size_t n, reader->ReadContent(buf.data(), buf.size()));
    if (n == 0) break;
    for (size_t off = 0; off < n;) {
      ssize_t w = write(fd.get(), buf.data() + off, n - off);
      if (w < 0) {
        if (errno == EINTR) continue;
        return FailErrno(path, "write", errno);
      }
      off += static_cast<size_t>(w);
    }
  }
  return Status::Ok();
}

Status Extractor::ApplyEntry(TarReader* reader, const TarEntry& entry) {
  auto cleaned = CleanArchivePath(entry.path);
  if (!cleaned.ok()) return Fail(entry.path, cleaned.status().message());
  const std::string& path = *cleaned;
  if (path.empty()) return Status::Ok();  // the root itself: its metadata is the caller's
  auto [parent_view, base_view] = SplitParent(path);
  std::string parent(parent_view), base(base_view);

  if (base.starts_with(kWhiteoutPrefix)) return ApplyWhiteout(path, parent, base);

  bool device = entry.type == TarEntryType::kCharDevice || entry.type == TarEntryType::kBlockDevice;
  if (device && !privileged_) {
    if (options_.unprivileged_devices == UnprivilegedDevices::kRefuse) {
      return Fail(path, "device nodes need privilege (extracting as an unprivileged user)");
    }
    return Status::Ok();
  }

  std::string hardlink_target;
  if (entry.type == TarEntryType::kHardlink) {
    auto target = CleanArchivePath(entry.linkname);
    if (!target.ok()) {
      return Fail(path, "hard link target '" + entry.linkname + "': " + target.status().message());
    }
    if (target->empty()) return Fail(path, "hard link to the root directory");
    hardlink_target = *target;
    if (hardlink_target == path) return Status::Ok();
  }

  RecordInLayer(path);
  auto dir = ResolveDir(parent, true);
  if (!dir.ok()) return Fail(path, "cannot resolve parent directory: " + dir.status().message());
  int parent_fd = dir->get();
  DISTILL_RETURN_IF_ERROR(MakeRoom(parent_fd, base, entry, path));

  switch (entry.type) {
    case TarEntryType::kFile:
      DISTILL_RETURN_IF_ERROR(WriteFile(reader, parent_fd, base, path));
      break;
    case TarEntryType::kDirectory:
      if (mkdirat(parent_fd, base.c_str(), 0700) != 0 && errno != EEXIST) {
        return FailErrno(path, "create directory", errno);
      }
      break;
    case TarEntryType::kSymlink:
      if (symlinkat(entry.linkname.c_str(), parent_fd, base.c_str()) != 0) {
        return FailErrno(path, "create symlink", errno);
      }
      break;
    case TarEntryType::kHardlink: {
      auto [tparent, tbase] = SplitParent(hardlink_target);
      auto tdir = ResolveDir(std::string(tparent), false);
      if (!tdir.ok()) {
        return Fail(path, "hard link target '" + entry.linkname + "': " + tdir.status().message());
      }
      // Flags 0: a link to a symlink links the symlink itself, never its target.
      if (linkat(tdir->get(), std::string(tbase).c_str(), parent_fd, base.c_str(), 0) != 0) {
        return FailErrno(path, "hard link to '" + entry.linkname + "'", errno);
      }
      return Status::Ok();  // the inode's metadata came with its first entry
    }
    case TarEntryType::kCharDevice:
    case TarEntryType::kBlockDevice:
    case TarEntryType::kFifo: {
      mode_t kind = entry.type == TarEntryType::kCharDevice    ? S_IFCHR
                    : entry.type == TarEntryType::kBlockDevice ? S_IFBLK
                                                               : S_IFIFO;
      if (mknodat(parent_fd, base.c_str(), kind | 0600, makedev(entry.devmajor, entry.devminor)) !=
          0) {
        return FailErrno(path, std::string("create ") + TarEntryTypeName(entry.type), errno);
      }
      break;
    }
  }
  return SetMetadata(parent_fd, base, entry, path);
}

Status Extractor::Run(Reader* in) {
  TarReader reader(in, options_.source_name);
  TarEntry entry;
  for (;;) {
    DISTILL_ASSIGN_OR_RETURN(bool more, reader.Next(&entry));
    if (!more) break;
    DISTILL_RETURN_IF_ERROR(ApplyEntry(&reader, entry));
  }
  for (const auto& dir_path : opaque_dirs_) {
    auto dir = ResolveDir(dir_path, true);
    if (!dir.ok()) return Fail(dir_path, "opaque directory: " + dir.status().message());
    DISTILL_RETURN_IF_ERROR(RemoveLowerContent(dir->get(), dir_path));
  }
  // Deepest first, so setting a parent's mtime is the last touch it gets.
  for (auto it = dir_fixups_.rbegin(); it != dir_fixups_.rend(); ++it) {
    auto [parent, base] = SplitParent(it->path);
    auto resolved = ResolveDir(std::string(parent), false);
    std::string name(base);
    struct stat st;
    // A later entry of the layer may have replaced the directory: nothing to fix then.
    if (!resolved.ok() || fstatat(resolved->get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISDIR(st.st_mode)) {
      continue;
    }
    UniqueFd dir = std::move(resolved).value();
    if (fchmodat(dir.get(), name.c_str(), it->mode, 0) != 0) {
      return FailErrno(it->path, "chmod", errno);
    }
    struct timespec times[2] = {it->mtime, it->mtime};
    if (utimensat(dir.get(), name.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) {
      return FailErrno(it->path, "set mtime", errno);
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> CleanArchivePath(const std::string& path) {
  if (!path.empty() && path[0] == '/') {
    return Status::Invalid("absolute path '" + path + "' in a layer is not allowed");
  }
  std::vector<std::string> parts;
  for (auto& comp : SplitPath(path)) {
    if (comp == ".") continue;
    if (comp == "..") {
      if (parts.empty()) {
        return Status::Invalid("path '" + path + "' escapes the root with '..'");
      }
      parts.pop_back();
      continue;
    }
    parts.push_back(std::move(comp));
  }
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return out;
}

Status ExtractTar(Reader* in, const std::string& root, const ExtractOptions& options) {
  UniqueFd root_fd(open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!root_fd.valid()) return Status::FromErrno("open extraction root " + root, errno);
  Extractor extractor(root_fd.get(), root, options);
  return extractor.Run(in);
}

}  // namespace distill::archive
