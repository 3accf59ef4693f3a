#include "debian/deb.h"

#include <gtest/gtest.h>
#include <lzma.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "archive/compress.h"
#include "archive/tar_writer.h"

namespace distill::debian {
namespace {

struct File {
  File(std::string p, std::string c, archive::TarEntryType t = archive::TarEntryType::kFile,
       std::string l = "")
      : path(std::move(p)), content(std::move(c)), type(t), linkname(std::move(l)) {}
  std::string path;
  std::string content;
  archive::TarEntryType type;
  std::string linkname;
};

std::string Tar(const std::vector<File>& files) {
  StringWriter out;
  archive::TarWriter tar(&out);
  for (const File& f : files) {
    archive::TarEntry e;
    e.path = f.path;
    e.type = f.type;
    e.mode = f.type == archive::TarEntryType::kDirectory ? 0755 : 0644;
    e.size = f.type == archive::TarEntryType::kFile ? f.content.size() : 0;
    e.linkname = f.linkname;
    StringReader content(f.content);
    EXPECT_TRUE(tar.WriteEntry(e, &content).ok());
  }
  EXPECT_TRUE(tar.Finish().ok());
  return out.str();
}

std::string Compress(archive::Compression c, const std::string& data) {
  StringWriter sink;
  auto w = archive::NewCompressor(c, &sink);
  EXPECT_TRUE(w.ok());
  EXPECT_TRUE((*w)->Write(data).ok());
  EXPECT_TRUE((*w)->Close().ok());
  return sink.str();
}

std::string Xz(const std::string& data) {
  std::string out(lzma_stream_buffer_bound(data.size()), '\0');
  size_t pos = 0;
  EXPECT_EQ(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr,
                                    reinterpret_cast<const uint8_t*>(data.data()), data.size(),
                                    reinterpret_cast<uint8_t*>(out.data()), &pos, out.size()),
            LZMA_OK);
  out.resize(pos);
  return out;
}

std::string ArMemberBytes(const std::string& name, const std::string& data) {
  char header[61];
  std::snprintf(header, sizeof header, "%-16s%-12s%-6s%-6s%-8s%-10zu`\n", (name + "/").c_str(), "0",
                "0", "0", "100644", data.size());
  std::string out(header, 60);
  out += data;
  if (data.size() % 2 == 1) out += '\n';
  return out;
}

std::string Deb(const std::vector<std::pair<std::string, std::string>>& members) {
  std::string out = "!<arch>\n";
  for (const auto& [name, data] : members) out += ArMemberBytes(name, data);
  return out;
}

const char kControl[] =
    "Package: hello\nVersion: 2.10-3\nArchitecture: amd64\nDepends: libc6 (>= 2.34)\n"
    "Description: example package\n greets the world\n";

std::string ControlTar() {
  return Tar({{".", "", archive::TarEntryType::kDirectory},
              {"./control", kControl},
              {"./md5sums",
               "0123456789abcdef0123456789abcdef  usr/bin/hello\n"
               "fedcba9876543210fedcba9876543210  usr/share/doc/hello/copyright\n"},
              {"./conffiles", "/etc/hello.conf\n"},
              {"./postinst", "#!/bin/sh\nexit 0\n"}});
}

std::string DataTar() {
  return Tar({{".", "", archive::TarEntryType::kDirectory},
              {"./usr", "", archive::TarEntryType::kDirectory},
              {"./usr/bin", "", archive::TarEntryType::kDirectory},
              {"./usr/bin/hello", std::string(1001, 'x')},
              {"./usr/bin/hi", "", archive::TarEntryType::kSymlink, "hello"}});
}

std::vector<std::string> DataPaths(DebReader* deb, std::string* hello_content) {
  std::vector<std::string> paths;
  auto tar = deb->Data();
  EXPECT_TRUE(tar.ok()) << tar.status().message();
  if (!tar.ok()) return paths;
  archive::TarEntry e;
  while (true) {
    auto more = (*tar)->Next(&e);
    EXPECT_TRUE(more.ok()) << more.status().message();
    if (!more.ok() || !*more) break;
    paths.push_back(StripDotSlash(e.path));
    if (e.path == "./usr/bin/hello") {
      char buf[4096];
      while (true) {
        auto n = (*tar)->ReadContent(buf, sizeof buf);
        EXPECT_TRUE(n.ok());
        if (!n.ok() || *n == 0) break;
        hello_content->append(buf, *n);
      }
    }
  }
  return paths;
}

TEST(DebTest, ReadsControlAndStreamsDataForEachCompression) {
  struct Case {
    const char* control_name;
    std::string control;
    const char* data_name;
    std::string data;
  };
  const Case cases[] = {
      {"control.tar.gz", Compress(archive::Compression::kGzip, ControlTar()), "data.tar.xz",
       Xz(DataTar())},
      {"control.tar.xz", Xz(ControlTar()), "data.tar.zst",
       Compress(archive::Compression::kZstd, DataTar())},
      {"control.tar.zst", Compress(archive::Compression::kZstd, ControlTar()), "data.tar",
       DataTar()},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.control_name) + " + " + c.data_name);
    StringReader in(
        Deb({{"debian-binary", "2.0\n"}, {c.control_name, c.control}, {c.data_name, c.data}}));
    DebReader deb(&in, "hello_2.10-3_amd64.deb");
    Status s = deb.ReadControl();
    ASSERT_TRUE(s.ok()) << s.message();
    EXPECT_EQ(deb.control().Get("Package"), "hello");
    EXPECT_EQ(deb.control().Get("Depends"), "libc6 (>= 2.34)");
    EXPECT_EQ(deb.md5sums().size(), 2u);
    EXPECT_EQ(deb.md5sums().at("usr/bin/hello"), "0123456789abcdef0123456789abcdef");
    EXPECT_EQ(deb.conffiles(), std::vector<std::string>{"/etc/hello.conf"});
    EXPECT_EQ(deb.control_members(), std::vector<std::string>{"postinst"});
    std::string content;
    EXPECT_EQ(DataPaths(&deb, &content),
              (std::vector<std::string>{"", "usr", "usr/bin", "usr/bin/hello", "usr/bin/hi"}));
    EXPECT_EQ(content, std::string(1001, 'x'));
  }
}

TEST(DebTest, DataWithoutExplicitReadControlAndExtensionMembers) {
  StringReader in(Deb({{"debian-binary", "2.0\n"},
                       {"_gpgorigin", "signature"},
                       {"control.tar.gz", Compress(archive::Compression::kGzip, ControlTar())},
                       {"data.tar.xz", Xz(DataTar())}}));
  DebReader deb(&in, "x.deb");
  std::string content;
  EXPECT_EQ(DataPaths(&deb, &content).size(), 5u);
  EXPECT_EQ(deb.control().Get("Version"), "2.10-3");
}

TEST(DebTest, RejectsMalformedPackages) {
  struct Case {
    std::string bytes;
    const char* message_part;
  };
  std::string control_gz = Compress(archive::Compression::kGzip, ControlTar());
  std::string good = Deb(
      {{"debian-binary", "2.0\n"}, {"control.tar.gz", control_gz}, {"data.tar.xz", Xz(DataTar())}});
  std::string bad_header = good;
  bad_header[8 + 58] = 'X';
  const Case cases[] = {
      {"not an archive at all", "not an ar archive"},
      {Deb({{"control.tar.gz", control_gz}}), "first member is not debian-binary"},
      {Deb({{"debian-binary", "3.0\n"}}), "unsupported .deb format version \"3.0\""},
      {Deb({{"debian-binary", "2.0\n"}, {"data.tar.xz", "x"}}),
       "expected control.tar, found member \"data.tar.xz\""},
      {Deb({{"debian-binary", "2.0\n"}}), "no control.tar member"},
      {Deb({{"debian-binary", "2.0\n"},
            {"control.tar.gz", Compress(archive::Compression::kGzip, Tar({{"./md5sums", ""}}))}}),
       "control.tar has no control file"},
      {bad_header, "ar header at byte 8 is malformed"},
      {good.substr(0, good.size() / 2), "x.deb"},
  };
  for (const Case& c : cases) {
    StringReader in(c.bytes);
    DebReader deb(&in, "x.deb");
    Status s = deb.ReadControl();
    if (s.ok()) {
      auto tar = deb.Data();
      if (tar.ok()) {
        archive::TarEntry e;
        while (true) {
          auto more = (*tar)->Next(&e);
          if (!more.ok()) {
            s = more.status();
            break;
          }
          if (!*more) break;
        }
      } else {
        s = tar.status();
      }
    }
    ASSERT_FALSE(s.ok()) << c.message_part;
    EXPECT_NE(s.message().find(c.message_part), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("x.deb"), std::string::npos) << s.message();
  }
}

TEST(DebTest, NoDataMember) {
  StringReader in(Deb({{"debian-binary", "2.0\n"},
                       {"control.tar.gz", Compress(archive::Compression::kGzip, ControlTar())}}));
  DebReader deb(&in, "x.deb");
  ASSERT_TRUE(deb.ReadControl().ok());
  auto tar = deb.Data();
  ASSERT_FALSE(tar.ok());
  EXPECT_EQ(tar.status().message(), "x.deb: no data.tar member");
}

// A package built by the real dpkg-deb, when the tool is installed.
TEST(DebTest, ReadsAPackageBuiltByDpkgDeb) {
  if (std::system("command -v dpkg-deb >/dev/null 2>&1") != 0) GTEST_SKIP() << "no dpkg-deb";
  std::string dir = ::testing::TempDir() + "/distill-deb-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir + "/pkg/DEBIAN");
  std::filesystem::create_directories(dir + "/pkg/usr/share/hello");
  std::ofstream(dir + "/pkg/DEBIAN/control") << kControl;
  std::ofstream(dir + "/pkg/usr/share/hello/greeting") << "hello\n";
  std::string cmd = "dpkg-deb --root-owner-group -Zxz --build " + dir + "/pkg " + dir +
                    "/hello.deb >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream file(dir + "/hello.deb", std::ios::binary);
  std::ostringstream ss;
  ss << file.rdbuf();
  StringReader in(ss.str());
  DebReader deb(&in, "hello.deb");
  ASSERT_TRUE(deb.ReadControl().ok());
  EXPECT_EQ(deb.control().Get("Package"), "hello");
  std::string unused;
  auto paths = DataPaths(&deb, &unused);
  EXPECT_NE(std::find(paths.begin(), paths.end(), "usr/share/hello/greeting"), paths.end());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace distill::debian
