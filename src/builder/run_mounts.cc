#include "builder/run_mounts.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "oci/digest.h"

namespace distill::builder {

namespace {

Status MakeDirs(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::Io("mkdir " + dir + ": " + ec.message());
  return Status::Ok();
}

Result<exec::UniqueFd> OpenLock(const std::string& path) {
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::FromErrno("open " + path, errno);
  return exec::UniqueFd(fd);
}

}  // namespace

RunMounts::~RunMounts() {
  for (const std::string& f : secret_files_) unlink(f.c_str());
}

Result<std::string> RunMounts::CacheDir(const std::string& store_root,
                                        const dockerfile::Mount& mount) {
  const std::string id = mount.id.empty() ? mount.target : mount.id;
  const std::string base = store_root + "/cache/mounts/" + oci::Digest::Of(id).hex();
  DISTILL_RETURN_IF_ERROR(MakeDirs(store_root + "/cache/mounts"));
  std::string dir = base;
  switch (mount.sharing) {
    case dockerfile::CacheSharing::kShared:
      break;
    case dockerfile::CacheSharing::kLocked: {
      DISTILL_ASSIGN_OR_RETURN(exec::UniqueFd lock, OpenLock(base + ".lock"));
      while (flock(lock.get(), LOCK_EX) != 0) {
        if (errno != EINTR) return Status::FromErrno("lock cache mount " + id, errno);
      }
      locks_.push_back(std::move(lock));
      break;
    }
    case dockerfile::CacheSharing::kPrivate: {
      // The first instance nobody holds; a new one when all are busy.
      for (int n = 0;; ++n) {
        std::string candidate = n == 0 ? base : base + "-" + std::to_string(n);
        DISTILL_ASSIGN_OR_RETURN(exec::UniqueFd lock, OpenLock(candidate + ".lock"));
        if (flock(lock.get(), LOCK_EX | LOCK_NB) == 0) {
          locks_.push_back(std::move(lock));
          dir = candidate;
          break;
        }
        if (errno != EWOULDBLOCK) return Status::FromErrno("lock cache mount " + id, errno);
      }
      break;
    }
  }
  if (mkdir(dir.c_str(), mount.mode.value_or(0755)) == 0) {
    // mkdir applies the umask; the mount's mode is what was asked for.
    if (chmod(dir.c_str(), mount.mode.value_or(0755)) != 0 ||
        chown(dir.c_str(), mount.uid.value_or(0), mount.gid.value_or(0)) != 0) {
      return Status::FromErrno("set up cache mount " + dir, errno);
    }
  } else if (errno != EEXIST) {
    return Status::FromErrno("mkdir " + dir, errno);
  }
  return dir;
}

Result<std::string> RunMounts::SecretFile(const std::string& store_root, const std::string& value,
                                          const dockerfile::Mount& mount) {
  DISTILL_RETURN_IF_ERROR(MakeDirs(store_root + "/tmp"));
  std::string path = store_root + "/tmp/secret-XXXXXX";
  int fd = mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0) return Status::FromErrno("create a secret file in " + store_root + "/tmp", errno);
  exec::UniqueFd file(fd);
  secret_files_.push_back(path);
  size_t done = 0;
  while (done < value.size()) {
    ssize_t n = write(file.get(), value.data() + done, value.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::FromErrno("write secret file", errno);
    done += static_cast<size_t>(n);
  }
  if (fchmod(file.get(), mount.mode.value_or(0400)) != 0 ||
      fchown(file.get(), mount.uid.value_or(0), mount.gid.value_or(0)) != 0) {
    return Status::FromErrno("set up secret file", errno);
  }
  return path;
}

const snapshot::ActiveSnapshot& RunMounts::Keep(snapshot::ActiveSnapshot snapshot) {
  snapshots_.push_back(std::make_unique<snapshot::ActiveSnapshot>(std::move(snapshot)));
  return *snapshots_.back();
}

}  // namespace distill::builder
