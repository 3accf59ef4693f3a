#include "lint/run_checks.h"

#include <gtest/gtest.h>

#include "lint/check_directive.h"

namespace distill::lint {
namespace {

TEST(RunChecksTest, AptRecommends) {
  EXPECT_TRUE(AptInstallWithoutNoRecommends("apt-get install -y curl"));
  EXPECT_TRUE(AptInstallWithoutNoRecommends("apt-get update && /usr/bin/apt-get -q install x"));
  EXPECT_FALSE(AptInstallWithoutNoRecommends("apt-get install -y --no-install-recommends curl"));
  EXPECT_FALSE(AptInstallWithoutNoRecommends("apt-get -o APT::Install-Recommends=false install x"));
  EXPECT_FALSE(AptInstallWithoutNoRecommends("apt-get update"));
  EXPECT_FALSE(AptInstallWithoutNoRecommends("echo apt-get; make install"));
}

TEST(RunChecksTest, AptLists) {
  EXPECT_TRUE(AptListsNotCleaned("apt-get update && apt-get install -y x"));
  EXPECT_FALSE(
      AptListsNotCleaned("apt-get update && apt-get install -y x && rm -rf "
                         "/var/lib/apt/lists/*"));
  EXPECT_FALSE(AptListsNotCleaned("make && make install"));
}

TEST(RunChecksTest, PipCache) {
  EXPECT_TRUE(PipInstallWithoutNoCacheDir("pip install flask"));
  EXPECT_TRUE(PipInstallWithoutNoCacheDir("python3 -m pip install -r req.txt"));
  EXPECT_FALSE(PipInstallWithoutNoCacheDir("pip3 install --no-cache-dir flask"));
  EXPECT_FALSE(PipInstallWithoutNoCacheDir("PIP_NO_CACHE_DIR=1 pip install flask"));
  EXPECT_FALSE(PipInstallWithoutNoCacheDir("pip freeze"));
}

TEST(RunChecksTest, SecretNames) {
  for (const char* name : {"PASSWORD", "db_password", "GITHUB_TOKEN", "API_KEY", "MY_SECRET",
                           "AWS_SECRET_ACCESS_KEY", "SSH_PRIVATE_KEY"}) {
    EXPECT_TRUE(LooksLikeSecretName(name)) << name;
  }
  for (const char* name : {"PATH", "VERSION", "PORT", "KEYBOARD"}) {
    EXPECT_FALSE(LooksLikeSecretName(name)) << name;
  }
}

TEST(CheckDirectiveTest, Parses) {
  auto d = ParseCheckDirective("skip=JSONArgsRecommended, DL3006;error=true");
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->Skips("JSONArgsRecommended"));
  EXPECT_TRUE(d->Skips("DL3006"));
  EXPECT_FALSE(d->Skips("DL3007"));
  EXPECT_TRUE(d->error);
  d = ParseCheckDirective("skip=all");
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->Skips("anything"));
  EXPECT_FALSE(d->error);
  EXPECT_FALSE(ParseCheckDirective("error=maybe").ok());
  EXPECT_FALSE(ParseCheckDirective("nokey").ok());
  EXPECT_FALSE(ParseCheckDirective("frobnicate=1").ok());
}

}  // namespace
}  // namespace distill::lint
