#include "distroless/rootfs_tree.h"

#include <gtest/gtest.h>

#include <vector>

#include "archive/tar_reader.h"

namespace distill::distroless {
namespace {

using archive::TarEntry;
using archive::TarEntryType;

struct Read {
  TarEntry entry;
  std::string content;
};

std::vector<Read> Entries(const RootfsTree& tree, int64_t epoch) {
  StringWriter out;
  EXPECT_TRUE(tree.WriteTar(&out, epoch).ok());
  StringReader in(out.str());
  archive::TarReader tar(&in);
  std::vector<Read> all;
  TarEntry e;
  while (*tar.Next(&e)) {
    Read r{e, {}};
    char buf[4096];
    while (true) {
      size_t n = *tar.ReadContent(buf, sizeof buf);
      if (n == 0) break;
      r.content.append(buf, n);
    }
    all.push_back(r);
  }
  return all;
}

TarEntry File(const std::string& path, int64_t mtime = 5) {
  TarEntry e;
  e.path = path;
  e.mtime_sec = mtime;
  return e;
}

TarEntry Dir(const std::string& path, uint32_t mode = 0755) {
  TarEntry e;
  e.path = path;
  e.type = TarEntryType::kDirectory;
  e.mode = mode;
  return e;
}

TEST(RootfsTreeTest, SortedWithImpliedParentsAndSharedDirectoriesOnce) {
  RootfsTree tree;
  ASSERT_TRUE(tree.Add(File("usr/lib/b"), "B").ok());
  ASSERT_TRUE(tree.Add(Dir("usr/lib", 0700)).ok());
  ASSERT_TRUE(tree.Add(Dir("usr/lib", 0755)).ok());  // a second package: first one wins
  ASSERT_TRUE(tree.Add(File("etc/a"), "A").ok());
  auto entries = Entries(tree, 100);
  std::vector<std::string> paths;
  for (const auto& r : entries) paths.push_back(r.entry.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"etc", "etc/a", "usr", "usr/lib", "usr/lib/b"}));
  EXPECT_EQ(entries[3].entry.mode, 0700u);
  EXPECT_EQ(entries[0].entry.type, TarEntryType::kDirectory);
  EXPECT_EQ(entries[1].content, "A");
}

TEST(RootfsTreeTest, MtimesClampedAndOutputDeterministic) {
  RootfsTree a;
  ASSERT_TRUE(a.Add(File("x", 50), "1").ok());
  ASSERT_TRUE(a.Add(File("y", 500), "2").ok());
  auto entries = Entries(a, 100);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].entry.mtime_sec, 50);
  EXPECT_EQ(entries[1].entry.mtime_sec, 100);

  RootfsTree b;  // same content, other insertion order
  ASSERT_TRUE(b.Add(File("y", 500), "2").ok());
  ASSERT_TRUE(b.Add(File("x", 50), "1").ok());
  StringWriter wa, wb;
  ASSERT_TRUE(a.WriteTar(&wa, 100).ok());
  ASSERT_TRUE(b.WriteTar(&wb, 100).ok());
  EXPECT_EQ(wa.str(), wb.str());
}

TEST(RootfsTreeTest, LaterFileWinsAndGeneratedDirectoriesOverride) {
  RootfsTree tree;
  ASSERT_TRUE(tree.Add(File("etc/os-release"), "old").ok());
  ASSERT_TRUE(tree.AddFile("etc/os-release", "new").ok());
  ASSERT_TRUE(tree.Add(Dir("tmp", 0755)).ok());
  ASSERT_TRUE(tree.AddDirectory("tmp", 01777).ok());
  ASSERT_TRUE(tree.AddDirectory("home/nonroot", 0700, 65532, 65532).ok());
  auto entries = Entries(tree, 100);
  ASSERT_EQ(entries.size(), 5u);  // etc, etc/os-release, home, home/nonroot, tmp
  EXPECT_EQ(entries[1].content, "new");
  EXPECT_EQ(entries[3].entry.uid, 65532u);
  EXPECT_EQ(entries[4].entry.mode, 01777u);
}

TEST(RootfsTreeTest, HardLinksBecomeCopies) {
  RootfsTree tree;
  ASSERT_TRUE(tree.Add(File("usr/bin/z"), "binary").ok());
  TarEntry link;
  link.path = "usr/bin/a";
  link.type = TarEntryType::kHardlink;
  link.linkname = "usr/bin/z";
  ASSERT_TRUE(tree.Add(link).ok());
  auto entries = Entries(tree, 100);
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[2].entry.path, "usr/bin/a");
  EXPECT_EQ(entries[2].entry.type, TarEntryType::kFile);
  EXPECT_EQ(entries[2].content, "binary");

  link.linkname = "usr/bin/missing";
  Status st = tree.Add(link);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("usr/bin/missing"), std::string::npos);
}

TEST(RootfsTreeTest, RejectsUncleanPaths) {
  RootfsTree tree;
  EXPECT_FALSE(tree.Add(File("/etc/passwd")).ok());
  EXPECT_FALSE(tree.Add(File("")).ok());
  EXPECT_FALSE(tree.Add(File("etc/")).ok());
  ASSERT_TRUE(tree.AddSymlink("bin", "usr/bin").ok());
  EXPECT_EQ(tree.Find("bin")->linkname, "usr/bin");
  EXPECT_EQ(tree.Find("nope"), nullptr);
}

TEST(RootfsTreeTest, ResolveFollowsSymlinksInEveryComponent) {
  RootfsTree tree;
  ASSERT_TRUE(tree.AddSymlink("lib", "usr/lib").ok());
  ASSERT_TRUE(tree.AddFile("usr/lib/x86_64-linux-gnu/libz.so.1.3", "z").ok());
  ASSERT_TRUE(tree.AddSymlink("usr/lib/x86_64-linux-gnu/libz.so.1", "libz.so.1.3").ok());
  ASSERT_TRUE(tree.AddSymlink("usr/lib/abs", "/lib/x86_64-linux-gnu/../x86_64-linux-gnu").ok());
  ASSERT_TRUE(tree.AddSymlink("loop", "loop").ok());
  EXPECT_EQ(tree.Resolve("lib/x86_64-linux-gnu/libz.so.1"),
            std::optional<std::string>("usr/lib/x86_64-linux-gnu/libz.so.1.3"));
  EXPECT_EQ(tree.Resolve("/lib/abs/libz.so.1"),
            std::optional<std::string>("usr/lib/x86_64-linux-gnu/libz.so.1.3"));
  EXPECT_EQ(tree.Resolve("lib/missing"), std::optional<std::string>("usr/lib/missing"));
  EXPECT_EQ(tree.Resolve("loop/x"), std::nullopt);
  EXPECT_EQ(*tree.FileContent("usr/lib/x86_64-linux-gnu/libz.so.1.3"), "z");
  EXPECT_EQ(tree.FileContent("usr/lib/x86_64-linux-gnu/libz.so.1"), nullptr);
}

TEST(RootfsTreeTest, ChildNamesIncludeImpliedDirectories) {
  RootfsTree tree;
  ASSERT_TRUE(tree.AddFile("etc/a/b", "").ok());
  ASSERT_TRUE(tree.AddFile("etc/c", "").ok());
  ASSERT_TRUE(tree.AddFile("etcetera", "").ok());
  ASSERT_TRUE(tree.AddFile("etc-x", "").ok());
  ASSERT_TRUE(tree.AddDirectory("etc", 0755).ok());
  EXPECT_EQ(tree.ChildNames("etc"), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(tree.ChildNames(""), (std::vector<std::string>{"etc", "etc-x", "etcetera"}));
}

}  // namespace
}  // namespace distill::distroless
