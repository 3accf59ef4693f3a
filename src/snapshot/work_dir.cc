#include "snapshot/work_dir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <random>
#include <set>

#include "snapshot/overlay_mount.h"
#include "snapshot/tree_removal.h"

namespace distill::snapshot {

namespace {

constexpr std::string_view kLockSuffix = ".lock";

std::string RandomName() {
  static const char kHex[] = "0123456789abcdef";
  std::random_device rd;
  std::string out;
  for (int i = 0; i < 4; ++i) {
    uint32_t v = rd();
    for (int j = 0; j < 4; ++j, v >>= 4) out.push_back(kHex[v & 15]);
  }
  return out;
}

// Removes `dir` (unmounting first) and then its lock file.
Status RemoveOwned(const std::string& dir) {
  DISTILL_RETURN_IF_ERROR(UnmountAllUnder(dir));
  DISTILL_RETURN_IF_ERROR(RemoveTreeOnOneDevice(dir));
  std::string lock = dir + std::string(kLockSuffix);
  if (unlink(lock.c_str()) != 0 && errno != ENOENT) {
    return Status::FromErrno("remove " + lock, errno);
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<WorkDir>> WorkDir::Create(const std::string& tmp_root) {
  for (int attempt = 0; attempt < 16; ++attempt) {
    std::string path = tmp_root + "/" + RandomName();
    std::string lock_path = path + std::string(kLockSuffix);
    archive::UniqueFd lock(open(lock_path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (!lock.valid()) {
      if (errno == EEXIST) continue;
      return Status::FromErrno("create " + lock_path, errno);
    }
    if (flock(lock.get(), LOCK_EX | LOCK_NB) != 0) continue;  // a recoverer got it first
    // A recoverer may have locked and unlinked the file between open and flock:
    // only a lock on the inode still named lock_path counts.
    struct stat by_fd, by_name;
    if (fstat(lock.get(), &by_fd) != 0 || stat(lock_path.c_str(), &by_name) != 0 ||
        by_fd.st_ino != by_name.st_ino || by_fd.st_dev != by_name.st_dev) {
      continue;
    }
    if (mkdir(path.c_str(), 0700) != 0) {
      int err = errno;
      unlink(lock_path.c_str());
      return Status::FromErrno("create " + path, err);
    }
    return std::unique_ptr<WorkDir>(new WorkDir(path, std::move(lock)));
  }
  return Status::Error("cannot create a work directory under " + tmp_root);
}

Status WorkDir::Remove() {
  if (moved_) {
    std::string lock = path_ + std::string(kLockSuffix);
    if (unlink(lock.c_str()) != 0 && errno != ENOENT) {
      return Status::FromErrno("remove " + lock, errno);
    }
    return Status::Ok();
  }
  DISTILL_RETURN_IF_ERROR(RemoveOwned(path_));
  moved_ = true;  // nothing left to remove
  return Status::Ok();
}

WorkDir::~WorkDir() {
  (void)Remove();
}

Result<int> RemoveAbandonedWorkDirs(const std::string& tmp_root) {
  DIR* dir = opendir(tmp_root.c_str());
  if (dir == nullptr) {
    if (errno == ENOENT) return 0;
    return Status::FromErrno("open " + tmp_root, errno);
  }
  std::set<std::string> bases;
  while (struct dirent* de = readdir(dir)) {
    std::string name = de->d_name;
    if (name == "." || name == "..") continue;
    if (name.size() > kLockSuffix.size() && name.ends_with(kLockSuffix)) {
      name.resize(name.size() - kLockSuffix.size());
    }
    bases.insert(name);
  }
  closedir(dir);

  int removed = 0;
  Status first;
  for (const auto& base : bases) {
    std::string path = tmp_root + "/" + base;
    std::string lock_path = path + std::string(kLockSuffix);
    archive::UniqueFd lock(open(lock_path.c_str(), O_RDWR | O_CLOEXEC));
    if (lock.valid()) {
      if (flock(lock.get(), LOCK_EX | LOCK_NB) != 0) continue;  // its owner is alive
    } else if (errno != ENOENT) {
      if (first.ok()) first = Status::FromErrno("open " + lock_path, errno);
      continue;
    }
    // No lock file (the owner died between removing the directory and the lock,
    // or before creating the directory), or an unlocked one: abandoned.
    struct stat st_before;
    bool existed = lstat(path.c_str(), &st_before) == 0;
    Status st = RemoveOwned(path);
    if (!st.ok()) {
      if (first.ok()) first = st;
      continue;
    }
    if (existed) ++removed;
  }
  if (!first.ok()) return first.Prefixed("recovering " + tmp_root);
  return removed;
}

}  // namespace distill::snapshot
