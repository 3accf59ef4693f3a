#include "runtime/command.h"

#include <gtest/gtest.h>

namespace distill::runtime {
namespace {

using V = std::vector<std::string>;

oci::ContainerConfig Image(V entrypoint, V cmd) {
  oci::ContainerConfig c;
  c.entrypoint = std::move(entrypoint);
  c.cmd = std::move(cmd);
  return c;
}

TEST(ResolveCommandTest, EntrypointPlusCmd) {
  auto argv = ResolveCommand(Image({"/app"}, {"--port", "80"}), std::nullopt, {}, "img");
  ASSERT_TRUE(argv.ok());
  EXPECT_EQ(*argv, (V{"/app", "--port", "80"}));
}

TEST(ResolveCommandTest, ArgsReplaceCmdOnly) {
  auto argv = ResolveCommand(Image({"/app"}, {"--port", "80"}), std::nullopt, {"-v"}, "img");
  ASSERT_TRUE(argv.ok());
  EXPECT_EQ(*argv, (V{"/app", "-v"}));
  auto cmd_only = ResolveCommand(Image({}, {"sh"}), std::nullopt, {"echo", "hi"}, "img");
  ASSERT_TRUE(cmd_only.ok());
  EXPECT_EQ(*cmd_only, (V{"echo", "hi"}));
}

TEST(ResolveCommandTest, EntrypointFlagClearsCmd) {
  auto argv = ResolveCommand(Image({"/app"}, {"--port", "80"}), std::string("/bin/env"), {}, "i");
  ASSERT_TRUE(argv.ok());
  EXPECT_EQ(*argv, (V{"/bin/env"}));
  auto with_args =
      ResolveCommand(Image({"/app"}, {"x"}), std::string("/bin/echo"), {"a", "b"}, "i");
  ASSERT_TRUE(with_args.ok());
  EXPECT_EQ(*with_args, (V{"/bin/echo", "a", "b"}));
  // An empty --entrypoint drops the entrypoint entirely.
  auto empty = ResolveCommand(Image({"/app"}, {"x"}), std::string(""), {"ls"}, "i");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, (V{"ls"}));
}

TEST(ResolveCommandTest, NothingToRunNamesTheImage) {
  auto none = ResolveCommand(Image({}, {}), std::nullopt, {}, "scratchy:1");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("scratchy:1"), std::string::npos);
  EXPECT_FALSE(ResolveCommand(Image({"/app"}, {"x"}), std::string(""), {}, "i").ok());
}

TEST(ShellFormTest, DetectsAndExplains) {
  EXPECT_TRUE(IsShellForm({"/bin/sh", "-c", "echo hi"}));
  EXPECT_FALSE(IsShellForm({"/bin/sh"}));
  EXPECT_FALSE(IsShellForm({"sh", "-c", "x"}));
  Status s = NoShellError({"/bin/sh", "-c", "run-app"}, "distroless:1");
  EXPECT_NE(s.message().find("distroless:1"), std::string::npos);
  EXPECT_NE(s.message().find("no shell"), std::string::npos);
  EXPECT_NE(s.message().find("exec form"), std::string::npos);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace distill::runtime
