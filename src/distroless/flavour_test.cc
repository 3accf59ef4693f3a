#include "distroless/flavour.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace distill::distroless {
namespace {

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(FlavourTest, NamesRoundTrip) {
  for (Flavour f : AllFlavours()) EXPECT_EQ(*ParseFlavour(FlavourName(f)), f);
  for (Variant v : AllVariants()) EXPECT_EQ(*ParseVariant(VariantName(v)), v);
  EXPECT_FALSE(ParseFlavour("java17").ok());
  EXPECT_NE(ParseFlavour("java17").status().message().find("java17"), std::string::npos);
  EXPECT_FALSE(ParseVariant("root").ok());
}

TEST(FlavourTest, StaticPackagesPerRelease) {
  auto bookworm = RecipeFor(Flavour::kStatic, 12);
  ASSERT_TRUE(bookworm.ok());
  EXPECT_EQ(bookworm->roots,
            (std::vector<std::string>{"base-files", "netbase", "tzdata", "media-types"}));
  EXPECT_TRUE(bookworm->merged_usr);
  auto bullseye = RecipeFor(Flavour::kStatic, 11);
  ASSERT_TRUE(bullseye.ok());
  EXPECT_TRUE(Has(bullseye->roots, "media-types"));
  EXPECT_FALSE(Has(bullseye->roots, "mime-support"));  // transitional; it pulls in perl
  EXPECT_FALSE(bullseye->merged_usr);
  EXPECT_TRUE(Has(bookworm->exclude, "dpkg"));
  EXPECT_TRUE(Has(bookworm->exclude, "awk"));  // base-files' awk would pull in libc6
  EXPECT_TRUE(Has(bookworm->exclude, "debconf"));
}

TEST(FlavourTest, FlavoursBuildOnEachOther) {
  auto nossl = RecipeFor(Flavour::kBaseNossl, 12);
  EXPECT_TRUE(Has(nossl->roots, "libc6"));
  EXPECT_FALSE(Has(nossl->roots, "libssl3"));
  EXPECT_TRUE(Has(RecipeFor(Flavour::kBase, 12)->roots, "libssl3"));
  EXPECT_TRUE(Has(RecipeFor(Flavour::kBase, 13)->roots, "libssl3t64"));
  EXPECT_TRUE(Has(RecipeFor(Flavour::kBase, 11)->roots, "libssl1.1"));
  auto cc = RecipeFor(Flavour::kCc, 12);
  for (const char* p : {"libc6", "libssl3", "libgcc-s1", "libgomp1", "libstdc++6", "gcc-12-base"})
    EXPECT_TRUE(Has(cc->roots, p)) << p;
  EXPECT_TRUE(Has(RecipeFor(Flavour::kCc, 13)->roots, "gcc-14-base"));
  auto py = RecipeFor(Flavour::kPython3, 12);
  ASSERT_TRUE(py.ok());
  EXPECT_EQ(py->python, "python3.11");
  EXPECT_TRUE(Has(py->roots, "python3.11-minimal"));
  EXPECT_TRUE(Has(py->roots, "libpython3.11-stdlib"));
  EXPECT_TRUE(Has(py->roots, "libstdc++6"));
  EXPECT_EQ(RecipeFor(Flavour::kPython3, 13)->python, "python3.13");
  auto py11 = RecipeFor(Flavour::kPython3, 11);
  ASSERT_TRUE(py11.ok());
  EXPECT_EQ(py11->python, "python3.9");
  EXPECT_TRUE(Has(py11->roots, "libpython3.9-stdlib"));
  EXPECT_TRUE(Has(py11->roots, "gcc-10-base"));
  EXPECT_FALSE(py11->merged_usr);
}

TEST(FlavourTest, UnsupportedCombinationsExplainThemselves) {
  auto debian10 = RecipeFor(Flavour::kPython3, 10);
  ASSERT_FALSE(debian10.ok());
  EXPECT_NE(debian10.status().message().find("Debian 10"), std::string::npos);
  EXPECT_FALSE(RecipeFor(Flavour::kStatic, 10).ok());
  EXPECT_FALSE(RecipeFor(Flavour::kStatic, 14).ok());
}

TEST(FlavourTest, DefaultNames) {
  EXPECT_EQ(DefaultImageName(Flavour::kStatic, 12, Variant::kLatest),
            "gcr.io/distroless/static-debian12:latest");
  EXPECT_EQ(DefaultImageName(Flavour::kBaseNossl, 13, Variant::kDebugNonroot),
            "gcr.io/distroless/base-nossl-debian13:debug-nonroot");
  EXPECT_TRUE(IsNonroot(Variant::kDebugNonroot));
  EXPECT_TRUE(IsDebug(Variant::kDebugNonroot));
  EXPECT_FALSE(IsDebug(Variant::kNonroot));
  EXPECT_FALSE(IsNonroot(Variant::kLatest));
}

}  // namespace
}  // namespace distill::distroless
