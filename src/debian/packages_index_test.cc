#include "debian/packages_index.h"

#include <gtest/gtest.h>
#include <lzma.h>

#include <filesystem>
#include <fstream>

#include "archive/compress.h"
#include "util/sha256.h"

namespace distill::debian {
namespace {

constexpr const char* kPackages =
    "Package: libc6\n"
    "Source: glibc (2.36-9+deb12u4)\n"
    "Version: 2.36-9+deb12u7\n"
    "Installed-Size: 12986\n"
    "Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>\n"
    "Architecture: amd64\n"
    "Multi-Arch: same\n"
    "Depends: libgcc-s1\n"
    "Recommends: libidn2-0 (>= 2.0.5~)\n"
    "Breaks: hurd (<< 1:0.9.git20220301-2)\n"
    "Description: GNU C Library: Shared libraries\n"
    " Contains the standard libraries that are used by nearly all programs on\n"
    " the system.\n"
    "Section: libs\n"
    "Priority: optional\n"
    "Filename: pool/main/g/glibc/libc6_2.36-9+deb12u7_amd64.deb\n"
    "Size: 2757936\n"
    "SHA256: 0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9\n"
    "\n"
    "Package: base-files\n"
    "Version: 12.4+deb12u5\n"
    "Architecture: amd64\n"
    "Essential: yes\n"
    "Pre-Depends: awk\n"
    "Provides: base\n"
    "Priority: required\n"
    "Section: admin\n"
    "Filename: pool/main/b/base-files/base-files_12.4+deb12u5_amd64.deb\n"
    "Size: 70692\n"
    "SHA256: 1111111111111111111111111111111111111111111111111111111111111111\n"
    "Description: Debian base system miscellaneous files\n";

std::string Xz(const std::string& data) {
  std::string out(lzma_stream_buffer_bound(data.size()), '\0');
  size_t pos = 0;
  lzma_ret rc = lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr,
                                        reinterpret_cast<const uint8_t*>(data.data()), data.size(),
                                        reinterpret_cast<uint8_t*>(out.data()), &pos, out.size());
  EXPECT_EQ(rc, LZMA_OK);
  out.resize(pos);
  return out;
}

std::string Gzip(const std::string& data) {
  StringWriter sink;
  auto gz = archive::NewCompressor(archive::Compression::kGzip, &sink);
  EXPECT_TRUE(gz.ok());
  EXPECT_TRUE((*gz)->Write(data).ok());
  EXPECT_TRUE((*gz)->Close().ok());
  return sink.str();
}

std::string WriteTemp(const std::string& name, const std::string& bytes) {
  std::string path = ::testing::TempDir() + "/distill-packages-test-" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

IndexLocation LocationFor(const std::string& bytes, const std::string& path) {
  IndexLocation loc;
  loc.path = path;
  loc.url = "http://m/debian/dists/bookworm/" + path;
  loc.fallback_url = loc.url;
  loc.entry = ReleaseFileEntry{path, bytes.size(), Sha256::HexOf(bytes)};
  return loc;
}

TEST(PackagesIndexTest, ParsesRecords) {
  StringReader in(kPackages);
  auto pkgs = ReadPackages(&in, "Packages");
  ASSERT_TRUE(pkgs.ok()) << pkgs.status().message();
  ASSERT_EQ(pkgs->size(), 2u);
  const Package& libc = (*pkgs)[0];
  EXPECT_EQ(libc.name, "libc6");
  EXPECT_EQ(libc.source, "glibc");
  EXPECT_EQ(libc.version.str(), "2.36-9+deb12u7");
  EXPECT_EQ(libc.architecture, "amd64");
  EXPECT_EQ(libc.multi_arch, "same");
  ASSERT_EQ(libc.depends.size(), 1u);
  EXPECT_EQ(libc.depends[0][0].name, "libgcc-s1");
  EXPECT_EQ(libc.installed_size_kib, 12986u);
  EXPECT_EQ(libc.size, 2757936u);
  EXPECT_EQ(libc.filename, "pool/main/g/glibc/libc6_2.36-9+deb12u7_amd64.deb");
  EXPECT_EQ(libc.description, "GNU C Library: Shared libraries");
  EXPECT_EQ(libc.section, "libs");
  EXPECT_FALSE(libc.essential);
  EXPECT_EQ(libc.Label(), "libc6 2.36-9+deb12u7 amd64");
  const Package& base = (*pkgs)[1];
  EXPECT_TRUE(base.essential);
  EXPECT_EQ(base.source, "base-files");
  EXPECT_EQ(base.pre_depends[0][0].name, "awk");
  EXPECT_EQ(base.provides[0].name, "base");
  EXPECT_EQ(base.priority, "required");
}

TEST(PackagesIndexTest, RejectsBadRecords) {
  struct Case {
    const char* text;
    const char* message_part;
  };
  const Case cases[] = {
      {"Version: 1\n", "Packages:1: paragraph has no Package field"},
      {"Package: a\nVersion: x:1\n", "Packages:1 (a): version \"x:1\": epoch is not a number"},
      {"Package: a\nVersion: 1\nDepends: b (>= )\n", "Packages:1 (a): Depends:"},
      {"\nPackage: a\nVersion: 1\nSize: 12k\n", "Packages:2 (a): Size \"12k\" is not a number"},
      {"Package: a\nVersion: 1\nProvides: b | c\n", "Provides: alternatives"},
  };
  for (const Case& c : cases) {
    StringReader in(c.text);
    auto pkgs = ReadPackages(&in, "Packages");
    ASSERT_FALSE(pkgs.ok()) << c.text;
    EXPECT_NE(pkgs.status().message().find(c.message_part), std::string::npos)
        << pkgs.status().message();
  }
}

TEST(PackagesIndexTest, LocatesPreferredCompressionAndByHash) {
  Release r;
  r.acquire_by_hash = true;
  std::string h1(64, '1'), h2(64, '2'), h3(64, '3');
  r.files["main/binary-amd64/Packages"] = {"main/binary-amd64/Packages", 100, h1};
  r.files["main/binary-amd64/Packages.gz"] = {"main/binary-amd64/Packages.gz", 30, h2};
  r.files["main/binary-amd64/Packages.xz"] = {"main/binary-amd64/Packages.xz", 20, h3};
  r.files["main/binary-arm64/Packages.gz"] = {"main/binary-arm64/Packages.gz", 30, h2};
  const std::string dist = "http://m/debian/dists/bookworm";
  auto amd64 = LocatePackagesIndex(r, dist, "main", "amd64");
  ASSERT_TRUE(amd64.ok());
  EXPECT_EQ(amd64->path, "main/binary-amd64/Packages.xz");
  EXPECT_EQ(amd64->url, dist + "/main/binary-amd64/by-hash/SHA256/" + h3);
  EXPECT_EQ(amd64->fallback_url, dist + "/main/binary-amd64/Packages.xz");
  EXPECT_EQ(amd64->entry.size, 20u);
  auto arm64 = LocatePackagesIndex(r, dist, "main", "arm64");
  ASSERT_TRUE(arm64.ok());
  EXPECT_EQ(arm64->path, "main/binary-arm64/Packages.gz");
  r.acquire_by_hash = false;
  EXPECT_EQ(LocatePackagesIndex(r, dist, "main", "amd64")->url,
            dist + "/main/binary-amd64/Packages.xz");
  auto missing = LocatePackagesIndex(r, dist, "contrib", "amd64");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(),
            dist + "/InRelease lists no Packages index for contrib/binary-amd64");
}

TEST(PackagesIndexTest, ReadsVerifiedXzAndGzFiles) {
  for (const auto& [name, bytes] : {std::pair<std::string, std::string>{"xz", Xz(kPackages)},
                                    {"gz", Gzip(kPackages)},
                                    {"plain", kPackages}}) {
    std::string path = WriteTemp(name, bytes);
    auto pkgs = ReadVerifiedPackagesFile(path, LocationFor(bytes, "main/binary-amd64/Packages"),
                                         "http://m/debian");
    std::filesystem::remove(path);
    ASSERT_TRUE(pkgs.ok()) << name << ": " << pkgs.status().message();
    ASSERT_EQ(pkgs->size(), 2u);
    EXPECT_EQ((*pkgs)[1].name, "base-files");
    EXPECT_EQ((*pkgs)[1].repository, "http://m/debian");
  }
}

TEST(PackagesIndexTest, TamperedIndexIsRejected) {
  std::string good = Xz(kPackages);
  IndexLocation loc = LocationFor(good, "main/binary-amd64/Packages.xz");

  // Same size, other content: an index from another suite or an attacker.
  std::string other = Xz(std::string(kPackages) + "\n");
  std::string swapped = other;
  swapped.resize(good.size(), '\0');
  std::string path = WriteTemp("swapped", swapped);
  auto r1 = ReadVerifiedPackagesFile(path, loc, "http://m/debian");
  ASSERT_FALSE(r1.ok());
  EXPECT_EQ(r1.status().code(), Status::Code::kCorrupt);
  EXPECT_NE(r1.status().message().find(loc.url), std::string::npos) << r1.status().message();

  // One flipped byte in the middle of a valid file.
  std::string flipped = good;
  flipped[flipped.size() / 2] ^= 0x40;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << flipped;
  auto r2 = ReadVerifiedPackagesFile(path, loc, "http://m/debian");
  ASSERT_FALSE(r2.ok());
  EXPECT_NE(r2.status().message().find(loc.url), std::string::npos) << r2.status().message();

  // Trailing garbage after a valid xz stream: only the size/hash check sees it.
  std::string trailing = good + "extra";
  std::ofstream(path, std::ios::binary | std::ios::trunc) << trailing;
  auto r3 = ReadVerifiedPackagesFile(path, loc, "http://m/debian");
  ASSERT_FALSE(r3.ok());
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace distill::debian
