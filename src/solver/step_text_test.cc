#include "solver/step_text.h"

#include <gtest/gtest.h>

#include "dockerfile/parser.h"
#include "frontend/build_plan.h"

namespace distill::solver {
namespace {

// The steps of the last stage of `text`.
std::vector<frontend::Step> StepsOf(const std::string& text,
                                    std::map<std::string, std::string> args = {}) {
  auto df = dockerfile::Parse(text, "Dockerfile");
  EXPECT_TRUE(df.ok()) << df.status().message();
  frontend::PlanOptions opts;
  opts.build_platform = "linux/amd64";
  opts.build_args = std::move(args);
  auto plan = frontend::BuildPlan(*df, opts);
  EXPECT_TRUE(plan.ok()) << plan.status().message();
  return plan.ok() ? plan->stages.back().steps : std::vector<frontend::Step>{};
}

std::vector<std::string> CreatedBy(const std::string& text,
                                   std::map<std::string, std::string> args = {}) {
  std::vector<std::string> out;
  for (const frontend::Step& s : StepsOf(text, std::move(args))) out.push_back(HistoryCreatedBy(s));
  return out;
}

TEST(StepTextTest, RunHistoryMatchesBuildKit) {
  EXPECT_EQ(CreatedBy("FROM scratch\nRUN apt-get update\n"),
            (std::vector<std::string>{"RUN /bin/sh -c apt-get update # buildkit"}));
  EXPECT_EQ(CreatedBy("FROM scratch\nRUN [\"make\", \"all\"]\n"),
            (std::vector<std::string>{"RUN make all # buildkit"}));
  EXPECT_EQ(CreatedBy("FROM scratch\nSHELL [\"/bin/bash\", \"-eu\", \"-c\"]\nRUN make\n"),
            (std::vector<std::string>{"SHELL [/bin/bash -eu -c]",
                                      "RUN /bin/bash -eu -c make # buildkit"}));
  // Build args in scope are listed, proxy args never.
  EXPECT_EQ(CreatedBy("FROM scratch\nARG A=1\nARG B\nRUN make\n",
                      {{"B", "two"}, {"HTTP_PROXY", "http://p"}}),
            (std::vector<std::string>{"ARG A=1", "ARG B=two",
                                      "RUN |2 A=1 B=two /bin/sh -c make # buildkit"}));
}

TEST(StepTextTest, CopyAndMetadataHistory) {
  EXPECT_EQ(
      CreatedBy(R"(FROM scratch AS b
FROM scratch
COPY --chown=app:app --chmod=644 a b /dst/
ADD https://example.com/x.tgz /x
COPY --from=b /out /out
WORKDIR /app
ENV A=1 B=2
LABEL org.opencontainers.image.title=demo
EXPOSE 80 443/tcp
VOLUME /data
USER app
STOPSIGNAL SIGQUIT
ENTRYPOINT ["/app"]
CMD serve "x"
HEALTHCHECK CMD curl -f http://localhost/
)"),
      (std::vector<std::string>{
          "COPY --chown=app:app --chmod=644 a b /dst/ # buildkit",
          "ADD https://example.com/x.tgz /x # buildkit", "COPY /out /out # buildkit",
          "WORKDIR /app", "ENV A=1 B=2", "LABEL org.opencontainers.image.title=demo",
          "EXPOSE map[443/tcp:{} 80/tcp:{}]", "VOLUME [/data]", "USER app", "STOPSIGNAL SIGQUIT",
          "ENTRYPOINT [\"/app\"]", "CMD [\"/bin/sh\" \"-c\" \"serve \\\"x\\\"\"]",
          "HEALTHCHECK [\"CMD-SHELL\" \"curl -f http://localhost/\"]"}));
}

TEST(StepTextTest, RunArgv) {
  std::vector<frontend::Step> steps =
      StepsOf("FROM scratch\nRUN make all\nRUN [\"a\", \"b c\"]\nENV X=1\n");
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(RunArgv(steps[0]), (std::vector<std::string>{"/bin/sh", "-c", "make all"}));
  EXPECT_EQ(RunArgv(steps[1]), (std::vector<std::string>{"a", "b c"}));
  EXPECT_TRUE(RunArgv(steps[2]).empty());
}

TEST(StepTextTest, SummaryAndLocation) {
  std::vector<frontend::Step> steps = StepsOf("FROM scratch\n\nRUN make \\\n    all\nCOPY a /a\n");
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(StepSummary(steps[0]), "RUN make all");
  EXPECT_EQ(StepLocation(steps[0]), "Dockerfile:3-4");
  EXPECT_EQ(StepLocation(steps[1]), "Dockerfile:5");
}

TEST(StepTextTest, GoQuote) {
  EXPECT_EQ(GoQuote("plain"), "\"plain\"");
  EXPECT_EQ(GoQuote("a\"b\\c\nd\te"), "\"a\\\"b\\\\c\\nd\\te\"");
  EXPECT_EQ(GoQuote(std::string("\x01\x7f", 2)), "\"\\x01\\x7f\"");
  EXPECT_EQ(GoQuote("héllo"), "\"héllo\"");
}

}  // namespace
}  // namespace distill::solver
