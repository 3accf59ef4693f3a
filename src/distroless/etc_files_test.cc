#include "distroless/etc_files.h"

#include <gtest/gtest.h>

namespace distill::distroless {
namespace {

TEST(EtcFilesTest, PasswdHasRootNobodyNonrootWithoutShells) {
  EXPECT_EQ(PasswdFile(),
            "root:x:0:0:root:/root:/sbin/nologin\n"
            "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"
            "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n");
}

TEST(EtcFilesTest, GroupBytes) {
  EXPECT_EQ(GroupFile(), "root:x:0:\ntty:x:5:\nstaff:x:50:\nnobody:x:65534:\nnonroot:x:65532:\n");
}

TEST(EtcFilesTest, NsswitchUsesOnlyFilesAndDns) {
  std::string conf = NsswitchConf();
  EXPECT_NE(conf.find("hosts:          files dns\n"), std::string::npos);
  EXPECT_NE(conf.find("passwd:         files\n"), std::string::npos);
  EXPECT_EQ(conf.find("compat"), std::string::npos);
  EXPECT_EQ(conf.find("nis"), std::string::npos);
  EXPECT_EQ(conf.find("systemd"), std::string::npos);
  EXPECT_EQ(conf.back(), '\n');
}

TEST(EtcFilesTest, OsReleaseNamesTheRelease) {
  std::string text = OsRelease({12, "bookworm"});
  EXPECT_EQ(text.substr(0, text.find('\n') + 1), "PRETTY_NAME=\"Distroless\"\n");
  EXPECT_NE(text.find("\nVERSION_ID=\"12\"\n"), std::string::npos);
  EXPECT_NE(text.find("\nVERSION=\"Debian GNU/Linux 12 (bookworm)\"\n"), std::string::npos);
  EXPECT_NE(text.find("\nVERSION_CODENAME=bookworm\n"), std::string::npos);
  EXPECT_NE(text.find("\nID=\"debian\"\n"), std::string::npos);
  std::string trixie = OsRelease({13, "trixie"});
  EXPECT_NE(trixie.find("VERSION=\"Debian GNU/Linux 13 (trixie)\""), std::string::npos);
  EXPECT_EQ(trixie.find("bookworm"), std::string::npos);
}

}  // namespace
}  // namespace distill::distroless
