// Recursive removal that never crosses into another filesystem: a directory
// with something still mounted below it fails to go instead of having the
// mounted content (an overlay's merged view, a bind-mounted host path)
// deleted through it.
#pragma once

#include <string>

#include "util/status.h"

namespace distill::snapshot {

// Removes `path` and everything under it. Missing is not an error. Entries on
// another device than `path` itself are left alone, so their parents fail with
// ENOTEMPTY/EBUSY and the error names them.
Status RemoveTreeOnOneDevice(const std::string& path);

}  // namespace distill::snapshot
