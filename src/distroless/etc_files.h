// The files distroless images carry that no package installs: the accounts
// (root, nobody, nonroot), a name-service switch without NIS or systemd
// modules, and an os-release that says "Distroless".
#pragma once

#include <string>

#include "debian/sources.h"

namespace distill::distroless {

inline constexpr int kNonrootUid = 65532;
inline constexpr int kNobodyUid = 65534;

// /etc/passwd: root, nobody and nonroot, all with /sbin/nologin as the shell
// (there is no shell in the image).
std::string PasswdFile();
// /etc/group: root, tty, staff, nobody, nonroot.
std::string GroupFile();
// /etc/nsswitch.conf: Debian's default lookup order with only the "files"
// and "dns" sources glibc itself provides.
std::string NsswitchConf();
// /etc/os-release for `release` (VERSION_ID, VERSION with the codename).
std::string OsRelease(const debian::DebianRelease& release);

}  // namespace distill::distroless
