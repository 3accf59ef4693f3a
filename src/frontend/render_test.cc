#include "frontend/render.h"

#include <gtest/gtest.h>

#include "dockerfile/parser.h"
#include "frontend/build_plan.h"

namespace distill::frontend {
namespace {

Plan PlanOf(const std::string& text, PlanOptions opts = {}) {
  auto df = dockerfile::Parse(text, "Dockerfile");
  EXPECT_TRUE(df.ok()) << df.status().message();
  opts.build_platform = "linux/amd64";
  auto plan = BuildPlan(*df, opts);
  EXPECT_TRUE(plan.ok()) << plan.status().message();
  return std::move(plan).value();
}

const char* const kMultiStage =
    "ARG VERSION=1.0\n"
    "FROM golang:1.22 AS build\n"
    "ARG VERSION\n"
    "RUN --mount=type=cache,target=/root/.cache,sharing=locked go build -o /out/app\n"
    "FROM alpine AS unused\n"
    "FROM gcr.io/distroless/static:nonroot\n"
    "ARG VERSION\n"
    "LABEL version=$VERSION\n"
    "COPY --from=build --chown=65532 /out/app /app\n"
    "ENTRYPOINT [\"/app\"]\n";

TEST(RenderTest, TextShowsOrderStepsAndSkippedStages) {
  PlanOptions opts;
  opts.build_args = {{"VERSION", "2.0"}, {"EXTRA", "x"}};
  std::string text = RenderPlanText(PlanOf(kMultiStage, opts));
  EXPECT_NE(text.find("Plan for Dockerfile: target stage 2, platform linux/amd64"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Global ARGs: VERSION=2.0"), std::string::npos) << text;
  EXPECT_NE(text.find("[1/2] stage 0 \"build\" FROM golang:1.22  (line 2)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("RUN --mount=type=cache,target=/root/.cache,sharing=locked go build"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("[2/2] stage 2 FROM gcr.io/distroless/static:nonroot"), std::string::npos)
      << text;
  EXPECT_NE(text.find("  needs: build\n"), std::string::npos) << text;
  EXPECT_NE(text.find("line 8        LABEL version=2.0"), std::string::npos) << text;
  EXPECT_NE(text.find("COPY --from=build --chown=65532 /out/app /app"), std::string::npos) << text;
  EXPECT_NE(text.find("Skipped stages:\n  stage 1 \"unused\" (line 5): not needed by the target"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("[Warning] One or more build-args [EXTRA] were not consumed"),
            std::string::npos)
      << text;
  // The build stage comes before the stage that needs it.
  EXPECT_LT(text.find("[1/2]"), text.find("[2/2]"));
}

TEST(RenderTest, TextNamesParallelStages) {
  std::string text = RenderPlanText(PlanOf(
      "FROM alpine AS a\nFROM alpine AS b\nFROM scratch\nCOPY --from=a / /\nCOPY --from=b / /\n"));
  EXPECT_NE(text.find("may run in parallel with: b"), std::string::npos) << text;
  EXPECT_NE(text.find("may run in parallel with: a"), std::string::npos) << text;
}

TEST(RenderTest, JsonHasStagesStepsAndConfig) {
  nlohmann::json j = PlanToJson(PlanOf(kMultiStage));
  EXPECT_EQ(j["target"], 2);
  EXPECT_EQ(j["order"], nlohmann::json::array({0, 2}));
  ASSERT_EQ(j["stages"].size(), 3u);
  const auto& build = j["stages"][0];
  EXPECT_EQ(build["name"], "build");
  EXPECT_EQ(build["base"]["kind"], "image");
  EXPECT_EQ(build["base"]["image"], "golang:1.22");
  const auto& run = build["steps"][1];
  EXPECT_EQ(run["instruction"], "RUN");
  EXPECT_EQ(run["line"], 4);
  EXPECT_EQ(run["mounts"][0]["type"], "cache");
  EXPECT_EQ(run["mounts"][0]["sharing"], "locked");
  EXPECT_EQ(run["build_args"], nlohmann::json::array({"VERSION=1.0"}));
  EXPECT_EQ(run["command"]["args"][0], "go build -o /out/app");
  EXPECT_EQ(j["stages"][1]["needed"], false);
  EXPECT_EQ(j["stages"][1]["skip_reason"], "not needed by the target stage \"stage 2\"");
  const auto& final_stage = j["stages"][2];
  EXPECT_EQ(final_stage["deps"], nlohmann::json::array({0}));
  EXPECT_EQ(final_stage["config"]["Labels"]["version"], "1.0");
  EXPECT_EQ(final_stage["config"]["Entrypoint"], nlohmann::json::array({"/app"}));
  EXPECT_EQ(final_stage["steps"][2]["from"], "build");
  EXPECT_EQ(final_stage["steps"][2]["reads_stages"], nlohmann::json::array({0}));
}

TEST(RenderTest, ConfigJsonUsesOciFieldNames) {
  ImageConfig c;
  c.SetEnv("A", "1");
  c.exposed_ports = {"80/tcp"};
  c.volumes = {"/data"};
  c.stop_signal = "SIGINT";
  c.cmd = {"x"};
  c.cmd_set = true;
  nlohmann::json j = ConfigToJson(c);
  EXPECT_EQ(j["Env"], nlohmann::json::array({"A=1"}));
  EXPECT_TRUE(j["ExposedPorts"].contains("80/tcp"));
  EXPECT_TRUE(j["Volumes"].contains("/data"));
  EXPECT_EQ(j["StopSignal"], "SIGINT");
  EXPECT_EQ(j["Cmd"], nlohmann::json::array({"x"}));
  EXPECT_FALSE(j.contains("Entrypoint"));
}

}  // namespace
}  // namespace distill::frontend
