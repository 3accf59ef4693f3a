#include "lint/build_checks.h"

#include <gtest/gtest.h>

#include "lint/lint.h"

namespace distill::lint {
namespace {

LintReport Lint(const std::string& source) {
  auto r = LintSource(source, "Dockerfile", {});
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : LintReport{};
}

const char kWarnings[] = "FROM alpine\nMAINTAINER me\nUSER 1\nCMD echo hi\n";

TEST(BuildChecksTest, WarningsDoNotStopABuildButFailCheck) {
  LintReport r = Lint(kWarnings);
  EXPECT_TRUE(BuildBlockers(r, "Dockerfile").ok());
  EXPECT_EQ(CheckExitCode(r), 1);
  EXPECT_EQ(FormatBuildWarnings(r),
            "3 warnings found (distill build --check for why and how to fix):\n"
            " - DL3006: Always tag the version of an image explicitly: alpine (line 1)\n"
            " - MaintainerDeprecated: The MAINTAINER instruction is deprecated (line 2)\n"
            " - JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended "
            "behavior related to OS signals (line 4)\n");
}

TEST(BuildChecksTest, ErrorTrueStopsTheBuildNamingTheRules) {
  LintReport r = Lint(std::string("# check=error=true\n") + kWarnings);
  Status st = BuildBlockers(r, "Dockerfile");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("Dockerfile: lint violation found for rules: DL3006, "
                              "MaintainerDeprecated, JSONArgsRecommended"),
            std::string::npos)
      << st.message();
  EXPECT_EQ(CheckExitCode(r), 1);
  EXPECT_EQ(FormatBuildWarnings(r).rfind("3 errors found", 0), 0u) << FormatBuildWarnings(r);
  EXPECT_NE(FormatBuildWarnings(r).find(" - DL3006 (error): "), std::string::npos);
}

TEST(BuildChecksTest, ErrorSeverityRulesStopTheBuild) {
  LintReport r = Lint("FROM scratch\nRUN echo hi\n");
  Status st = BuildBlockers(r, "app.Dockerfile");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("app.Dockerfile: lint violation found for rules: "
                              "ShellFormWithoutShell"),
            std::string::npos)
      << st.message();
  std::string summary = FormatBuildWarnings(r);
  EXPECT_EQ(summary.rfind("1 error", 0), 0u) << summary;
  EXPECT_NE(summary.find(" - ShellFormWithoutShell (error): "), std::string::npos) << summary;
}

TEST(BuildChecksTest, SkipAllSilencesEverything) {
  LintReport r = Lint(std::string("# check=skip=all;error=true\n") + kWarnings);
  EXPECT_TRUE(BuildBlockers(r, "Dockerfile").ok());
  EXPECT_EQ(FormatBuildWarnings(r), "");
  EXPECT_EQ(CheckExitCode(r), 0);
}

TEST(BuildChecksTest, InfoAloneNeitherFailsCheckNorPrints) {
  LintReport r = Lint(
      "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n"
      "USER 1\n");
  ASSERT_FALSE(r.findings.empty());  // DL3009: apt lists kept
  EXPECT_FALSE(r.HasAtOrAbove(Severity::kWarning)) << FormatFindings(r);
  EXPECT_EQ(CheckExitCode(r), 0);
  EXPECT_EQ(FormatBuildWarnings(r), "");
  EXPECT_TRUE(BuildBlockers(r, "Dockerfile").ok());
}

}  // namespace
}  // namespace distill::lint
