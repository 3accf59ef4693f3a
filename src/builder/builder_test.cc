#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "builder/build.h"
#include "builder/build_backend.h"
#include "builder/image_writer.h"
#include "builder/root_paths.h"
#include "builder/run_mounts.h"
#include "builder/secrets.h"
#include "builder/store_cache.h"
#include "store/image_store.h"
#include "util/file_system.h"

namespace distill::builder {
namespace {

class TempDir {
 public:
  TempDir() {
    std::string t = "/tmp/distill-builder-test-XXXXXX";
    path_ = mkdtemp(t.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(SecretsTest, ReadsFilesAndEnvAndRejectsBadSpecs) {
  TempDir dir;
  std::ofstream(dir.path() + "/tok") << "s3cr3t";
  auto env = [](const char* name) -> const char* {
    return std::string(name) == "MYTOKEN" ? "fromenv" : nullptr;
  };
  auto ok = LoadSecrets({"id=a,src=" + dir.path() + "/tok", "id=b,env=MYTOKEN", "id=MYTOKEN"}, env);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->at("a"), "s3cr3t");
  EXPECT_EQ(ok->at("b"), "fromenv");
  EXPECT_EQ(ok->at("MYTOKEN"), "fromenv");
  EXPECT_FALSE(LoadSecrets({"src=/x"}, env).ok());                               // no id
  EXPECT_FALSE(LoadSecrets({"id=a,src=/x,env=Y"}, env).ok());                    // both
  EXPECT_FALSE(LoadSecrets({"id=a,env=UNSET_VAR"}, env).ok());                   // unset
  EXPECT_FALSE(LoadSecrets({"id=a,src=" + dir.path() + "/missing"}, env).ok());  // no file
  EXPECT_FALSE(LoadSecrets({"id=a,bogus=1"}, env).ok());
  auto twice = LoadSecrets({"id=b,env=MYTOKEN", "id=b,env=MYTOKEN"}, env);
  EXPECT_FALSE(twice.ok());
}

TEST(OutputSpecTest, ParsesTheThreeTypes) {
  auto oci = ParseOutputSpec("type=oci,dest=out.tar");
  ASSERT_TRUE(oci.ok());
  EXPECT_EQ(oci->type, "oci");
  EXPECT_EQ(oci->dest, "out.tar");
  auto local = ParseOutputSpec("outdir");
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(local->type, "local");
  EXPECT_EQ(local->dest, "outdir");
  EXPECT_FALSE(ParseOutputSpec("type=registry,dest=x").ok());
  EXPECT_FALSE(ParseOutputSpec("type=oci").ok());
  EXPECT_FALSE(ParseOutputSpec("type=oci,dest=x,foo=1").ok());
}

TEST(ImageWriterTest, ConfigCarriesStateAndFixedCreatedTime) {
  solver::ImageState state;
  state.platform = "linux/arm/v7";
  state.config.env = {{"PATH", "/bin"}};
  state.config.labels = {{"a", "1"}};
  solver::LayerRef layer;
  layer.diff_id = oci::Digest::Of("tar");
  layer.blob.digest = oci::Digest::Of("blob");
  solver::AppendLayer(&state, layer);
  oci::HistoryEntry base;
  base.created = "2020-01-01T00:00:00Z";
  base.created_by = "import";
  oci::HistoryEntry step;
  step.created_by = "RUN x";
  state.history = {base, step};
  ImageWriteOptions options;
  options.created_unix = 1700000000;
  options.labels = {{"b", "2"}, {"a", "override"}};
  auto config = ImageConfigOf(state, options);
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->created, "2023-11-14T22:13:20Z");
  EXPECT_EQ(config->os, "linux");
  EXPECT_EQ(config->architecture, "arm");
  EXPECT_EQ(config->variant, "v7");
  EXPECT_EQ(config->rootfs.diff_ids, std::vector<oci::Digest>{layer.diff_id});
  EXPECT_EQ(config->config.labels.at("a"), "override");
  EXPECT_EQ(config->config.labels.at("b"), "2");
  ASSERT_EQ(config->history.size(), 2u);
  EXPECT_EQ(config->history[0].created, "2020-01-01T00:00:00Z");
  EXPECT_EQ(config->history[1].created, "2023-11-14T22:13:20Z");
  state.platform = "not a platform!";
  EXPECT_FALSE(ImageConfigOf(state, options).ok());
}

TEST(RootPathsTest, MakeDirsStaysInsideTheRoot) {
  TempDir root, outside;
  ASSERT_EQ(symlink(outside.path().c_str(), (root.path() + "/escape").c_str()), 0);
  ASSERT_TRUE(MakeDirsInRoot(root.path(), "/a/b/c", 1000, 1000).ok());
  struct stat st;
  ASSERT_EQ(stat((root.path() + "/a/b/c").c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  if (geteuid() == 0) {
    EXPECT_EQ(st.st_uid, 1000u);
  }
  // An absolute symlink is resolved inside the root, never to the host path.
  (void)MakeDirsInRoot(root.path(), "/escape/x", 0, 0);
  EXPECT_FALSE(std::filesystem::exists(outside.path() + "/x"));
  ASSERT_EQ(symlink("/a/b", (root.path() + "/link").c_str()), 0);
  ASSERT_TRUE(MakeDirsInRoot(root.path(), "/link/y", 0, 0).ok());
  EXPECT_TRUE(std::filesystem::is_directory(root.path() + "/a/b/y"));
  std::ofstream(root.path() + "/file") << "x";
  EXPECT_FALSE(MakeDirsInRoot(root.path(), "/file/sub", 0, 0).ok());
}

TEST(ResolveOwnerTest, NamesComeFromTheRootfs) {
  TempDir root;
  std::filesystem::create_directories(root.path() + "/etc");
  std::ofstream(root.path() + "/etc/passwd") << "root:x:0:0::/root:/bin/sh\n"
                                                "app:x:1000:1001::/home/app:/bin/sh\n";
  auto app = ResolveOwner(root.path(), "app");
  ASSERT_TRUE(app.ok()) << app.status().message();
  EXPECT_EQ(app->uid, 1000u);
  EXPECT_EQ(app->gid, 1001u);
  EXPECT_EQ(app->home, "/home/app");
  // No USER is root, with root's home from the image (HOME=/root in RUN, as
  // Docker sets it; Go, pip and friends keep their caches under it).
  auto none = ResolveOwner(root.path(), "");
  ASSERT_TRUE(none.ok()) << none.status().message();
  EXPECT_EQ(none->uid, 0u);
  EXPECT_EQ(none->gid, 0u);
  EXPECT_EQ(none->home, "/root");
  // An image without /etc/passwd (scratch, distroless static) still works.
  TempDir bare;
  auto bare_root = ResolveOwner(bare.path(), "");
  ASSERT_TRUE(bare_root.ok()) << bare_root.status().message();
  EXPECT_EQ(bare_root->uid, 0u);
  auto missing = ResolveOwner(root.path(), "nobody-here");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("nobody-here"), std::string::npos);
}

TEST(RunMountsTest, CacheSharingModes) {
  TempDir root;
  dockerfile::Mount m;
  m.type = dockerfile::MountType::kCache;
  m.target = "/root/.cache";
  RunMounts first, second;
  auto a = first.CacheDir(root.path(), m);
  auto b = second.CacheDir(root.path(), m);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);  // shared: one directory for everyone
  EXPECT_EQ(*a, root.path() + "/cache/mounts/" + oci::Digest::Of("/root/.cache").hex());
  m.sharing = dockerfile::CacheSharing::kPrivate;
  m.id = "priv";
  RunMounts p1, p2;
  auto c = p1.CacheDir(root.path(), m);
  auto d = p2.CacheDir(root.path(), m);
  ASSERT_TRUE(c.ok() && d.ok());
  EXPECT_NE(*c, *d);  // private: a second user while the first holds it gets its own
  m.id = "with-mode";
  m.sharing = dockerfile::CacheSharing::kLocked;
  m.mode = 0700;
  m.uid = 1234;
  RunMounts locked;
  auto e = locked.CacheDir(root.path(), m);
  ASSERT_TRUE(e.ok());
  struct stat st;
  ASSERT_EQ(stat(e->c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  if (geteuid() == 0) {
    EXPECT_EQ(st.st_uid, 1234u);
  }
}

TEST(RunMountsTest, SecretFilesGoAwayWithTheMounts) {
  TempDir root;
  dockerfile::Mount m;
  m.type = dockerfile::MountType::kSecret;
  m.id = "tok";
  std::string path;
  {
    RunMounts mounts;
    auto file = mounts.SecretFile(root.path(), "value", m);
    ASSERT_TRUE(file.ok()) << file.status().message();
    path = *file;
    struct stat st;
    ASSERT_EQ(stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0400u);
    EXPECT_EQ(st.st_size, 5);
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

class StoreBackedTest : public ::testing::Test {
 protected:
  TempDir root_;
  StorePool pool_{root_.path()};
};

TEST_F(StoreBackedTest, CacheRecordsRoundTripAndMissWhenTheBlobIsGone) {
  auto h = pool_.ForThisThread();
  ASSERT_TRUE(h.ok()) << h.status().message();
  auto writer = (*h)->store->blobs().NewWriter();
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Write("layer bytes").ok());
  auto blob = (*writer)->Commit();
  ASSERT_TRUE(blob.ok()) << blob.status().message();

  StoreCache cache(&pool_, [] { return int64_t{100}; });
  EXPECT_FALSE(cache.Lookup("sha256:none")->has_value());
  solver::LayerRef layer;
  layer.blob.media_type = "application/vnd.oci.image.layer.v1.tar+gzip";
  layer.blob.digest = *blob;
  layer.blob.size = 11;
  layer.diff_id = oci::Digest::Of("tar");
  ASSERT_TRUE(cache.Record("key-layer", solver::CacheRecord{layer}).ok());
  ASSERT_TRUE(cache.Record("key-empty", solver::CacheRecord{}).ok());
  auto hit = cache.Lookup("key-layer");
  ASSERT_TRUE(hit.ok() && hit->has_value());
  ASSERT_TRUE((*hit)->layer.has_value());
  EXPECT_EQ(*(*hit)->layer, layer);
  auto empty = cache.Lookup("key-empty");
  ASSERT_TRUE(empty.ok() && empty->has_value());
  EXPECT_FALSE((*empty)->layer.has_value());
  // Prune keeps the cached layer: it is a GC root.
  ASSERT_TRUE((*h)->store->Prune().ok());
  EXPECT_TRUE((*h)->store->blobs().Exists(*blob));
  ASSERT_TRUE((*h)->store->blobs().Delete(*blob).ok());
  EXPECT_FALSE(cache.Lookup("key-layer")->has_value());
}

TEST_F(StoreBackedTest, ImageCreatedTimeIsWhenTheNewestStepResultWasMade) {
  auto h = pool_.ForThisThread();
  ASSERT_TRUE(h.ok()) << h.status().message();
  StoreCache at_100(&pool_, [] { return int64_t{100}; });
  StoreCache at_200(&pool_, [] { return int64_t{200}; });
  ASSERT_TRUE(at_100.Record("key-old", solver::CacheRecord{}).ok());
  ASSERT_TRUE(at_200.Record("key-new", solver::CacheRecord{}).ok());
  solver::BuildStats stats;
  stats.steps.push_back({0, 0, "[1/2] RUN a", true, 0, "key-old"});
  stats.steps.push_back({0, 1, "[2/2] RUN b", true, 0, "key-new"});
  EXPECT_EQ(CreatedTimeOfResults(*(*h)->store, stats, 999), 200);
  // Recording the same result later (a --no-cache re-run that made the same
  // layer) keeps its time; no steps at all, or an unknown key, means now.
  ASSERT_TRUE(StoreCache(&pool_, [] { return int64_t{300}; })
                  .Record("key-new", solver::CacheRecord{})
                  .ok());
  EXPECT_EQ(CreatedTimeOfResults(*(*h)->store, stats, 999), 200);
  EXPECT_EQ(CreatedTimeOfResults(*(*h)->store, solver::BuildStats{}, 999), 999);
  stats.steps.push_back({0, 2, "[3/3] RUN c", false, 5, "key-unknown"});
  EXPECT_EQ(CreatedTimeOfResults(*(*h)->store, stats, 999), 999);
}

TEST_F(StoreBackedTest, MissingBaseImageSaysHowToMakeIt) {
  auto h = pool_.ForThisThread();
  ASSERT_TRUE(h.ok());
  auto base = ReadBaseImage(*(*h)->store, "debian:bookworm-slim");
  ASSERT_FALSE(base.ok());
  EXPECT_EQ(base.status().code(), Status::Code::kNotFound);
  EXPECT_NE(base.status().message().find("distill import"), std::string::npos);
}

TEST_F(StoreBackedTest, ReadsABaseImageWithItsConfigAndLayers) {
  auto h = pool_.ForThisThread();
  ASSERT_TRUE(h.ok());
  auto writer = (*h)->store->blobs().NewWriter();
  ASSERT_TRUE((*writer)->Write("layer").ok());
  auto blob = (*writer)->Commit();
  ASSERT_TRUE(blob.ok());
  oci::ImageConfig config;
  config.os = "linux";
  config.architecture = "amd64";
  config.has_config = true;
  config.config.env = {"PATH=/usr/bin", "LANG=C"};
  config.config.user = "1000";
  config.rootfs.diff_ids = {oci::Digest::Of("difftar")};
  oci::Descriptor layer;
  layer.media_type = "application/vnd.oci.image.layer.v1.tar";
  layer.digest = *blob;
  layer.size = 5;
  store::WriteImageOptions options;
  options.tags = {"base:1"};
  auto manifest = store::WriteImage(*(*h)->store, config, {layer}, options);
  ASSERT_TRUE(manifest.ok()) << manifest.status().message();
  auto base = ReadBaseImage(*(*h)->store, "base:1");
  ASSERT_TRUE(base.ok()) << base.status().message();
  EXPECT_EQ(base->digest, *manifest);
  EXPECT_EQ(base->config.user, "1000");
  EXPECT_EQ(*base->config.GetEnv("LANG"), "C");
  ASSERT_EQ(base->layers.size(), 1u);
  EXPECT_EQ(base->layers[0].diff_id, oci::Digest::Of("difftar"));
  EXPECT_EQ(base->layers[0].blob.digest, *blob);
  // The fully qualified name and the digest find the same image.
  EXPECT_EQ(ReadBaseImage(*(*h)->store, "docker.io/library/base:1")->digest, *manifest);
  EXPECT_EQ(ReadBaseImage(*(*h)->store, manifest->str())->digest, *manifest);
}

}  // namespace
}  // namespace distill::builder
