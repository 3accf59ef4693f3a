// The registry client against FakeRegistry: auth flows, redirects, retries,
// verification, platform choice, push/pull round trips, error messages.
#include "transport/registry_client.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "oci/index.h"
#include "oci/media_types.h"
#include "store/image_store.h"
#include "transport/registry_image.h"
#include "transport/registry_testing.h"
#include "util/file_system.h"

namespace distill::transport {
namespace {

using testing::FakeRegistry;

constexpr char kSecret[] = "s3cr3t-PASS";

class RegistryClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "distill-registry-XXXXXX";
    dir_ = ::mkdtemp(tmpl.data());
    store_ = OpenStore("a");
    other_ = OpenStore("b");
    creds_ = std::make_unique<CredentialStore>(std::vector<std::string>{dir_ + "/auth.json"});
  }
  void TearDown() override {
    client_.reset();
    store_.reset();
    other_.reset();
    (void)DefaultFileSystem()->RemoveTree(dir_);
  }
  std::unique_ptr<store::Store> OpenStore(const std::string& name) {
    auto s = store::Store::Open(dir_ + "/" + name, DefaultFileSystem());
    EXPECT_TRUE(s.ok()) << s.status().message();
    return std::move(s).value();
  }
  RegistryClient& Client(bool with_creds = false, uint64_t chunk = 0) {
    RegistryClientOptions o;
    o.http = &fake_;
    if (with_creds) {
      creds_->Preset("reg.test", {"alice", kSecret, ""});
    }
    o.credentials = creds_.get();
    o.chunk_size = chunk;
    o.sleep = [this](int ms) { sleeps_.push_back(ms); };
    o.now = [this] { return now_; };
    o.log = [this](const std::string& line) { log_.push_back(line); };
    o.config = config_;
    client_ = std::make_unique<RegistryClient>(std::move(o));
    return *client_;
  }
  oci::Digest MakeImage(store::Store& s, const std::string& seed, const std::string& tag,
                        int layers = 2, const std::string& arch = "amd64") {
    oci::ImageConfig config;
    config.architecture = arch;
    config.os = "linux";
    std::vector<oci::Descriptor> descriptors;
    for (int i = 0; i < layers; ++i) {
      std::string content = "layer " + std::to_string(i) + " of " + seed;
      content.append(size_t(1000 * (i + 1)), char('a' + i));
      EXPECT_TRUE(s.blobs().Put(content).ok());
      descriptors.push_back(oci::DescriptorOf(oci::media_type::kOciLayerTarGzip, content));
      config.rootfs.diff_ids.push_back(oci::Digest::Of("diff " + content));
    }
    store::WriteImageOptions options;
    if (!tag.empty()) options.tags = {tag};
    auto d = store::WriteImage(s, config, descriptors, options);
    EXPECT_TRUE(d.ok()) << d.status().message();
    return d.ok() ? *d : oci::Digest();
  }
  static oci::Reference Ref(const std::string& s) { return *oci::Reference::Parse(s); }
  // Every message the client produced: no secret may be in one.
  void ExpectNoSecret(const std::string& text) {
    EXPECT_EQ(text.find(kSecret), std::string::npos) << text;
    EXPECT_EQ(text.find(Base64Encode(std::string("alice:") + kSecret)), std::string::npos) << text;
    EXPECT_EQ(text.find("tok-"), std::string::npos) << text;
  }
  void ExpectNoSecretLogged() {
    for (const auto& l : log_) ExpectNoSecret(l);
  }

  std::string dir_;
  std::unique_ptr<store::Store> store_, other_;
  std::unique_ptr<CredentialStore> creds_;
  FakeRegistry fake_;
  RegistryConfig config_;
  std::unique_ptr<RegistryClient> client_;
  std::vector<int> sleeps_;
  std::vector<std::string> log_;
  int64_t now_ = 1000000;
};

TEST_F(RegistryClientTest, PushThenPullRoundTripKeepsDigests) {
  oci::Digest id = MakeImage(*store_, "app", "reg.test/team/app:1");
  auto& client = Client();
  auto pushed = PushImage(*store_, client, "reg.test/team/app:1", Ref("reg.test/team/app:1"));
  ASSERT_TRUE(pushed.ok()) << pushed.status().message();
  EXPECT_EQ(pushed->digest, id);
  EXPECT_EQ(fake_.manifests.at("team/app@1").media_type, oci::media_type::kOciManifest);
  auto pulled = PullImage(*other_, client, Ref("reg.test/team/app:1"));
  ASSERT_TRUE(pulled.ok()) << pulled.status().message();
  EXPECT_EQ(pulled->manifest, id);
  EXPECT_EQ(pulled->name, "reg.test/team/app:1");
  EXPECT_EQ(pulled->blobs_fetched, 3);
  EXPECT_EQ(*other_->Resolve("reg.test/team/app:1"), id);
  // Again: every blob is already stored, nothing is fetched.
  auto again = PullImage(*other_, client, Ref("reg.test/team/app:1"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->blobs_fetched, 0);
  // Pushing again uploads nothing: HEAD finds every blob.
  size_t before = fake_.requests.size();
  ASSERT_TRUE(PushImage(*store_, client, "reg.test/team/app:1", Ref("reg.test/team/app:1")).ok());
  for (size_t i = before; i < fake_.requests.size(); ++i) {
    EXPECT_NE(fake_.requests[i].method, "PATCH");
    EXPECT_NE(fake_.requests[i].method, "POST");
  }
}

TEST_F(RegistryClientTest, ChunkedUploadSendsRangesAndClosingPut) {
  MakeImage(*store_, "big", "reg.test/big:1", 1);
  auto& client = Client(false, 300);
  auto pushed = PushImage(*store_, client, "reg.test/big:1", Ref("reg.test/big:1"));
  ASSERT_TRUE(pushed.ok()) << pushed.status().message();
  int patches = 0;
  std::vector<std::string> ranges;
  for (const auto& r : fake_.requests) {
    if (r.method == "PATCH") {
      ++patches;
      ranges.push_back(r.Header("Content-Range"));
    }
  }
  // A 1013-byte layer in 300-byte chunks and a small config: 4 + 1 PATCHes.
  EXPECT_EQ(patches, 5);
  EXPECT_NE(std::find(ranges.begin(), ranges.end(), "300-599"), ranges.end());
  auto pulled = PullImage(*other_, client, Ref("reg.test/big:1"));
  ASSERT_TRUE(pulled.ok()) << pulled.status().message();
  EXPECT_EQ(pulled->manifest, pushed->digest);
}

TEST_F(RegistryClientTest, CrossRepositoryMountWhenTheStoreKnowsAnotherRepo) {
  MakeImage(*store_, "base", "reg.test/base:1");
  auto& client = Client();
  ASSERT_TRUE(PushImage(*store_, client, "reg.test/base:1", Ref("reg.test/base:1")).ok());
  fake_.requests.clear();
  auto pushed = PushImage(*store_, client, "reg.test/base:1", Ref("reg.test/copy:1"));
  ASSERT_TRUE(pushed.ok()) << pushed.status().message();
  int mounts = 0, puts = 0;
  for (const auto& r : fake_.requests) {
    if (r.method == "POST" && r.url.find("mount=") != std::string::npos) ++mounts;
    if (r.method == "PUT" && r.url.find("/blobs/") != std::string::npos) ++puts;
  }
  EXPECT_EQ(mounts, 3);
  EXPECT_EQ(puts, 0);
  EXPECT_TRUE(fake_.repo_blobs["copy"].count(pushed->digest.str()) == 0);  // manifests aren't blobs
  EXPECT_EQ(fake_.repo_blobs["copy"].size(), 3u);
}

TEST_F(RegistryClientTest, AnonymousBearerTokenIsReusedUntilItExpires) {
  oci::Digest id = MakeImage(*store_, "pub", "");
  auto img = store::ReadImageByDigest(*store_, id, "t");
  fake_.AddManifest("library/pub", "1", img->manifest_bytes,
                    std::string(oci::media_type::kOciManifest));
  fake_.AddBlob("library/pub", img->config_bytes);
  for (const auto& l : img->manifest.layers)
    fake_.AddBlob("library/pub", *store_->blobs().ReadAll(l.digest));
  fake_.auth = FakeRegistry::Auth::kBearer;
  auto& client = Client();
  ASSERT_TRUE(client.FetchManifest(Ref("reg.test/library/pub:1")).ok());
  ASSERT_TRUE(client.HeadManifest(Ref("reg.test/library/pub:1")).ok());
  EXPECT_EQ(fake_.tokens_issued, 1);
  auto token_requests = fake_.RequestsTo("auth.test");
  ASSERT_EQ(token_requests.size(), 1u);
  EXPECT_NE(token_requests[0].url.find("scope=repository%3Alibrary%2Fpub%3Apull"),
            std::string::npos);
  EXPECT_NE(token_requests[0].url.find("service=reg.test"), std::string::npos);
  EXPECT_EQ(token_requests[0].Header("Authorization"), "");  // anonymous
  now_ += 400;                                               // past expires_in (300)
  ASSERT_TRUE(client.FetchManifest(Ref("reg.test/library/pub:1")).ok());
  EXPECT_EQ(fake_.tokens_issued, 2);
  auto pulled = PullImage(*other_, client, Ref("reg.test/library/pub:1"));
  ASSERT_TRUE(pulled.ok()) << pulled.status().message();
  EXPECT_EQ(pulled->manifest, id);
}

TEST_F(RegistryClientTest, TokenRefusedByRegistryIsRefreshedOnce) {
  MakeImage(*store_, "x", "reg.test/x:1");
  fake_.auth = FakeRegistry::Auth::kBearer;
  auto& client = Client(true);
  ASSERT_TRUE(PushImage(*store_, client, "reg.test/x:1", Ref("reg.test/x:1")).ok());
  ASSERT_TRUE(client.FetchManifest(Ref("reg.test/x:1")).ok());
  int issued = fake_.tokens_issued;
  // The registry forgets its tokens (a restart, a revocation) before they
  // expire: the 401 makes the client fetch a new token and repeat the request.
  fake_.RevokeTokens();
  fake_.requests.clear();
  auto again = client.FetchManifest(Ref("reg.test/x:1"));
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(fake_.tokens_issued, issued + 1);
  auto to_registry = fake_.RequestsTo("reg.test");
  ASSERT_EQ(to_registry.size(), 2u);
  EXPECT_NE(to_registry[0].Header("Authorization"), to_registry[1].Header("Authorization"));
  ExpectNoSecretLogged();
}

TEST_F(RegistryClientTest, BearerWithCredentialsSendsBasicOnlyToTheTokenService) {
  MakeImage(*store_, "x", "reg.test/x:1");
  fake_.auth = FakeRegistry::Auth::kBearer;
  fake_.anonymous_pull = false;
  auto& client = Client(true);
  auto pushed = PushImage(*store_, client, "reg.test/x:1", Ref("reg.test/x:1"));
  ASSERT_TRUE(pushed.ok()) << pushed.status().message();
  for (const auto& r : fake_.RequestsTo("auth.test")) {
    EXPECT_EQ(r.Header("Authorization"), "Basic " + Base64Encode(std::string("alice:") + kSecret));
    EXPECT_NE(r.url.find("account=alice"), std::string::npos);
  }
  for (const auto& r : fake_.RequestsTo("reg.test")) {
    EXPECT_FALSE(r.Header("Authorization").starts_with("Basic")) << r.url;
  }
}

TEST_F(RegistryClientTest, IdentityTokenUsesTheOAuthRefreshGrant) {
  MakeImage(*store_, "x", "reg.test/x:1");
  fake_.auth = FakeRegistry::Auth::kBearer;
  fake_.anonymous_pull = false;
  creds_->Preset("reg.test", {"", "", "identity-REFRESH"});
  auto& client = Client();
  auto pushed = PushImage(*store_, client, "reg.test/x:1", Ref("reg.test/x:1"));
  ASSERT_TRUE(pushed.ok()) << pushed.status().message();
  auto token_requests = fake_.RequestsTo("auth.test");
  ASSERT_FALSE(token_requests.empty());
  for (const auto& r : token_requests) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.Header("Authorization"), "");
    EXPECT_EQ(r.url.find("identity-REFRESH"), std::string::npos);  // in the body only
    EXPECT_NE(r.body.find("grant_type=refresh_token"), std::string::npos);
  }
}

TEST_F(RegistryClientTest, BasicAuthAndUnauthorizedMessages) {
  MakeImage(*store_, "x", "reg.test/x:1");
  fake_.auth = FakeRegistry::Auth::kBasic;
  // No credentials: the message says what to do.
  auto& anon = Client();
  auto denied = PushImage(*store_, anon, "reg.test/x:1", Ref("reg.test/x:1"));
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().code(), Status::Code::kPermission);
  EXPECT_NE(denied.status().message().find("reg.test/x"), std::string::npos);
  EXPECT_NE(denied.status().message().find("401"), std::string::npos);
  EXPECT_NE(denied.status().message().find("distill login reg.test"), std::string::npos)
      << denied.status().message();
  // Right credentials: works, and sends them as Basic.
  auto& client = Client(true);
  ASSERT_TRUE(PushImage(*store_, client, "reg.test/x:1", Ref("reg.test/x:1")).ok());
  // Wrong ones: refused, and the message does not repeat them.
  creds_->Preset("reg.test", {"alice", "wrong-" + std::string(kSecret), ""});
  RegistryClientOptions o;
  o.http = &fake_;
  o.credentials = creds_.get();
  o.sleep = [](int) {};
  RegistryClient wrong(std::move(o));
  auto refused = wrong.FetchManifest(Ref("reg.test/x:1"));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("again"), std::string::npos)
      << refused.status().message();
  ExpectNoSecret(refused.status().message());
  auto login = wrong.CheckLogin("reg.test");
  EXPECT_EQ(login.code(), Status::Code::kPermission);
  ExpectNoSecret(login.message());
  EXPECT_TRUE(client.CheckLogin("reg.test").ok());
}

TEST_F(RegistryClientTest, TokenServiceRefusalIsClear) {
  fake_.auth = FakeRegistry::Auth::kBearer;
  fake_.anonymous_pull = false;
  auto& client = Client();
  auto r = client.FetchManifest(Ref("reg.test/private/x:1"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kPermission);
  EXPECT_NE(r.status().message().find("distill login reg.test"), std::string::npos)
      << r.status().message();
}

TEST_F(RegistryClientTest, RedirectedBlobGetCarriesNoAuthorization) {
  MakeImage(*store_, "r", "reg.test/r:1");
  fake_.auth = FakeRegistry::Auth::kBasic;
  auto& client = Client(true);
  ASSERT_TRUE(PushImage(*store_, client, "reg.test/r:1", Ref("reg.test/r:1")).ok());
  fake_.redirect_blobs = true;
  auto pulled = PullImage(*other_, client, Ref("reg.test/r:1"));
  ASSERT_TRUE(pulled.ok()) << pulled.status().message();
  auto storage = fake_.RequestsTo("storage.test");
  ASSERT_EQ(storage.size(), 3u);
  for (const auto& r : storage) EXPECT_EQ(r.Header("Authorization"), "") << r.url;
}

TEST_F(RegistryClientTest, RetriesTransientFailuresWithBackoff) {
  MakeImage(*store_, "t", "reg.test/t:1");
  auto& client = Client();
  ASSERT_TRUE(PushImage(*store_, client, "reg.test/t:1", Ref("reg.test/t:1")).ok());
  fake_.fail_next["GET /v2/t/manifests/"] = 2;
  fake_.reset_next["GET /v2/t/blobs/"] = 1;
  sleeps_.clear();
  auto pulled = PullImage(*other_, client, Ref("reg.test/t:1"));
  ASSERT_TRUE(pulled.ok()) << pulled.status().message();
  ASSERT_GE(sleeps_.size(), 3u);
  EXPECT_EQ(sleeps_[0], 250);
  EXPECT_EQ(sleeps_[1], 500);  // doubled
  // Out of attempts: the error names the registry, status and advice.
  fake_.fail_next["GET /v2/t/manifests/"] = 10;
  auto failed = client.FetchManifest(Ref("reg.test/t:1"));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), Status::Code::kUnavailable);
  EXPECT_NE(failed.status().message().find("reg.test/t"), std::string::npos);
  EXPECT_NE(failed.status().message().find("503"), std::string::npos);
}

TEST_F(RegistryClientTest, CorruptBlobIsRejectedAndNothingIsStored) {
  oci::Digest id = MakeImage(*store_, "c", "reg.test/c:1");
  auto& client = Client();
  ASSERT_TRUE(PushImage(*store_, client, "reg.test/c:1", Ref("reg.test/c:1")).ok());
  auto img = store::ReadImageByDigest(*store_, id, "t");
  std::string bad = img->manifest.layers[1].digest.str();
  fake_.corrupt_blobs.insert(bad);
  auto pulled = PullImage(*other_, client, Ref("reg.test/c:1"));
  ASSERT_FALSE(pulled.ok());
  EXPECT_EQ(pulled.status().code(), Status::Code::kCorrupt);
  EXPECT_NE(pulled.status().message().find(bad), std::string::npos) << pulled.status().message();
  EXPECT_FALSE(other_->blobs().Exists(img->manifest.layers[1].digest));
  EXPECT_FALSE(other_->Resolve("reg.test/c:1").ok());
}

TEST_F(RegistryClientTest, WrongManifestDigestIsRejected) {
  auto& client = Client();
  fake_.manifests["m@" + oci::Digest::Of("other").str()] = {
      "{}", std::string(oci::media_type::kOciManifest)};
  auto r = client.FetchManifest(Ref("reg.test/m@" + oci::Digest::Of("other").str()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorrupt);
}

TEST_F(RegistryClientTest, BrokenTransferResumesWithRange) {
  oci::Digest id = MakeImage(*store_, "resume", "reg.test/resume:1");
  auto& client = Client();
  ASSERT_TRUE(PushImage(*store_, client, "reg.test/resume:1", Ref("reg.test/resume:1")).ok());
  auto img = store::ReadImageByDigest(*store_, id, "t");
  std::string layer = img->manifest.layers[1].digest.str();
  fake_.cut_next[layer] = 700;
  auto pulled = PullImage(*other_, client, Ref("reg.test/resume:1"));
  ASSERT_TRUE(pulled.ok()) << pulled.status().message();
  bool ranged = false;
  for (const auto& r : fake_.requests) {
    if (r.url.ends_with(layer) && r.Header("Range") == "bytes=700-") ranged = true;
  }
  EXPECT_TRUE(ranged);
  // A registry that ignores Range: the prefix already written is skipped.
  fake_.honour_range = false;
  fake_.cut_next[layer] = 500;
  auto third = OpenStore("c");
  auto again = PullImage(*third, client, Ref("reg.test/resume:1"));
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_TRUE(third->blobs().Verify(img->manifest.layers[1].digest).ok());
}

TEST_F(RegistryClientTest, SelectsThePlatformFromAnIndex) {
  oci::Digest amd = MakeImage(*store_, "multi", "reg.test/m:amd64", 1, "amd64");
  oci::Digest arm = MakeImage(*store_, "multi-arm", "reg.test/m:arm64", 1, "arm64");
  auto& client = Client();
  ASSERT_TRUE(PushImage(*store_, client, "reg.test/m:amd64", Ref("reg.test/m:amd64")).ok());
  ASSERT_TRUE(PushImage(*store_, client, "reg.test/m:arm64", Ref("reg.test/m:arm64")).ok());
  oci::Index index;
  for (auto [d, arch] : {std::pair{amd, "amd64"}, std::pair{arm, "arm64"}}) {
    auto img = store::ReadImageByDigest(*store_, d, "t");
    oci::Descriptor e = oci::DescriptorOf(oci::media_type::kOciManifest, img->manifest_bytes);
    e.platform = oci::Platform{"linux", arch, "", "", {}, nlohmann::json::object()};
    index.manifests.push_back(e);
  }
  std::string bytes = *oci::SerializeIndex(index);
  ASSERT_TRUE(
      client.PushManifest(Ref("reg.test/m:multi"), bytes, std::string(oci::media_type::kOciIndex))
          .ok());
  PullOptions arm_opts;
  arm_opts.platform = *oci::ParsePlatform("linux/arm64");
  auto pulled = PullImage(*other_, client, Ref("reg.test/m:multi"), arm_opts);
  ASSERT_TRUE(pulled.ok()) << pulled.status().message();
  EXPECT_EQ(pulled->manifest, arm);
  EXPECT_EQ(pulled->top_digest, oci::Digest::Of(bytes));
  PullOptions s390;
  s390.platform = *oci::ParsePlatform("linux/s390x");
  auto none = PullImage(*other_, client, Ref("reg.test/m:multi"), s390);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("linux/arm64"), std::string::npos)
      << none.status().message();  // lists what the index offers
}

TEST_F(RegistryClientTest, MissingManifestIsNotFoundNamingTheImage) {
  auto& client = Client();
  auto r = client.FetchManifest(Ref("reg.test/nothere:v9"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  EXPECT_NE(r.status().message().find("reg.test/nothere"), std::string::npos);
  EXPECT_NE(r.status().message().find("v9"), std::string::npos);
  EXPECT_NE(r.status().message().find("MANIFEST_UNKNOWN"), std::string::npos);
}

TEST_F(RegistryClientTest, MirrorsAreTriedFirstThenTheRegistry) {
  MakeImage(*store_, "mir", "reg.test/mir:1");
  auto& up = Client();
  ASSERT_TRUE(PushImage(*store_, up, "reg.test/mir:1", Ref("reg.test/mir:1")).ok());
  // The mirror host does not answer (the fake serves only reg.test).
  config_.Set("reg.test", RegistryHostConfig{{"mirror.test"}, false});
  auto& client = Client();
  fake_.requests.clear();
  auto pulled = PullImage(*other_, client, Ref("reg.test/mir:1"));
  ASSERT_TRUE(pulled.ok()) << pulled.status().message();
  ASSERT_FALSE(fake_.requests.empty());
  EXPECT_EQ(UrlHost(fake_.requests.front().url), "mirror.test");
  bool logged = false;
  for (const auto& l : log_) logged |= l.find("mirror mirror.test failed") != std::string::npos;
  EXPECT_TRUE(logged);
}

TEST_F(RegistryClientTest, PlainHttpOnlyForLoopbackOrInsecure) {
  // https to reg.test is served by the fake; a refused https probe to a
  // non-loopback host is not retried over http.
  struct HttpsRefused : HttpClient {
    std::vector<std::string> urls;
    Result<HttpResponse> Send(const HttpRequest& r,
                              const std::function<Writer*(const HttpResponse&)>&) override {
      urls.push_back(r.url);
      if (r.url.starts_with("https://")) return Status(Status::Code::kUnavailable, "refused");
      HttpResponse ok;
      ok.status = 200;
      return ok;
    }
  } http;
  RegistryClientOptions o;
  o.http = &http;
  o.attempts = 1;
  RegistryClient client(std::move(o));
  auto r = client.HeadManifest(Ref("remote.test/x:1"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("insecure"), std::string::npos) << r.status().message();
  for (const auto& u : http.urls) EXPECT_TRUE(u.starts_with("https://")) << u;
  http.urls.clear();
  (void)client.HeadManifest(Ref("127.0.0.1:5000/x:1"));
  EXPECT_NE(std::find(http.urls.begin(), http.urls.end(), "http://127.0.0.1:5000/v2/"),
            http.urls.end());
}

TEST(RegistryApiHostTest, DockerHub) {
  EXPECT_EQ(ApiHost("docker.io"), "registry-1.docker.io");
  EXPECT_EQ(ApiHost("ghcr.io"), "ghcr.io");
}

}  // namespace
}  // namespace distill::transport
