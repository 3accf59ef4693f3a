#include "archive/tar_tree.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <utility>
#include <vector>

#include "archive/tar_fs.h"
#include "archive/whiteout.h"

namespace distill::archive {
namespace {

enum class NodeKind { kNormal, kWhiteout, kOpaqueMarker };

struct Node {
  std::string archive_path;  // as written to the tar
  std::string fs_path;       // relative to the root
  struct stat st;
  NodeKind kind = NodeKind::kNormal;
};

// Collects every entry below `rel` (relative to the root). Only names and
// stat results are kept, never contents.
Status Collect(int root_fd, const std::string& root, const std::string& rel,
               std::vector<Node>* out) {
  int fd = rel.empty()
               ? openat(root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
               : openat(root_fd, rel.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno("open directory " + root + "/" + rel, errno);
  DIR* dir = fdopendir(fd);
  if (dir == nullptr) {
    close(fd);
    return Status::FromErrno("read directory " + root + "/" + rel, errno);
  }
  std::vector<std::string> subdirs;
  Status status;
  for (;;) {
    errno = 0;
    struct dirent* de = readdir(dir);
    if (de == nullptr) {
      if (errno != 0) status = Status::FromErrno("read directory " + root + "/" + rel, errno);
      break;
    }
    std::string name = de->d_name;
    if (name == "." || name == "..") continue;
    Node node;
    node.fs_path = rel.empty() ? name : rel + "/" + name;
    if (fstatat(dirfd(dir), name.c_str(), &node.st, AT_SYMLINK_NOFOLLOW) != 0) {
      status = Status::FromErrno("stat " + root + "/" + node.fs_path, errno);
      break;
    }
    if (S_ISSOCK(node.st.st_mode)) continue;
    node.archive_path = node.fs_path;
    if (S_ISDIR(node.st.st_mode)) subdirs.push_back(node.fs_path);
    out->push_back(std::move(node));
  }
  closedir(dir);
  DISTILL_RETURN_IF_ERROR(status);
  for (const auto& sub : subdirs) DISTILL_RETURN_IF_ERROR(Collect(root_fd, root, sub, out));
  return Status::Ok();
}

bool IsOpaqueDir(const std::map<std::string, std::string>& xattrs) {
  for (auto name : {kOverlayOpaqueXattr, kOverlayUserOpaqueXattr}) {
    auto it = xattrs.find(std::string(name));
    if (it != xattrs.end() && it->second == "y") return true;
  }
  return false;
}

Result<std::string> ReadSymlink(int root_fd, const std::string& root, const std::string& rel) {
  std::string target(256, '\0');
  for (;;) {
    ssize_t n = readlinkat(root_fd, rel.c_str(), target.data(), target.size());
    if (n < 0) return Status::FromErrno("readlink " + root + "/" + rel, errno);
    if (static_cast<size_t>(n) < target.size()) {
      target.resize(static_cast<size_t>(n));
      return target;
    }
    target.resize(target.size() * 2);
  }
}

}  // namespace

Status WriteTreeTar(const std::string& root, TarWriter* writer, const TreeTarOptions& options) {
  UniqueFd root_fd(open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!root_fd.valid()) return Status::FromErrno("open layer root " + root, errno);

  std::vector<Node> nodes;
  DISTILL_RETURN_IF_ERROR(Collect(root_fd.get(), root, "", &nodes));

  // xattrs are read once, here, so opaque directories can add their marker.
  std::map<std::string, std::map<std::string, std::string>> xattrs_by_path;
  std::vector<Node> markers;
  for (auto& node : nodes) {
    DISTILL_ASSIGN_OR_RETURN(auto xattrs, ReadXattrs(root + "/" + node.fs_path));
    if (options.overlay_upperdir) {
      if (S_ISCHR(node.st.st_mode) && node.st.st_rdev == makedev(0, 0)) {
        node.kind = NodeKind::kWhiteout;
        node.archive_path = WhiteoutPathFor(node.fs_path);
        xattrs.clear();
      } else if (S_ISDIR(node.st.st_mode) && IsOpaqueDir(xattrs)) {
        Node marker = node;
        marker.kind = NodeKind::kOpaqueMarker;
        marker.archive_path = node.fs_path + "/" + std::string(kOpaqueWhiteoutName);
        markers.push_back(std::move(marker));
      }
      std::erase_if(xattrs, [](const auto& kv) { return IsOverlayPrivateXattr(kv.first); });
    }
    if (!xattrs.empty()) xattrs_by_path[node.archive_path] = std::move(xattrs);
  }
  for (auto& m : markers) nodes.push_back(std::move(m));
  std::sort(nodes.begin(), nodes.end(),
            [](const Node& a, const Node& b) { return a.archive_path < b.archive_path; });

  std::map<std::pair<dev_t, ino_t>, std::string> first_link;  // (dev, inode) → archive path
  for (const auto& node : nodes) {
    const struct stat& st = node.st;
    TarEntry e;
    e.path = node.archive_path;
    e.mode = st.st_mode & 07777;
    e.uid = options.map_uid ? options.map_uid(st.st_uid) : st.st_uid;
    e.gid = options.map_gid ? options.map_gid(st.st_gid) : st.st_gid;
    e.mtime_sec = st.st_mtim.tv_sec;
    e.mtime_nsec = static_cast<uint32_t>(st.st_mtim.tv_nsec);
    if (options.clamp_mtime && e.mtime_sec >= *options.clamp_mtime) {
      e.mtime_sec = *options.clamp_mtime;
      e.mtime_nsec = 0;
    }
    if (auto it = xattrs_by_path.find(node.archive_path); it != xattrs_by_path.end()) {
      e.xattrs = it->second;
    }
    if (node.kind != NodeKind::kNormal) {
      e.type = TarEntryType::kFile;
      e.size = 0;
      if (node.kind == NodeKind::kOpaqueMarker) e.mode &= 0777;
      DISTILL_RETURN_IF_ERROR(writer->WriteEntry(e, nullptr));
      continue;
    }

    if (!S_ISDIR(st.st_mode) && st.st_nlink > 1) {
      auto [it, inserted] = first_link.try_emplace({st.st_dev, st.st_ino}, node.archive_path);
      if (!inserted) {
        e.type = TarEntryType::kHardlink;
        e.linkname = it->second;
        e.xattrs.clear();  // they belong to the inode, already recorded
        DISTILL_RETURN_IF_ERROR(writer->WriteEntry(e, nullptr));
        continue;
      }
    }

    const std::string full = root + "/" + node.fs_path;
    if (S_ISREG(st.st_mode)) {
      e.type = TarEntryType::kFile;
      e.size = static_cast<uint64_t>(st.st_size);
      UniqueFd fd(openat(root_fd.get(), node.fs_path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
      if (!fd.valid()) return Status::FromErrno("open " + full, errno);
      FdReader content(fd.get(), full);
      DISTILL_RETURN_IF_ERROR(writer->WriteEntry(e, &content));
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      e.type = TarEntryType::kDirectory;
    } else if (S_ISLNK(st.st_mode)) {
      e.type = TarEntryType::kSymlink;
      DISTILL_ASSIGN_OR_RETURN(e.linkname, ReadSymlink(root_fd.get(), root, node.fs_path));
    } else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
      e.type = S_ISCHR(st.st_mode) ? TarEntryType::kCharDevice : TarEntryType::kBlockDevice;
      e.devmajor = major(st.st_rdev);
      e.devminor = minor(st.st_rdev);
    } else if (S_ISFIFO(st.st_mode)) {
      e.type = TarEntryType::kFifo;
    } else {
      return Status::Invalid(full + ": unsupported file type");
    }
    DISTILL_RETURN_IF_ERROR(writer->WriteEntry(e, nullptr));
  }
  return Status::Ok();
}

}  // namespace distill::archive
