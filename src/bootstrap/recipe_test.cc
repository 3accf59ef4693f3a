#include "bootstrap/recipe.h"

#include <gtest/gtest.h>

namespace distill::bootstrap {
namespace {

TEST(RecipeTest, DebianNumberSlim) {
  auto r = RecipeForImage("debian:12-slim");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->kind, ImageKind::kDebian);
  EXPECT_EQ(r->release.number, 12);
  EXPECT_EQ(r->release.codename, "bookworm");
  EXPECT_TRUE(r->slim);
  EXPECT_TRUE(r->packages.empty());
  EXPECT_EQ(r->tags, (std::vector<std::string>{"debian:12-slim", "debian:bookworm-slim"}));
  EXPECT_EQ(r->cmd, (std::vector<std::string>{"bash"}));
  EXPECT_EQ(r->env, (std::vector<std::string>{std::string("PATH=") + kDefaultPath}));
}

TEST(RecipeTest, DebianCodenameFullWithRegistryPrefix) {
  auto r = RecipeForImage("docker.io/library/debian:bookworm");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->slim);
  EXPECT_EQ(r->release.number, 12);
  EXPECT_EQ(r->tags, (std::vector<std::string>{"debian:bookworm", "debian:12"}));
  auto trixie = RecipeForImage("debian:trixie-slim");
  ASSERT_TRUE(trixie.ok());
  EXPECT_EQ(trixie->release.number, 13);
  auto bullseye = RecipeForImage("library/debian:11");
  ASSERT_TRUE(bullseye.ok());
  EXPECT_EQ(bullseye->release.codename, "bullseye");
}

TEST(RecipeTest, DebianUnknownReleaseListsKnownOnes) {
  auto r = RecipeForImage("debian:buster");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  EXPECT_NE(r.status().message().find("debian:buster"), std::string::npos);
  EXPECT_NE(r.status().message().find("bookworm (12)"), std::string::npos);
  EXPECT_FALSE(RecipeForImage("debian:12-fat").ok());
  EXPECT_FALSE(RecipeForImage("debian:-slim").ok());
}

TEST(RecipeTest, MissingTagDigestAndOtherRepositoriesAreNotFound) {
  for (const char* name : {"debian", "debian:", "alpine:3.19", "ubuntu:22.04", "python",
                           "debian@sha256:0123", "myregistry.io/debian:12", "nginx:latest"}) {
    auto r = RecipeForImage(name);
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.status().code(), Status::Code::kNotFound) << name;
  }
  EXPECT_NE(RecipeForImage("python").status().message().find("python:3.11-slim"),
            std::string::npos);
}

TEST(RecipeTest, PythonSlim) {
  auto r = RecipeForImage("python:3.11-slim");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->kind, ImageKind::kPython);
  EXPECT_EQ(r->release.codename, "bookworm");
  EXPECT_TRUE(r->slim);
  EXPECT_EQ(r->version, "3.11");
  EXPECT_EQ(r->version_package, "python3");
  EXPECT_EQ(r->packages, (std::vector<std::string>{"python3", "python3-pip", "python3-venv"}));
  EXPECT_EQ(r->cmd, (std::vector<std::string>{"python3"}));
  EXPECT_NE(std::find(r->env.begin(), r->env.end(), "LANG=C.UTF-8"), r->env.end());
  EXPECT_EQ(r->tags, (std::vector<std::string>{"python:3.11-slim", "python:3.11-slim-bookworm"}));
}

TEST(RecipeTest, PythonWithReleaseSuffix) {
  auto r = RecipeForImage("python:3.13-trixie");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->slim);
  EXPECT_EQ(r->release.number, 13);
  EXPECT_EQ(r->tags, (std::vector<std::string>{"python:3.13-trixie", "python:3.13"}));
  auto b = RecipeForImage("python:3.9-slim-bullseye");
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->release.codename, "bullseye");
  EXPECT_TRUE(b->slim);
  // A release that ships another version.
  auto wrong = RecipeForImage("python:3.11-bullseye");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("ships python 3.9"), std::string::npos)
      << wrong.status().message();
  EXPECT_FALSE(RecipeForImage("python:3.11-bookworm-slim").ok());  // Docker's order only
  EXPECT_FALSE(RecipeForImage("python:3.11-alpine").ok());
}

TEST(RecipeTest, UnknownPythonVersionListsWhatDebianOffers) {
  auto r = RecipeForImage("python:3.8");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(r.status().message(),
            "python:3.8 is not provided by any Debian release distill knows; available: "
            "3.9 (bullseye), 3.11 (bookworm), 3.13 (trixie)");
  EXPECT_FALSE(RecipeForImage("python:3").ok());
  EXPECT_FALSE(RecipeForImage("python:3.110-slim").ok());
}

TEST(RecipeTest, Golang) {
  auto r = RecipeForImage("golang:1.19");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->kind, ImageKind::kGolang);
  EXPECT_EQ(r->release.codename, "bookworm");
  EXPECT_FALSE(r->slim);
  EXPECT_EQ(r->version_package, "golang-go");
  for (const char* p :
       {"golang-go", "ca-certificates", "git", "gcc", "libc6-dev", "make", "pkg-config"}) {
    EXPECT_NE(std::find(r->packages.begin(), r->packages.end(), p), r->packages.end()) << p;
  }
  EXPECT_EQ(r->working_dir, "/go");
  EXPECT_NE(std::find(r->env.begin(), r->env.end(), "GOPATH=/go"), r->env.end());
  EXPECT_TRUE(r->env.front().starts_with("PATH=/go/bin:/usr/lib/go/bin:"));
  EXPECT_EQ(r->tags, (std::vector<std::string>{"golang:1.19", "golang:1.19-bookworm"}));
  EXPECT_EQ(RecipeForImage("golang:1.24-trixie")->release.number, 13);
  EXPECT_EQ(RecipeForImage("golang:1.15")->release.codename, "bullseye");
}

TEST(RecipeTest, GolangBadVersionsAndSlim) {
  auto r = RecipeForImage("golang:1.21");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "golang:1.21 is not provided by any Debian release distill knows; available: "
            "1.15 (bullseye), 1.19 (bookworm), 1.24 (trixie)");
  EXPECT_FALSE(RecipeForImage("golang:1.19-slim").ok());  // no slim golang images
}

TEST(RecipeTest, UpstreamIsVersion) {
  EXPECT_TRUE(UpstreamIsVersion("3.11.2", "3.11"));
  EXPECT_TRUE(UpstreamIsVersion("1.19~1", "1.19"));
  EXPECT_TRUE(UpstreamIsVersion("3.11", "3.11"));
  EXPECT_FALSE(UpstreamIsVersion("3.110", "3.11"));
  EXPECT_FALSE(UpstreamIsVersion("3.1", "3.11"));
  EXPECT_FALSE(UpstreamIsVersion("3.11.2", ""));
}

}  // namespace
}  // namespace distill::bootstrap
