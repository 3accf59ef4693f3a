#include "snapshot/overlay_mount.h"

#include <errno.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <string_view>
#include <thread>

#include "snapshot/mount_info.h"

namespace distill::snapshot {

namespace {

// The kernel copies at most one page of mount data, including the final NUL.
size_t MountDataLimit() {
  long page = sysconf(_SC_PAGESIZE);
  return page > 0 ? static_cast<size_t>(page) - 1 : 4095;
}

}  // namespace

std::string OverlayMountData(const OverlaySpec& spec) {
  std::string data = "lowerdir=";
  for (size_t i = 0; i < spec.lower_dirs.size(); ++i) {
    if (i > 0) data += ':';
    data += spec.lower_dirs[i];
  }
  data += ",upperdir=" + spec.upper_dir + ",workdir=" + spec.work_dir;
  data += ",index=off,redirect_dir=off,metacopy=off";
  return data;
}

Status MountOverlay(const OverlaySpec& spec) {
  const std::string where = "mount overlay at " + spec.target;
  if (spec.lower_dirs.empty()) return Status::Invalid(where + ": no lower directory");
  std::string data = OverlayMountData(spec);
  if (data.size() > MountDataLimit()) {
    return Status::Invalid(where + ": " + std::to_string(spec.lower_dirs.size()) + " layers need " +
                           std::to_string(data.size()) +
                           " bytes of mount options, more than the kernel accepts (" +
                           std::to_string(MountDataLimit()) + "); squash the image's layers");
  }
  int err = 0;
  const char* step = "";
  // A private thread: its chdir must not move the working directory of the
  // threads that share this process.
  std::thread helper([&] {
    if (unshare(CLONE_FS) != 0) {
      err = errno;
      step = "unshare(CLONE_FS)";
      return;
    }
    if (chdir(spec.base_dir.c_str()) != 0) {
      err = errno;
      step = "chdir";
      return;
    }
    if (mount("overlay", spec.target.c_str(), "overlay", 0, data.c_str()) != 0) {
      err = errno;
      step = "mount";
    }
  });
  helper.join();
  if (err != 0) {
    std::string detail = std::string(step) + " (" + std::to_string(spec.lower_dirs.size()) +
                         " lower layers, base " + spec.base_dir + ")";
    Status st = Status::FromErrno(where + ": " + detail, err);
    if (err == EINVAL && std::string_view(step) == "mount") {
      // The kernel says only "invalid argument"; the usual causes are these.
      return Status(st.code(), st.message() +
                                   " (is overlayfs available, and can the filesystem under " +
                                   spec.base_dir + " hold an overlay upper directory?)");
    }
    return st;
  }
  return Status::Ok();
}

Status UnmountOrDetach(const std::string& target) {
  if (umount2(target.c_str(), UMOUNT_NOFOLLOW) == 0) return Status::Ok();
  int err = errno;
  if (err == EINVAL || err == ENOENT) return Status::Ok();  // not a mount point (any more)
  if (err == EBUSY) {
    // Something still uses it (an open file, a process's cwd): detach it from
    // the tree now; the kernel frees it when the last user goes.
    if (umount2(target.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW) == 0) return Status::Ok();
    err = errno;
  }
  return Status::FromErrno("unmount " + target, err);
}

Status UnmountAllUnder(const std::string& dir) {
  DISTILL_ASSIGN_OR_RETURN(auto mounts, MountPointsUnder(dir));
  Status first;
  for (const auto& m : mounts) {
    Status st = UnmountOrDetach(m);
    if (!st.ok() && first.ok()) first = st;
  }
  return first;
}

}  // namespace distill::snapshot
