// Dropping the sandbox's mount-point placeholders from an upper directory.
//
// The RUN sandbox creates /proc, /dev, /sys, /etc/hosts, ... (and bind
// targets) inside the root filesystem when they are missing, only to mount
// over them. Those empty files and directories are not the step's work, so —
// as Docker does — they must not end up in the layer.
#pragma once

#include <string>
#include <vector>

#include "util/status.h"

namespace distill::snapshot {

// Whether `rel` (a clean relative path) exists in the union of `lower_dirs`
// (top-most first, overlay whiteouts and opaque directories honoured).
bool ExistsInLowers(const std::vector<std::string>& lower_dirs, const std::string& rel);

// For each container path in `placeholders` ("/proc", "/etc/hosts"): when the
// upper directory has it as an empty directory or empty regular file and the
// lower layers do not have it, removes it; then removes each ancestor left
// empty that is either absent from the lower layers or a plain copy-up of a
// lower directory (same mode and owner, not opaque). Paths that climb out
// ("..") are an error.
Status DropPlaceholders(const std::string& upper_dir, const std::vector<std::string>& lower_dirs,
                        const std::vector<std::string>& placeholders);

}  // namespace distill::snapshot
