#include "frontend/image_ref.h"

#include <gtest/gtest.h>

namespace distill::frontend {
namespace {

TEST(ImageRefTest, ValidReferences) {
  for (const char* ref :
       {"alpine", "alpine:3.19", "library/alpine", "docker.io/library/alpine:latest",
        "gcr.io/distroless/static-debian12:nonroot", "localhost:5000/app", "localhost/app:v1",
        "registry.example.com:443/team/app_name/x__y:1.0-rc.1", "my-app",
        "alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "a.b/c:tag@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}) {
    EXPECT_TRUE(IsValidImageReference(ref)) << ref;
  }
}

TEST(ImageRefTest, InvalidReferences) {
  for (const char* ref : {"", "Alpine", "alpine:", "alpine:-x", "a//b", "/alpine", "alpine/",
                          "a:b:c", "al pine", "nope!", "alpine@sha256:xyz", "a..b", "a-.b", "-a",
                          "a_-b", "host:port/x", "alpine:" /* empty tag */}) {
    EXPECT_FALSE(IsValidImageReference(ref)) << ref;
  }
}

TEST(ImageRefTest, PlatformsAreNormalised) {
  EXPECT_EQ(ParsePlatform("linux/amd64")->ToString(), "linux/amd64");
  EXPECT_EQ(ParsePlatform("Linux/x86_64")->ToString(), "linux/amd64");
  EXPECT_EQ(ParsePlatform("linux/aarch64")->ToString(), "linux/arm64");
  EXPECT_EQ(ParsePlatform("linux/arm64/v8")->ToString(), "linux/arm64");
  EXPECT_EQ(ParsePlatform("linux/arm")->ToString(), "linux/arm/v7");
  EXPECT_EQ(ParsePlatform("linux/arm/v6")->variant, "v6");
  EXPECT_EQ(ParsePlatform("windows/amd64")->os, "windows");
  EXPECT_FALSE(ParsePlatform("amd64").ok());
  EXPECT_FALSE(ParsePlatform("linux/").ok());
  EXPECT_FALSE(ParsePlatform("linux/amd64/v2/x").ok());
  EXPECT_FALSE(ParsePlatform("linux/am d64").ok());
}

TEST(ImageRefTest, HostPlatformIsLinux) {
  Platform p = HostPlatform();
  EXPECT_EQ(p.os, "linux");
  EXPECT_FALSE(p.arch.empty());
}

}  // namespace
}  // namespace distill::frontend
