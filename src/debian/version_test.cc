#include "debian/version.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace distill::debian {
namespace {

struct Pair {
  const char* a;
  const char* b;
  int expected;  // sign of compare(a, b)
};

int Sign(int v) {
  return v < 0 ? -1 : (v > 0 ? 1 : 0);
}

// Facts from Debian policy §5.6.12 and dpkg's own test suite (t-version.c),
// each one also cross-checked against `dpkg --compare-versions`.
const std::vector<Pair> kPairs = {
    {"0", "0", 0},
    {"0", "00", 0},
    {"1", "1", 0},
    {"1", "2", -1},
    {"2", "1", 1},
    {"1.0", "1.0", 0},
    {"1.0", "1.1", -1},
    {"1.10", "1.9", 1},
    {"1.002", "1.2", 0},
    {"1.0~rc1", "1.0", -1},
    {"1.0~rc1", "1.0~rc2", -1},
    {"1.0~~", "1.0~", -1},
    {"1.0~", "1.0", -1},
    {"1.0~~a", "1.0~~", 1},
    {"1.0~~a", "1.0~", -1},
    {"1.0", "1.0a", -1},
    {"1.0a", "1.0+", -1},
    {"1.0+", "1.0.", -1},
    {"1.0.", "1.0", 1},
    {"1.0a", "1.0b", -1},
    {"1.0A", "1.0a", -1},
    {"1:0.1", "2.0", 1},
    {"0:1.0", "1.0", 0},
    {"1:1.0", "1.0", 1},
    {"2:0", "1:9999", 1},
    {"10:1", "9:1", 1},
    {"1.0-1", "1.0-1~bpo", 1},
    {"1.0-1~bpo12+1", "1.0-1", -1},
    {"1.0-1", "1.0-2", -1},
    {"1.0-1", "1.0-1", 0},
    {"1.0-10", "1.0-9", 1},
    {"1.0-1", "1.0", 1},
    {"1.0-0", "1.0", 0},
    {"2.30+dfsg-1", "2.30-1", 1},
    {"2.30+dfsg-1", "2.30.1-1", -1},
    {"2.36-9+deb12u4", "2.36-9", 1},
    {"2.36-9+deb12u4", "2.36-9+deb12u10", -1},
    {"3.0.11-1~deb12u2", "3.0.11-1", -1},
    {"3.0.11-1~deb12u2", "3.0.9-1", 1},
    {"1.2.3-4-5", "1.2.3-4", 1},
    {"1.2.3-4-5", "1.2.3-45", 1},
    {"0a", "0b", -1},
    {"1a", "1", 1},
    {"1.0.0", "1.0", 1},
    {"1.0.0", "1.0+", 1},
    {"7.6p2-4", "7.6-0", 1},
    {"1.0.3-3", "1.0-1", 1},
    {"1.3", "1.2.2-2", 1},
    {"1.3", "1.2.2", 1},
    {"0-pre", "0-pre", 0},
    {"0-pre", "0-pree", -1},
    {"1.1.6r2-2", "1.1.6r-1", 1},
    {"2.6b2-1", "2.6b-2", 1},
    {"98.1p5-1", "98.1-pre2-b6-2", -1},
    {"0.4a6-2", "0.4-1", 1},
    {"1:3.0.5+dfsg-0", "1:3.0.5-1", 1},
    {"3.11.2-6+deb12u5", "3.11.2-6", 1},
    {"1:1.18.36:5.4", "1:1.18.36:5.5", -1},
    {"1:18.36:5.4-20", "1:18.37:1.1-1", -1},
    {"9.99999999999999999999", "9.99999999999999999998", 1},
    {"1.0+git20230101", "1.0+git20221231", 1},
    {"1.0~beta1~svn1245", "1.0~beta1", -1},
    {"1.0~beta1", "1.0", -1},
};

TEST(VersionTest, ComparesLikeDpkg) {
  ASSERT_GE(kPairs.size(), 50u);
  for (const Pair& p : kPairs) {
    auto a = Version::Parse(p.a);
    auto b = Version::Parse(p.b);
    ASSERT_TRUE(a.ok()) << p.a << ": " << a.status().message();
    ASSERT_TRUE(b.ok()) << p.b << ": " << b.status().message();
    EXPECT_EQ(Sign(CompareVersions(*a, *b)), p.expected) << p.a << " vs " << p.b;
    EXPECT_EQ(Sign(CompareVersions(*b, *a)), -p.expected) << p.b << " vs " << p.a;
    EXPECT_EQ(Sign(CompareVersionStrings(p.a, p.b)), p.expected) << p.a << " vs " << p.b;
  }
}

TEST(VersionTest, SplitsEpochUpstreamRevision) {
  auto v = Version::Parse("1:2.30+dfsg-1~bpo12+1");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->epoch, 1u);
  EXPECT_EQ(v->upstream, "2.30+dfsg");
  EXPECT_EQ(v->revision, "1~bpo12+1");
  EXPECT_EQ(v->str(), "1:2.30+dfsg-1~bpo12+1");

  auto colons = Version::Parse("1:18.36:5.4-20");
  ASSERT_TRUE(colons.ok());
  EXPECT_EQ(colons->epoch, 1u);
  EXPECT_EQ(colons->upstream, "18.36:5.4");
  EXPECT_EQ(colons->revision, "20");

  auto plain = Version::Parse("  3.0 ");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->epoch, 0u);
  EXPECT_EQ(plain->upstream, "3.0");
  EXPECT_EQ(plain->revision, "");
  EXPECT_EQ(plain->str(), "3.0");
}

TEST(VersionTest, RejectsMalformed) {
  for (const char* bad :
       {"", "   ", "a:1.0", ":1.0", "1:", "1.0-", "1.0 2", "-1", "99999999999:1", "1.18.36:5.4"}) {
    auto v = Version::Parse(bad);
    EXPECT_FALSE(v.ok()) << "\"" << bad << "\"";
    if (!v.ok()) {
      EXPECT_EQ(v.status().code(), Status::Code::kInvalidArgument);
    }
  }
}

TEST(VersionTest, RelationsParseAndCheck) {
  EXPECT_EQ(ParseRelation("<<"), Relation::kLess);
  EXPECT_EQ(ParseRelation("<="), Relation::kLessEqual);
  EXPECT_EQ(ParseRelation("<"), Relation::kLessEqual);  // obsolete spelling
  EXPECT_EQ(ParseRelation("="), Relation::kEqual);
  EXPECT_EQ(ParseRelation(">="), Relation::kGreaterEqual);
  EXPECT_EQ(ParseRelation(">"), Relation::kGreaterEqual);  // obsolete spelling
  EXPECT_EQ(ParseRelation(">>"), Relation::kGreater);
  EXPECT_EQ(ParseRelation("=="), std::nullopt);
  EXPECT_EQ(ParseRelation("!="), std::nullopt);
  EXPECT_EQ(RelationSymbol(Relation::kGreaterEqual), ">=");

  auto v = [](const char* s) { return *Version::Parse(s); };
  struct Case {
    const char* candidate;
    Relation rel;
    const char* reference;
    bool expected;
  };
  const Case cases[] = {
      {"3.0.11-1~deb12u2", Relation::kGreaterEqual, "3.0.0", true},
      {"3.0.0~alpha1", Relation::kGreaterEqual, "3.0.0", false},
      {"1.0", Relation::kLess, "1.0", false},
      {"1.0~rc1", Relation::kLess, "1.0", true},
      {"1.0", Relation::kLessEqual, "1.0", true},
      {"1.0-0", Relation::kEqual, "1.0", true},
      {"1:1.0", Relation::kEqual, "1.0", false},
      {"1.1", Relation::kGreater, "1.0", true},
      {"1.0", Relation::kGreater, "1.0", false},
      {"1.0", Relation::kGreaterEqual, "1.0", true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Satisfies(v(c.candidate), c.rel, v(c.reference)), c.expected)
        << c.candidate << " " << RelationSymbol(c.rel) << " " << c.reference;
  }
}

}  // namespace
}  // namespace distill::debian
