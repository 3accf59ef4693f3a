// Round trips store -> archive/layout -> store, corrupt inputs, legacy docker-archive.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <functional>
#include <map>

#include "archive/tar_reader.h"
#include "archive/tar_writer.h"
#include "oci/platform.h"
#include "store/image_store.h"
#include "transport/image_change.h"
#include "transport/image_export.h"
#include "transport/image_load.h"
#include "transport/rootfs_import.h"
#include "util/file_writer.h"
#include "util/sha256.h"

namespace distill::transport {
namespace {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = ::testing::TempDir() + "distill-transport-XXXXXX";
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { (void)DefaultFileSystem()->RemoveTree(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

using Files = std::vector<std::pair<std::string, std::string>>;  // in tar order

std::string MakeTar(const Files& files) {
  StringWriter out;
  archive::TarWriter tar(&out);
  for (const auto& [name, data] : files) {
    archive::TarEntry e;
    e.path = name;
    e.size = data.size();
    StringReader r(data);
    EXPECT_TRUE(tar.WriteEntry(e, &r).ok());
  }
  EXPECT_TRUE(tar.Finish().ok());
  return out.str();
}

Files ReadTar(const std::string& path) {
  auto data = DefaultFileSystem()->ReadFile(path);
  EXPECT_TRUE(data.ok());
  StringReader in(*data);
  archive::TarReader tar(&in);
  Files files;
  archive::TarEntry e;
  while (*tar.Next(&e)) {
    if (e.type != archive::TarEntryType::kFile) continue;
    std::string content(e.size, '\0');
    size_t got = 0;
    while (got < content.size()) got += *tar.ReadContent(content.data() + got, e.size - got);
    files.emplace_back(e.path, content);
  }
  return files;
}

void WriteFile(const std::string& path, const std::string& data) {
  ASSERT_TRUE(DefaultFileSystem()->WriteFileAtomically(path, data).ok());
}

class TransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    src_ = OpenStore("src");
    dst_ = OpenStore("dst");
    WriteFile(tmp_.path() + "/rootfs.tar",
              MakeTar({{"etc/hello", "hello\n"}, {"bin/tool", std::string(100000, 'x')}}));
    ImportOptions opts;
    opts.name = "app:1";
    opts.changes = {"CMD [\"/bin/tool\"]", "ENV A=1 B=\"two words\"",
                    "EXPOSE 80",           "LABEL k=v",
                    "USER nobody",         "WORKDIR /w",
                    "VOLUME /data",        "STOPSIGNAL SIGINT",
                    "ENTRYPOINT [\"/e\"]"};
    opts.created_unix = 1700000000;
    auto d = ImportRootfs(*src_, tmp_.path() + "/rootfs.tar", opts);
    ASSERT_TRUE(d.ok()) << d.status().message();
    image_ = *d;
  }
  std::unique_ptr<store::Store> OpenStore(const std::string& name) {
    auto s = store::Store::Open(tmp_.path() + "/" + name, DefaultFileSystem());
    EXPECT_TRUE(s.ok()) << s.status().message();
    return std::move(*s);
  }
  void ExpectNothingTagged(store::Store& s) {
    auto images = s.ListImages();
    ASSERT_TRUE(images.ok());
    EXPECT_TRUE(images->empty());
  }

  TempDir tmp_;
  std::unique_ptr<store::Store> src_, dst_;
  oci::Digest image_;
};

TEST_F(TransportTest, ImportBuildsOneLayerImageWithChanges) {
  auto img = store::ReadImage(*src_, "app:1");
  ASSERT_TRUE(img.ok()) << img.status().message();
  const auto& c = img->config;
  EXPECT_EQ(c.os, oci::HostPlatform().os);
  EXPECT_EQ(c.created, "2023-11-14T22:13:20Z");
  ASSERT_EQ(c.rootfs.diff_ids.size(), 1u);
  EXPECT_EQ(c.rootfs.diff_ids[0].hex(),
            Sha256::HexOf(*DefaultFileSystem()->ReadFile(tmp_.path() + "/rootfs.tar")));
  EXPECT_EQ(img->manifest.layers[0].media_type, oci::media_type::kOciLayerTarGzip);
  EXPECT_TRUE(c.config.cmd.empty());  // ENTRYPOINT after CMD resets it
  EXPECT_EQ(c.config.entrypoint, std::vector<std::string>{"/e"});
  EXPECT_EQ(c.config.env, (std::vector<std::string>{"A=1", "B=two words"}));
  EXPECT_TRUE(c.config.exposed_ports.count("80/tcp"));
  EXPECT_EQ(c.config.labels.at("k"), "v");
  EXPECT_EQ(c.config.user, "nobody");
  EXPECT_EQ(c.config.working_dir, "/w");
  EXPECT_TRUE(c.config.volumes.count("/data"));
  EXPECT_EQ(c.config.stop_signal, "SIGINT");
  ASSERT_EQ(c.history.size(), 1u);
}

TEST_F(TransportTest, ChangeRejectsUnsupportedInstructions) {
  oci::ImageConfig c;
  EXPECT_FALSE(ApplyChange("RUN echo", &c).ok());
  EXPECT_FALSE(ApplyChange("CMD [\"a\"]\nCMD [\"b\"]", &c).ok());
  ASSERT_TRUE(ApplyChange("CMD echo hi", &c).ok());
  EXPECT_EQ(c.config.cmd, (std::vector<std::string>{"/bin/sh", "-c", "echo hi"}));
}

TEST_F(TransportTest, ImportRejectsMissingAndEmptyFiles) {
  EXPECT_FALSE(ImportRootfs(*dst_, tmp_.path() + "/nope.tar", {}).ok());
  WriteFile(tmp_.path() + "/empty.tar", "");
  EXPECT_FALSE(ImportRootfs(*dst_, tmp_.path() + "/empty.tar", {}).ok());
}

TEST_F(TransportTest, ArchivesRoundTripWithIdenticalDigests) {
  for (auto format : {ArchiveFormat::kDockerArchive, ArchiveFormat::kOciArchive}) {
    auto dst = OpenStore(format == ArchiveFormat::kDockerArchive ? "d1" : "d2");
    std::string path = tmp_.path() + "/out.tar";
    ASSERT_TRUE(SaveArchive(*src_, {"app:1"}, format, path).ok());
    auto loaded = LoadImages(*dst, path);
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    ASSERT_EQ(loaded->size(), 1u);
    EXPECT_EQ((*loaded)[0].manifest, image_);
    EXPECT_EQ((*loaded)[0].names, std::vector<std::string>{"docker.io/library/app:1"});
    auto img = store::ReadImage(*dst, "app:1");
    ASSERT_TRUE(img.ok());
    EXPECT_EQ(img->manifest_digest, image_);
  }
}

TEST_F(TransportTest, DockerArchiveHasDockerFiles) {
  std::string path = tmp_.path() + "/d.tar";
  ASSERT_TRUE(SaveArchive(*src_, {"app:1"}, ArchiveFormat::kDockerArchive, path).ok());
  std::map<std::string, std::string> files;
  for (auto& [n, d] : ReadTar(path)) files[n] = d;
  ASSERT_TRUE(files.count("manifest.json"));
  EXPECT_NE(files["manifest.json"].find("\"RepoTags\":[\"app:1\"]"), std::string::npos);
  EXPECT_TRUE(files.count("repositories"));
  EXPECT_TRUE(files.count("oci-layout"));
  EXPECT_TRUE(files.count("index.json"));
  EXPECT_TRUE(files.count("blobs/sha256/" + image_.hex()));
}

TEST_F(TransportTest, OciLayoutDirectoryRoundTripAndTagOnly) {
  std::string dir = tmp_.path() + "/layout";
  ASSERT_TRUE(ExportOciLayout(*src_, "app:1", dir).ok());
  ASSERT_TRUE(ExportOciLayout(*src_, "app:1", dir).ok());  // idempotent: one entry
  auto index = DefaultFileSystem()->ReadFile(dir + "/index.json");
  ASSERT_TRUE(index.ok());
  EXPECT_NE(index->find("\"org.opencontainers.image.ref.name\":\"1\""), std::string::npos);
  EXPECT_EQ(index->find("ref.name", index->find("ref.name") + 1), std::string::npos);
  LoadOptions opts;
  opts.name = "other:2";
  auto loaded = LoadImages(*dst_, dir, opts);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ((*loaded)[0].manifest, image_);
  EXPECT_TRUE(store::ReadImage(*dst_, "other:2").ok());
  EXPECT_TRUE(store::ReadImage(*dst_, "app:1").ok());
}

TEST_F(TransportTest, SaveOfUnknownImageWritesNothing) {
  std::string path = tmp_.path() + "/never.tar";
  EXPECT_FALSE(
      SaveArchive(*src_, {"app:1", "missing:1"}, ArchiveFormat::kDockerArchive, path).ok());
  EXPECT_FALSE(DefaultFileSystem()->Exists(path));
  auto left = DefaultFileSystem()->ListDir(tmp_.path());
  for (const auto& n : *left) EXPECT_EQ(n.find(".tmp-"), std::string::npos) << n;
}

// Saves app:1 and rewrites the archive through `edit`.
std::string EditedArchive(store::Store& s, const std::string& dir,
                          const std::function<void(Files*)>& edit) {
  std::string path = dir + "/in.tar";
  EXPECT_TRUE(SaveArchive(s, {"app:1"}, ArchiveFormat::kDockerArchive, path).ok());
  Files files = ReadTar(path);
  edit(&files);
  std::string out = dir + "/edited.tar";
  WriteFile(out, MakeTar(files));
  return out;
}

TEST_F(TransportTest, CorruptArchivesAreRejectedWithNothingTagged) {
  auto img = store::ReadImage(*src_, "app:1");
  std::string layer = "blobs/sha256/" + img->manifest.layers[0].digest.hex();
  struct Case {
    const char* what;
    std::function<void(Files*)> edit;
    const char* message;
  };
  std::vector<Case> cases = {
      {"flipped byte in a layer",
       [&](Files* f) {
         for (auto& [n, d] : *f)
           if (n == layer) d[d.size() / 2] ^= 1;
       },
       "sha256"},
      {"missing layer blob",
       [&](Files* f) { std::erase_if(*f, [&](auto& e) { return e.first == layer; }); }, "missing"},
      {"bad manifest.json without index",
       [&](Files* f) {
         std::erase_if(*f, [](auto& e) { return e.first == "index.json"; });
         for (auto& [n, d] : *f)
           if (n == "manifest.json") d = "{not json";
       },
       "manifest.json"},
      {"neither index nor manifest",
       [&](Files* f) {
         std::erase_if(
             *f, [](auto& e) { return e.first == "index.json" || e.first == "manifest.json"; });
       },
       "neither"},
  };
  for (const auto& c : cases) {
    auto dst = OpenStore(std::string("c") + std::to_string(&c - cases.data()));
    std::string path = EditedArchive(*src_, tmp_.path(), c.edit);
    auto loaded = LoadImages(*dst, path);
    ASSERT_FALSE(loaded.ok()) << c.what;
    EXPECT_NE(loaded.status().message().find(c.message), std::string::npos)
        << c.what << ": " << loaded.status().message();
    EXPECT_NE(loaded.status().message().find(path), std::string::npos) << c.what;
    ExpectNothingTagged(*dst);
  }
}

TEST_F(TransportTest, DiffIdMismatchIsRejected) {
  // A docker-archive whose config promises another diffID for its (valid) layer.
  std::string layer_tar = MakeTar({{"a", "b"}});
  std::string config =
      R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:)" +
      std::string(64, '0') + R"("]}})";
  std::string manifest = R"([{"Config":"c.json","RepoTags":["x:1"],"Layers":["l/layer.tar"]}])";
  std::string path = tmp_.path() + "/bad.tar";
  WriteFile(path,
            MakeTar({{"l/layer.tar", layer_tar}, {"c.json", config}, {"manifest.json", manifest}}));
  auto loaded = LoadImages(*dst_, path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("diffID mismatch"), std::string::npos)
      << loaded.status().message();
  ExpectNothingTagged(*dst_);
}

TEST_F(TransportTest, LegacyDockerArchiveIsRead) {
  std::string layer_tar = MakeTar({{"etc/legacy", "old\n"}});
  std::string diff_id = "sha256:" + Sha256::HexOf(layer_tar);
  std::string config = R"({"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},)"
                       R"("rootfs":{"type":"layers","diff_ids":[")" +
                       diff_id + R"("]}})";
  std::string config_id = Sha256::HexOf(config);
  std::string manifest = R"([{"Config":")" + config_id +
                         R"(.json","RepoTags":["old:1"],)"
                         R"("Layers":["abc/layer.tar"]}])";
  std::string path = tmp_.path() + "/legacy.tar";
  WriteFile(path, MakeTar({{"abc/VERSION", "1.0"},
                           {"abc/json", "{}"},
                           {"abc/layer.tar", layer_tar},
                           {config_id + ".json", config},
                           {"manifest.json", manifest},
                           {"repositories", R"({"old":{"1":"abc"}})"}}));
  auto loaded = LoadImages(*dst_, path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  auto img = store::ReadImage(*dst_, "old:1");
  ASSERT_TRUE(img.ok()) << img.status().message();
  EXPECT_EQ(img->config_digest.hex(), config_id);
  ASSERT_EQ(img->manifest.layers.size(), 1u);
  EXPECT_EQ(img->manifest.layers[0].media_type, oci::media_type::kOciLayerTar);
  EXPECT_EQ(img->manifest.layers[0].digest.str(), diff_id);
}

}  // namespace
}  // namespace distill::transport
