#include "lint/lint.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

namespace distill::lint {
namespace {

LintReport Lint(const std::string& source, LintOptions options = {}) {
  auto report = LintSource(source, "Dockerfile", options);
  EXPECT_TRUE(report.ok()) << report.status().message();
  return report.ok() ? *report : LintReport{};
}

// Lines at which `rule` was reported.
std::vector<int> Lines(const LintReport& report, const std::string& rule) {
  std::vector<int> lines;
  for (const auto& f : report.findings) {
    if (f.rule == rule) lines.push_back(f.line);
  }
  return lines;
}

const Finding* Find(const LintReport& report, const std::string& rule) {
  for (const auto& f : report.findings) {
    if (f.rule == rule) return &f;
  }
  return nullptr;
}

// A clean base to append to: pinned, non-root, exec form.
const char* kGoodTail = "USER 1000\nCMD [\"app\"]\n";

TEST(LintTest, CleanDockerfileHasNoFindings) {
  LintReport r = Lint(
      "FROM debian:12-slim\nWORKDIR /app\nCOPY app /app/\nUSER app\n"
      "ENTRYPOINT [\"/app/app\"]\n");
  EXPECT_TRUE(r.findings.empty()) << FormatFindings(r);
  EXPECT_EQ(FormatFindings(r), "no findings\n");
}

TEST(LintTest, UntaggedAndLatestFrom) {
  LintReport r = Lint(std::string("FROM alpine\n") + kGoodTail);
  EXPECT_EQ(Lines(r, "DL3006"), std::vector<int>{1});
  r = Lint(std::string("FROM alpine:latest\n") + kGoodTail);
  EXPECT_EQ(Lines(r, "DL3007"), std::vector<int>{1});
  EXPECT_TRUE(Lines(r, "DL3006").empty());
  r = Lint(std::string("FROM alpine@sha256:") + std::string(64, 'a') + "\n" + kGoodTail);
  EXPECT_TRUE(Lines(r, "DL3006").empty());
  r = Lint(std::string("FROM localhost:5000/alpine:3.19\n") + kGoodTail);
  EXPECT_TRUE(Lines(r, "DL3006").empty());
  EXPECT_TRUE(Lines(r, "DL3007").empty());
  // A registry port is not a tag.
  r = Lint(std::string("FROM localhost:5000/alpine\n") + kGoodTail);
  EXPECT_EQ(Lines(r, "DL3006"), std::vector<int>{1});
}

TEST(LintTest, FromWithArgsIsExpandedBeforeTagChecks) {
  LintReport r = Lint(std::string("ARG V=3.19\nFROM alpine:${V}\n") + kGoodTail);
  EXPECT_TRUE(Lines(r, "DL3006").empty());
  EXPECT_TRUE(Lines(r, "UndefinedArgInFrom").empty());
  r = Lint(std::string("FROM alpine:${NOPE}\n") + kGoodTail);
  EXPECT_EQ(Lines(r, "UndefinedArgInFrom"), std::vector<int>{1});
  r = Lint(std::string("ARG V\nFROM alpine:${V}\n") + kGoodTail);
  EXPECT_EQ(Lines(r, "InvalidDefaultArgInFrom"), std::vector<int>{2});
  r = Lint(std::string("ARG V=3\nFROM alpine:${V}\n") + kGoodTail);
  EXPECT_TRUE(Lines(r, "InvalidDefaultArgInFrom").empty());
}

TEST(LintTest, ShellFormOnDistrolessIsAnError) {
  LintReport r = Lint(
      "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\n"
      "ENTRYPOINT /app --serve\n");
  const Finding* f = Find(r, "ShellFormWithoutShell");
  ASSERT_NE(f, nullptr) << FormatFindings(r);
  EXPECT_EQ(f->severity, Severity::kError);
  EXPECT_EQ(f->line, 3);
  EXPECT_TRUE(Lines(r, "JSONArgsRecommended").empty());
  // Exec form is fine; a :debug image has a shell (busybox).
  r = Lint("FROM gcr.io/distroless/static-debian12:nonroot\nENTRYPOINT [\"/app\"]\n");
  EXPECT_EQ(Find(r, "ShellFormWithoutShell"), nullptr);
  r = Lint("FROM gcr.io/distroless/base-debian12:debug\nUSER 1\nCMD echo hi\n");
  EXPECT_EQ(Find(r, "ShellFormWithoutShell"), nullptr);
  EXPECT_EQ(Lines(r, "JSONArgsRecommended"), std::vector<int>{3});
}

TEST(LintTest, ShellFormOnStageDerivedFromScratch) {
  LintReport r = Lint(
      "FROM scratch AS base\nCOPY app /app\nFROM base\nUSER 1\nCMD /app\n"
      "RUN echo hi\n");
  EXPECT_EQ(Lines(r, "ShellFormWithoutShell"), (std::vector<int>{5, 6}));
  EXPECT_TRUE(r.HasAtOrAbove(Severity::kError));
}

TEST(LintTest, JsonArgsRecommendedForShellFormCmd) {
  LintReport r = Lint("FROM debian:12\nUSER 1\nCMD echo hello\nENTRYPOINT [\"a\"]\n");
  EXPECT_EQ(Lines(r, "JSONArgsRecommended"), std::vector<int>{3});
  r = Lint("FROM debian:12\nUSER 1\nCMD [\"echo\", \"hello\"]\n");
  EXPECT_TRUE(Lines(r, "JSONArgsRecommended").empty());
}

TEST(LintTest, AptAndPipHabits) {
  LintReport r = Lint(std::string("FROM debian:12\n"
                                  "RUN apt-get update && apt-get install -y curl\n"
                                  "RUN pip install flask\n") +
                      kGoodTail);
  EXPECT_EQ(Lines(r, "DL3015"), std::vector<int>{2});
  EXPECT_EQ(Lines(r, "DL3009"), std::vector<int>{2});
  EXPECT_EQ(Lines(r, "DL3042"), std::vector<int>{3});
  r = Lint(std::string("FROM debian:12\n"
                       "RUN apt-get update \\\n"
                       " && apt-get install -y --no-install-recommends curl \\\n"
                       " && rm -rf /var/lib/apt/lists/*\n"
                       "RUN python3 -m pip install --no-cache-dir flask\n") +
           kGoodTail);
  EXPECT_TRUE(Lines(r, "DL3015").empty()) << FormatFindings(r);
  EXPECT_TRUE(Lines(r, "DL3009").empty());
  EXPECT_TRUE(Lines(r, "DL3042").empty());
  r = Lint(std::string("FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install x\n") +
           kGoodTail);
  EXPECT_TRUE(Lines(r, "DL3042").empty());
}

TEST(LintTest, SecretsInArgAndEnv) {
  LintReport r = Lint(std::string("FROM debian:12\nARG GITHUB_TOKEN\nENV DB_PASSWORD=x\n"
                                  "ENV AWS_SECRET_ACCESS_KEY=y\n") +
                      kGoodTail);
  EXPECT_EQ(Lines(r, "SecretsUsedInArgOrEnv"), (std::vector<int>{2, 3, 4}));
  EXPECT_NE(Find(r, "SecretsUsedInArgOrEnv")->fix.find("--mount=type=secret"), std::string::npos);
  r = Lint(std::string("FROM debian:12\nARG VERSION\nENV PORT=80\n") + kGoodTail);
  EXPECT_TRUE(Lines(r, "SecretsUsedInArgOrEnv").empty());
}

TEST(LintTest, RootInFinalStageOnly) {
  LintReport r = Lint("FROM debian:12\nCMD [\"a\"]\n");
  EXPECT_EQ(Lines(r, "DL3002"), std::vector<int>{1});
  r = Lint("FROM debian:12\nUSER app\nUSER root\nCMD [\"a\"]\n");
  EXPECT_EQ(Lines(r, "DL3002"), std::vector<int>{3});
  r = Lint("FROM debian:12\nUSER 0:0\n");
  EXPECT_EQ(Lines(r, "DL3002"), std::vector<int>{2});
  // Builder stages may run as root; a :nonroot base sets the user; a stage base passes it on.
  r = Lint(
      "FROM debian:12 AS build\nRUN true\nFROM gcr.io/distroless/static-debian12:nonroot\n"
      "COPY --from=build /a /a\n");
  EXPECT_TRUE(Lines(r, "DL3002").empty()) << FormatFindings(r);
  r = Lint("FROM debian:12 AS base\nUSER app\nFROM base\nCMD [\"a\"]\n");
  EXPECT_TRUE(Lines(r, "DL3002").empty());
}

TEST(LintTest, CopyWholeContextIntoFinalStage) {
  LintReport r = Lint(
      "FROM golang:1.22 AS build\nCOPY . .\nRUN go build\n"
      "FROM debian:12\nCOPY . /app\nCOPY --from=build /out /app\nUSER 1\n");
  EXPECT_EQ(Lines(r, "CopyContextIntoFinalStage"), std::vector<int>{5});
  // Single-stage builds have nowhere else to put it.
  r = Lint("FROM debian:12\nCOPY . /app\nUSER 1\n");
  EXPECT_TRUE(Lines(r, "CopyContextIntoFinalStage").empty());
}

TEST(LintTest, CasingRules) {
  LintReport r = Lint("FROM debian:12 as Builder\nrun true\nUSER 1\n");
  EXPECT_EQ(Lines(r, "FromAsCasing"), std::vector<int>{1});
  EXPECT_EQ(Lines(r, "StageNameCasing"), std::vector<int>{1});
  EXPECT_EQ(Lines(r, "ConsistentInstructionCasing"), std::vector<int>{2});
  r = Lint("from debian:12 as builder\nrun true\nuser 1\n");
  EXPECT_TRUE(Lines(r, "FromAsCasing").empty());
  EXPECT_TRUE(Lines(r, "StageNameCasing").empty());
  EXPECT_TRUE(Lines(r, "ConsistentInstructionCasing").empty());
}

TEST(LintTest, DuplicateAndUnusedStages) {
  LintReport r = Lint("FROM debian:12 AS a\nFROM debian:12 AS a\nUSER 1\n");
  ASSERT_EQ(Lines(r, "DuplicateStageName"), std::vector<int>{2});
  EXPECT_EQ(Find(r, "DuplicateStageName")->severity, Severity::kError);
  r = Lint(
      "FROM debian:12 AS unused\nFROM debian:12 AS used\nFROM debian:12\n"
      "COPY --from=used /a /a\nUSER 1\n");
  EXPECT_EQ(Lines(r, "UnusedStage"), std::vector<int>{1});
  EXPECT_TRUE(Lines(r, "DuplicateStageName").empty());
  // With --target, later stages are unused.
  LintOptions options;
  options.target = "used";
  r = Lint("FROM debian:12 AS used\nUSER 1\nFROM debian:12\nUSER 1\n", options);
  EXPECT_EQ(Lines(r, "UnusedStage"), std::vector<int>{3});
}

TEST(LintTest, UnknownTargetIsAnError) {
  LintOptions options;
  options.target = "nope";
  auto r = LintSource("FROM debian:12 AS a\n", "Dockerfile", options);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("nope"), std::string::npos);
}

TEST(LintTest, UndefinedVariables) {
  // On scratch every variable is known to the linter.
  LintReport r = Lint("FROM scratch\nENV A=1\nCOPY app $A/$B\nWORKDIR /${C:-x}\nUSER 1\n");
  EXPECT_EQ(Lines(r, "UndefinedVar"), std::vector<int>{3});
  EXPECT_NE(Find(r, "UndefinedVar")->message.find("$B"), std::string::npos);
  // A global ARG must be re-declared in the stage; on an image base that is the
  // one case the linter can be sure of.
  r = Lint("ARG VERSION=1\nFROM debian:12\nLABEL v=$VERSION\nENV X=$GOPATH\nUSER 1\n");
  EXPECT_EQ(Lines(r, "UndefinedVar"), std::vector<int>{3});
  r = Lint("ARG VERSION=1\nFROM debian:12\nARG VERSION\nLABEL v=$VERSION\nUSER 1\n");
  EXPECT_TRUE(Lines(r, "UndefinedVar").empty());
  // Platform args are predefined; env of a parent stage is inherited.
  r = Lint("FROM scratch AS a\nENV P=/x\nFROM a\nARG TARGETARCH\nCOPY f $P/$TARGETARCH\nUSER 1\n");
  EXPECT_TRUE(Lines(r, "UndefinedVar").empty()) << FormatFindings(r);
}

TEST(LintTest, MaintainerAndLegacyKeyValue) {
  LintReport r = Lint("FROM debian:12\nMAINTAINER me\nENV A 1\nLABEL b c\nENV C=2\nUSER 1\n");
  EXPECT_EQ(Lines(r, "MaintainerDeprecated"), std::vector<int>{2});
  EXPECT_EQ(Lines(r, "LegacyKeyValueFormat"), (std::vector<int>{3, 4}));
  r = Lint("FROM debian:12\nLABEL a=b\nENV C=2\nUSER 1\n");
  EXPECT_TRUE(Lines(r, "MaintainerDeprecated").empty());
  EXPECT_TRUE(Lines(r, "LegacyKeyValueFormat").empty());
}

TEST(LintTest, MultipleCmdEntrypointHealthcheck) {
  LintReport r = Lint(
      "FROM debian:12\nUSER 1\nCMD [\"a\"]\nCMD [\"b\"]\nENTRYPOINT [\"c\"]\n"
      "HEALTHCHECK NONE\nHEALTHCHECK CMD [\"x\"]\n");
  EXPECT_EQ(Lines(r, "MultipleInstructionsDisallowed"), (std::vector<int>{3, 6}));
  // One per stage is fine, even with several stages.
  r = Lint("FROM debian:12 AS a\nCMD [\"a\"]\nFROM a\nUSER 1\nCMD [\"b\"]\n");
  EXPECT_TRUE(Lines(r, "MultipleInstructionsDisallowed").empty());
}

TEST(LintTest, WorkdirExposePlatform) {
  LintReport r = Lint(
      "FROM --platform=linux/amd64 debian:12\nWORKDIR app\nWORKDIR sub\n"
      "EXPOSE 80/TCP 81/udp\nUSER 1\n");
  EXPECT_EQ(Lines(r, "WorkdirRelativePath"), std::vector<int>{2});
  EXPECT_EQ(Lines(r, "ExposeProtoCasing"), std::vector<int>{4});
  EXPECT_EQ(Lines(r, "FromPlatformFlagConstDisallowed"), std::vector<int>{1});
  r = Lint("FROM --platform=$BUILDPLATFORM debian:12\nWORKDIR /app\nEXPOSE 80/tcp\nUSER 1\n");
  EXPECT_TRUE(Lines(r, "WorkdirRelativePath").empty());
  EXPECT_TRUE(Lines(r, "ExposeProtoCasing").empty());
  EXPECT_TRUE(Lines(r, "FromPlatformFlagConstDisallowed").empty());
}

TEST(LintTest, EmptyContinuationLine) {
  LintReport r = Lint("FROM debian:12\nRUN echo a \\\n\n  b\nUSER 1\n");
  EXPECT_EQ(Lines(r, "NoEmptyContinuation").size(), 1u) << FormatFindings(r);
  r = Lint("FROM debian:12\nRUN echo a \\\n  b\nUSER 1\n");
  EXPECT_TRUE(Lines(r, "NoEmptyContinuation").empty());
}

TEST(LintTest, CheckDirectiveSkipsAndRaises) {
  const std::string body = "FROM alpine\nMAINTAINER me\nUSER 1\n";
  LintReport r = Lint("# check=skip=DL3006\n" + body);
  EXPECT_TRUE(Lines(r, "DL3006").empty());
  EXPECT_EQ(Lines(r, "MaintainerDeprecated").size(), 1u);
  r = Lint("# check=skip=all\n" + body);
  EXPECT_TRUE(r.findings.empty());
  r = Lint("# check=error=true\n" + body);
  EXPECT_TRUE(r.warnings_as_errors);
  ASSERT_NE(Find(r, "MaintainerDeprecated"), nullptr);
  EXPECT_EQ(Find(r, "MaintainerDeprecated")->severity, Severity::kError);
  EXPECT_NE(FormatFindings(r).find("warnings count as errors"), std::string::npos);
  LintOptions options;
  options.skip = {"MaintainerDeprecated", "DL3006"};
  r = Lint(body, options);
  EXPECT_TRUE(r.findings.empty()) << FormatFindings(r);
  auto bad = LintSource("# check=bogus=1\n" + body, "Dockerfile", {});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("Dockerfile:1:"), std::string::npos);
}

TEST(LintTest, CheckBuildArgReplacesTheDirective) {
  const std::string body =
      "# check=skip=MaintainerDeprecated\nFROM alpine\nMAINTAINER me\nUSER 1\n";
  LintOptions options;
  options.build_args["BUILDKIT_DOCKERFILE_CHECK"] = "skip=DL3006;error=true";
  LintReport r = Lint(body, options);
  EXPECT_TRUE(r.warnings_as_errors);
  EXPECT_TRUE(Lines(r, "DL3006").empty());
  ASSERT_NE(Find(r, "MaintainerDeprecated"), nullptr) << FormatFindings(r);
  EXPECT_EQ(Find(r, "MaintainerDeprecated")->severity, Severity::kError);
  options.build_args["BUILDKIT_DOCKERFILE_CHECK"] = "error=maybe";
  auto bad = LintSource(body, "Dockerfile", options);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("--build-arg BUILDKIT_DOCKERFILE_CHECK"), std::string::npos)
      << bad.status().message();
}

TEST(LintTest, TextAndJsonShape) {
  LintReport r = Lint(
      "FROM debian:12\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
      "USER 1\n");
  std::string text = FormatFindings(r);
  EXPECT_NE(text.find("Dockerfile:2: [DL3015] apt-get install without --no-install-recommends\n"
                      "  why: "),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  fix: add --no-install-recommends"), std::string::npos);
  EXPECT_NE(text.find("1 finding: 0 errors, 1 warning, 0 info"), std::string::npos) << text;
  nlohmann::json j = FindingsToJson(r);
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["rule"], "DL3015");
  EXPECT_EQ(j[0]["severity"], "warning");
  EXPECT_EQ(j[0]["file"], "Dockerfile");
  EXPECT_EQ(j[0]["line"], 2);
  for (const char* key : {"message", "why", "fix"}) {
    EXPECT_TRUE(j[0][key].is_string() && !j[0][key].get<std::string>().empty()) << key;
  }
  EXPECT_TRUE(FindingsToJson(LintReport{}).is_array());
}

TEST(LintTest, BadInputIsAnErrorWithItsLine) {
  auto r = LintSource("FROM debian:12\nCOPY --bogus=1 a b\n", "x/Dockerfile", {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("x/Dockerfile:2"), std::string::npos) << r.status().message();
  EXPECT_FALSE(LintSource("RUN true\n", "Dockerfile", {}).ok());
  EXPECT_FALSE(LintSource("# comment only\n", "Dockerfile", {}).ok());
}

std::string ReadExample(const std::string& relative) {
  std::ifstream in(std::string(DISTILL_SOURCE_DIR) + "/examples/" + relative);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(LintTest, BundledExamples) {
  LintReport r = Lint(ReadExample("calculator/Dockerfile"));
  EXPECT_EQ(Lines(r, "DL3002"), std::vector<int>{3}) << FormatFindings(r);
  EXPECT_FALSE(r.HasAtOrAbove(Severity::kError));
  for (const char* multi :
       {"calculator/Dockerfile.multistage", "django-app/Dockerfile", "go-server/Dockerfile"}) {
    std::string source = ReadExample(multi);
    ASSERT_FALSE(source.empty()) << multi;
    r = Lint(source);
    EXPECT_FALSE(r.HasAtOrAbove(Severity::kError)) << multi << "\n" << FormatFindings(r);
    EXPECT_TRUE(Lines(r, "DL3002").empty()) << multi;
  }
}

TEST(LintTest, BaseConfigFromResolver) {
  LintOptions options;
  int calls = 0;
  options.resolve_image_config = [&calls](const std::string& ref,
                                          const std::string&) -> Result<frontend::ImageConfig> {
    ++calls;
    if (ref != "golang:1.22") return Status::NotFound(ref + ": not found");
    frontend::ImageConfig config;
    config.env = {{"GOPATH", "/go"}, {"PATH", "/usr/bin"}};
    config.user = "gopher";
    config.working_dir = "/go";
    return config;
  };
  const std::string source = "FROM golang:1.22\nENV X=$GOPATH/bin:$PATH Y=$NOPE\nWORKDIR src\n";
  LintReport r = Lint(source, options);
  EXPECT_EQ(Lines(r, "UndefinedVar"), std::vector<int>{2}) << FormatFindings(r);
  EXPECT_NE(Find(r, "UndefinedVar")->message.find("NOPE"), std::string::npos);
  EXPECT_TRUE(Lines(r, "WorkdirRelativePath").empty());
  EXPECT_TRUE(Lines(r, "DL3002").empty());  // the base sets a non-root user
  EXPECT_EQ(calls, 1);
  // Without a resolver the base is unknown: no guesses about its ENV.
  r = Lint(source);
  EXPECT_TRUE(Lines(r, "UndefinedVar").empty());
  EXPECT_EQ(Lines(r, "DL3002"), std::vector<int>{1});
  // A resolver failure is the same as no resolver.
  r = Lint("FROM debian:12\nENV Y=$NOPE\n", options);
  EXPECT_TRUE(Lines(r, "UndefinedVar").empty());
}

TEST(LintTest, BuildArgsChangeTheBase) {
  const std::string source = "ARG TAG=latest\nFROM alpine:${TAG}\nUSER 1\n";
  EXPECT_EQ(Lines(Lint(source), "DL3007"), std::vector<int>{2});
  LintOptions options;
  options.build_args["TAG"] = "3.19";
  EXPECT_TRUE(Lines(Lint(source, options), "DL3007").empty());
}

TEST(LintTest, ShellFormHealthcheckOnDistroless) {
  LintReport r = Lint(
      "FROM gcr.io/distroless/static-debian12:nonroot\n"
      "HEALTHCHECK CMD curl -f localhost\nENTRYPOINT [\"/a\"]\n");
  EXPECT_EQ(Lines(r, "ShellFormWithoutShell"), std::vector<int>{2});
  r = Lint(
      "FROM gcr.io/distroless/static-debian12:nonroot\n"
      "HEALTHCHECK CMD [\"/a\", \"check\"]\nENTRYPOINT [\"/a\"]\n");
  EXPECT_TRUE(Lines(r, "ShellFormWithoutShell").empty());
}

TEST(LintTest, HeredocsCacheMountsAndEscapeDirective) {
  LintReport r = Lint(
      "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n"
      "USER 1\n");
  EXPECT_EQ(Lines(r, "DL3015"), std::vector<int>{2}) << FormatFindings(r);
  EXPECT_EQ(Lines(r, "DL3009"), std::vector<int>{2});
  r = Lint(
      "FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install x\n"
      "RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install "
      "-y --no-install-recommends y\nUSER 1\n");
  EXPECT_TRUE(Lines(r, "DL3042").empty()) << FormatFindings(r);
  EXPECT_TRUE(Lines(r, "DL3009").empty());
  r = Lint("# escape=`\nFROM scratch\nENV A=1\nCOPY x `\n  $A/$B\nUSER 1\n");
  EXPECT_EQ(Lines(r, "UndefinedVar"), std::vector<int>{4}) << FormatFindings(r);
  // ONBUILD triggers are not linted (they run in another Dockerfile's build).
  r = Lint("FROM debian:12\nONBUILD RUN apt-get install -y x\nUSER 1\n");
  EXPECT_TRUE(Lines(r, "DL3015").empty());
}

TEST(LintTest, ConsecutiveRuns) {
  LintReport r = Lint(
      "FROM debian:12\nRUN a\nRUN b\nWORKDIR /x\nRUN c\nRUN --network=none d\n"
      "USER 1\n");
  EXPECT_EQ(Lines(r, "DL3059"), std::vector<int>{3}) << FormatFindings(r);
  EXPECT_EQ(Find(r, "DL3059")->severity, Severity::kInfo);
  r = Lint("FROM debian:12\nRUN a && b\nUSER 1\nFROM debian:12\nRUN c\nUSER 1\n");
  EXPECT_TRUE(Lines(r, "DL3059").empty());
}

TEST(LintTest, EveryRuleIsDescribed) {
  for (const auto& rule : AllRules()) {
    EXPECT_NE(std::string(rule.id), "");
    EXPECT_NE(std::string(rule.summary), "");
  }
  EXPECT_GE(AllRules().size(), 20u);
}

}  // namespace
}  // namespace distill::lint
