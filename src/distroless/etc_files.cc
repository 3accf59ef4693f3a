#include "distroless/etc_files.h"

namespace distill::distroless {

std::string PasswdFile() {
  return "root:x:0:0:root:/root:/sbin/nologin\n"
         "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"
         "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n";
}

std::string GroupFile() {
  return "root:x:0:\n"
         "tty:x:5:\n"
         "staff:x:50:\n"
         "nobody:x:65534:\n"
         "nonroot:x:65532:\n";
}

std::string NsswitchConf() {
  // No compat/nis/systemd modules: their libnss_*.so are not in the image.
  return "passwd:         files\n"
         "group:          files\n"
         "shadow:         files\n"
         "gshadow:        files\n"
         "\n"
         "hosts:          files dns\n"
         "networks:       files\n"
         "\n"
         "protocols:      db files\n"
         "services:       db files\n"
         "ethers:         db files\n"
         "rpc:            db files\n"
         "\n"
         "netgroup:       files\n";
}

std::string OsRelease(const debian::DebianRelease& release) {
  std::string n = std::to_string(release.number);
  return "PRETTY_NAME=\"Distroless\"\n"
         "NAME=\"Debian GNU/Linux\"\n"
         "ID=\"debian\"\n"
         "VERSION_ID=\"" +
         n +
         "\"\n"
         "VERSION=\"Debian GNU/Linux " +
         n + " (" + release.codename +
         ")\"\n"
         "VERSION_CODENAME=" +
         release.codename +
         "\n"
         "HOME_URL=\"https://github.com/GoogleContainerTools/distroless\"\n"
         "SUPPORT_URL=\"https://github.com/GoogleContainerTools/distroless/blob/master/"
         "README.md\"\n"
         "BUG_REPORT_URL=\"https://github.com/GoogleContainerTools/distroless/issues/new\"\n";
}

}  // namespace distill::distroless
