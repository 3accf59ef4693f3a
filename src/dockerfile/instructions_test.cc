#include "dockerfile/instructions.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "dockerfile/parser.h"

namespace distill::dockerfile {
namespace {

// Builds the AST node the parser would produce for one instruction.
Instruction Make(const std::string& keyword, std::vector<std::string> args,
                 std::vector<std::string> flags = {}, bool json = false, int line = 3) {
  Instruction in;
  in.keyword = keyword;
  in.args = std::move(args);
  in.flags = std::move(flags);
  in.json = json;
  in.start_line = line;
  in.end_line = line;
  std::string text;
  for (char c : keyword) text += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const auto& f : in.flags) text += " " + f;
  for (const auto& a : in.args) text += " " + a;
  in.original = text;
  return in;
}

Result<Command> Parse(const Instruction& in) {
  return ParseCommand(in, "Dockerfile");
}

// Expects an error that names the file and line and contains `what`.
void ExpectError(const Instruction& in, const std::string& what) {
  auto r = Parse(in);
  ASSERT_FALSE(r.ok()) << in.original;
  EXPECT_EQ(r.status().message().rfind("Dockerfile:" + std::to_string(in.start_line) + ": ", 0), 0u)
      << r.status().message();
  EXPECT_NE(r.status().message().find(what), std::string::npos) << r.status().message();
}

TEST(InstructionsTest, FromImageAndStageName) {
  auto r = Parse(Make("from", {"golang:1.22", "AS", "Build"}, {"--platform=linux/arm64"}));
  ASSERT_TRUE(r.ok()) << r.status().message();
  const auto* from = r->As<FromCommand>();
  ASSERT_NE(from, nullptr);
  EXPECT_EQ(from->image, "golang:1.22");
  EXPECT_EQ(from->stage_name, "build");
  EXPECT_EQ(from->platform, "linux/arm64");
  EXPECT_EQ(r->keyword, "FROM");
  EXPECT_EQ(r->start_line, 3);
}

TEST(InstructionsTest, FromErrors) {
  ExpectError(Make("from", {"a", "b"}), "one or three arguments");
  ExpectError(Make("from", {"a", "is", "b"}), "expected \"AS\"");
  ExpectError(Make("from", {"a", "as", "1st"}), "invalid name for build stage");
  ExpectError(Make("from", {"a", "as", "x$y"}), "invalid name for build stage");
  ExpectError(Make("from", {"a"}, {"--platfrom=linux/amd64"}), "unknown flag: --platfrom");
  ExpectError(Make("from", {"a"}, {"--platform"}), "missing a value on flag --platform");
  ExpectError(Make("from", {"a"}, {"--platform=a", "--platform=b"}), "duplicate flag");
}

TEST(InstructionsTest, RunShellAndExecForm) {
  auto shell = Parse(Make("run", {"echo hi && ls"}));
  ASSERT_TRUE(shell.ok());
  const auto* run = shell->As<RunCommand>();
  EXPECT_FALSE(run->command.exec_form);
  EXPECT_EQ(run->command.args, std::vector<std::string>{"echo hi && ls"});
  EXPECT_EQ(run->network, NetworkMode::kDefault);
  EXPECT_EQ(run->security, SecurityMode::kSandbox);

  auto exec = Parse(Make("run", {"echo", "a b"}, {}, true));
  ASSERT_TRUE(exec.ok());
  EXPECT_TRUE(exec->As<RunCommand>()->command.exec_form);
  EXPECT_EQ(exec->As<RunCommand>()->command.args, (std::vector<std::string>{"echo", "a b"}));
}

TEST(InstructionsTest, RunNetworkAndSecurity) {
  auto r = Parse(Make("run", {"true"}, {"--network=none", "--security=insecure"}));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->As<RunCommand>()->network, NetworkMode::kNone);
  EXPECT_EQ(r->As<RunCommand>()->security, SecurityMode::kInsecure);
  EXPECT_EQ(Parse(Make("run", {"x"}, {"--network=host"}))->As<RunCommand>()->network,
            NetworkMode::kHost);
  ExpectError(Make("run", {"true"}, {"--network=bridge"}), "unsupported network mode");
  ExpectError(Make("run", {"true"}, {"--security=root"}), "unsupported security mode");
  ExpectError(Make("run", {}), "RUN requires at least one argument");
  ExpectError(Make("run", {"x"}, {"--privileged"}), "unknown flag: --privileged");
}

TEST(InstructionsTest, RunMounts) {
  auto r = Parse(Make("run", {"make"},
                      {"--mount=type=cache,target=/root/.cache,sharing=locked,mode=0755,uid=1000",
                       "--mount=type=bind,from=build,source=/out,target=/in",
                       "--mount=type=secret,id=npmrc,required", "--mount=type=ssh",
                       "--mount=type=tmpfs,dst=/tmp,size=64m", "--mount=target=/src,rw"}));
  ASSERT_TRUE(r.ok()) << r.status().message();
  const auto& m = r->As<RunCommand>()->mounts;
  ASSERT_EQ(m.size(), 6u);
  EXPECT_EQ(m[0].type, MountType::kCache);
  EXPECT_EQ(m[0].id, "/root/.cache");  // a cache id defaults to the target
  EXPECT_EQ(m[0].sharing, CacheSharing::kLocked);
  EXPECT_EQ(m[0].mode, 0755u);
  EXPECT_EQ(m[0].uid, 1000u);
  EXPECT_FALSE(m[0].read_only);
  EXPECT_EQ(m[1].type, MountType::kBind);
  EXPECT_EQ(m[1].from, "build");
  EXPECT_EQ(m[1].source, "/out");
  EXPECT_TRUE(m[1].read_only);  // bind mounts are read-only by default
  EXPECT_EQ(m[2].type, MountType::kSecret);
  EXPECT_EQ(m[2].target, "/run/secrets/npmrc");
  EXPECT_TRUE(m[2].required);
  EXPECT_EQ(m[2].mode, 0400u);
  EXPECT_EQ(m[3].type, MountType::kSsh);
  EXPECT_EQ(m[3].id, "default");
  EXPECT_EQ(m[4].type, MountType::kTmpfs);
  EXPECT_EQ(m[4].target, "/tmp");
  EXPECT_EQ(m[4].size_bytes, 64 * 1024 * 1024);
  EXPECT_EQ(m[5].type, MountType::kBind);
  EXPECT_FALSE(m[5].read_only);
}

TEST(InstructionsTest, RunMountSecretEnvAndDefaults) {
  auto m = ParseMount("type=secret,id=token,env=API_TOKEN", nullptr);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->env, "API_TOKEN");
  EXPECT_EQ(m->target, "");  // env-only secret: no file
  auto by_target = ParseMount("type=secret,target=/etc/key.pem", nullptr);
  ASSERT_TRUE(by_target.ok());
  EXPECT_EQ(by_target->id, "key.pem");
}

TEST(InstructionsTest, RunMountErrors) {
  ExpectError(Make("run", {"x"}, {"--mount=type=nfs,target=/a"}), "unsupported mount type");
  ExpectError(Make("run", {"x"}, {"--mount=type=cache,target=/a,sharing=all"}),
              "unsupported sharing value");
  ExpectError(Make("run", {"x"}, {"--mount=type=bind,target=/a,sharing=locked"}),
              "sharing is only valid for cache");
  ExpectError(Make("run", {"x"}, {"--mount=type=cache"}), "needs a target");
  ExpectError(Make("run", {"x"}, {"--mount=type=cache,target=/a,mode=999"}), "invalid mode");
  ExpectError(Make("run", {"x"}, {"--mount=type=cache,target=/a,uid=me"}), "invalid uid");
  ExpectError(Make("run", {"x"}, {"--mount=type=tmpfs,target=/a,size=lots"}), "invalid size");
  ExpectError(Make("run", {"x"}, {"--mount=type=cache,target=/a,size=1m"}),
              "size is only valid for tmpfs");
  ExpectError(Make("run", {"x"}, {"--mount=type=secret,from=x,id=a"}), "should not have a from");
  ExpectError(Make("run", {"x"}, {"--mount=type=bind,target=/a,color=red"}), "unexpected key");
  ExpectError(Make("run", {"x"}, {"--mount=type=bind,target=/a,bogus"}), "unexpected key");
  ExpectError(Make("run", {"x"}, {"--mount=type=bind,target=/a,ro=maybe"}), "invalid value");
}

TEST(InstructionsTest, RunMountWithVariablesIsCheckedAfterExpansion) {
  auto raw = ParseMount("type=cache,target=$DIR,mode=$MODE", nullptr);
  ASSERT_TRUE(raw.ok()) << raw.status().message();
  EXPECT_EQ(raw->target, "$DIR");
  WordExpander expand = [](const std::string& word) -> Result<std::string> {
    if (word == "$DIR") return std::string("/cache");
    if (word == "$MODE") return std::string("0700");
    return word;
  };
  auto expanded = ParseMount("type=cache,target=$DIR,mode=$MODE", &expand);
  ASSERT_TRUE(expanded.ok()) << expanded.status().message();
  EXPECT_EQ(expanded->target, "/cache");
  EXPECT_EQ(expanded->id, "/cache");
  EXPECT_EQ(expanded->mode, 0700u);
  WordExpander bad_mode = [](const std::string&) -> Result<std::string> {
    return std::string("rwx");
  };
  EXPECT_FALSE(ParseMount("type=cache,target=/a,mode=$M", &bad_mode).ok());
}

TEST(InstructionsTest, CmdEntrypointShell) {
  auto cmd = Parse(Make("cmd", {"a", "b"}, {}, true));
  ASSERT_TRUE(cmd.ok());
  EXPECT_EQ(cmd->As<CmdCommand>()->command.args, (std::vector<std::string>{"a", "b"}));
  auto ep = Parse(Make("entrypoint", {"/bin/app --serve"}));
  ASSERT_TRUE(ep.ok());
  EXPECT_FALSE(ep->As<EntrypointCommand>()->command.exec_form);
  auto sh = Parse(Make("shell", {"/bin/bash", "-c"}, {}, true));
  ASSERT_TRUE(sh.ok());
  EXPECT_EQ(sh->As<ShellCommand>()->shell, (std::vector<std::string>{"/bin/bash", "-c"}));
  ExpectError(Make("shell", {"/bin/bash -c"}), "JSON form");
  ExpectError(Make("shell", {}, {}, true), "at least one argument");
  ExpectError(Make("cmd", {"x"}, {"--foo=1"}), "unknown flag: --foo");
}

TEST(InstructionsTest, EnvAndLabelPairs) {
  auto env = Parse(Make("env", {"A", "1", "=", "B", "\"x y\"", "="}));
  ASSERT_TRUE(env.ok()) << env.status().message();
  const auto& vars = env->As<EnvCommand>()->vars;
  ASSERT_EQ(vars.size(), 2u);
  EXPECT_EQ(vars[0], (KeyValue{"A", "1"}));
  EXPECT_EQ(vars[1], (KeyValue{"B", "\"x y\""}));  // quotes go at expansion
  auto label = Parse(Make("label", {"maintainer", "me <me@x>", ""}));
  ASSERT_TRUE(label.ok());
  EXPECT_EQ(label->As<LabelCommand>()->labels[0].value, "me <me@x>");
  ExpectError(Make("env", {}), "ENV requires at least one argument");
  ExpectError(Make("label", {"a", "b"}), "key/value");
}

TEST(InstructionsTest, ArgSeveralPerLine) {
  auto r = Parse(Make("arg", {"foo", "bar=baz", "abc=\"123 456\"", "empty="}));
  ASSERT_TRUE(r.ok());
  const auto& args = r->As<ArgCommand>()->args;
  ASSERT_EQ(args.size(), 4u);
  EXPECT_EQ(args[0], (ArgDeclaration{"foo", std::nullopt}));
  EXPECT_EQ(args[1], (ArgDeclaration{"bar", "baz"}));
  EXPECT_EQ(args[2], (ArgDeclaration{"abc", "\"123 456\""}));
  EXPECT_EQ(args[3], (ArgDeclaration{"empty", ""}));
  ExpectError(Make("arg", {}), "ARG requires at least one argument");
  ExpectError(Make("arg", {"=x"}), "ARG names cannot be empty");
}

TEST(InstructionsTest, CopyFlags) {
  auto r = Parse(Make("copy", {"a", "b*", "/dst/"},
                      {"--from=build", "--chown=1000:1000", "--chmod=0644", "--link",
                       "--exclude=*.md", "--exclude=tmp", "--parents=true"}));
  ASSERT_TRUE(r.ok()) << r.status().message();
  const auto* c = r->As<CopyCommand>();
  EXPECT_FALSE(c->is_add);
  EXPECT_EQ(c->sources, (std::vector<std::string>{"a", "b*"}));
  EXPECT_EQ(c->dest, "/dst/");
  EXPECT_EQ(c->from, "build");
  EXPECT_EQ(c->chown, "1000:1000");
  EXPECT_EQ(c->chmod, "0644");
  EXPECT_TRUE(c->link);
  EXPECT_TRUE(c->parents);
  EXPECT_EQ(c->excludes, (std::vector<std::string>{"*.md", "tmp"}));
}

TEST(InstructionsTest, CopyJsonForm) {
  auto r = Parse(Make("copy", {"my file", "/dst dir/"}, {}, true));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->As<CopyCommand>()->json);
  EXPECT_EQ(r->As<CopyCommand>()->sources, std::vector<std::string>{"my file"});
  EXPECT_EQ(r->As<CopyCommand>()->dest, "/dst dir/");
}

TEST(InstructionsTest, CopyHeredocSources) {
  Instruction in = Make("copy", {"<<EOF", "<<'RAW'", "/etc/"});
  in.heredocs.push_back({"EOF", "hello $NAME\n", true, false});
  in.heredocs.push_back({"RAW", "literal $NAME\n", false, false});
  auto r = Parse(in);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const auto* c = r->As<CopyCommand>();
  EXPECT_TRUE(c->sources.empty());
  ASSERT_EQ(c->heredoc_sources.size(), 2u);
  EXPECT_EQ(c->heredoc_sources[0].path, "EOF");
  EXPECT_EQ(c->heredoc_sources[0].content, "hello $NAME\n");
  EXPECT_TRUE(c->heredoc_sources[0].expand);
  EXPECT_EQ(c->heredoc_sources[1].path, "RAW");
  EXPECT_FALSE(c->heredoc_sources[1].expand);
  ExpectError(Make("copy", {"<<EOF", "/x"}), "has no body");
}

TEST(InstructionsTest, AddFlags) {
  std::string sum = "sha256:" + std::string(64, 'a');
  auto r = Parse(Make("add", {"https://example.com/a.tgz", "/a.tgz"},
                      {"--checksum=" + sum, "--keep-git-dir", "--chmod=u+x,go-w"}));
  ASSERT_TRUE(r.ok()) << r.status().message();
  const auto* c = r->As<CopyCommand>();
  EXPECT_TRUE(c->is_add);
  EXPECT_EQ(c->checksum, sum);
  EXPECT_TRUE(c->keep_git_dir);
  ExpectError(Make("add", {"a", "b"}, {"--from=x"}), "unknown flag: --from");
  ExpectError(Make("add", {"a", "b"}, {"--parents"}), "unknown flag: --parents");
  ExpectError(Make("copy", {"a", "b"}, {"--checksum=sha256:00"}), "unknown flag: --checksum");
  ExpectError(Make("copy", {"a", "b"}, {"--keep-git-dir"}), "unknown flag: --keep-git-dir");
  ExpectError(Make("add", {"a", "b"}, {"--checksum=md5:abc"}), "invalid --checksum");
  ExpectError(Make("copy", {"a", "b"}, {"--chmod=999"}), "invalid --chmod");
  ExpectError(Make("copy", {"a", "b"}, {"--link=maybe"}), "expecting boolean value");
  ExpectError(Make("copy", {"a", "b"}, {"--from"}), "missing a value on flag --from");
  ExpectError(Make("copy", {"onlyone"}), "requires at least two arguments");
}

TEST(InstructionsTest, SingleArgumentInstructions) {
  EXPECT_EQ(Parse(Make("user", {"app:app"}))->As<UserCommand>()->user, "app:app");
  EXPECT_EQ(Parse(Make("workdir", {"/src"}))->As<WorkdirCommand>()->path, "/src");
  EXPECT_EQ(Parse(Make("stopsignal", {"SIGTERM"}))->As<StopSignalCommand>()->signal, "SIGTERM");
  ExpectError(Make("user", {"a", "b"}), "USER requires exactly one argument");
  ExpectError(Make("workdir", {}), "WORKDIR requires exactly one argument");
  ExpectError(Make("stopsignal", {"a", "b"}), "STOPSIGNAL requires exactly one argument");
}

TEST(InstructionsTest, ExposeVolumeMaintainer) {
  EXPECT_EQ(Parse(Make("expose", {"80", "443/tcp"}))->As<ExposeCommand>()->ports,
            (std::vector<std::string>{"80", "443/tcp"}));
  EXPECT_EQ(Parse(Make("volume", {"/data", "/logs"}, {}, true))->As<VolumeCommand>()->volumes,
            (std::vector<std::string>{"/data", "/logs"}));
  EXPECT_EQ(Parse(Make("maintainer", {"Jane <j@x>"}))->As<MaintainerCommand>()->maintainer,
            "Jane <j@x>");
  ExpectError(Make("expose", {}), "EXPOSE requires at least one argument");
  ExpectError(Make("volume", {""}, {}, true), "can not be an empty string");
}

TEST(InstructionsTest, Healthcheck) {
  auto r = Parse(Make("healthcheck", {"CMD", "/app/check.sh --quiet"},
                      {"--interval=5s", "--timeout=1m30s", "--start-period=500ms",
                       "--start-interval=0s", "--retries=3"}));
  ASSERT_TRUE(r.ok()) << r.status().message();
  const auto* h = r->As<HealthcheckCommand>();
  EXPECT_EQ(h->interval_ns, 5'000'000'000);
  EXPECT_EQ(h->timeout_ns, 90'000'000'000);
  EXPECT_EQ(h->start_period_ns, 500'000'000);
  EXPECT_EQ(h->start_interval_ns, 0);
  EXPECT_EQ(h->retries, 3);
  EXPECT_EQ(h->Test(), (std::vector<std::string>{"CMD-SHELL", "/app/check.sh --quiet"}));

  auto exec = Parse(Make("healthcheck", {"CMD", "foo", "bar"}, {}, true));
  ASSERT_TRUE(exec.ok());
  EXPECT_EQ(exec->As<HealthcheckCommand>()->Test(),
            (std::vector<std::string>{"CMD", "foo", "bar"}));
  auto none = Parse(Make("healthcheck", {"none"}));
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->As<HealthcheckCommand>()->Test(), std::vector<std::string>{"NONE"});
}

TEST(InstructionsTest, HealthcheckErrors) {
  ExpectError(Make("healthcheck", {}), "requires at least one argument");
  ExpectError(Make("healthcheck", {"NONE", "x"}), "takes no arguments");
  ExpectError(Make("healthcheck", {"CONNECT", "TCP 7000"}), "unknown type");
  ExpectError(Make("healthcheck", {"CMD"}), "missing command");
  ExpectError(Make("healthcheck", {"CMD", "x"}, {"--interval=5"}), "missing unit");
  ExpectError(Make("healthcheck", {"CMD", "x"}, {"--interval=5parsecs"}), "unknown unit");
  ExpectError(Make("healthcheck", {"CMD", "x"}, {"--timeout=10us"}), "less than 1ms");
  ExpectError(Make("healthcheck", {"CMD", "x"}, {"--retries=-1"}), "cannot be negative");
  ExpectError(Make("healthcheck", {"CMD", "x"}, {"--retries=three"}), "must be an integer");
  ExpectError(Make("healthcheck", {"CMD", "x"}, {"--every=1s"}), "unknown flag: --every");
}

TEST(InstructionsTest, Onbuild) {
  Instruction in = Make("onbuild", {});
  in.original = "ONBUILD RUN echo test";
  in.nested = std::make_unique<Instruction>(Make("run", {"echo test"}));
  auto r = Parse(in);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const auto* on = r->As<OnbuildCommand>();
  EXPECT_EQ(on->expression, "RUN echo test");
  ASSERT_NE(on->trigger, nullptr);
  EXPECT_NE(on->trigger->As<RunCommand>(), nullptr);

  Instruction chained = Make("onbuild", {});
  chained.nested = std::make_unique<Instruction>(Make("onbuild", {}));
  ExpectError(chained, "isn't allowed");
  Instruction from = Make("onbuild", {});
  from.nested = std::make_unique<Instruction>(Make("from", {"x"}));
  ExpectError(from, "FROM isn't allowed");
  Instruction bad = Make("onbuild", {});
  bad.nested = std::make_unique<Instruction>(Make("copy", {"x"}));
  ExpectError(bad, "requires at least two arguments");
}

TEST(InstructionsTest, UnknownInstruction) {
  auto r = Parse(Make("frob", {"x"}, {}, false, 7));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "Dockerfile:7: unknown instruction: FROB");
}

TEST(InstructionsTest, ParseCommandsStopsAtFirstError) {
  Dockerfile df;
  df.filename = "app/Dockerfile";
  df.instructions.push_back(Make("from", {"alpine"}, {}, false, 1));
  df.instructions.push_back(Make("copy", {"x"}, {}, false, 2));
  auto r = ParseCommands(df);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("app/Dockerfile:2: COPY x: ", 0), 0u)
      << r.status().message();
}

TEST(InstructionsTest, Durations) {
  EXPECT_EQ(*ParseGoDuration("0"), 0);
  EXPECT_EQ(*ParseGoDuration("1h2m3s"), 3'723'000'000'000);
  EXPECT_EQ(*ParseGoDuration("1.5s"), 1'500'000'000);
  EXPECT_EQ(*ParseGoDuration("250us"), 250'000);
  EXPECT_EQ(*ParseGoDuration("-2s"), -2'000'000'000);
  EXPECT_FALSE(ParseGoDuration("").ok());
  EXPECT_FALSE(ParseGoDuration("s").ok());
  EXPECT_FALSE(ParseGoDuration("1..2s").ok());
}

TEST(InstructionsTest, ByteSizes) {
  EXPECT_EQ(*ParseByteSize("1024"), 1024);
  EXPECT_EQ(*ParseByteSize("10k"), 10240);
  EXPECT_EQ(*ParseByteSize("1g"), 1073741824);
  EXPECT_EQ(*ParseByteSize("2MiB"), 2 * 1048576);
  EXPECT_EQ(*ParseByteSize("1.5kb"), 1536);
  EXPECT_FALSE(ParseByteSize("k").ok());
  EXPECT_FALSE(ParseByteSize("12q").ok());
}

TEST(InstructionsTest, ChmodAndStageNames) {
  EXPECT_TRUE(IsValidChmod("755"));
  EXPECT_TRUE(IsValidChmod("0644"));
  EXPECT_TRUE(IsValidChmod("u+x,g-w,o=r"));
  EXPECT_TRUE(IsValidChmod("a+rX"));
  EXPECT_FALSE(IsValidChmod("8"));
  EXPECT_FALSE(IsValidChmod("u*x"));
  EXPECT_FALSE(IsValidChmod(""));
  EXPECT_TRUE(IsValidStageName("build-env_1.0"));
  EXPECT_FALSE(IsValidStageName("1build"));
  EXPECT_FALSE(IsValidStageName("Build"));  // callers lower-case first
}

}  // namespace
}  // namespace distill::dockerfile

namespace distill::dockerfile {
namespace {

// Every Dockerfile of the reference parser's conformance data either types
// cleanly or fails with a located message; typing never crashes.
TEST(InstructionsConformanceTest, ReferenceDockerfilesTypeOrFailWithLocation) {
  namespace fs = std::filesystem;
  fs::path root = fs::path(DISTILL_SHARED_DIR) / "conformance" / "dockerfile-parser";
  if (!fs::exists(root)) GTEST_SKIP() << "no conformance data at " << root;
  int typed = 0, rejected = 0;
  for (const auto& dir : fs::directory_iterator(root)) {
    std::ifstream in(dir.path() / "Dockerfile", std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto df = distill::dockerfile::Parse(text.str(), "Dockerfile");
    if (!df.ok()) continue;  // the syntax layer's business
    auto commands = ParseCommands(*df);
    if (commands.ok()) {
      ++typed;
      EXPECT_EQ(commands->size(), df->instructions.size());
    } else {
      ++rejected;
      EXPECT_EQ(commands.status().message().rfind("Dockerfile:", 0), 0u)
          << dir.path() << ": " << commands.status().message();
    }
  }
  EXPECT_GT(typed, 10);
  // health (HEALTHCHECK with no argument, CONNECT) is rejected.
  EXPECT_GE(rejected, 1);
}

TEST(InstructionsConformanceTest, HealthcheckFromRealSyntax) {
  auto df = distill::dockerfile::Parse(
      "FROM debian\nHEALTHCHECK --interval=5s --timeout=3s --retries=3 \\\n  CMD /app/check.sh "
      "--quiet\nHEALTHCHECK --timeout=3s CMD [\"foo\"]\nHEALTHCHECK NONE\n",
      "Dockerfile");
  ASSERT_TRUE(df.ok()) << df.status().message();
  auto commands = ParseCommands(*df);
  ASSERT_TRUE(commands.ok()) << commands.status().message();
  ASSERT_EQ(commands->size(), 4u);
  const auto* shell = (*commands)[1].As<HealthcheckCommand>();
  ASSERT_NE(shell, nullptr);
  EXPECT_EQ(shell->Test(), (std::vector<std::string>{"CMD-SHELL", "/app/check.sh --quiet"}));
  EXPECT_EQ(shell->retries, 3);
  EXPECT_EQ((*commands)[1].end_line, 3);
  EXPECT_EQ((*commands)[2].As<HealthcheckCommand>()->Test(),
            (std::vector<std::string>{"CMD", "foo"}));
  EXPECT_TRUE((*commands)[3].As<HealthcheckCommand>()->none);
}

TEST(InstructionsConformanceTest, OnbuildFromRealSyntax) {
  auto df = distill::dockerfile::Parse(
      "FROM a\nONBUILD COPY --chown=1 . /app\nONBUILD COPY onlyone\n", "Dockerfile");
  ASSERT_TRUE(df.ok()) << df.status().message();
  auto first = ParseCommand(df->instructions[1], "Dockerfile");
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->As<OnbuildCommand>()->expression, "COPY --chown=1 . /app");
  EXPECT_EQ(first->As<OnbuildCommand>()->trigger->As<CopyCommand>()->chown, "1");
  auto bad = ParseCommand(df->instructions[2], "Dockerfile");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().rfind("Dockerfile:3: ONBUILD COPY onlyone: ", 0), 0u)
      << bad.status().message();
}

}  // namespace
}  // namespace distill::dockerfile
