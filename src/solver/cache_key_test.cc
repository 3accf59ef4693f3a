#include "solver/cache_key.h"

#include <gtest/gtest.h>

#include "util/sha256.h"

namespace distill::solver {
namespace {

using dockerfile::CommandLine;
using dockerfile::CopyCommand;
using dockerfile::Mount;
using dockerfile::MountType;
using dockerfile::RunCommand;

frontend::Step RunStep(const std::string& command) {
  frontend::Step step;
  step.command.keyword = "RUN";
  step.command.original = "RUN " + command;
  step.command.value = RunCommand{CommandLine{{command}, false}, {}, {}, {}, {}, {}};
  step.shell = {"/bin/sh", "-c"};
  step.working_dir = "/";
  step.changes_filesystem = true;
  return step;
}

frontend::Step CopyStep(std::vector<std::string> sources, std::string dest) {
  frontend::Step step;
  step.command.keyword = "COPY";
  CopyCommand copy;
  copy.sources = std::move(sources);
  copy.dest = std::move(dest);
  step.command.value = copy;
  step.working_dir = "/app";
  step.changes_filesystem = true;
  return step;
}

StepKeyContext Context(frontend::EnvList env = {{"PATH", "/usr/bin:/bin"}}) {
  return StepKeyContext{"linux/amd64", std::move(env), {}};
}

TEST(CacheKeyTest, EncodingOfARunIsLengthPrefixedFields) {
  EXPECT_EQ(EncodeStepDefinition(RunStep("make"), Context()),
            "kind:3:RUN\n"
            "platform:11:linux/amd64\n"
            "argv#:1:3\n"
            "argv:7:/bin/sh\n"
            "argv:2:-c\n"
            "argv:4:make\n"
            "env#:1:1\n"
            "env.k:4:PATH\n"
            "env.v:13:/usr/bin:/bin\n"
            "user:0:\n"
            "workdir:1:/\n"
            "network:7:default\n"
            "security:7:sandbox\n"
            "mount#:1:0\n"
            "heredoc#:1:0\n");
}

TEST(CacheKeyTest, KeyIsTheHashOfVersionParentDefinitionAndInputs) {
  frontend::Step step = RunStep("make");
  StepKeyContext context = Context();
  std::string expected_preimage = std::string("distill-cache-v1") + '\0' + "parent:7:scratch\n" +
                                  EncodeStepDefinition(step, context) + "input#:1:0\n";
  EXPECT_EQ(StepCacheKey("scratch", step, context), "sha256:" + Sha256::HexOf(expected_preimage));
}

// The key format is forever: these values must never change. If this test
// fails, the change to cache_key.cc is a format change — bump kCacheKeyVersion
// instead of editing the expected values (unless the version was bumped).
TEST(CacheKeyTest, GoldenKeys) {
  EXPECT_STREQ(kCacheKeyVersion, "distill-cache-v1");
  EXPECT_EQ(StepCacheKey("scratch", RunStep("make"), Context()),
            "sha256:99e50cfa95a3ff1dffa1f359939ea9d5e516e5029abc0da12fcbd85f6c44d2dd");
  StepKeyContext copy_context = Context({});
  copy_context.inputs = {oci::Digest::Sha256Hex(Sha256::HexOf("main.go content"))};
  EXPECT_EQ(StepCacheKey("sha256:" + Sha256::HexOf("alpine manifest"),
                         CopyStep({"main.go"}, "/src/"), copy_context),
            "sha256:53f57fb7c7713113d57b9914426aab060165fe43780658df9b6ecf28a784bfd0");
}

TEST(CacheKeyTest, EveryPartOfTheDefinitionCounts) {
  const std::string base = StepCacheKey("scratch", RunStep("make"), Context());
  EXPECT_EQ(StepCacheKey("scratch", RunStep("make"), Context()), base);  // deterministic
  EXPECT_NE(StepCacheKey("other-parent", RunStep("make"), Context()), base);
  EXPECT_NE(StepCacheKey("scratch", RunStep("make all"), Context()), base);
  EXPECT_NE(StepCacheKey("scratch", RunStep("make"), Context({{"PATH", "/bin"}})), base);
  StepKeyContext arm = Context();
  arm.platform = "linux/arm64";
  EXPECT_NE(StepCacheKey("scratch", RunStep("make"), arm), base);

  frontend::Step user = RunStep("make");
  user.user = "nobody";
  EXPECT_NE(StepCacheKey("scratch", user, Context()), base);
  frontend::Step workdir = RunStep("make");
  workdir.working_dir = "/src";
  EXPECT_NE(StepCacheKey("scratch", workdir, Context()), base);
  frontend::Step bash = RunStep("make");
  bash.shell = {"/bin/bash", "-c"};
  EXPECT_NE(StepCacheKey("scratch", bash, Context()), base);
  frontend::Step network = RunStep("make");
  network.command.As<RunCommand>()->network = dockerfile::NetworkMode::kNone;
  EXPECT_NE(StepCacheKey("scratch", network, Context()), base);
  frontend::Step exec_form = RunStep("make");
  exec_form.command.As<RunCommand>()->command = CommandLine{{"/bin/sh", "-c", "make"}, true};
  // The same argv in exec form runs the same process: the same key.
  EXPECT_EQ(StepCacheKey("scratch", exec_form, Context()), base);
  StepKeyContext inputs = Context();
  inputs.inputs = {oci::Digest::Sha256Hex(Sha256::HexOf("x"))};
  EXPECT_NE(StepCacheKey("scratch", RunStep("make"), inputs), base);
}

TEST(CacheKeyTest, ProxyEnvAndLocationsStayOut) {
  const std::string base = StepCacheKey("scratch", RunStep("make"), Context());
  frontend::Step step = RunStep("make");
  step.proxy_env = {{"HTTP_PROXY", "http://proxy:3128"}};
  step.location = {"other/Dockerfile", 40, 41, "RUN make"};
  step.command.start_line = 40;
  EXPECT_EQ(StepCacheKey("scratch", step, Context()), base);
}

TEST(CacheKeyTest, SecretMountsHashTheirIdButNotTheirSource) {
  auto with_secret = [](const std::string& id, const std::string& source) {
    frontend::Step step = RunStep("make");
    Mount m;
    m.type = MountType::kSecret;
    m.id = id;
    m.target = "/run/secrets/" + id;
    m.source = source;
    step.command.As<RunCommand>()->mounts.push_back(m);
    return StepCacheKey("scratch", step, Context());
  };
  EXPECT_EQ(with_secret("token", "/home/me/token"), with_secret("token", "/tmp/other"));
  EXPECT_NE(with_secret("token", "/home/me/token"), with_secret("npmrc", "/home/me/token"));
  EXPECT_NE(with_secret("token", "/x"), StepCacheKey("scratch", RunStep("make"), Context()));
}

TEST(CacheKeyTest, LengthPrefixesKeepFieldsApart) {
  // "a b" as one source vs "a" and "b": different definitions, different keys.
  EXPECT_NE(StepCacheKey("p", CopyStep({"a b"}, "/"), Context()),
            StepCacheKey("p", CopyStep({"a", "b"}, "/"), Context()));
  EXPECT_NE(StepCacheKey("p", CopyStep({"a"}, "b/"), Context()),
            StepCacheKey("p", CopyStep({"ab"}, "/"), Context()));
}

TEST(CacheKeyTest, ArgStepsDoNotChangeKeys) {
  frontend::Step arg;
  arg.command.keyword = "ARG";
  arg.command.value = dockerfile::ArgCommand{{{"V", std::string("1")}}};
  EXPECT_FALSE(StepChangesKey(arg));
  EXPECT_TRUE(StepChangesKey(RunStep("make")));
}

}  // namespace
}  // namespace distill::solver
