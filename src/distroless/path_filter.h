// Which paths of a package's data.tar go into a distroless image, and where.
// A container never reads documentation, manual pages, info files, lintian
// overrides or translations, so they are dropped — except each package's
// copyright file, which licences require to travel with the binaries.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace distill::distroless {

// True when `path` ("usr/share/doc/x/README", no leading "./" or "/") belongs
// in the image.
bool KeepPath(std::string_view path);

// The top-level directories that merged-/usr turns into symlinks into /usr.
inline constexpr std::string_view kMergedUsrDirs[] = {"bin",   "lib",    "lib32",
                                                      "lib64", "libx32", "sbin"};

// The path an entry lands on in a merged-/usr tree: "bin/ls" → "usr/bin/ls",
// "lib64/ld-linux-x86-64.so.2" → "usr/lib64/ld-linux-x86-64.so.2". The merged
// directories themselves ("bin", "lib") give nullopt: the image makes them
// symlinks of its own. Other paths are returned unchanged.
std::optional<std::string> MergedUsrPath(std::string_view path);

}  // namespace distill::distroless
