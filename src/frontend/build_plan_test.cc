#include "frontend/build_plan.h"

#include <gtest/gtest.h>

#include "dockerfile/parser.h"

namespace distill::frontend {
namespace {

using dockerfile::CopyCommand;
using dockerfile::RunCommand;

Result<Plan> PlanOf(const std::string& text, PlanOptions opts = {}) {
  auto df = dockerfile::Parse(text, "Dockerfile");
  if (!df.ok()) return df.status();
  if (opts.build_platform.empty()) opts.build_platform = "linux/amd64";
  return BuildPlan(*df, opts);
}

Plan MustPlan(const std::string& text, PlanOptions opts = {}) {
  auto plan = PlanOf(text, std::move(opts));
  EXPECT_TRUE(plan.ok()) << plan.status().message();
  return plan.ok() ? std::move(plan).value() : Plan{};
}

void ExpectPlanError(const std::string& text, const std::string& prefix, const std::string& what,
                     PlanOptions opts = {}) {
  auto plan = PlanOf(text, std::move(opts));
  ASSERT_FALSE(plan.ok()) << text;
  const std::string& msg = plan.status().message();
  EXPECT_EQ(msg.rfind(prefix, 0), 0u) << msg;
  EXPECT_NE(msg.find(what), std::string::npos) << msg;
}

std::string EnvOf(const Step& step, const std::string& name) {
  for (const auto& [k, v] : step.env) {
    if (k == name) return v;
  }
  return "<unset>";
}

bool Has(const EnvList& list, const std::string& name) {
  for (const auto& [k, v] : list) {
    if (k == name) return true;
  }
  return false;
}

const dockerfile::CopyCommand& CopyAt(const Plan& p, int stage, int step) {
  return *p.stages[stage].steps[step].command.As<CopyCommand>();
}

TEST(BuildPlanTest, SingleStage) {
  Plan p = MustPlan("FROM alpine:3.19\nWORKDIR /app\nCOPY . .\nCMD [\"./run\"]\n");
  ASSERT_EQ(p.stages.size(), 1u);
  const Stage& s = p.stages[0];
  EXPECT_EQ(s.base.kind, BaseKind::kImage);
  EXPECT_EQ(s.base.image, "alpine:3.19");
  EXPECT_TRUE(s.needed);
  EXPECT_EQ(p.target, 0);
  EXPECT_EQ(p.order, std::vector<int>{0});
  ASSERT_EQ(s.steps.size(), 3u);
  EXPECT_EQ(s.steps[1].location.start_line, 3);
  EXPECT_EQ(s.steps[1].location.text, "COPY . .");
  EXPECT_EQ(s.steps[1].working_dir, "/app");
  EXPECT_TRUE(s.steps[1].changes_filesystem);
  EXPECT_FALSE(s.steps[2].changes_filesystem);
  EXPECT_EQ(s.config.working_dir, "/app");
  EXPECT_EQ(s.config.cmd, std::vector<std::string>{"./run"});
  EXPECT_FALSE(s.base_config_resolved);
}

TEST(BuildPlanTest, GlobalArgsInFromAndRedeclaredInStage) {
  Plan p = MustPlan(
      "ARG VERSION=1.22\n"
      "ARG UNUSED_IN_STAGE=x\n"
      "FROM golang:${VERSION}-alpine AS build\n"
      "RUN echo $VERSION\n"
      "ARG VERSION\n"
      "RUN echo $VERSION\n"
      "WORKDIR /src/$VERSION/$UNUSED_IN_STAGE\n");
  const Stage& s = p.stages[0];
  EXPECT_EQ(s.base.image, "golang:1.22-alpine");
  EXPECT_EQ(s.base_as_written, "golang:${VERSION}-alpine");
  // Global ARGs are not visible in a stage until re-declared there.
  EXPECT_EQ(EnvOf(s.steps[0], "VERSION"), "<unset>");
  EXPECT_EQ(EnvOf(s.steps[2], "VERSION"), "1.22");
  EXPECT_EQ(s.steps[3].command.As<dockerfile::WorkdirCommand>()->path, "/src/1.22");
  EXPECT_EQ(p.global_args, (EnvList{{"VERSION", "1.22"}, {"UNUSED_IN_STAGE", "x"}}));
}

TEST(BuildPlanTest, BuildArgOverridesDefaultsGlobalAndLocal) {
  PlanOptions opts;
  opts.build_args = {{"VERSION", "1.23"}, {"MODE", "release"}};
  Plan p = MustPlan(
      "ARG VERSION=1.22\n"
      "FROM golang:$VERSION\n"
      "ARG MODE=debug\n"
      "ARG OTHER=$MODE-x\n"
      "ENV BUILD_MODE=$MODE OTHER=$OTHER\n",
      opts);
  EXPECT_EQ(p.stages[0].base.image, "golang:1.23");
  EXPECT_EQ(*p.stages[0].config.GetEnv("BUILD_MODE"), "release");
  EXPECT_EQ(*p.stages[0].config.GetEnv("OTHER"), "release-x");
  EXPECT_TRUE(p.warnings.empty());
}

TEST(BuildPlanTest, ArgWithoutValueStaysUnset) {
  Plan p = MustPlan("FROM scratch\nARG NOTHING\nENV X=\"[${NOTHING}]\" Y=${NOTHING:-dflt}\n");
  EXPECT_EQ(*p.stages[0].config.GetEnv("X"), "[]");
  EXPECT_EQ(*p.stages[0].config.GetEnv("Y"), "dflt");
  EXPECT_FALSE(Has(p.stages[0].steps[1].build_args, "NOTHING"));
}

TEST(BuildPlanTest, UnusedBuildArgWarning) {
  PlanOptions opts;
  opts.build_args = {{"USED", "1"},
                     {"FOO", "2"},
                     {"BAR", "3"},
                     {"HTTP_PROXY", "http://p:3128"},
                     {"TARGETARCH", "arm64"}};
  Plan p = MustPlan("FROM scratch\nARG USED\n", opts);
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_EQ(p.warnings[0], "[Warning] One or more build-args [BAR FOO] were not consumed");
}

TEST(BuildPlanTest, ArgConsumedOnlyInPrunedStageIsUnused) {
  PlanOptions opts;
  opts.build_args = {{"ONLY_IN_TEST", "1"}};
  Plan p = MustPlan("FROM scratch AS test\nARG ONLY_IN_TEST\nFROM scratch AS final\n", opts);
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_NE(p.warnings[0].find("ONLY_IN_TEST"), std::string::npos);
}

TEST(BuildPlanTest, PredefinedPlatformArgs) {
  PlanOptions opts;
  opts.platform = "linux/arm64";
  opts.build_platform = "linux/amd64";
  Plan p = MustPlan(
      "FROM --platform=$BUILDPLATFORM golang AS build\n"
      "ARG TARGETOS TARGETARCH\n"
      "RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build\n"
      "ENV T=$TARGETPLATFORM\n"
      "FROM alpine:$TARGETARCH\n"
      "ARG TARGETPLATFORM BUILDARCH\n"
      "ENV T=$TARGETPLATFORM B=$BUILDARCH V=[$TARGETVARIANT]\n"
      "COPY --from=build /out /out\n",
      opts);
  ASSERT_EQ(p.stages.size(), 2u);
  ASSERT_EQ(p.stages[0].steps.size(), 3u);
  EXPECT_EQ(p.target_platform, "linux/arm64");
  EXPECT_EQ(p.stages[0].platform, "linux/amd64");
  EXPECT_EQ(EnvOf(p.stages[0].steps[1], "TARGETARCH"), "arm64");
  EXPECT_EQ(EnvOf(p.stages[0].steps[1], "TARGETOS"), "linux");
  // Not declared in the stage: not visible.
  EXPECT_EQ(*p.stages[0].config.GetEnv("T"), "");
  EXPECT_EQ(p.stages[1].base.image, "alpine:arm64");
  EXPECT_EQ(*p.stages[1].config.GetEnv("T"), "linux/arm64");
  EXPECT_EQ(*p.stages[1].config.GetEnv("B"), "amd64");
  EXPECT_EQ(*p.stages[1].config.GetEnv("V"), "[]");
}

TEST(BuildPlanTest, ProxyArgsReachRunButNotHistory) {
  PlanOptions opts;
  opts.build_args = {{"HTTPS_PROXY", "http://proxy:3128"}, {"V", "1"}};
  Plan p = MustPlan("FROM debian\nARG V\nRUN apt-get update\n", opts);
  const Step& run = p.stages[0].steps[1];
  EXPECT_TRUE(Has(run.proxy_env, "HTTPS_PROXY"));
  EXPECT_FALSE(Has(run.build_args, "HTTPS_PROXY"));
  EXPECT_TRUE(Has(run.build_args, "V"));
  EXPECT_TRUE(p.warnings.empty());
}

TEST(BuildPlanTest, RunSeesArgsAndEnvWithEnvWinning) {
  Plan p = MustPlan(
      "FROM debian\n"
      "ENV X=from-env\n"
      "ARG X=from-arg\n"
      "ARG Y=y\n"
      "RUN echo $X $Y\n");
  const Step& run = p.stages[0].steps[3];
  EXPECT_EQ(EnvOf(run, "X"), "from-env");
  EXPECT_EQ(EnvOf(run, "Y"), "y");
  EXPECT_TRUE(Has(run.build_args, "Y"));
  // RUN is not expanded by the frontend: the shell does it.
  EXPECT_EQ(run.command.As<RunCommand>()->command.args[0], "echo $X $Y");
  EXPECT_EQ(run.shell, (std::vector<std::string>{"/bin/sh", "-c"}));
  // The config keeps ENV only, not ARG.
  EXPECT_EQ(p.stages[0].config.GetEnv("Y"), nullptr);
}

TEST(BuildPlanTest, EnvInheritedByDerivedStages) {
  Plan p = MustPlan(
      "FROM alpine AS base\n"
      "ENV APP=/opt/app LEVEL=1\n"
      "FROM base AS child\n"
      "ENV LEVEL=2\n"
      "WORKDIR $APP/$LEVEL\n"
      "FROM child\n"
      "RUN true\n");
  EXPECT_EQ(p.stages[1].base.kind, BaseKind::kStage);
  EXPECT_EQ(p.stages[1].base.stage, 0);
  EXPECT_EQ(p.stages[1].config.working_dir, "/opt/app/2");
  EXPECT_EQ(*p.stages[2].config.GetEnv("APP"), "/opt/app");
  EXPECT_EQ(*p.stages[2].config.GetEnv("LEVEL"), "2");
  EXPECT_EQ(p.stages[2].steps[0].working_dir, "/opt/app/2");
  EXPECT_EQ(p.order, (std::vector<int>{0, 1, 2}));
}

TEST(BuildPlanTest, EnvSeesEarlierPairsOnSameLineAndQuotesAreRemoved) {
  Plan p = MustPlan("FROM scratch\nENV A=1 B=\"$A two\" C='$A'\nLABEL \"my label\"=\"v $B\"\n");
  const ImageConfig& c = p.stages[0].config;
  EXPECT_EQ(*c.GetEnv("B"), "1 two");
  EXPECT_EQ(*c.GetEnv("C"), "$A");
  EXPECT_EQ(c.labels.at("my label"), "v 1 two");
  EXPECT_NE(c.GetEnv("PATH"), nullptr);  // scratch gets the default PATH
}

TEST(BuildPlanTest, ExpansionInEachInstructionKind) {
  PlanOptions opts;
  opts.build_args = {{"PORT", "8080"}};
  Plan p = MustPlan(
      "FROM scratch\n"
      "ARG PORT DIR=/data U=app SIG=TERM OWNER=1000\n"
      "EXPOSE $PORT ${PORT}/udp\n"
      "VOLUME $DIR [\"$DIR/logs\"]\n"
      "VOLUME [\"$DIR/cache\"]\n"
      "USER $U\n"
      "STOPSIGNAL SIG$SIG\n"
      "COPY --chown=$OWNER:$OWNER --chmod=0644 --exclude=$DIR/tmp src/$U ${DIR}/\n"
      "ADD --chown=$OWNER https://example.com/$U.tgz /opt/\n"
      "CMD echo $PORT\n",
      opts);
  const Stage& s = p.stages[0];
  EXPECT_EQ(s.config.exposed_ports, (std::vector<std::string>{"8080/tcp", "8080/udp"}));
  EXPECT_EQ(s.config.user, "app");
  EXPECT_EQ(s.config.stop_signal, "SIGTERM");
  EXPECT_EQ(s.config.volumes, (std::vector<std::string>{"/data", "/data/cache", "[/data/logs]"}));
  const CopyCommand& copy = CopyAt(p, 0, 6);
  EXPECT_EQ(copy.chown, "1000:1000");
  EXPECT_EQ(copy.sources, std::vector<std::string>{"src/app"});
  EXPECT_EQ(copy.dest, "/data/");
  EXPECT_EQ(copy.excludes, std::vector<std::string>{"/data/tmp"});
  EXPECT_EQ(CopyAt(p, 0, 7).sources, std::vector<std::string>{"https://example.com/app.tgz"});
  EXPECT_EQ(s.config.cmd, (std::vector<std::string>{"/bin/sh", "-c", "echo $PORT"}));
}

TEST(BuildPlanTest, ExpansionErrorsAreLocated) {
  ExpectPlanError("FROM scratch\nENV A=\"${B:?B is required}\"\n", "Dockerfile:2: ENV",
                  "B is required");
  ExpectPlanError("ARG V\nFROM alpine:${V\n", "Dockerfile:2: FROM", "");
  ExpectPlanError("ARG V\nFROM $V\n", "Dockerfile:2: FROM $V:", "should not be blank");
  ExpectPlanError("FROM scratch\nEXPOSE 80/icmp\n", "Dockerfile:2:", "invalid protocol");
  ExpectPlanError("FROM scratch\nARG P=99999\nEXPOSE $P\n", "Dockerfile:3:", "invalid port");
  ExpectPlanError("FROM scratch\nSTOPSIGNAL SIGNOPE\n", "Dockerfile:2:", "invalid signal");
  ExpectPlanError("FROM scratch\nARG E\nWORKDIR $E\n", "Dockerfile:3:", "empty path");
  ExpectPlanError("FROM scratch\nADD --checksum=sha256:" + std::string(64, '0') + " a.txt /\n",
                  "Dockerfile:2:", "HTTP(S) sources");
  ExpectPlanError("FROM scratch\nARG M=rwx\nCOPY --chmod=$M a /\n",
                  "Dockerfile:3:", "invalid --chmod");
}

TEST(BuildPlanTest, WorkdirIsRelativeToThePreviousOne) {
  Plan p = MustPlan("FROM scratch\nWORKDIR /a\nWORKDIR b/../c\nWORKDIR ./d/\n");
  EXPECT_EQ(p.stages[0].config.working_dir, "/a/c/d");
  EXPECT_EQ(p.stages[0].steps[2].command.As<dockerfile::WorkdirCommand>()->path, "/a/c/d");
}

TEST(BuildPlanTest, CopyFromByNameIndexAndImage) {
  Plan p = MustPlan(
      "FROM alpine AS Builder\n"
      "RUN make\n"
      "FROM alpine\n"
      "RUN other\n"
      "FROM scratch\n"
      "COPY --from=builder /out/app /app\n"
      "COPY --from=1 /etc/os-release /\n"
      "COPY --from=busybox:1.36 /bin/busybox /bin/\n");
  const Stage& last = p.stages[2];
  EXPECT_EQ(last.deps, (std::vector<int>{0, 1}));
  EXPECT_EQ(last.image_deps, std::vector<std::string>{"busybox:1.36"});
  EXPECT_EQ(last.steps[0].reads_stages, std::vector<int>{0});
  EXPECT_EQ(last.steps[1].reads_stages, std::vector<int>{1});
  EXPECT_EQ(last.steps[2].reads_images, std::vector<std::string>{"busybox:1.36"});
  EXPECT_EQ(p.order, (std::vector<int>{0, 1, 2}));
  // Stages 0 and 1 are independent: same wave, so they may run together.
  EXPECT_EQ(p.stages[0].wave, 0);
  EXPECT_EQ(p.stages[1].wave, 0);
  EXPECT_EQ(last.wave, 1);
}

TEST(BuildPlanTest, CopyFromUsesGlobalArgs) {
  PlanOptions opts;
  opts.build_args = {{"SRC", "two"}};
  Plan p = MustPlan(
      "ARG SRC=one\n"
      "FROM alpine AS one\n"
      "FROM alpine AS two\n"
      "FROM scratch\n"
      "COPY --from=$SRC /x /x\n",
      opts);
  EXPECT_EQ(p.stages[2].deps, std::vector<int>{1});
  EXPECT_FALSE(p.stages[0].needed);
  EXPECT_EQ(CopyAt(p, 2, 0).from, "two");
}

TEST(BuildPlanTest, RunMountFromIsADependency) {
  Plan p = MustPlan(
      "ARG SRC=deps\n"
      "FROM alpine AS deps\n"
      "FROM alpine\n"
      "ARG CACHE=/root/.cache\n"
      "RUN --mount=type=bind,from=$SRC,source=/x,target=/y "
      "--mount=type=cache,target=$CACHE make\n");
  EXPECT_EQ(p.stages[1].deps, std::vector<int>{0});
  const auto& mounts = p.stages[1].steps[1].command.As<RunCommand>()->mounts;
  ASSERT_EQ(mounts.size(), 2u);
  EXPECT_EQ(mounts[0].from, "deps");
  EXPECT_EQ(p.stages[1].steps[1].reads_stages, std::vector<int>{0});
  EXPECT_EQ(mounts[1].target, "/root/.cache");  // expanded in the stage's scope
  EXPECT_EQ(mounts[1].id, "/root/.cache");
}

TEST(BuildPlanTest, FromErrors) {
  ExpectPlanError("FROM alpine AS a\nCOPY --from=a /x /x\n",
                  "Dockerfile:2: COPY --from=a /x /x:", "cannot copy from itself");
  ExpectPlanError("FROM alpine AS a\nCOPY --from=b /x /x\nFROM alpine AS b\n",
                  "Dockerfile:2:", "defined later (line 3)");
  ExpectPlanError("FROM alpine\nCOPY --from=1 /x /x\nFROM alpine\n",
                  "Dockerfile:2:", "refers to a later stage");
  ExpectPlanError("FROM alpine\nCOPY --from=5 /x /x\n", "Dockerfile:2:", "there is no stage 5");
  ExpectPlanError("FROM alpine\nCOPY --from=Not_An*Image /x /x\n",
                  "Dockerfile:2:", "not a valid image reference");
  ExpectPlanError("FROM alpine\nRUN --mount=from=nope!,target=/x true\n",
                  "Dockerfile:2:", "not a valid image reference");
  ExpectPlanError("FROM alpine AS a\nFROM alpine AS A\n",
                  "Dockerfile:2:", "duplicate stage name \"a\" (first defined at line 1)");
  ExpectPlanError("FROM Not:Valid:Ref\n", "Dockerfile:1:", "invalid image reference");
}

TEST(BuildPlanTest, FromOwnNameIsAnImage) {
  // `FROM golang AS golang` builds on the image: the stage is not defined yet.
  Plan p = MustPlan("FROM golang AS golang\nFROM golang\n");
  EXPECT_EQ(p.stages[0].base.kind, BaseKind::kImage);
  EXPECT_EQ(p.stages[1].base.kind, BaseKind::kStage);
}

TEST(BuildPlanTest, InstructionsBeforeFirstFrom) {
  ExpectPlanError("ARG A=1\nRUN echo\nFROM alpine\n",
                  "Dockerfile:2: RUN echo:", "only ARG may come before the first FROM");
  ExpectPlanError("ARG A=1\n", "Dockerfile:", "no FROM instruction");
}

TEST(BuildPlanTest, TargetPrunesUnneededStages) {
  PlanOptions opts;
  opts.target = "Release";
  Plan p = MustPlan(
      "FROM alpine AS deps\n"
      "FROM alpine AS test\n"
      "COPY --from=deps /a /a\n"
      "FROM deps AS release\n"
      "FROM release AS debug\n",
      opts);
  EXPECT_EQ(p.target, 2);
  EXPECT_EQ(p.order, (std::vector<int>{0, 2}));
  EXPECT_FALSE(p.stages[1].needed);
  EXPECT_EQ(p.stages[1].skip_reason, "not needed by the target stage \"release\"");
  EXPECT_FALSE(p.stages[3].needed);
  EXPECT_EQ(p.stages[3].skip_reason, "after the target stage \"release\"");
  EXPECT_TRUE(p.stages[1].steps.empty());  // skipped stages are not expanded
}

TEST(BuildPlanTest, DefaultTargetIsLastStage) {
  Plan p = MustPlan("FROM alpine AS a\nFROM alpine AS b\n");
  EXPECT_EQ(p.target, 1);
  EXPECT_FALSE(p.stages[0].needed);
}

TEST(BuildPlanTest, UnknownTargetListsStages) {
  PlanOptions opts;
  opts.target = "prod";
  ExpectPlanError("FROM alpine AS build\nFROM alpine\nFROM alpine AS final\n",
                  "Dockerfile: target stage \"prod\" could not be found",
                  "available stages: build, final", opts);
}

TEST(BuildPlanTest, ErrorsInPrunedStagesAreNotReported) {
  PlanOptions opts;
  opts.target = "good";
  MustPlan("FROM alpine AS bad\nENV A=${X:?boom}\nFROM alpine AS good\n", opts);
}

TEST(BuildPlanTest, CmdEntrypointShellAndHealthcheckConfig) {
  Plan p = MustPlan(
      "FROM debian AS base\n"
      "CMD [\"serve\"]\n"
      "FROM base AS a\n"
      "ENTRYPOINT [\"/app\"]\n"
      "FROM base AS b\n"
      "CMD [\"other\"]\n"
      "SHELL [\"/bin/bash\", \"-euo\", \"pipefail\", \"-c\"]\n"
      "ENTRYPOINT /app --flag\n"
      "HEALTHCHECK --interval=30s CMD curl -f http://localhost/\n"
      "RUN echo hi\n"
      "MAINTAINER someone\n");
  // An ENTRYPOINT resets a CMD inherited from the base...
  EXPECT_FALSE(p.stages[1].config.cmd_set);
  // ...but not one set in the same stage.
  const ImageConfig& b = p.stages[2].config;
  EXPECT_EQ(b.cmd, std::vector<std::string>{"other"});
  EXPECT_EQ(b.entrypoint,
            (std::vector<std::string>{"/bin/bash", "-euo", "pipefail", "-c", "/app --flag"}));
  ASSERT_TRUE(b.healthcheck.has_value());
  EXPECT_EQ(b.healthcheck->interval_ns, 30'000'000'000);
  EXPECT_EQ(b.author, "someone");
  EXPECT_EQ(p.stages[2].steps[5].shell[0], "/bin/bash");
}

TEST(BuildPlanTest, OnbuildTriggersAreRecordedAndRunInDerivedStages) {
  Plan p = MustPlan(
      "FROM alpine AS base\n"
      "ONBUILD ENV FROM_TRIGGER=yes\n"
      "ONBUILD RUN echo triggered\n"
      "FROM base\n"
      "RUN echo $FROM_TRIGGER\n");
  EXPECT_EQ(p.stages[0].config.onbuild,
            (std::vector<std::string>{"ENV FROM_TRIGGER=yes", "RUN echo triggered"}));
  const Stage& child = p.stages[1];
  EXPECT_TRUE(child.config.onbuild.empty());  // triggers are not inherited
  ASSERT_EQ(child.steps.size(), 3u);
  EXPECT_TRUE(child.steps[0].from_onbuild);
  EXPECT_TRUE(child.steps[1].from_onbuild);
  EXPECT_FALSE(child.steps[2].from_onbuild);
  EXPECT_EQ(*child.config.GetEnv("FROM_TRIGGER"), "yes");
  EXPECT_EQ(child.steps[0].location.start_line, 4);
}

TEST(BuildPlanTest, ImageConfigResolverHook) {
  PlanOptions opts;
  std::vector<std::string> asked;
  opts.platform = "linux/arm64";
  opts.resolve_image_config = [&](const std::string& ref,
                                  const std::string& platform) -> Result<ImageConfig> {
    asked.push_back(ref + "@" + platform);
    if (ref == "missing") return Status::NotFound("image missing not found");
    ImageConfig c;
    c.SetEnv("GOPATH", "/go");
    c.onbuild = {"RUN echo from-image"};
    return c;
  };
  Plan p = MustPlan("FROM golang:1.22\nWORKDIR $GOPATH/src\n", opts);
  EXPECT_EQ(asked, std::vector<std::string>{"golang:1.22@linux/arm64"});
  EXPECT_TRUE(p.stages[0].base_config_resolved);
  EXPECT_EQ(p.stages[0].config.working_dir, "/go/src");
  ASSERT_EQ(p.stages[0].steps.size(), 2u);
  EXPECT_TRUE(p.stages[0].steps[0].from_onbuild);
  ExpectPlanError("FROM missing\n", "Dockerfile:1: FROM missing:", "not found", opts);
}

TEST(BuildPlanTest, HeredocCopyExpandsUnlessQuoted) {
  Plan p = MustPlan(
      "FROM alpine\n"
      "ARG NAME=world\n"
      "COPY <<EOF /hello.txt\n"
      "hello \"$NAME\"\n"
      "EOF\n"
      "COPY <<'EOF' /raw.txt\n"
      "hello $NAME\n"
      "EOF\n");
  const auto& expanded = CopyAt(p, 0, 1).heredoc_sources;
  ASSERT_EQ(expanded.size(), 1u);
  EXPECT_EQ(expanded[0].content, "hello \"world\"\n");  // quotes kept, variables expanded
  EXPECT_EQ(CopyAt(p, 0, 1).dest, "/hello.txt");
  EXPECT_EQ(CopyAt(p, 0, 2).heredoc_sources[0].content, "hello $NAME\n");
  EXPECT_EQ(p.stages[0].steps[1].location.end_line, 5);
}

TEST(BuildPlanTest, EscapeDirectiveIsUsedForExpansion) {
  Plan p = MustPlan("# escape=`\nFROM scratch\nENV A=`$HOME B=C:\\dir\n");
  EXPECT_EQ(*p.stages[0].config.GetEnv("A"), "$HOME");
  EXPECT_EQ(*p.stages[0].config.GetEnv("B"), "C:\\dir");
}

TEST(BuildPlanTest, InvalidPlatform) {
  PlanOptions opts;
  opts.platform = "amd64";
  ExpectPlanError("FROM scratch\n", "--platform:", "invalid platform", opts);
  ExpectPlanError("FROM --platform=linux scratch\n", "Dockerfile:1:", "invalid platform");
}

TEST(BuildPlanTest, InstructionErrorsComeThrough) {
  ExpectPlanError("FROM alpine\nCOPY --frm=x a b\n",
                  "Dockerfile:2: COPY --frm=x a b:", "unknown flag: --frm");
}

TEST(ParseBuildArgsTest, ValuesAndEnvironment) {
  auto getenv = [](const char* name) -> const char* {
    return std::string(name) == "FROM_ENV" ? "env-value" : nullptr;
  };
  auto args = ParseBuildArgs({"A=1", "B=", "C=x=y", "FROM_ENV", "NOT_IN_ENV"}, getenv);
  ASSERT_TRUE(args.ok());
  EXPECT_EQ(*args, (std::map<std::string, std::string>{
                       {"A", "1"}, {"B", ""}, {"C", "x=y"}, {"FROM_ENV", "env-value"}}));
  EXPECT_FALSE(ParseBuildArgs({"=1"}, getenv).ok());
}

TEST(ParseBuildArgsTest, PredefinedNames) {
  EXPECT_TRUE(IsPlatformArg("TARGETARCH"));
  EXPECT_TRUE(IsPlatformArg("BUILDVARIANT"));
  EXPECT_FALSE(IsPlatformArg("ARCH"));
  EXPECT_TRUE(IsProxyArg("no_proxy"));
  EXPECT_TRUE(IsProxyArg("ALL_PROXY"));
  EXPECT_FALSE(IsProxyArg("PROXY"));
}

}  // namespace
}  // namespace distill::frontend
