#include "transport/registry_config.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "util/file_system.h"

namespace distill::transport {
namespace {

TEST(RegistryConfigTest, ParsesMirrorsAndInsecure) {
  auto c = RegistryConfig::Parse(
      R"({"registries":{"docker.io":{"mirrors":["m1.test","m2.test:5000"]},
                        "cache.test:5000":{"insecure":true}}})",
      "registries.json");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->For("docker.io").mirrors, (std::vector<std::string>{"m1.test", "m2.test:5000"}));
  EXPECT_TRUE(c->For("cache.test:5000").insecure);
  EXPECT_TRUE(c->AllowsPlainHttp("cache.test:5000"));
  EXPECT_FALSE(c->AllowsPlainHttp("ghcr.io"));
  EXPECT_TRUE(c->For("ghcr.io").mirrors.empty());
}

TEST(RegistryConfigTest, ErrorsNameTheFileAndSetting) {
  auto bad = RegistryConfig::Parse(R"({"registries":{"x.test":{"mirror":["a"]}}})", "/etc/r.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("/etc/r.json"), std::string::npos);
  EXPECT_NE(bad.status().message().find("mirror"), std::string::npos);
  EXPECT_FALSE(RegistryConfig::Parse("[1]", "f").ok());
  EXPECT_FALSE(RegistryConfig::Parse(R"({"registries":{"x":{"insecure":"yes"}}})", "f").ok());
}

TEST(RegistryConfigTest, LoopbackHosts) {
  EXPECT_TRUE(IsLoopbackHost("localhost:5000"));
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1:5000"));
  EXPECT_TRUE(IsLoopbackHost("127.1.2.3"));
  EXPECT_TRUE(IsLoopbackHost("[::1]:5000"));
  EXPECT_FALSE(IsLoopbackHost("128.0.0.1"));
  EXPECT_FALSE(IsLoopbackHost("localhost.example.com"));
  EXPECT_FALSE(IsLoopbackHost("docker.io"));
}

TEST(RegistryConfigTest, CertsDirGivesCaAndClientCertificate) {
  std::string tmpl = ::testing::TempDir() + "distill-certsd-XXXXXX";
  std::string dir = ::mkdtemp(tmpl.data());
  std::filesystem::create_directories(dir + "/reg.test:5000");
  std::ofstream(dir + "/reg.test:5000/ca.crt") << "CA-PEM";
  std::ofstream(dir + "/reg.test:5000/client.cert") << "C";
  std::ofstream(dir + "/reg.test:5000/client.key") << "K";
  RegistryConfig c;
  c.certs_dirs = {dir + "/missing", dir};
  TlsOptions tls = c.TlsFor("reg.test:5000");
  EXPECT_TRUE(tls.verify);
  EXPECT_NE(tls.extra_ca_pem.find("CA-PEM"), std::string::npos);
  EXPECT_EQ(tls.client_cert_file, dir + "/reg.test:5000/client.cert");
  EXPECT_EQ(tls.client_key_file, dir + "/reg.test:5000/client.key");
  EXPECT_TRUE(c.TlsFor("other.test").extra_ca_pem.empty());
  (void)DefaultFileSystem()->RemoveTree(dir);
}

}  // namespace
}  // namespace distill::transport
