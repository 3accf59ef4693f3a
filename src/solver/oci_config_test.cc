#include "solver/oci_config.h"

#include <gtest/gtest.h>

#include "util/sha256.h"

namespace distill::solver {
namespace {

LayerRef Layer(const std::string& name) {
  LayerRef l;
  l.diff_id = oci::Digest::Sha256Hex(Sha256::HexOf(name));
  l.blob.digest = oci::Digest::Sha256Hex(Sha256::HexOf("gz:" + name));
  return l;
}

ImageState SampleState() {
  ImageState s;
  s.platform = "linux/arm64/v8";
  AppendLayer(&s, Layer("a"));
  AppendLayer(&s, Layer("b"));
  s.config.SetEnv("PATH", "/usr/bin:/bin");
  s.config.SetEnv("EMPTY", "");
  s.config.cmd = {"./run", "--port=80"};
  s.config.cmd_set = true;
  s.config.entrypoint = {"/tini", "--"};
  s.config.entrypoint_set = true;
  s.config.user = "app";
  s.config.working_dir = "/app";
  s.config.author = "me";
  s.config.exposed_ports = {"443/tcp", "80/tcp"};
  s.config.volumes = {"/data"};
  s.config.labels = {{"k", "v"}};
  s.config.stop_signal = "SIGQUIT";
  dockerfile::HealthcheckCommand hc;
  hc.command = {{"curl -f http://localhost/"}, false};
  hc.interval_ns = 30000000000;
  hc.retries = 3;
  s.config.healthcheck = hc;
  s.config.shell = {"/bin/bash", "-c"};
  s.config.onbuild = {"RUN echo hi"};
  oci::HistoryEntry base;
  base.created = "2024-01-01T00:00:00Z";
  base.created_by = "base";
  oci::HistoryEntry mine;
  mine.created_by = "RUN /bin/sh -c make # buildkit";
  s.history = {base, mine};
  return s;
}

TEST(OciConfigTest, ToOciFillsEveryField) {
  auto config = ToOciImageConfig(SampleState(), "2025-06-01T12:00:00Z");
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->os, "linux");
  EXPECT_EQ(config->architecture, "arm64");
  EXPECT_EQ(config->created, "2025-06-01T12:00:00Z");
  EXPECT_EQ(config->author, "me");
  EXPECT_EQ(config->config.env, (std::vector<std::string>{"PATH=/usr/bin:/bin", "EMPTY="}));
  EXPECT_EQ(config->config.exposed_ports, (std::set<std::string>{"443/tcp", "80/tcp"}));
  ASSERT_TRUE(config->config.healthcheck.has_value());
  EXPECT_EQ(config->config.healthcheck->test,
            (std::vector<std::string>{"CMD-SHELL", "curl -f http://localhost/"}));
  EXPECT_EQ(config->rootfs.diff_ids,
            (std::vector<oci::Digest>{Layer("a").diff_id, Layer("b").diff_id}));
  ASSERT_EQ(config->history.size(), 2u);
  EXPECT_EQ(config->history[0].created, "2024-01-01T00:00:00Z");  // kept
  EXPECT_EQ(config->history[1].created, "2025-06-01T12:00:00Z");  // stamped
  auto bytes = oci::SerializeImageConfig(*config);
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  auto parsed = oci::ParseImageConfig(*bytes, "test");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
}

TEST(OciConfigTest, RoundTripOfTheRuntimeConfig) {
  ImageState state = SampleState();
  auto config = ToOciImageConfig(state, "");
  ASSERT_TRUE(config.ok());
  EXPECT_TRUE(config->created.empty());
  frontend::ImageConfig back = FromOciImageConfig(*config);
  EXPECT_EQ(back.env, state.config.env);
  EXPECT_EQ(back.cmd, state.config.cmd);
  EXPECT_TRUE(back.cmd_set);
  EXPECT_EQ(back.entrypoint, state.config.entrypoint);
  EXPECT_EQ(back.user, "app");
  EXPECT_EQ(back.working_dir, "/app");
  EXPECT_EQ(back.author, "me");
  EXPECT_EQ(back.exposed_ports, (std::vector<std::string>{"443/tcp", "80/tcp"}));
  EXPECT_EQ(back.volumes, state.config.volumes);
  EXPECT_EQ(back.labels, state.config.labels);
  EXPECT_EQ(back.stop_signal, "SIGQUIT");
  ASSERT_TRUE(back.healthcheck.has_value());
  EXPECT_EQ(back.healthcheck->Test(), state.config.healthcheck->Test());
  EXPECT_EQ(back.healthcheck->interval_ns, 30000000000);
  EXPECT_EQ(back.healthcheck->retries, 3);
  EXPECT_EQ(back.shell, state.config.shell);
  EXPECT_EQ(back.onbuild, state.config.onbuild);
}

TEST(OciConfigTest, BaseConfigEdgeCases) {
  oci::ImageConfig config;
  config.config.env = {"NOVALUE", "A=b=c"};
  config.config.healthcheck = oci::Healthcheck{};
  config.config.healthcheck->test = {"NONE"};
  frontend::ImageConfig c = FromOciImageConfig(config);
  EXPECT_EQ(c.env, (frontend::EnvList{{"NOVALUE", ""}, {"A", "b=c"}}));
  EXPECT_FALSE(c.cmd_set);
  ASSERT_TRUE(c.healthcheck.has_value());
  EXPECT_TRUE(c.healthcheck->none);
}

TEST(OciConfigTest, HealthcheckForms) {
  oci::ImageConfig config;
  config.config.healthcheck = oci::Healthcheck{};
  config.config.healthcheck->test = {"CMD-SHELL", "curl -f", "http://x/"};
  config.config.healthcheck->retries = 2;
  frontend::ImageConfig c = FromOciImageConfig(config);
  ASSERT_TRUE(c.healthcheck.has_value());
  EXPECT_FALSE(c.healthcheck->command.exec_form);
  EXPECT_EQ(c.healthcheck->command.args, (std::vector<std::string>{"curl -f http://x/"}));
  EXPECT_EQ(c.healthcheck->retries, 2);

  config.config.healthcheck->test = {"CMD", "/bin/check", "--fast"};
  c = FromOciImageConfig(config);
  ASSERT_TRUE(c.healthcheck.has_value());
  EXPECT_TRUE(c.healthcheck->command.exec_form);
  EXPECT_EQ(c.healthcheck->Test(), (std::vector<std::string>{"CMD", "/bin/check", "--fast"}));

  // An empty test inherits and an unknown type is not Docker's: neither carries a check.
  config.config.healthcheck->test = {};
  EXPECT_FALSE(FromOciImageConfig(config).healthcheck.has_value());
  config.config.healthcheck->test = {"WHATEVER", "x"};
  EXPECT_FALSE(FromOciImageConfig(config).healthcheck.has_value());
}

TEST(OciConfigTest, BadPlatformIsAnError) {
  ImageState state;
  state.platform = "";
  auto config = ToOciImageConfig(state, "");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("image platform \"\""), std::string::npos);
}

}  // namespace
}  // namespace distill::solver
