// Which libraries an image's ld.so.cache lists: what `ldconfig -X -r ROOT`
// would find, computed from the in-memory tree. The directories are those of
// the image's /etc/ld.so.conf (or, when the image has none — distroless
// leaves out libc-bin — every /etc/ld.so.conf.d/*.conf) followed by glibc's
// built-in /lib and /usr/lib; a directory reached twice (merged /usr makes
// /lib/x86_64-linux-gnu and /usr/lib/x86_64-linux-gnu one) counts once, under
// the name it was first listed by.
#pragma once

#include <string>
#include <vector>

#include "distroless/ld_so_cache.h"
#include "distroless/rootfs_tree.h"
#include "util/status.h"

namespace distill::distroless {

// The library directories, as absolute paths in listing order, duplicates
// (after following symlinks) and missing directories removed.
std::vector<std::string> LibraryDirectories(const RootfsTree& tree);

// The cache entries for every shared library in those directories: files named
// lib*.so* or ld-*.so* that are ELF shared objects, keyed by their SONAME
// (several files with one SONAME give one entry). Errors name a malformed
// ELF file.
Result<std::vector<LdCacheEntry>> ScanLibraries(const RootfsTree& tree);

}  // namespace distill::distroless
