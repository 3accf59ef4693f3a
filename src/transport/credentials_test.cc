#include "transport/credentials.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <fstream>

#include "util/file_system.h"

namespace distill::transport {
namespace {

class CredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "distill-creds-XXXXXX";
    dir_ = ::mkdtemp(tmpl.data());
  }
  void TearDown() override { (void)DefaultFileSystem()->RemoveTree(dir_); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name) << text;
  }
  std::string dir_;
};

TEST_F(CredentialsTest, ReadsDockerConfigAuths) {
  // "alice:pw:with:colons" in base64.
  Write("config.json",
        R"({"auths":{"https://index.docker.io/v1/":{"auth":"YWxpY2U6cHc6d2l0aDpjb2xvbnM="},
                     "reg.test:5000":{"username":"bob","password":"pw2"}}})");
  CredentialStore store({dir_ + "/none.json", dir_ + "/config.json"});
  auto hub = store.Get("docker.io");
  ASSERT_TRUE(hub.ok()) << hub.status().message();
  ASSERT_TRUE(hub->has_value());
  EXPECT_EQ((*hub)->username, "alice");
  EXPECT_EQ((*hub)->password, "pw:with:colons");
  auto other = store.Get("reg.test:5000");
  ASSERT_TRUE(other.ok() && other->has_value());
  EXPECT_EQ((*other)->username, "bob");
  auto none = store.Get("elsewhere.test");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_F(CredentialsTest, CredHelpersAndCredsStoreRunLikeDocker) {
  Write("config.json", R"({"credHelpers":{"ecr.test":"ecr"},"credsStore":"desktop"})");
  std::vector<std::string> calls;
  HelperRunner runner = [&](const std::string& program, const std::vector<std::string>& args,
                            const std::string& input) -> Result<std::string> {
    calls.push_back(program + " " + args.at(0) + " " + input);
    if (program == "docker-credential-ecr")
      return std::string(R"({"Username":"AWS","Secret":"tok"})");
    if (input == "ghcr.test") return std::string(R"({"Username":"<token>","Secret":"refresh"})");
    return Status::NotFound("credentials not found in native keychain");
  };
  CredentialStore store({dir_ + "/config.json"}, runner);
  auto ecr = store.Get("ecr.test");
  ASSERT_TRUE(ecr.ok() && ecr->has_value());
  EXPECT_EQ((*ecr)->username, "AWS");
  EXPECT_EQ((*ecr)->password, "tok");
  auto ghcr = store.Get("ghcr.test");
  ASSERT_TRUE(ghcr.ok() && ghcr->has_value());
  EXPECT_EQ((*ghcr)->identity_token, "refresh");
  auto missing = store.Get("other.test");
  ASSERT_TRUE(missing.ok());  // a store without an entry is not an error
  EXPECT_FALSE(missing->has_value());
  EXPECT_EQ(calls.front(), "docker-credential-ecr get ecr.test");
}

TEST_F(CredentialsTest, StoreWritesPrivateFileAndEraseRemoves) {
  std::string file = dir_ + "/sub/auth.json";
  Write("docker.json", R"({"auths":{"reg.test":{"auth":"b2xkOm9sZA=="}}})");
  CredentialStore store({file, dir_ + "/docker.json"});
  ASSERT_TRUE(store.Store("reg.test", {"alice", "s3cr3t", ""}).ok());
  ASSERT_TRUE(store.Store("other.test", {"carol", "x", ""}).ok());
  struct stat st;
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto got = store.Get("reg.test");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->password, "s3cr3t");  // our file wins over Docker's
  ASSERT_TRUE(store.Erase("reg.test").ok());
  got = store.Get("reg.test");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->username, "old");  // Docker's entry is left alone
  EXPECT_TRUE(store.Get("other.test")->has_value());
  EXPECT_EQ(store.Erase("reg.test").code(), Status::Code::kNotFound);
}

TEST_F(CredentialsTest, MalformedFilesAreNamedWithoutSecrets) {
  Write("bad.json", "{not json");
  CredentialStore bad({dir_ + "/bad.json"});
  auto r = bad.Get("reg.test");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("bad.json"), std::string::npos);
  Write("badauth.json", R"({"auths":{"reg.test":{"auth":"bm9jb2xvbnNlY3JldA=="}}})");
  CredentialStore badauth({dir_ + "/badauth.json"});
  r = badauth.Get("reg.test");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().find("nocolonsecret"), std::string::npos);
}

TEST_F(CredentialsTest, PresetWinsAndStaysInMemory) {
  CredentialStore store({dir_ + "/auth.json"});
  store.Preset("reg.test", {"u", "p", ""});
  auto got = store.Get("reg.test");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->username, "u");
  EXPECT_FALSE(DefaultFileSystem()->Exists(dir_ + "/auth.json"));
}

}  // namespace
}  // namespace distill::transport
