#include "oci/platform.h"

#include <gtest/gtest.h>

namespace distill::oci {
namespace {

Platform P(std::string os, std::string arch, std::string variant = "") {
  Platform p;
  p.os = std::move(os);
  p.architecture = std::move(arch);
  p.variant = std::move(variant);
  return p;
}

std::string Norm(std::string os, std::string arch, std::string variant = "") {
  return Normalize(P(std::move(os), std::move(arch), std::move(variant))).str();
}

TEST(PlatformTest, Format) {
  EXPECT_EQ(P("linux", "arm64", "v8").str(), "linux/arm64/v8");
  EXPECT_EQ(P("linux", "amd64").str(), "linux/amd64");
}

TEST(PlatformTest, NormalizesLikeContainerd) {
  EXPECT_EQ(Norm("Linux", "x86_64"), "linux/amd64");
  EXPECT_EQ(Norm("linux", "x86-64"), "linux/amd64");
  EXPECT_EQ(Norm("linux", "amd64", "v1"), "linux/amd64");
  EXPECT_EQ(Norm("linux", "amd64", "v3"), "linux/amd64/v3");
  EXPECT_EQ(Norm("linux", "aarch64"), "linux/arm64");
  EXPECT_EQ(Norm("linux", "arm64", "v8"), "linux/arm64");
  EXPECT_EQ(Norm("linux", "arm64", "8"), "linux/arm64");
  EXPECT_EQ(Norm("linux", "arm64", "9"), "linux/arm64/v9");
  EXPECT_EQ(Norm("linux", "armhf"), "linux/arm/v7");
  EXPECT_EQ(Norm("linux", "armel"), "linux/arm/v6");
  EXPECT_EQ(Norm("linux", "arm"), "linux/arm/v7");
  EXPECT_EQ(Norm("linux", "arm", "6"), "linux/arm/v6");
  EXPECT_EQ(Norm("linux", "i686"), "linux/386");
  EXPECT_EQ(Norm("macos", "arm64"), "darwin/arm64");
  EXPECT_EQ(Norm("linux", "s390x"), "linux/s390x");
}

TEST(PlatformTest, ParsesSpecs) {
  EXPECT_EQ(ParsePlatform("linux/arm64/v8")->str(), "linux/arm64");
  EXPECT_EQ(ParsePlatform("linux/amd64")->str(), "linux/amd64");
  EXPECT_EQ(ParsePlatform("linux/arm/v6")->str(), "linux/arm/v6");
  EXPECT_EQ(ParsePlatform("linux/aarch64")->str(), "linux/arm64");
  EXPECT_EQ(ParsePlatform("windows/amd64")->str(), "windows/amd64");
  EXPECT_EQ(ParsePlatform("arm64")->str(), "linux/arm64");
  EXPECT_EQ(ParsePlatform("armhf")->str(), "linux/arm/v7");
  EXPECT_EQ(ParsePlatform("linux")->str(), Normalize(HostPlatform()).str());
}

TEST(PlatformTest, RejectsBadSpecs) {
  for (const char* bad :
       {"", "linux/", "/amd64", "linux/amd64/v8/x", "linux amd64", "toaster", "linux/amd64/v8!"}) {
    auto p = ParsePlatform(bad);
    EXPECT_FALSE(p.ok()) << bad;
    if (!p.ok()) {
      EXPECT_NE(p.status().message().find("invalid platform"), std::string::npos);
    }
  }
}

TEST(PlatformTest, HostIsKnownAndSelfMatching) {
  Platform host = HostPlatform();
  EXPECT_EQ(host.os, "linux");
  EXPECT_FALSE(host.architecture.empty());
  if (host.architecture == "arm64") {
    EXPECT_EQ(host.variant, "v8");
  }
  EXPECT_TRUE(PlatformMatches(host, host));
  EXPECT_EQ(PlatformRank(host, host), 0);
  auto parsed = ParsePlatform(host.str());
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(PlatformMatches(host, *parsed));
}

TEST(PlatformTest, MatchesEquivalentSpellings) {
  EXPECT_TRUE(PlatformMatches(P("linux", "arm64", "v8"), P("linux", "arm64")));
  EXPECT_TRUE(PlatformMatches(P("linux", "aarch64"), P("linux", "arm64", "v8")));
  EXPECT_TRUE(PlatformMatches(P("linux", "x86_64"), P("linux", "amd64")));
  EXPECT_TRUE(PlatformMatches(P("linux", "arm"), P("linux", "arm", "v7")));
  EXPECT_FALSE(PlatformMatches(P("linux", "arm", "v7"), P("linux", "arm", "v6")));
  EXPECT_FALSE(PlatformMatches(P("linux", "amd64"), P("windows", "amd64")));
  EXPECT_FALSE(PlatformMatches(P("linux", "amd64"), P("linux", "arm64")));
}

TEST(PlatformTest, RanksCompatiblePlatforms) {
  Platform armv7 = P("linux", "arm", "v7");
  EXPECT_EQ(PlatformRank(armv7, P("linux", "arm", "v7")), 0);
  EXPECT_GT(PlatformRank(armv7, P("linux", "arm", "v6")), 0);
  EXPECT_GT(PlatformRank(armv7, P("linux", "arm", "v5")),
            PlatformRank(armv7, P("linux", "arm", "v6")));
  EXPECT_EQ(PlatformRank(P("linux", "arm", "v6"), armv7), -1);  // newer variant cannot run

  Platform arm64 = P("linux", "arm64", "v8");
  EXPECT_EQ(PlatformRank(arm64, P("linux", "arm64")), 0);
  EXPECT_GT(PlatformRank(arm64, armv7), 0);
  EXPECT_EQ(PlatformRank(arm64, P("linux", "amd64")), -1);

  Platform amd64 = P("linux", "amd64");
  EXPECT_EQ(PlatformRank(amd64, P("linux", "amd64", "v1")), 0);
  EXPECT_GT(PlatformRank(amd64, P("linux", "386")), 0);
  EXPECT_EQ(PlatformRank(amd64, P("linux", "amd64", "v2")), -1);
  EXPECT_EQ(PlatformRank(P("linux", "amd64", "v3"), P("linux", "amd64", "v3")), 0);
  EXPECT_GT(PlatformRank(P("linux", "amd64", "v3"), P("linux", "amd64", "v2")), 0);
  EXPECT_EQ(PlatformRank(amd64, P("windows", "amd64")), -1);
}

TEST(PlatformTest, WindowsBuildMustMatchWhenGiven) {
  Platform want = P("windows", "amd64");
  want.os_version = "10.0.17763.5122";
  Platform same_build = P("windows", "amd64");
  same_build.os_version = "10.0.17763.1";
  Platform other_build = P("windows", "amd64");
  other_build.os_version = "10.0.20348.1";
  EXPECT_EQ(PlatformRank(want, same_build), 0);
  EXPECT_EQ(PlatformRank(want, other_build), -1);
}

TEST(PlatformTest, JsonRoundTripKeepsUnknownMembers) {
  auto j = nlohmann::json::parse(
      R"({"architecture":"amd64","os":"windows","os.version":"10.0.17763.1","os.features":["win32k"],"features":["sse4"]})");
  auto f = JsonFields::Of(j, "test");
  ASSERT_TRUE(f.ok());
  auto p = PlatformFromJson(*f);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->os_version, "10.0.17763.1");
  EXPECT_EQ(p->os_features, std::vector<std::string>{"win32k"});
  EXPECT_EQ(PlatformToJson(*p), j);
}

TEST(PlatformTest, JsonRequiresOsAndArchitecture) {
  auto j = nlohmann::json::parse(R"({"os":"linux"})");
  auto p = PlatformFromJson(*JsonFields::Of(j, "index x", "manifests[0].platform"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(),
            "index x: manifests[0].platform.architecture: required field is missing");
}

}  // namespace
}  // namespace distill::oci
