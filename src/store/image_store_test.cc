#include "store/image_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "archive/compress.h"
#include "archive/layer_writer.h"
#include "archive/tar_reader.h"
#include "archive/tar_writer.h"
#include "oci/platform.h"

namespace distill::store {
namespace {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = ::testing::TempDir() + "distill-imgstore-XXXXXX";
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { (void)DefaultFileSystem()->RemoveTree(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A gzip layer holding one file, written into the store.
Result<archive::LayerDigests> PutLayer(Store& store, const std::string& file,
                                       const std::string& content) {
  DISTILL_ASSIGN_OR_RETURN(auto blob, store.blobs().NewWriter());
  DISTILL_ASSIGN_OR_RETURN(auto layer,
                           archive::LayerWriter::Create(archive::Compression::kGzip, blob.get()));
  archive::TarWriter tar(layer.get());
  archive::TarEntry e;
  e.path = file;
  e.size = content.size();
  StringReader r(content);
  DISTILL_RETURN_IF_ERROR(tar.WriteEntry(e, &r));
  DISTILL_RETURN_IF_ERROR(tar.Finish());
  DISTILL_ASSIGN_OR_RETURN(auto digests, layer->Finish());
  DISTILL_RETURN_IF_ERROR(blob->Commit(digests.digest).status());
  return digests;
}

class ImageStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Store::Open(tmp_.path() + "/store", DefaultFileSystem());
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
  }

  // Config + descriptors of two layers.
  void MakeLayers(oci::ImageConfig* config, std::vector<oci::Descriptor>* layers) {
    auto host = oci::HostPlatform();
    config->os = host.os;
    config->architecture = host.architecture;
    for (int i = 0; i < 2; ++i) {
      auto d = PutLayer(*store_, "f" + std::to_string(i), "content " + std::to_string(i));
      ASSERT_TRUE(d.ok()) << d.status().message();
      config->rootfs.diff_ids.push_back(d->diff_id);
      oci::Descriptor desc;
      desc.media_type = oci::media_type::kOciLayerTarGzip;
      desc.digest = d->digest;
      desc.size = static_cast<int64_t>(d->compressed_size);
      layers->push_back(desc);
    }
  }

  TempDir tmp_;
  std::unique_ptr<Store> store_;
};

TEST(NormalizeImageNameTest, AddsDefaultsAndRejectsDigests) {
  EXPECT_EQ(*NormalizeImageName("python:3.9"), "docker.io/library/python:3.9");
  EXPECT_EQ(*NormalizeImageName("ghcr.io/o/app"), "ghcr.io/o/app:latest");
  EXPECT_FALSE(NormalizeImageName("Foo").ok());
  EXPECT_FALSE(NormalizeImageName("a@sha256:" + std::string(64, 'a')).ok());
}

TEST_F(ImageStoreTest, WriteThenReadByEveryKindOfName) {
  oci::ImageConfig config;
  std::vector<oci::Descriptor> layers;
  MakeLayers(&config, &layers);
  WriteImageOptions opts;
  opts.tags = {"app:1"};
  auto digest = WriteImage(*store_, config, layers, opts);
  ASSERT_TRUE(digest.ok()) << digest.status().message();

  for (std::string name : {std::string("app:1"), std::string("docker.io/library/app:1"),
                           digest->str(), digest->hex().substr(0, 12), "app@" + digest->str()}) {
    auto img = ReadImage(*store_, name);
    ASSERT_TRUE(img.ok()) << name << ": " << img.status().message();
    EXPECT_EQ(img->manifest_digest, *digest);
    EXPECT_EQ(img->manifest.media_type, oci::media_type::kOciManifest);
    EXPECT_EQ(img->manifest.layers, layers);
    EXPECT_EQ(img->config, config);
    EXPECT_EQ(oci::Digest::Of(img->manifest_bytes), *digest);
  }
  auto img = ReadImage(*store_, "app:1");
  auto with_ids = LayersOf(*img);
  ASSERT_TRUE(with_ids.ok());
  ASSERT_EQ(with_ids->size(), 2u);
  EXPECT_EQ((*with_ids)[1].diff_id, config.rootfs.diff_ids[1]);

  // The layer opens, verifies and decompresses to a tar with the file.
  auto tar_stream = OpenLayerTar(*store_, layers[1]);
  ASSERT_TRUE(tar_stream.ok());
  archive::TarReader tar(tar_stream->get());
  archive::TarEntry e;
  ASSERT_TRUE(*tar.Next(&e));
  EXPECT_EQ(e.path, "f1");
  std::string got(64, '\0');
  got.resize(*tar.ReadContent(got.data(), got.size()));
  EXPECT_EQ(got, "content 1");

  EXPECT_EQ(ReadImage(*store_, "app:2").status().code(), Status::Code::kNotFound);
  EXPECT_NE(ReadImage(*store_, "app:2").status().message().find("app:2"), std::string::npos);
}

TEST_F(ImageStoreTest, DockerFamilyMapsMediaTypes) {
  oci::ImageConfig config;
  std::vector<oci::Descriptor> layers;
  MakeLayers(&config, &layers);
  WriteImageOptions opts;
  opts.family = oci::MediaFamily::kDocker;
  opts.tags = {"d"};
  opts.annotations = {{"a", "b"}};
  auto digest = WriteImage(*store_, config, layers, opts);
  ASSERT_TRUE(digest.ok()) << digest.status().message();
  auto img = ReadImage(*store_, "d");
  ASSERT_TRUE(img.ok());
  EXPECT_EQ(img->manifest.media_type, oci::media_type::kDockerManifest);
  EXPECT_EQ(img->manifest.config.media_type, oci::media_type::kDockerConfig);
  EXPECT_EQ(img->manifest.layers[0].media_type, oci::media_type::kDockerLayerTarGzip);
  EXPECT_TRUE(img->manifest.annotations.empty());
}

TEST_F(ImageStoreTest, UntaggedImageIsRecordedAndCanBeTaggedLater) {
  oci::ImageConfig config;
  std::vector<oci::Descriptor> layers;
  MakeLayers(&config, &layers);
  auto digest = WriteImage(*store_, config, layers);
  ASSERT_TRUE(digest.ok());
  EXPECT_TRUE(ReadImage(*store_, digest->hex().substr(0, 8)).ok());
  ASSERT_TRUE(TagImage(*store_, "later", *digest).ok());
  EXPECT_EQ(*ResolveImage(*store_, "docker.io/library/later:latest"), *digest);
}

TEST_F(ImageStoreTest, RejectsMismatchedAndMissingLayers) {
  oci::ImageConfig config;
  std::vector<oci::Descriptor> layers;
  MakeLayers(&config, &layers);
  auto short_layers = layers;
  short_layers.pop_back();
  EXPECT_EQ(WriteImage(*store_, config, short_layers).status().code(),
            Status::Code::kInvalidArgument);
  auto missing = layers;
  missing[0].digest = oci::Digest::Of("not stored");
  auto st = WriteImage(*store_, config, missing).status();
  EXPECT_EQ(st.code(), Status::Code::kNotFound);
  EXPECT_NE(st.message().find(missing[0].digest.str()), std::string::npos);
}

TEST_F(ImageStoreTest, MissingConfigBlobNamesImageAndBlob) {
  oci::ImageConfig config;
  std::vector<oci::Descriptor> layers;
  MakeLayers(&config, &layers);
  WriteImageOptions opts;
  opts.tags = {"broken"};
  auto digest = WriteImage(*store_, config, layers, opts);
  ASSERT_TRUE(digest.ok());
  auto img = ReadImage(*store_, "broken");
  ASSERT_TRUE(img.ok());
  ASSERT_TRUE(store_->blobs().Delete(img->config_digest).ok());
  auto st = ReadImage(*store_, "broken").status();
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("broken"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find(img->config_digest.str()), std::string::npos) << st.message();
}

TEST_F(ImageStoreTest, OpenLayerDetectsCorruption) {
  oci::ImageConfig config;
  std::vector<oci::Descriptor> layers;
  MakeLayers(&config, &layers);
  auto wrong = layers[0];
  wrong.size += 1;  // the blob is shorter than the descriptor says
  auto r = OpenLayer(*store_, wrong);
  ASSERT_TRUE(r.ok());
  char buf[4096];
  Status st;
  while (true) {
    auto n = (*r)->Read(buf, sizeof buf);
    if (!n.ok()) {
      st = n.status();
      break;
    }
    if (*n == 0) break;
  }
  EXPECT_FALSE(st.ok());
}

}  // namespace
}  // namespace distill::store
