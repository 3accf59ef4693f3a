// Reading the mount table (/proc/self/mountinfo, proc(5)): which mount points
// lie under a directory, so that cleanup never deletes through a live mount
// and recovery can find the mounts a killed process left behind.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace distill::snapshot {

// The mount points (field 5, unescaped) of a mountinfo text, in table order.
Result<std::vector<std::string>> ParseMountPoints(std::string_view mountinfo);

// Mount points equal to `dir` or below it, deepest first (the order to unmount
// them in). `dir` is an absolute path without a trailing '/'.
Result<std::vector<std::string>> MountPointsUnder(const std::string& dir);

// Same, over a given mountinfo text (for tests).
std::vector<std::string> FilterMountPointsUnder(const std::vector<std::string>& mounts,
                                                const std::string& dir);

}  // namespace distill::snapshot
