#include "inspect/size_tree.h"

#include <gtest/gtest.h>

namespace distill::inspect {
namespace {

archive::TarEntry File(const std::string& path, uint64_t size) {
  archive::TarEntry e;
  e.path = path;
  e.size = size;
  return e;
}

archive::TarEntry Link(const std::string& path) {
  archive::TarEntry e;
  e.path = path;
  e.type = archive::TarEntryType::kSymlink;
  e.linkname = "/x";
  return e;
}

const SizeTreeNode* Child(const SizeTreeNode& n, const std::string& name) {
  for (const auto& c : n.children) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

TEST(SizeTreeTest, SumsFilesIntoDirectoriesLargestFirst) {
  FsView fs;
  fs.BeginLayer(0);
  fs.Apply(File("usr/lib/a.so", 300));
  fs.Apply(File("usr/bin/b", 100));
  fs.Apply(File("etc/c", 50));
  fs.Apply(Link("usr/bin/sh"));
  fs.BeginLayer(1);
  fs.Apply(File("app/big", 1000));
  SizeTreeNode root = BuildSizeTree(fs);
  EXPECT_EQ(root.size, 1450u);
  EXPECT_EQ(root.files, 4u);
  ASSERT_EQ(root.children.size(), 3u);
  EXPECT_EQ(root.children[0].name, "app");
  EXPECT_EQ(root.children[1].name, "usr");
  EXPECT_EQ(root.children[2].name, "etc");
  const SizeTreeNode* usr = &root.children[1];
  EXPECT_TRUE(usr->dir);
  EXPECT_EQ(usr->size, 400u);
  ASSERT_EQ(usr->children.size(), 2u);
  EXPECT_EQ(usr->children[0].name, "lib");
  const SizeTreeNode* big = Child(root.children[0], "big");
  ASSERT_NE(big, nullptr);
  EXPECT_FALSE(big->dir);
  EXPECT_EQ(big->layer, 1);
  // The symlink weighs nothing and is not listed.
  EXPECT_EQ(Child(usr->children[1], "sh"), nullptr);
}

TEST(SizeTreeTest, AggregatesTheTailOfBigDirectories) {
  FsView fs;
  fs.BeginLayer(0);
  for (int i = 0; i < 30; ++i) fs.Apply(File("d/f" + std::to_string(i), 100 + i));
  SizeTreeLimits limits;
  limits.per_dir = 5;
  SizeTreeNode root = BuildSizeTree(fs, limits);
  const SizeTreeNode& d = root.children.at(0);
  ASSERT_EQ(d.children.size(), 6u);
  EXPECT_EQ(d.children[0].name, "f29");
  const SizeTreeNode& rest = d.children[5];
  EXPECT_TRUE(rest.other);
  EXPECT_EQ(rest.files, 25u);
  EXPECT_EQ(rest.name, "25 smaller entries");
  uint64_t sum = 0;
  for (const auto& c : d.children) sum += c.size;
  EXPECT_EQ(sum, d.size);  // nothing is lost by aggregating
}

TEST(SizeTreeTest, OneLeftoverEntryIsListedNotAggregated) {
  FsView fs;
  fs.BeginLayer(0);
  for (int i = 0; i < 3; ++i) fs.Apply(File("f" + std::to_string(i), 10));
  SizeTreeLimits limits;
  limits.per_dir = 2;
  SizeTreeNode root = BuildSizeTree(fs, limits);
  ASSERT_EQ(root.children.size(), 3u);
  for (const auto& c : root.children) EXPECT_FALSE(c.other);
}

TEST(SizeTreeTest, BudgetCollapsesSmallDirectoriesFirst) {
  FsView fs;
  fs.BeginLayer(0);
  for (int i = 0; i < 10; ++i) fs.Apply(File("big/f" + std::to_string(i), 1000));
  for (int i = 0; i < 10; ++i) fs.Apply(File("small/f" + std::to_string(i), 1));
  SizeTreeLimits limits;
  limits.budget = 13;  // root's 2 entries + big's 10; small's 10 do not fit
  SizeTreeNode root = BuildSizeTree(fs, limits);
  EXPECT_LE(CountNodes(root) - 1, limits.budget);
  const SizeTreeNode* big = Child(root, "big");
  const SizeTreeNode* small = Child(root, "small");
  ASSERT_NE(big, nullptr);
  ASSERT_NE(small, nullptr);
  EXPECT_EQ(big->children.size(), 10u);
  EXPECT_FALSE(big->collapsed);
  EXPECT_TRUE(small->children.empty());
  EXPECT_TRUE(small->collapsed);
  EXPECT_EQ(small->size, 10u);
}

TEST(SizeTreeTest, ManyFilesStayWithinBudget) {
  FsView fs;
  fs.BeginLayer(0);
  for (int d = 0; d < 100; ++d) {
    for (int f = 0; f < 100; ++f) {
      fs.Apply(File("usr/d" + std::to_string(d) + "/f" + std::to_string(f), 1 + d + f));
    }
  }
  SizeTreeNode root = BuildSizeTree(fs);
  EXPECT_LE(CountNodes(root) - 1, SizeTreeLimits{}.budget);
  EXPECT_EQ(root.files, 10000u);
}

TEST(SizeTreeTest, Json) {
  FsView fs;
  fs.BeginLayer(0);
  fs.Apply(File("a/b", 7));
  nlohmann::json j = SizeTreeToJson(BuildSizeTree(fs));
  EXPECT_EQ(j["size"], 7);
  EXPECT_EQ(j["children"][0]["name"], "a");
  EXPECT_EQ(j["children"][0]["dir"], true);
  EXPECT_EQ(j["children"][0]["children"][0]["layer"], 0);
  EXPECT_FALSE(j["children"][0]["children"][0].contains("dir"));
}

}  // namespace
}  // namespace distill::inspect
