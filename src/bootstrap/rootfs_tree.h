// Operations on the root filesystem being bootstrapped (a plain directory
// under the store's tmp/): unpacking .debs before dpkg can run, merging /usr,
// applying the slim filter to what is already there, the empty dpkg database,
// and the clean-up that keeps caches, logs and host traces out of the layer.
// Every path argument named `rel` is relative to `root`.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "util/status.h"

namespace distill::bootstrap {

// Unpacks the data.tar of the .deb at `deb_path` into `root`, through the
// safe extractor (nothing lands outside `root`). `name` names the package in errors.
Status UnpackDebData(const std::string& deb_path, const std::string& root, const std::string& name);

// Merged /usr: for each of `dirs` ("bin", "sbin", "lib", "lib64", ...) that
// is a real directory in `root`, moves its content into usr/<dir> (a name in
// both places keeps the /usr one) and replaces it with the symlink
// "<dir> -> usr/<dir>". "bin", "sbin" and "lib" become symlinks even when
// absent, as on a merged system.
Status MergeUsr(const std::string& root, const std::vector<std::string>& dirs);

// Removes files, symlinks and then emptied directories under usr/share that
// the slim dpkg filter excludes. Returns how many entries went.
Result<int> RemoveSlimExcluded(const std::string& root);

// The empty database dpkg needs to install the first package:
// var/lib/dpkg/{status,available,arch} and the info/updates/triggers dirs.
Status CreateDpkgDatabase(const std::string& root, const std::string& arch);

// Writes `content` to `rel`, creating parent directories, replacing a file.
Status WriteRootfsFile(const std::string& root, const std::string& rel, const std::string& content,
                       mode_t mode = 0644);

// Removes `rel` (a file, or a directory tree) if present.
Status RemoveRootfsPath(const std::string& root, const std::string& rel);

// What the official images leave out: downloaded .debs, apt lists and
// caches, logs, *-old backups of dpkg/debconf, /tmp content, the empty mount
// points the sandbox created for /etc/hosts, /etc/hostname, /etc/resolv.conf,
// and an emptied /etc/machine-id (so each container gets its own).
Status CleanRootfs(const std::string& root);

// Creates `rel` (and parents) with `mode`.
Status MakeRootfsDir(const std::string& root, const std::string& rel, mode_t mode);

}  // namespace distill::bootstrap
