#include "inspect/diff.h"

#include <gtest/gtest.h>

namespace distill::inspect {
namespace {

archive::TarEntry File(const std::string& path, uint64_t size, uint32_t mode = 0644) {
  archive::TarEntry e;
  e.path = path;
  e.size = size;
  e.mode = mode;
  return e;
}

Package Deb(const std::string& name, const std::string& version) {
  Package p;
  p.ecosystem = "deb";
  p.name = name;
  p.version = version;
  return p;
}

TEST(DiffTest, FilesAndPackages) {
  FsView a, b;
  a.Apply(File("bin/sh", 100, 0755));
  a.Apply(File("app/server", 1000, 0755));
  a.Apply(File("etc/conf", 10));
  b.Apply(File("app/server", 2000, 0755));
  b.Apply(File("etc/conf", 10, 0600));  // mode change only
  b.Apply(File("app/new", 5));
  DiffSide sa, sb;
  sa.name = "a";
  sb.name = "b";
  sa.packages = {Deb("libc6", "2.36-9"), Deb("bash", "5.2"), Deb("zlib1g", "1.2")};
  sb.packages = {Deb("libc6", "2.36-10"), Deb("zlib1g", "1.2"), Deb("openssl", "3.0")};
  sa.findings = FindAttackSurface(a, {});
  ImageDiff d = CompareImages(sa, a, sb, b, 1);
  EXPECT_EQ(d.files_added, 1u);
  EXPECT_EQ(d.files_removed, 1u);
  EXPECT_EQ(d.files_changed, 2u);
  ASSERT_EQ(d.top_changed.size(), 1u);  // top 1: the biggest change
  EXPECT_EQ(d.top_changed[0].path, "/app/server");
  EXPECT_EQ(d.a.content_size, 1110u);
  ASSERT_EQ(d.packages_added.size(), 1u);
  EXPECT_EQ(d.packages_added[0].name, "openssl");
  ASSERT_EQ(d.packages_removed.size(), 1u);
  EXPECT_EQ(d.packages_removed[0].name, "bash");
  ASSERT_EQ(d.packages_changed.size(), 1u);
  EXPECT_EQ(d.packages_changed[0].new_version, "2.36-10");
  std::string text = FormatDiffText(d);
  EXPECT_NE(text.find("~ libc6 2.36-9 -> 2.36-10"), std::string::npos) << text;
  EXPECT_NE(text.find("shell"), std::string::npos) << text;
  auto json = DiffToJson(d);
  EXPECT_EQ(json["files"]["addedCount"], 1);
  EXPECT_EQ(json["packages"]["removed"][0]["name"], "bash");
}

TEST(DiffTest, IdenticalImagesHaveNoChanges) {
  FsView a;
  a.Apply(File("x", 1));
  ImageDiff d = CompareImages({}, a, {}, a);
  EXPECT_EQ(d.files_added + d.files_removed + d.files_changed, 0u);
  EXPECT_TRUE(d.packages_added.empty());
}

}  // namespace
}  // namespace distill::inspect
