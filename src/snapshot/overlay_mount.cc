#include "snapshot/overlay_mount.h"

#include <errno.h>
#include <fcntl.h>
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

namespace {

// Where a mount attempt failed, and the kernel's own words when it gave any.
struct MountFailure {
  int err = 0;
  std::string step;
  std::string kernel_log;
};

void Fail(MountFailure* f, const std::string& step) {
  f->err = errno;
  f->step = step;
}

// The messages an fs context collected ("e overlayfs: ..."), one per read.
std::string DrainFsContextLog(int fs_fd) {
  std::string log;
  char buf[512];
  for (;;) {
    ssize_t n = read(fs_fd, buf, sizeof buf);
    if (n <= 0) break;
    if (!log.empty()) log += "; ";
    log.append(buf, static_cast<size_t>(n));
  }
  return log;
}

// The new mount API: each lower directory is its own "lowerdir+" parameter
// (Linux 6.8+), so the page limit of mount(2) does not apply.
void MountWithFsConfig(const OverlaySpec& spec, MountFailure* failure) {
  int fs_fd = fsopen("overlay", FSOPEN_CLOEXEC);
  if (fs_fd < 0) return Fail(failure, "fsopen(overlay)");
  auto set = [&](const char* key, const std::string& value) {
    if (fsconfig(fs_fd, FSCONFIG_SET_STRING, key, value.c_str(), 0) == 0) return true;
    Fail(failure, std::string("fsconfig ") + key + "=" + value);
    return false;
  };
  bool ok = true;
  for (size_t i = 0; ok && i < spec.lower_dirs.size(); ++i)
    ok = set("lowerdir+", spec.lower_dirs[i]);
  ok = ok && set("upperdir", spec.upper_dir) && set("workdir", spec.work_dir) &&
       set("index", "off") && set("redirect_dir", "off") && set("metacopy", "off");
  if (ok && fsconfig(fs_fd, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0) {
    Fail(failure, "fsconfig create");
    ok = false;
  }
  int mount_fd = -1;
  if (ok) {
    mount_fd = fsmount(fs_fd, FSMOUNT_CLOEXEC, 0);
    if (mount_fd < 0) {
      Fail(failure, "fsmount");
      ok = false;
    }
  }
  if (ok && move_mount(mount_fd, "", AT_FDCWD, spec.target.c_str(), MOVE_MOUNT_F_EMPTY_PATH) != 0) {
    Fail(failure, "move_mount");
  }
  if (failure->err != 0) failure->kernel_log = DrainFsContextLog(fs_fd);
  if (mount_fd >= 0) close(mount_fd);
  close(fs_fd);
}

}  // namespace

Status MountOverlay(const OverlaySpec& spec) {
  const std::string where = "mount overlay at " + spec.target;
  if (spec.lower_dirs.empty()) return Status::Invalid(where + ": no lower directory");
  std::string data = OverlayMountData(spec);
  const bool fits_one_page = data.size() <= MountDataLimit();
  MountFailure failure;
  // A private thread: its chdir must not move the working directory of the
  // threads that share this process.
  std::thread helper([&] {
    if (unshare(CLONE_FS) != 0) return Fail(&failure, "unshare(CLONE_FS)");
    if (chdir(spec.base_dir.c_str()) != 0) return Fail(&failure, "chdir");
    if (!fits_one_page) return MountWithFsConfig(spec, &failure);
    if (mount("overlay", spec.target.c_str(), "overlay", 0, data.c_str()) != 0) {
      Fail(&failure, "mount");
    }
  });
  helper.join();
  if (failure.err == 0) return Status::Ok();

  std::string detail = failure.step + " (" + std::to_string(spec.lower_dirs.size()) +
                       " lower layers, base " + spec.base_dir + ")";
  Status st = Status::FromErrno(where + ": " + detail, failure.err);
  std::string hint;
  if (!failure.kernel_log.empty()) hint = " [kernel: " + failure.kernel_log + "]";
  if (!fits_one_page) {
    hint += " (the " + std::to_string(data.size()) +
            " bytes of options exceed one mount(2) page, and the kernel refused them one by one: " +
            "Linux 6.8+ accepts up to 500 layers; squash the image's layers)";
  } else if (failure.err == EINVAL && failure.step == "mount") {
    // The kernel says only "invalid argument"; the usual causes are these.
    hint += " (is overlayfs available, and can the filesystem under " + spec.base_dir +
            " hold an overlay upper directory?)";
  }
  return Status(st.code(), st.message() + hint);
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
