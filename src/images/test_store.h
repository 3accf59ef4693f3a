// A real Store in a temp directory, and images written into it, for the tests
// of this module.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <memory>
#include <string>
#include <vector>

#include "oci/descriptor.h"
#include "oci/media_types.h"
#include "store/image_store.h"
#include "store/store.h"
#include "util/file_system.h"

namespace distill::images {

class StoreFixture : public ::testing::Test {
 protected:
  static constexpr int64_t kNow = 1704164645;  // 2024-01-02T03:04:05Z

  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "distill-images-XXXXXX";
    dir_ = ::mkdtemp(tmpl.data());
    store::StoreOptions options;
    options.clock = [] { return kNow; };
    auto opened = store::Store::Open(dir_ + "/store", DefaultFileSystem(), options);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(opened).value();
  }
  void TearDown() override {
    store_.reset();
    (void)DefaultFileSystem()->RemoveTree(dir_);
  }

  // An image of `layers` layers (contents derived from `seed`), created at
  // `created` with one history entry per layer plus one empty-layer step,
  // tagged with `tags` (none: recorded untagged).
  oci::Digest MakeImage(const std::string& seed, const std::vector<std::string>& tags,
                        int layers = 2, const std::string& created = "2024-01-02T03:00:05Z") {
    oci::ImageConfig config;
    config.architecture = "amd64";
    config.os = "linux";
    config.created = created;
    config.has_config = true;
    config.config.env = {"PATH=/usr/bin"};
    config.config.cmd = {"/bin/sh"};
    config.config.exposed_ports = {"80/tcp"};
    std::vector<oci::Descriptor> descriptors;
    for (int i = 0; i < layers; ++i) {
      std::string content = "layer " + std::to_string(i) + " of " + seed;
      content.append(static_cast<size_t>(100 * (i + 1)), 'x');
      auto digest = store_->blobs().Put(content);
      EXPECT_TRUE(digest.ok());
      descriptors.push_back(oci::DescriptorOf(oci::media_type::kOciLayerTarGzip, content));
      config.rootfs.diff_ids.push_back(oci::Digest::Of("diff " + content));
      oci::HistoryEntry h;
      h.created = created;
      h.created_by = "RUN step " + std::to_string(i) + " of " + seed;
      config.history.push_back(h);
    }
    oci::HistoryEntry empty;
    empty.created = created;
    empty.created_by = "CMD [\"/bin/sh\"]";
    empty.empty_layer = true;
    config.history.push_back(empty);
    store::WriteImageOptions options;
    options.tags = tags;
    auto digest = store::WriteImage(*store_, config, descriptors, options);
    EXPECT_TRUE(digest.ok()) << digest.status().message();
    return digest.ok() ? *digest : oci::Digest();
  }

  std::string dir_;
  std::unique_ptr<store::Store> store_;
};

}  // namespace distill::images
