#include "bootstrap/rootfs_tree.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "archive/decompress.h"
#include "archive/extract.h"
#include "bootstrap/image_files.h"
#include "debian/deb.h"
#include "util/file_system.h"

namespace distill::bootstrap {
namespace fs = std::filesystem;
namespace {

Status FsError(const std::string& what, const fs::path& path, const std::error_code& ec) {
  return Status::Io(what + " " + path.string() + ": " + ec.message());
}

bool IsRealDir(const fs::path& p) {
  std::error_code ec;
  return fs::symlink_status(p, ec).type() == fs::file_type::directory;
}

bool Exists(const fs::path& p) {
  std::error_code ec;
  return fs::symlink_status(p, ec).type() != fs::file_type::not_found && !ec;
}

// Moves every entry of `from` into `to` (both real directories); on a name
// clash two directories merge and otherwise the entry in `to` wins.
Status MoveContent(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  std::vector<fs::path> children;
  for (auto it = fs::directory_iterator(from, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    children.push_back(it->path());
  }
  if (ec) return FsError("list", from, ec);
  for (const fs::path& child : children) {
    fs::path dest = to / child.filename();
    if (!Exists(dest)) {
      fs::rename(child, dest, ec);
      if (ec) return FsError("move", child, ec);
    } else if (IsRealDir(child) && IsRealDir(dest)) {
      DISTILL_RETURN_IF_ERROR(MoveContent(child, dest));
      fs::remove(child, ec);
      if (ec) return FsError("remove", child, ec);
    } else {
      fs::remove_all(child, ec);
      if (ec) return FsError("remove", child, ec);
    }
  }
  return Status::Ok();
}

// Deletes the regular files and symlinks below `dir` (directories stay).
Status RemoveFilesBelow(const fs::path& dir) {
  if (!IsRealDir(dir)) return Status::Ok();
  std::error_code ec;
  std::vector<fs::path> doomed;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->symlink_status(ec).type() != fs::file_type::directory) doomed.push_back(it->path());
  }
  if (ec) return FsError("list", dir, ec);
  for (const auto& p : doomed) {
    fs::remove(p, ec);
    if (ec) return FsError("remove", p, ec);
  }
  return Status::Ok();
}

// Removes every entry directly in `dir` whose name passes `pick`.
template <typename Pred>
Status RemoveChildren(const fs::path& dir, Pred pick) {
  if (!IsRealDir(dir)) return Status::Ok();
  std::error_code ec;
  std::vector<fs::path> doomed;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    if (pick(it->path().filename().string())) doomed.push_back(it->path());
  }
  if (ec) return FsError("list", dir, ec);
  for (const auto& p : doomed) {
    fs::remove_all(p, ec);
    if (ec) return FsError("remove", p, ec);
  }
  return Status::Ok();
}

}  // namespace

Status UnpackDebData(const std::string& deb_path, const std::string& root,
                     const std::string& name) {
  DISTILL_ASSIGN_OR_RETURN(auto file, DefaultFileSystem()->OpenForRead(deb_path));
  debian::ArReader ar(file.get(), name);
  debian::ArMember member;
  while (true) {
    DISTILL_ASSIGN_OR_RETURN(bool more, ar.Next(&member));
    if (!more) return Status::Corrupt(name + ": no data.tar member in the package");
    if (member.name.starts_with("data.tar")) break;
  }
  auto tar = archive::NewDecompressor(ar.content(), name + " " + member.name);
  archive::ExtractOptions options;
  options.source_name = name;
  options.privileged = true;
  return archive::ExtractTar(tar.get(), root, options).Prefixed(name);
}

Status MergeUsr(const std::string& root, const std::vector<std::string>& dirs) {
  std::error_code ec;
  for (const std::string& dir : dirs) {
    fs::path top = fs::path(root) / dir;
    fs::path usr = fs::path(root) / "usr" / dir;
    bool always = dir == "bin" || dir == "sbin" || dir == "lib";
    if (Exists(top) && !IsRealDir(top)) continue;  // already a symlink
    if (!IsRealDir(top) && !always) continue;
    fs::create_directories(usr, ec);
    if (ec) return FsError("create", usr, ec);
    if (IsRealDir(top)) {
      DISTILL_RETURN_IF_ERROR(MoveContent(top, usr));
      fs::remove(top, ec);
      if (ec) return FsError("remove", top, ec);
    }
    fs::create_symlink(fs::path("usr") / dir, top, ec);
    if (ec) return FsError("symlink", top, ec);
  }
  return Status::Ok();
}

Result<int> RemoveSlimExcluded(const std::string& root) {
  fs::path share = fs::path(root) / "usr/share";
  if (!IsRealDir(share)) return 0;
  std::error_code ec;
  std::vector<fs::path> files, dirs;
  for (auto it = fs::recursive_directory_iterator(share, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::string abs = "/" + fs::relative(it->path(), root).string();
    if (!SlimExcludes(abs)) continue;
    if (it->symlink_status(ec).type() == fs::file_type::directory) {
      dirs.push_back(it->path());
    } else {
      files.push_back(it->path());
    }
  }
  if (ec) return FsError("list", share, ec);
  int removed = 0;
  for (const auto& p : files) {
    fs::remove(p, ec);
    if (ec) return FsError("remove", p, ec);
    ++removed;
  }
  // Deepest first; a directory still holding an included file stays.
  for (auto it = dirs.rbegin(); it != dirs.rend(); ++it) {
    if (fs::is_empty(*it, ec) && !ec) {
      fs::remove(*it, ec);
      ++removed;
    }
    ec.clear();
  }
  return removed;
}

Status CreateDpkgDatabase(const std::string& root, const std::string& arch) {
  for (const char* dir :
       {"var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers",
        "var/lib/dpkg/alternatives", "var/cache/apt/archives/partial", "var/lib/apt/lists/partial",
        "etc/apt/apt.conf.d", "etc/apt/preferences.d", "etc/apt/sources.list.d",
        "etc/dpkg/dpkg.cfg.d"}) {
    DISTILL_RETURN_IF_ERROR(MakeRootfsDir(root, dir, 0755));
  }
  DISTILL_RETURN_IF_ERROR(WriteRootfsFile(root, "var/lib/dpkg/status", ""));
  DISTILL_RETURN_IF_ERROR(WriteRootfsFile(root, "var/lib/dpkg/available", ""));
  return WriteRootfsFile(root, "var/lib/dpkg/arch", arch + "\n");
}

Status MakeRootfsDir(const std::string& root, const std::string& rel, mode_t mode) {
  fs::path p = fs::path(root) / rel;
  std::error_code ec;
  fs::create_directories(p, ec);
  if (ec) return FsError("create directory", p, ec);
  if (::chmod(p.c_str(), mode) != 0) return Status::FromErrno("chmod " + p.string(), errno);
  return Status::Ok();
}

Status WriteRootfsFile(const std::string& root, const std::string& rel, const std::string& content,
                       mode_t mode) {
  fs::path p = fs::path(root) / rel;
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  if (ec) return FsError("create directory", p.parent_path(), ec);
  fs::remove(p, ec);  // never write through a symlink the packages planted
  int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) return Status::FromErrno("create " + p.string(), errno);
  size_t off = 0;
  while (off < content.size()) {
    ssize_t n = ::write(fd, content.data() + off, content.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return Status::FromErrno("write " + p.string(), err);
    }
    off += static_cast<size_t>(n);
  }
  ::close(fd);
  if (::chmod(p.c_str(), mode) != 0) return Status::FromErrno("chmod " + p.string(), errno);
  return Status::Ok();
}

Status RemoveRootfsPath(const std::string& root, const std::string& rel) {
  fs::path p = fs::path(root) / rel;
  std::error_code ec;
  fs::remove_all(p, ec);
  if (ec) return FsError("remove", p, ec);
  return Status::Ok();
}

Status CleanRootfs(const std::string& root) {
  fs::path r(root);
  DISTILL_RETURN_IF_ERROR(RemoveChildren(r / "var/cache/apt/archives",
                                         [](const std::string& n) { return n.ends_with(".deb"); }));
  DISTILL_RETURN_IF_ERROR(RemoveChildren(r / "var/cache/apt/archives/partial",
                                         [](const std::string&) { return true; }));
  DISTILL_RETURN_IF_ERROR(RemoveChildren(r / "var/cache/apt",
                                         [](const std::string& n) { return n.ends_with(".bin"); }));
  DISTILL_RETURN_IF_ERROR(
      RemoveChildren(r / "var/lib/apt/lists", [](const std::string&) { return true; }));
  DISTILL_RETURN_IF_ERROR(RemoveChildren(r / "var/cache/debconf",
                                         [](const std::string& n) { return n.ends_with("-old"); }));
  DISTILL_RETURN_IF_ERROR(
      RemoveChildren(r / "var/lib/dpkg", [](const std::string& n) { return n.ends_with("-old"); }));
  DISTILL_RETURN_IF_ERROR(RemoveChildren(r / "var/cache/ldconfig",
                                         [](const std::string& n) { return n == "aux-cache"; }));
  DISTILL_RETURN_IF_ERROR(RemoveChildren(r / "tmp", [](const std::string&) { return true; }));
  DISTILL_RETURN_IF_ERROR(RemoveChildren(r / "var/tmp", [](const std::string&) { return true; }));
  DISTILL_RETURN_IF_ERROR(RemoveFilesBelow(r / "var/log"));
  std::error_code ec;
  for (const char* mount_point : {"etc/hosts", "etc/hostname", "etc/resolv.conf"}) {
    fs::path p = r / mount_point;
    if (fs::symlink_status(p, ec).type() == fs::file_type::regular && fs::file_size(p, ec) == 0) {
      fs::remove(p, ec);
    }
    ec.clear();
  }
  if (fs::symlink_status(r / "etc/machine-id", ec).type() == fs::file_type::regular) {
    DISTILL_RETURN_IF_ERROR(WriteRootfsFile(root, "etc/machine-id", "", 0444));
  }
  return Status::Ok();
}

}  // namespace distill::bootstrap
