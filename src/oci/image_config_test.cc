#include "oci/image_config.h"

#include <gtest/gtest.h>

#include "oci/canonical_json.h"

namespace distill::oci {
namespace {

// The example of the OCI image spec (config.md).
constexpr char kOciSpecExample[] = R"({
    "created": "2015-10-31T22:22:56.015925234Z",
    "author": "Alyssa P. Hacker <alyspdev@example.com>",
    "architecture": "amd64",
    "os": "linux",
    "config": {
        "User": "alice",
        "ExposedPorts": {
            "8080/tcp": {}
        },
        "Env": [
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "FOO=oci_is_a",
            "BAR=well_written_spec"
        ],
        "Entrypoint": [
            "/bin/my-app-binary"
        ],
        "Cmd": [
            "--foreground",
            "--config",
            "/etc/my-app.d/default.cfg"
        ],
        "Volumes": {
            "/var/job-result-data": {},
            "/var/log/my-app-logs": {}
        },
        "WorkingDir": "/home/alice",
        "Labels": {
            "com.example.project.git.url": "https://example.com/project.git",
            "com.example.project.git.commit": "45a939b2999782a3f005621a8d0f29aa387e1d6b"
        }
    },
    "rootfs": {
      "diff_ids": [
        "sha256:c6f988f4874bb0add23a778f753c65efe992244e148a1d2ec2a8b664fb66bbd1",
        "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"
      ],
      "type": "layers"
    },
    "history": [
      {
        "created": "2015-10-31T22:22:54.690851953Z",
        "created_by": "/bin/sh -c #(nop) ADD file:a3bc1e842b69636f9df5256c49c5374fb4eef1e281fe3f282c65fb853ee171c5 in /"
      },
      {
        "created": "2015-10-31T22:22:55.613815829Z",
        "created_by": "/bin/sh -c #(nop) CMD [\"sh\"]",
        "empty_layer": true
      },
      {
        "created": "2015-10-31T22:22:56.329850019Z",
        "created_by": "/bin/sh -c apk add curl"
      }
    ]
})";

// Shaped like what `docker build` (classic builder) writes: Go field order,
// nulls for unset slices, container/container_config/docker_version members
// distill does not model, a HEALTHCHECK with nanosecond durations.
constexpr char kDockerShaped[] =
    R"({"architecture":"arm64","config":{"Hostname":"","Domainname":"","User":"","AttachStdin":false,)"
    R"("AttachStdout":false,"AttachStderr":false,"ExposedPorts":{"80/tcp":{}},"Tty":false,"OpenStdin":false,)"
    R"("StdinOnce":false,"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","NGINX_VERSION=1.25.3"],)"
    R"("Cmd":["nginx","-g","daemon off;"],"Healthcheck":{"Test":["CMD-SHELL","curl -f http://localhost/ || exit 1"],)"
    R"("Interval":30000000000,"Timeout":5000000000,"StartPeriod":10000000000,"StartInterval":2000000000,"Retries":3},)"
    R"("ArgsEscaped":true,"Image":"sha256:2b0f6b7a4b0c2e8d0a7c1f5d0e9b7a3c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0",)"
    R"("Volumes":null,"WorkingDir":"","Entrypoint":["/docker-entrypoint.sh"],"OnBuild":null,)"
    R"("Labels":{"maintainer":"NGINX Docker Maintainers <docker-maint@nginx.com>"},"StopSignal":"SIGQUIT"},)"
    R"("container":"3f1e2d","container_config":{"Hostname":"3f1e2d","Cmd":["/bin/sh","-c","#(nop) ","CMD [\"nginx\"]"]},)"
    R"("created":"2023-11-01T12:00:00.123456789Z","docker_version":"20.10.23","history":[)"
    R"({"created":"2023-10-31T00:00:00Z","created_by":"/bin/sh -c #(nop) ADD file:abc in / "},)"
    R"({"created":"2023-10-31T00:00:01Z","created_by":"/bin/sh -c #(nop)  CMD [\"bash\"]","empty_layer":true}],)"
    R"("os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:c6f988f4874bb0add23a778f753c65efe992244e148a1d2ec2a8b664fb66bbd1"]},"variant":"v8"})";

TEST(ImageConfigTest, ReadsOciSpecExample) {
  auto c = ParseImageConfig(kOciSpecExample, "example");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->architecture, "amd64");
  EXPECT_EQ(c->os, "linux");
  EXPECT_EQ(c->author, "Alyssa P. Hacker <alyspdev@example.com>");
  EXPECT_EQ(c->config.user, "alice");
  EXPECT_EQ(c->config.exposed_ports, std::set<std::string>{"8080/tcp"});
  ASSERT_EQ(c->config.env.size(), 3u);
  EXPECT_EQ(c->config.env[1], "FOO=oci_is_a");
  EXPECT_EQ(c->config.entrypoint, std::vector<std::string>{"/bin/my-app-binary"});
  EXPECT_EQ(c->config.cmd.size(), 3u);
  EXPECT_EQ(c->config.volumes.size(), 2u);
  EXPECT_EQ(c->config.working_dir, "/home/alice");
  EXPECT_EQ(c->config.labels.size(), 2u);
  ASSERT_EQ(c->rootfs.diff_ids.size(), 2u);
  EXPECT_EQ(c->rootfs.diff_ids[1].hex(),
            "5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");
  ASSERT_EQ(c->history.size(), 3u);
  EXPECT_TRUE(c->history[1].empty_layer);
  EXPECT_FALSE(c->history[2].empty_layer);
}

TEST(ImageConfigTest, WritesCanonicalBytes) {
  auto c = ParseImageConfig(kOciSpecExample, "example");
  ASSERT_TRUE(c.ok());
  auto bytes = SerializeImageConfig(*c);
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  EXPECT_EQ(
      *bytes,
      R"({"architecture":"amd64","author":"Alyssa P. Hacker \u003calyspdev@example.com\u003e",)"
      R"("config":{"Cmd":["--foreground","--config","/etc/my-app.d/default.cfg"],)"
      R"("Entrypoint":["/bin/my-app-binary"],)"
      R"("Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","FOO=oci_is_a","BAR=well_written_spec"],)"
      R"("ExposedPorts":{"8080/tcp":{}},)"
      R"("Labels":{"com.example.project.git.commit":"45a939b2999782a3f005621a8d0f29aa387e1d6b","com.example.project.git.url":"https://example.com/project.git"},)"
      R"("User":"alice","Volumes":{"/var/job-result-data":{},"/var/log/my-app-logs":{}},"WorkingDir":"/home/alice"},)"
      R"("created":"2015-10-31T22:22:56.015925234Z",)"
      R"("history":[{"created":"2015-10-31T22:22:54.690851953Z","created_by":"/bin/sh -c #(nop) ADD file:a3bc1e842b69636f9df5256c49c5374fb4eef1e281fe3f282c65fb853ee171c5 in /"},)"
      R"({"created":"2015-10-31T22:22:55.613815829Z","created_by":"/bin/sh -c #(nop) CMD [\"sh\"]","empty_layer":true},)"
      R"({"created":"2015-10-31T22:22:56.329850019Z","created_by":"/bin/sh -c apk add curl"}],)"
      R"("os":"linux","rootfs":{"diff_ids":["sha256:c6f988f4874bb0add23a778f753c65efe992244e148a1d2ec2a8b664fb66bbd1","sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"],"type":"layers"}})");
  auto again = ParseImageConfig(*bytes, "canonical");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *c);
  EXPECT_EQ(*SerializeImageConfig(*again), *bytes);
}

TEST(ImageConfigTest, ReadsDockerShapedConfig) {
  auto c = ParseImageConfig(kDockerShaped, "nginx");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->variant, "v8");
  EXPECT_TRUE(c->config.args_escaped);
  EXPECT_EQ(c->config.stop_signal, "SIGQUIT");
  EXPECT_TRUE(c->config.volumes.empty());
  EXPECT_TRUE(c->config.on_build.empty());
  ASSERT_TRUE(c->config.healthcheck.has_value());
  const Healthcheck& h = *c->config.healthcheck;
  EXPECT_EQ(h.test, (std::vector<std::string>{"CMD-SHELL", "curl -f http://localhost/ || exit 1"}));
  EXPECT_EQ(h.interval_ns, 30'000'000'000);
  EXPECT_EQ(h.timeout_ns, 5'000'000'000);
  EXPECT_EQ(h.start_period_ns, 10'000'000'000);
  EXPECT_EQ(h.start_interval_ns, 2'000'000'000);
  EXPECT_EQ(h.retries, 3);
}

TEST(ImageConfigTest, UnknownMembersSurviveReadAndWrite) {
  auto c = ParseImageConfig(kDockerShaped, "nginx");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->unknown["docker_version"], "20.10.23");
  EXPECT_EQ(c->config.unknown["Hostname"], "");
  EXPECT_EQ(c->config.unknown["AttachStdin"], false);
  // A modification (what a build step does) keeps everything else.
  c->config.env.push_back("DISTILL=1");
  auto bytes = SerializeImageConfig(*c);
  ASSERT_TRUE(bytes.ok());
  auto written = ParseJson(*bytes, "written");
  auto original = ParseJson(kDockerShaped, "original");
  ASSERT_TRUE(written.ok() && original.ok());
  (*original)["config"]["Env"].push_back("DISTILL=1");
  // Known members that were null or empty are left out, as omitempty would.
  (*original)["config"].erase("User");
  (*original)["config"].erase("Volumes");
  (*original)["config"].erase("OnBuild");
  (*original)["config"].erase("WorkingDir");
  EXPECT_EQ(*written, *original);
}

TEST(ImageConfigTest, MinimalConfigFromScratch) {
  ImageConfig c;
  c.architecture = "amd64";
  c.os = "linux";
  c.rootfs.diff_ids.push_back(Digest::Of(""));
  c.config.cmd = {"/app"};
  c.config.healthcheck = Healthcheck{{"NONE"}, 0, 0, 0, 0, 0, nlohmann::json::object()};
  auto bytes = SerializeImageConfig(c);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(
      *bytes,
      R"({"architecture":"amd64","config":{"Cmd":["/app"],"Healthcheck":{"Test":["NONE"]}},"os":"linux",)"
      R"("rootfs":{"diff_ids":["sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],"type":"layers"}})");
}

TEST(ImageConfigTest, EmptyConfigMemberIsKept) {
  std::string in =
      R"({"architecture":"amd64","config":{},"os":"linux","rootfs":{"diff_ids":[],"type":"layers"}})";
  auto c = ParseImageConfig(in, "x");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(*SerializeImageConfig(*c), in);
}

struct BadConfig {
  std::string json;
  std::string error;
};

class BadConfigTest : public testing::TestWithParam<BadConfig> {};

TEST_P(BadConfigTest, SaysWhichFieldIsWrong) {
  auto c = ParseImageConfig(GetParam().json, "sha256:cafe");
  ASSERT_FALSE(c.ok()) << GetParam().json;
  EXPECT_NE(c.status().message().find(GetParam().error), std::string::npos) << c.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadConfigTest,
    testing::Values(
        BadConfig{"{", "image config sha256:cafe: invalid JSON"},
        BadConfig{R"({"os":"linux","rootfs":{"type":"layers","diff_ids":[]}})",
                  "image config sha256:cafe: architecture: required field is missing"},
        BadConfig{R"({"architecture":"amd64","rootfs":{"type":"layers","diff_ids":[]}})",
                  "os: required field is missing"},
        BadConfig{R"({"architecture":"amd64","os":"linux"})", "rootfs: required field is missing"},
        BadConfig{
            R"({"architecture":"amd64","os":"linux","rootfs":{"type":"tarballs","diff_ids":[]}})",
            "rootfs.type: want \"layers\""},
        BadConfig{R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers"}})",
                  "rootfs.diff_ids: required field is missing"},
        BadConfig{
            R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:zz"]}})",
            "rootfs.diff_ids[0]: invalid digest"},
        BadConfig{
            R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"config":{"Env":"A=1"}})",
            "config.Env: want an array of strings"},
        BadConfig{
            R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"config":{"Cmd":["a",1]}})",
            "config.Cmd[1]: want a string"},
        BadConfig{
            R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"config":{"ExposedPorts":{"80/tcp":1}}})",
            "config.ExposedPorts.80/tcp: want {}"},
        BadConfig{
            R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"config":{"Healthcheck":{"Interval":"30s"}}})",
            "config.Healthcheck.Interval: want an integer"},
        BadConfig{
            R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"config":{"Healthcheck":{"Retries":-1}}})",
            "config.Healthcheck.Retries: must not be negative"},
        BadConfig{
            R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"history":[{"empty_layer":"yes"}]})",
            "history[0].empty_layer: want true or false"},
        BadConfig{
            R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"history":{}})",
            "history: want an array"}));

}  // namespace
}  // namespace distill::oci
