#include "debian/dependency.h"

#include <gtest/gtest.h>

namespace distill::debian {
namespace {

TEST(DependencyTest, ParsesGroupsAlternativesRelationsAndQualifiers) {
  auto groups = ParseDependencies(
      "a (>= 1.0) | b:any, c [amd64],libc6 (>= 2.34),\n python3:native (<< 3.12~), d (=1:2.0-1)");
  ASSERT_TRUE(groups.ok()) << groups.status().message();
  ASSERT_EQ(groups->size(), 5u);
  const DependencyGroup& first = (*groups)[0];
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].name, "a");
  EXPECT_EQ(first[0].relation, Relation::kGreaterEqual);
  EXPECT_EQ(first[0].version.str(), "1.0");
  EXPECT_EQ(first[1].name, "b");
  EXPECT_EQ(first[1].arch_qualifier, "any");
  EXPECT_FALSE(first[1].relation.has_value());
  EXPECT_EQ((*groups)[1][0].architectures, std::vector<std::string>{"amd64"});
  EXPECT_EQ((*groups)[2][0].name, "libc6");
  EXPECT_EQ((*groups)[3][0].arch_qualifier, "native");
  EXPECT_EQ((*groups)[3][0].relation, Relation::kLess);
  EXPECT_EQ((*groups)[3][0].version.str(), "3.12~");
  EXPECT_EQ((*groups)[4][0].version.epoch, 1u);
  EXPECT_EQ(GroupString(first), "a (>= 1.0) | b:any");
  EXPECT_EQ((*groups)[4][0].str(), "d (= 1:2.0-1)");
}

TEST(DependencyTest, VersionMatching) {
  auto groups = ParseDependencies("libssl3 (>= 3.0.0), x (<< 2), y");
  ASSERT_TRUE(groups.ok());
  const Dependency& ssl = (*groups)[0][0];
  EXPECT_TRUE(ssl.VersionMatches(*Version::Parse("3.0.11-1~deb12u2")));
  EXPECT_FALSE(ssl.VersionMatches(*Version::Parse("3.0.0~alpha1")));
  EXPECT_FALSE((*groups)[1][0].VersionMatches(*Version::Parse("2")));
  EXPECT_TRUE((*groups)[1][0].VersionMatches(*Version::Parse("2~rc1")));
  EXPECT_TRUE((*groups)[2][0].VersionMatches(*Version::Parse("0")));
}

TEST(DependencyTest, ArchitectureRestrictionsAndProfiles) {
  auto groups = ParseDependencies("a [amd64 arm64], b [!i386] <!nocheck> <stage1>, c");
  ASSERT_TRUE(groups.ok()) << groups.status().message();
  const Dependency& a = (*groups)[0][0];
  EXPECT_TRUE(a.AppliesTo("amd64"));
  EXPECT_FALSE(a.AppliesTo("i386"));
  const Dependency& b = (*groups)[1][0];
  EXPECT_FALSE(b.AppliesTo("i386"));
  EXPECT_TRUE(b.AppliesTo("amd64"));
  EXPECT_EQ(b.profiles, (std::vector<std::string>{"!nocheck", "stage1"}));
  EXPECT_EQ(b.str(), "b [!i386] <!nocheck> <stage1>");
  EXPECT_TRUE((*groups)[2][0].AppliesTo("riscv64"));
}

TEST(DependencyTest, ProvidesWithVersions) {
  auto provides = ParseDependencyList("libc-dev, python3-foo (= 1.2-3), awk");
  ASSERT_TRUE(provides.ok()) << provides.status().message();
  ASSERT_EQ(provides->size(), 3u);
  EXPECT_EQ((*provides)[1].name, "python3-foo");
  EXPECT_EQ((*provides)[1].relation, Relation::kEqual);
  EXPECT_EQ((*provides)[1].version.str(), "1.2-3");

  auto alt = ParseDependencyList("a | b", "Provides");
  ASSERT_FALSE(alt.ok());
  EXPECT_NE(alt.status().message().find("alternatives"), std::string::npos);
}

TEST(DependencyTest, EmptyAndTrailingCommas) {
  auto none = ParseDependencies("  ");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto trailing = ParseDependencies("a, b,");
  ASSERT_TRUE(trailing.ok());
  EXPECT_EQ(trailing->size(), 2u);
}

TEST(DependencyTest, RejectsMalformed) {
  for (const char* bad : {"a (>= 1.0", "a (~= 1.0)", "a (>= )", "| b", "a |", "a:", "a b",
                          "a [amd64", "a []", "a (>= 1.0) junk", "a <nocheck"}) {
    auto r = ParseDependencies(bad, "Depends");
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_TRUE(r.status().message().starts_with("Depends: ")) << r.status().message();
    }
  }
}

}  // namespace
}  // namespace distill::debian
