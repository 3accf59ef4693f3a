#include "inspect/fs_view.h"

#include <gtest/gtest.h>

#include "inspect/findings.h"

namespace distill::inspect {
namespace {

using archive::TarEntry;
using archive::TarEntryType;

TarEntry File(const std::string& path, uint64_t size, uint32_t mode = 0644) {
  TarEntry e;
  e.path = path;
  e.size = size;
  e.mode = mode;
  return e;
}
TarEntry Dir(const std::string& path, uint32_t mode = 0755) {
  TarEntry e;
  e.path = path;
  e.type = TarEntryType::kDirectory;
  e.mode = mode;
  return e;
}

TEST(FsViewTest, NormalizesPaths) {
  EXPECT_EQ(FsView::Normalize("./usr//bin/"), "/usr/bin");
  EXPECT_EQ(FsView::Normalize("."), "/");
  EXPECT_EQ(FsView::Normalize("a/../b"), "/b");
}

TEST(FsViewTest, OverwriteAndDeleteAreWasted) {
  FsView fs;
  fs.BeginLayer(0);
  fs.Apply(Dir("etc"));
  fs.Apply(File("etc/big", 1000));
  fs.Apply(File("etc/keep", 5));
  fs.Apply(File("etc/gone", 300));
  fs.BeginLayer(1);
  fs.Apply(File("etc/big", 10));
  fs.Apply(File("etc/.wh.gone", 0));
  ASSERT_EQ(fs.nodes().count("/etc/gone"), 0u);
  EXPECT_EQ(fs.nodes().at("/etc/big").size, 10u);
  EXPECT_EQ(fs.nodes().at("/etc/big").layer, 1);
  EXPECT_EQ(fs.nodes().at("/etc/keep").layer, 0);
  EXPECT_EQ(fs.wasted_bytes(), 1300u);
  ASSERT_EQ(fs.wasted().size(), 2u);
  EXPECT_FALSE(fs.wasted()[0].deleted);
  EXPECT_TRUE(fs.wasted()[1].deleted);
  EXPECT_EQ(fs.wasted()[1].hidden_by, 1);
  // The whiteout marker itself is not a file of the image.
  EXPECT_EQ(fs.nodes().count("/etc/.wh.gone"), 0u);
}

TEST(FsViewTest, WhiteoutOfDirectoryRemovesSubtree) {
  FsView fs;
  fs.BeginLayer(0);
  fs.Apply(Dir("var/cache/apt"));
  fs.Apply(File("var/cache/apt/a.bin", 100));
  fs.Apply(File("var/cache/apt/b.bin", 200));
  fs.Apply(File("var/cache/aptly", 7));  // a sibling sharing the prefix stays
  fs.BeginLayer(1);
  fs.Apply(File("var/cache/.wh.apt", 0));
  EXPECT_EQ(fs.nodes().count("/var/cache/apt"), 0u);
  EXPECT_EQ(fs.nodes().count("/var/cache/apt/a.bin"), 0u);
  EXPECT_EQ(fs.nodes().count("/var/cache/aptly"), 1u);
  EXPECT_EQ(fs.wasted_bytes(), 300u);
}

TEST(FsViewTest, OpaqueDirectoryHidesOnlyLowerLayers) {
  FsView fs;
  fs.BeginLayer(0);
  fs.Apply(Dir("app"));
  fs.Apply(File("app/old", 50));
  fs.BeginLayer(1);
  fs.Apply(Dir("app"));
  fs.Apply(File("app/new", 20));
  fs.Apply(File("app/.wh..wh..opq", 0));  // after its sibling, as some writers emit it
  EXPECT_EQ(fs.nodes().count("/app/old"), 0u);
  EXPECT_EQ(fs.nodes().count("/app/new"), 1u);
  EXPECT_EQ(fs.nodes().count("/app"), 1u);
  EXPECT_EQ(fs.wasted_bytes(), 50u);
}

TEST(FsViewTest, FileReplacingDirectoryDropsItsContents) {
  FsView fs;
  fs.BeginLayer(0);
  fs.Apply(Dir("x"));
  fs.Apply(File("x/y", 9));
  fs.BeginLayer(1);
  fs.Apply(File("x", 1));
  EXPECT_EQ(fs.nodes().count("/x/y"), 0u);
  EXPECT_EQ(fs.nodes().at("/x").type, TarEntryType::kFile);
  EXPECT_EQ(fs.wasted_bytes(), 9u);
}

oci::ImageConfig WithUser(const std::string& user) {
  oci::ImageConfig c;
  c.config.user = user;
  return c;
}

TEST(FindingsTest, EmptyNonRootImageIsClean) {
  FsView fs;
  fs.BeginLayer(0);
  fs.Apply(File("app/server", 100, 0755));
  fs.Apply(Dir("tmp", 01777));
  fs.Apply(File("etc/ssl/certs/ca-certificates.pem", 100));
  fs.Apply(File("usr/bin/shasum", 10, 0755));  // not a shell despite "sh"
  auto findings = FindAttackSurface(fs, WithUser("65532"));
  EXPECT_TRUE(findings.empty()) << findings[0].category << " " << findings[0].path;
  EXPECT_EQ(Verdict(findings), "distroless-grade: no shell, no package manager, non-root");
}

TEST(FindingsTest, EachCategoryIsFound) {
  struct Case {
    TarEntry entry;
    std::string category;
  };
  TarEntry link;
  link.path = "bin/sh";
  link.type = TarEntryType::kSymlink;
  link.linkname = "dash";
  std::vector<Case> cases = {
      {link, "shell"},
      {File("bin/busybox", 10, 0755), "shell"},
      {File("usr/bin/apt-get", 10, 0755), "package-manager"},
      {File("usr/local/bin/pip3", 10, 0755), "package-manager"},
      {File("usr/bin/gcc-12", 10, 0755), "compiler"},
      {File("usr/local/go/../bin/go", 10, 0755), "compiler"},
      {File("usr/bin/passwd", 10, 04755), "setuid"},
      {File("usr/bin/wall", 10, 02755), "setuid"},
      {Dir("srv/upload", 0777), "world-writable"},
      {File("root/.ssh/id_rsa", 10), "secrets"},
      {File("app/.env", 10), "secrets"},
      {File("app/server.key", 10), "secrets"},
      {File("home/u/.aws/credentials", 10), "secrets"},
      {File("root/.docker/config.json", 10), "secrets"},
      {Dir("src/.git"), "secrets"},
  };
  for (const auto& c : cases) {
    FsView fs;
    fs.BeginLayer(3);
    fs.Apply(c.entry);
    auto findings = FindAttackSurface(fs, WithUser("nonroot"));
    ASSERT_EQ(findings.size(), 1u) << c.entry.path;
    EXPECT_EQ(findings[0].category, c.category) << c.entry.path;
    EXPECT_EQ(findings[0].layer, 3);
  }
}

TEST(FindingsTest, NegativesForEachCategory) {
  FsView fs;
  fs.BeginLayer(0);
  fs.Apply(File("usr/share/doc/bash/README", 10));  // not in a bin dir
  fs.Apply(File("usr/lib/python3/pip/__init__.py", 1));
  fs.Apply(File("usr/bin/ccache-ish", 10, 0755));
  fs.Apply(Dir("tmp/x", 0777));  // world-writable under /tmp is expected
  fs.Apply(Dir("var/tmp", 01777));
  TarEntry link;
  link.path = "etc/alt";
  link.type = TarEntryType::kSymlink;
  link.mode = 0777;  // symlinks always look world-writable
  fs.Apply(link);
  fs.Apply(File("root/.ssh/id_rsa.pub", 10));
  EXPECT_TRUE(FindAttackSurface(fs, WithUser("1000:1000")).empty());
}

TEST(FindingsTest, RootUsers) {
  EXPECT_TRUE(RunsAsRoot(""));
  EXPECT_TRUE(RunsAsRoot("root"));
  EXPECT_TRUE(RunsAsRoot("0"));
  EXPECT_TRUE(RunsAsRoot("0:0"));
  EXPECT_TRUE(RunsAsRoot("root:staff"));
  EXPECT_FALSE(RunsAsRoot("65532"));
  EXPECT_FALSE(RunsAsRoot("nonroot:nonroot"));
  EXPECT_FALSE(RunsAsRoot("1000:0"));
  FsView fs;
  auto findings = FindAttackSurface(fs, WithUser(""));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].category, "root");
  EXPECT_EQ(Verdict(findings), "1 finding: root");
}

TEST(FindingsTest, VerdictListsCategories) {
  FsView fs;
  fs.BeginLayer(0);
  fs.Apply(File("bin/sh", 1, 0755));
  fs.Apply(File("bin/bash", 1, 0755));
  fs.Apply(File("usr/bin/apt", 1, 0755));
  EXPECT_EQ(Verdict(FindAttackSurface(fs, WithUser("0"))),
            "4 findings: shell, package manager, root");
}

}  // namespace
}  // namespace distill::inspect
