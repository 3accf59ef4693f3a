// Mounting and unmounting overlayfs for a snapshot.
//
// mount(2) copies its option string into one page (4096 bytes), which long
// lowerdir lists of absolute paths overflow at a few dozen layers. The lower,
// upper and work directories are therefore given relative to `base_dir`, and
// the mount runs in a helper thread that first unshares its filesystem
// attributes (CLONE_FS) and chdirs into `base_dir` — the working directory of
// the rest of the process never changes (the approach containerd takes).
// When even the relative list does not fit, the mount goes through the new
// mount API (fsopen/fsconfig "lowerdir+" per layer, Linux 6.8+), which has no
// such limit; the kernel's own cap on stacked layers (500) still applies.
#pragma once

#include <string>
#include <vector>

#include "util/status.h"

namespace distill::snapshot {

struct OverlaySpec {
  std::string base_dir;                 // absolute; the others are relative to it
  std::vector<std::string> lower_dirs;  // top-most first; at least one
  std::string upper_dir;
  std::string work_dir;
  std::string target;  // absolute mount point
};

// The option string passed to mount(2) for `spec`.
std::string OverlayMountData(const OverlaySpec& spec);

// Mounts overlayfs with index, redirect_dir and metacopy off, so that the upper
// directory is a self-contained diff that can become a lower layer as is.
// Errors name the target, the failing step and the layer count.
Status MountOverlay(const OverlaySpec& spec);

// Unmounts `target`; when it is busy, detaches it lazily (MNT_DETACH) so that
// no mount is left behind. Not mounted is not an error.
Status UnmountOrDetach(const std::string& target);

// Unmounts every mount at or below `dir`, deepest first.
Status UnmountAllUnder(const std::string& dir);

}  // namespace distill::snapshot
