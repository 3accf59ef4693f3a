#include "archive/tar_tree.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "archive/extract.h"
#include "archive/tar_reader.h"
#include "archive/tar_test_util.h"

namespace distill::archive {
namespace {

using namespace test_util;

// security.capability v2 granting CAP_NET_BIND_SERVICE (bit 10), permitted+effective.
const std::string kNetBindCap(
    "\x01\x00\x00\x02\x00\x04\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00",
    20);

void SetMtime(const std::string& path, int64_t sec) {
  struct timespec t[2] = {{sec, 0}, {sec, 0}};
  ASSERT_EQ(utimensat(AT_FDCWD, path.c_str(), t, AT_SYMLINK_NOFOLLOW), 0) << path;
}

// A small tree with every kind of entry a layer carries.
void BuildTree(const std::string& root) {
  ASSERT_EQ(mkdir((root + "/usr").c_str(), 0750), 0);
  ASSERT_EQ(mkdir((root + "/usr/bin").c_str(), 0755), 0);
  ASSERT_EQ(mkdir((root + "/empty").c_str(), 0700), 0);
  WriteFileAt(root + "/usr/bin/tool", "#!/bin/sh\necho hi\n");
  ASSERT_EQ(chown((root + "/usr/bin/tool").c_str(), 1234, 5678), 0);
  ASSERT_EQ(chmod((root + "/usr/bin/tool").c_str(), 04755), 0);
  ASSERT_EQ(setxattr((root + "/usr/bin/tool").c_str(), "user.origin", "test\0bin", 8, 0), 0);
  WriteFileAt(root + "/usr/bin/ping", "ping");
  ASSERT_EQ(setxattr((root + "/usr/bin/ping").c_str(), "security.capability", kNetBindCap.data(),
                     kNetBindCap.size(), 0),
            0);
  ASSERT_EQ(link((root + "/usr/bin/tool").c_str(), (root + "/usr/bin/tool-alias").c_str()), 0);
  ASSERT_EQ(symlink("bin/tool", (root + "/usr/tool-link").c_str()), 0);
  ASSERT_EQ(mkfifo((root + "/usr/fifo").c_str(), 0640), 0);
  ASSERT_EQ(mknod((root + "/null").c_str(), S_IFCHR | 0666, makedev(1, 3)), 0);
  ASSERT_EQ(chmod((root + "/null").c_str(), 0666), 0);
  // Sparse: a 4 MiB hole read as zeros, streamed in bounded chunks.
  int fd = open((root + "/sparse").c_str(), O_WRONLY | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(ftruncate(fd, 4 << 20), 0);
  ASSERT_EQ(pwrite(fd, "end", 3, (4 << 20) - 3), 3);
  close(fd);
  WriteFileAt(root + "/a-b", "sorts before a/ in byte order");
  for (const char* p : {"usr/bin/tool", "usr/bin/ping", "usr/tool-link", "usr/fifo", "null",
                        "sparse", "a-b", "empty", "usr/bin", "usr"}) {
    SetMtime(root + "/" + p, 1500000000);
  }
}

std::string TarOf(const std::string& root, const TreeTarOptions& options = {}) {
  StringWriter out;
  TarWriter writer(&out);
  Status st = WriteTreeTar(root, &writer, options);
  EXPECT_TRUE(st.ok()) << st.message();
  EXPECT_TRUE(writer.Finish().ok());
  return out.str();
}

std::vector<TarEntry> EntriesOf(const std::string& tar) {
  StringReader in(tar);
  TarReader reader(&in);
  std::vector<TarEntry> out;
  TarEntry e;
  while (true) {
    auto more = reader.Next(&e);
    EXPECT_TRUE(more.ok()) << more.status().message();
    if (!more.ok() || !*more) break;
    out.push_back(e);
  }
  return out;
}

TEST(TarTree, RoundTripsThroughExtract) {
  ScratchDir src, dst;
  BuildTree(src.path());
  std::string tar = TarOf(src.path());
  StringReader in(tar);
  Status st = ExtractTar(&in, dst.path());
  ASSERT_TRUE(st.ok()) << st.message();
  auto want = DescribeTree(src.path());
  auto got = DescribeTree(dst.path());
  EXPECT_EQ(got, want);
  EXPECT_NE(want["usr/bin/tool"].find("104755 1234:5678"), std::string::npos)
      << want["usr/bin/tool"];
  EXPECT_EQ(want["usr/bin/tool-alias"], "link to usr/bin/tool");
  EXPECT_NE(got["usr/bin/ping"].find("security.capability"), std::string::npos);
}

TEST(TarTree, EntriesAreSortedWithHardlinksToTheFirstPath) {
  ScratchDir src;
  BuildTree(src.path());
  auto entries = EntriesOf(TarOf(src.path()));
  std::vector<std::string> paths;
  for (const auto& e : entries) paths.push_back(e.path);
  std::vector<std::string> want = {"a-b",          "empty",        "null",
                                   "sparse",       "usr",          "usr/bin",
                                   "usr/bin/ping", "usr/bin/tool", "usr/bin/tool-alias",
                                   "usr/fifo",     "usr/tool-link"};
  EXPECT_EQ(paths, want);
  EXPECT_EQ(entries[8].type, TarEntryType::kHardlink);
  EXPECT_EQ(entries[8].linkname, "usr/bin/tool");
  EXPECT_EQ(entries[3].size, 4u << 20);
  EXPECT_EQ(entries[2].type, TarEntryType::kCharDevice);
  EXPECT_EQ(entries[9].type, TarEntryType::kFifo);
}

TEST(TarTree, IsDeterministicAndClampsMtimes) {
  ScratchDir src;
  BuildTree(src.path());
  EXPECT_EQ(TarOf(src.path()), TarOf(src.path()));

  TreeTarOptions clamp;
  clamp.clamp_mtime = 1000000000;
  std::string before = TarOf(src.path(), clamp);
  SetMtime(src / "usr/bin/tool", 1700000000);  // "touch"
  EXPECT_EQ(TarOf(src.path(), clamp), before);
  EXPECT_NE(TarOf(src.path()), TarOf(src.path(), clamp));
  for (const auto& e : EntriesOf(before)) EXPECT_EQ(e.mtime_sec, 1000000000) << e.path;
}

TEST(TarTree, RemapsOwners) {
  ScratchDir src;
  BuildTree(src.path());
  TreeTarOptions options;
  options.map_uid = [](uint64_t uid) { return uid == 1234 ? 0 : uid + 100000; };
  options.map_gid = [](uint64_t gid) { return gid + 1; };
  for (const auto& e : EntriesOf(TarOf(src.path(), options))) {
    if (e.path == "usr/bin/tool") {
      EXPECT_EQ(e.uid, 0u);
      EXPECT_EQ(e.gid, 5679u);
    } else if (e.path == "usr") {
      EXPECT_EQ(e.uid, 100000u);
    }
  }
}

TEST(TarTree, OverlayUpperdirBecomesOciWhiteouts) {
  ScratchDir upper;
  ASSERT_EQ(mknod((upper / "gone").c_str(), S_IFCHR | 0, makedev(0, 0)), 0);
  ASSERT_EQ(mkdir((upper / "opq").c_str(), 0755), 0);
  ASSERT_EQ(setxattr((upper / "opq").c_str(), "trusted.overlay.opaque", "y", 1, 0), 0);
  WriteFileAt(upper / "opq/new", "n");
  ASSERT_EQ(mkdir((upper / "plain").c_str(), 0755), 0);
  ASSERT_EQ(setxattr((upper / "plain").c_str(), "trusted.overlay.origin", "x", 1, 0), 0);

  TreeTarOptions overlay;
  overlay.overlay_upperdir = true;
  auto entries = EntriesOf(TarOf(upper.path(), overlay));
  std::vector<std::string> paths;
  for (const auto& e : entries) {
    paths.push_back(e.path);
    EXPECT_TRUE(e.xattrs.empty()) << e.path;  // overlay's own xattrs never leak
    EXPECT_NE(e.type, TarEntryType::kCharDevice);
  }
  std::vector<std::string> want = {".wh.gone", "opq", "opq/.wh..wh..opq", "opq/new", "plain"};
  EXPECT_EQ(paths, want);

  // Without overlay mode the device and xattrs are ordinary content.
  auto raw = EntriesOf(TarOf(upper.path()));
  EXPECT_EQ(raw[0].path, "gone");
  EXPECT_EQ(raw[0].type, TarEntryType::kCharDevice);
}

TEST(TarTree, ReportsMissingRoot) {
  StringWriter out;
  TarWriter writer(&out);
  Status st = WriteTreeTar("/nonexistent/distill-root", &writer);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("/nonexistent/distill-root"), std::string::npos);
}

}  // namespace
}  // namespace distill::archive
