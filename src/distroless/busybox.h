// The /busybox directory of the debug variants: Debian's statically linked
// busybox and one symlink per applet, so /busybox/sh, /busybox/ls ... work
// with nothing else in the image.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace distill::distroless {

// The applet names compiled into a busybox binary, read from its applet name
// table (sorted, NUL-separated strings starting "[", "[[") rather than by
// running it: the image may be for another architecture, and nothing from a
// package runs on the host. Fails, naming `source`, when no table is found.
Result<std::vector<std::string>> BusyboxApplets(std::string_view binary, const std::string& source);

}  // namespace distill::distroless
